// SPDX-License-Identifier: Apache-2.0
#include "process.h"

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/resource.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"
#include "scmp_profile.h"
#include "util.h"

int pc_process_rlimits(const struct pc_process *p, pid_t pid)
{
	size_t i;

	for (i = 0; i < p->nrlimits; i++) {
		struct rlimit rl = { p->rlimits[i].soft, p->rlimits[i].hard };

		if (prlimit(pid, p->rlimits[i].resource, &rl, NULL) < 0)
			return pc_failx(errno, "setrlimit %d", p->rlimits[i].resource);
	}
	return 0;
}

int pc_process_oom(const struct pc_process *p, pid_t pid)
{
	char v[16], path[64];
	int ret;

	if (!p->has_oom_score_adj)
		return 0;
	snprintf(v, sizeof(v), "%d", p->oom_score_adj);
	snprintf(path, sizeof(path), "/proc/%d/oom_score_adj", (int)pid);
	ret = pc_write_str(path, v);
	return ret ? pc_failx(-ret, "set oom_score_adj") : 0;
}

/* One write per map file, as the kernel wants. */
static int write_map(pid_t pid, const char *file, const struct pc_idmap *m, size_t n)
{
	char path[64], buf[4096];
	size_t i, len = 0;
	int ret;

	for (i = 0; i < n && len < sizeof(buf) - 40; i++)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%u %u %u\n",
					m[i].container, m[i].host, m[i].size);
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, file);
	ret = pc_write_str(path, buf);
	return ret ? pc_failx(-ret, "write %s", path) : 0;
}

int pc_process_idmaps(const struct pc_spec *spec, pid_t pid)
{
	int ret = write_map(pid, "uid_map", spec->uid_maps, spec->nuid_maps);

	return ret ? ret : write_map(pid, "gid_map", spec->gid_maps, spec->ngid_maps);
}

static const char *env_path(const struct pc_process *p)
{
	size_t i;

	for (i = 0; p->env && p->env[i]; i++)
		if (!strncmp(p->env[i], "PATH=", 5))
			return p->env[i] + 5;
	return "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
}

/* Go's exec.LookPath, whose words runc reports and docker matches to exit
 * 127 ("executable file not found", "no such file or directory", case
 * sensitive in older dockers) or 126 ("permission denied"): a regular
 * file with an x bit runs; a directory or a file without one is
 * "permission denied". */
static bool runnable(const struct stat *st)
{
	return !S_ISDIR(st->st_mode) && (st->st_mode & 0111);
}

int pc_process_lookup(const struct pc_process *p, char **out)
{
	const char *name = p->args[0], *dirs = env_path(p), *s, *e;
	struct stat st;

	if (strchr(name, '/')) {
		if (stat(name, &st) < 0) {
			int err = errno;
			char text[128];

			/* Go's text for an errno: strerror in lower case */
			snprintf(text, sizeof(text), "%s", strerror(err));
			text[0] = (char)tolower((unsigned char)text[0]);
			return pc_fail(err, "exec: \"%s\": stat %s: %s", name, name, text);
		}
		if (!runnable(&st))
			return pc_fail(EACCES, "exec: \"%s\": permission denied", name);
		*out = strdup(name);
		return *out ? 0 : -ENOMEM;
	}
	for (s = dirs; ; s = e + 1) {
		e = strchr(s, ':');
		if (!e)
			e = s + strlen(s);
		char *cand = pc_strfmt("%.*s/%s", (int)(e - s), e == s ? "." : s, name);
		if (!cand)
			return -ENOMEM;
		if (!stat(cand, &st) && runnable(&st)) {
			*out = cand;
			return 0;
		}
		free(cand);
		if (!*e)
			break;
	}
	/* whatever each directory held, as Go (runc 1.1) says */
	return pc_fail(ENOENT, "exec: \"%s\": executable file not found in $PATH", name);
}

static int set_caps(const struct pc_caps *c)
{
	cap_t caps = cap_init();
	cap_value_t v;
	int ret = 0;

	if (!caps)
		return -ENOMEM;
	for (v = 0; v <= 63 && cap_valid(v); v++) {
		cap_value_t one[1] = { v };
		if ((c->effective >> v) & 1)
			cap_set_flag(caps, CAP_EFFECTIVE, 1, one, CAP_SET);
		if ((c->permitted >> v) & 1)
			cap_set_flag(caps, CAP_PERMITTED, 1, one, CAP_SET);
		if ((c->inheritable >> v) & 1)
			cap_set_flag(caps, CAP_INHERITABLE, 1, one, CAP_SET);
	}
	if (cap_set_proc(caps) < 0) {
		ret = pc_failx(errno, "set capabilities");
		goto out;
	}
	if (cap_reset_ambient() < 0 && errno != EINVAL) {
		ret = pc_failx(errno, "reset ambient capabilities");
		goto out;
	}
	for (v = 0; v <= 63 && cap_valid(v); v++)
		if (((c->ambient >> v) & 1) && cap_set_ambient(v, CAP_SET) < 0)
			/* ambient needs permitted+inheritable; runc ignores it too */
			continue;
out:
	cap_free(caps);
	return ret;
}

static int drop_bounding(const struct pc_caps *c)
{
	cap_value_t v;

	for (v = 0; v <= 63 && cap_valid(v); v++)
		if (!((c->bounding >> v) & 1) && cap_drop_bound(v) < 0 && errno != EINVAL)
			return pc_failx(errno, "drop capability %d from the bounding set", v);
	return 0;
}

static int switch_user(const struct pc_process *p)
{
	if (setgroups(p->ngids, p->gids) < 0)
		return pc_failx(errno, "setgroups");
	if (setresgid(p->gid, p->gid, p->gid) < 0)
		return pc_failx(errno, "setgid %u", p->gid);
	if (setresuid(p->uid, p->uid, p->uid) < 0)
		return pc_failx(errno, "setuid %u", p->uid);
	return 0;
}

int pc_process_identity(const struct pc_process *p, json_t *seccomp)
{
	int ret;

	/* without no_new_privs the kernel loads a filter only for a holder
	 * of CAP_SYS_ADMIN: load it first, with every capability still held
	 * (as runc does); with it, last, so that it filters only the program */
	if (!p->no_new_privs && (ret = pc_seccomp_load(seccomp)))
		return ret;
	if (p->caps.present && (ret = drop_bounding(&p->caps)))
		return ret;
	if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
		return pc_failx(errno, "keep capabilities");
	if ((ret = switch_user(p)))
		return ret;
	if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
		return pc_failx(errno, "keep capabilities");
	if (p->caps.present && (ret = set_caps(&p->caps)))
		return ret;
	if (p->no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return pc_failx(errno, "set no_new_privs");
	if (p->no_new_privs && (ret = pc_seccomp_load(seccomp)))
		return ret;
	return 0;
}

void pc_process_umask(const struct pc_process *p)
{
	umask(p->has_umask ? p->umask : 022);
}

int pc_process_exec(const struct pc_process *p, const char *path)
{
	pc_process_umask(p);
	execve(path, (char *const *)p->args, (char *const *)p->env);
	return pc_failx(errno, "exec %s", path);
}
