// SPDX-License-Identifier: Apache-2.0
#include "sysctl.h"

#include <errno.h>
#include <stdio.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "util.h"

/* sysctl(8) accepts "net/ipv4/ip_forward" for "net.ipv4.ip_forward": a
 * name whose first separator is '/' has its '.' and '/' swapped (a '.'
 * then belongs to a component, as in an interface "eth0.100"). */
static char *dotted(const char *key)
{
	size_t first = strcspn(key, "./");
	char *d = strdup(key), *s;

	if (!d || key[first] != '/')
		return d;
	for (s = d; *s; s++)
		*s = *s == '.' ? '/' : *s == '/' ? '.' : *s;
	return d;
}

/* The IPC namespace's own: System V IPC limits and POSIX message queues. */
static bool ipc_sysctl(const char *k)
{
	static const char *const names[] = {
		"kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
		"kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced",
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(k, names[i]))
			return true;
	return !strncmp(k, "fs.mqueue.", 10);
}

/* A namespace the container has of its own: listed, and when joined by
 * path, not the one the runtime is in ("host" means the runtime's). */
static int own_ns(const struct pc_spec *spec, int type, bool *own)
{
	const struct pc_namespace *n = pc_spec_ns(spec, type);
	struct stat a, b;
	char self[32];

	*own = n != NULL;
	if (!n || !n->path)
		return 0;
	snprintf(self, sizeof(self), "/proc/self/ns/%s", pc_ns_proc_name(type));
	if (stat(self, &a) < 0)
		return pc_failx(errno, "stat %s", self);
	if (stat(n->path, &b) < 0)
		return pc_failx(errno, "stat namespace %s", n->path);
	*own = a.st_dev != b.st_dev || a.st_ino != b.st_ino;
	return 0;
}

/* Components that would leave /proc/sys ("", ".", "..") are refused. */
static int check_name(const char *key, const char *d)
{
	const char *s = d, *e;

	if (!*d)
		return pc_fail(EINVAL, "config: empty sysctl name");
	for (;;) {
		e = s + strcspn(s, ".");
		if (e == s || strspn(s, "/") == (size_t)(e - s))
			return pc_fail(EINVAL, "config: invalid sysctl name \"%s\"", key);
		if (!*e)
			return 0;
		s = e + 1;
	}
}

static int check_one(const struct pc_spec *spec, const char *key, json_t *v)
{
	char *d;
	bool own;
	int ret;

	if (!json_is_string(v))
		return pc_fail(EINVAL, "config: linux.sysctl.%s must be a string", key);
	d = dotted(key);
	if (!d)
		return -ENOMEM;
	if ((ret = check_name(key, d)))
		goto out;
	if (ipc_sysctl(d)) {
		ret = own_ns(spec, CLONE_NEWIPC, &own);
		if (!ret && !own)
			ret = pc_fail(EINVAL, "config: sysctl \"%s\" is not allowed in the "
				      "host's ipc namespace", d);
	} else if (!strncmp(d, "net.", 4)) {
		ret = own_ns(spec, CLONE_NEWNET, &own);
		if (!ret && !own)
			ret = pc_fail(EINVAL, "config: sysctl \"%s\" is not allowed in the "
				      "host's network namespace", d);
	} else if (!strcmp(d, "kernel.domainname") || !strcmp(d, "kernel.hostname")) {
		ret = own_ns(spec, CLONE_NEWUTS, &own);
		if (!ret && !own)
			ret = pc_fail(EINVAL, "config: sysctl \"%s\" is not allowed in the "
				      "host's uts namespace", d);
		else if (!ret && d[7] == 'h')
			ret = pc_fail(EINVAL, "config: sysctl \"%s\" is not allowed: it "
				      "conflicts with the config's \"hostname\"", d);
	} else {
		ret = pc_fail(EINVAL, "config: sysctl \"%s\" is not in a separate kernel "
			      "namespace", d);
	}
out:
	free(d);
	return ret;
}

int pc_sysctl_check(const struct pc_spec *spec)
{
	const char *key;
	json_t *v;
	int ret;

	json_object_foreach(spec->sysctl, key, v)
		if ((ret = check_one(spec, key, v)))
			return ret;
	return 0;
}

int pc_sysctl_apply(const struct pc_spec *spec)
{
	const char *key;
	json_t *v;
	int ret;

	json_object_foreach(spec->sysctl, key, v) {
		char *d = dotted(key), *path, *s;

		path = d ? pc_strfmt("/proc/sys/%s", d) : NULL;
		free(d);
		if (!path)
			return -ENOMEM;
		/* dotted to a path: the separators become '/', a '/' inside a
		 * component (a dotted interface name) is the '.' it stood for */
		for (s = path + 10; *s; s++)
			*s = *s == '.' ? '/' : *s == '/' ? '.' : *s;
		ret = pc_write_str(path, json_string_value(v));
		free(path);
		if (ret)
			return pc_failx(-ret, "set sysctl %s", key);
	}
	return 0;
}
