// SPDX-License-Identifier: Apache-2.0
#include "spec.h"

#include <ctype.h>
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <stdint.h>

#include "err.h"
#include "json_big.h"
#include "util.h"

/* --- typed getters: -EINVAL with "where.key: ..." on a wrong type --- */

static int get_str(json_t *o, const char *key, const char *where, bool required,
		   const char **out)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v)) {
		if (required)
			return pc_fail(EINVAL, "config: %s.%s is required", where, key);
		return 0;
	}
	if (!pc_json_is_str(v))
		return pc_fail(EINVAL, "config: %s.%s must be a string", where, key);
	*out = json_string_value(v);
	return 0;
}

static int get_bool(json_t *o, const char *key, const char *where, bool *out)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v))
		return 0;
	if (!json_is_boolean(v))
		return pc_fail(EINVAL, "config: %s.%s must be a boolean", where, key);
	*out = json_is_true(v);
	return 0;
}

static int get_int(json_t *o, const char *key, const char *where, bool required,
		   json_int_t min, json_int_t max, json_int_t *out)
{
	json_t *v = json_object_get(o, key);

	if (!v || json_is_null(v)) {
		if (required)
			return pc_fail(EINVAL, "config: %s.%s is required", where, key);
		return 0;
	}
	if (pc_json_is_big(v))
		return pc_fail(ERANGE, "config: %s.%s out of range", where, key);
	if (!json_is_integer(v))
		return pc_fail(EINVAL, "config: %s.%s must be an integer", where, key);
	if (json_integer_value(v) < min || json_integer_value(v) > max)
		return pc_fail(ERANGE, "config: %s.%s out of range", where, key);
	*out = json_integer_value(v);
	return 0;
}

/* A uint64 field, up to UINT64_MAX (see json_big.h). */
static int get_u64(json_t *o, const char *key, const char *where, bool required,
		   uint64_t *out)
{
	json_t *v = json_object_get(o, key);
	int ret;

	if (!v || json_is_null(v)) {
		if (required)
			return pc_fail(EINVAL, "config: %s.%s is required", where, key);
		return 0;
	}
	ret = pc_json_u64(v, out);
	if (ret == -ERANGE)
		return pc_fail(ERANGE, "config: %s.%s out of range", where, key);
	if (ret)
		return pc_fail(EINVAL, "config: %s.%s must be an integer", where, key);
	return 0;
}

static int get_obj(json_t *o, const char *key, const char *where, json_t **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_object(v))
		return pc_fail(EINVAL, "config: %s.%s must be an object", where, key);
	*out = v;
	return 0;
}

static int get_arr(json_t *o, const char *key, const char *where, json_t **out)
{
	json_t *v = json_object_get(o, key);

	*out = NULL;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return pc_fail(EINVAL, "config: %s.%s must be an array", where, key);
	*out = v;
	return 0;
}

/* A NULL-terminated vector of the strings of an array (NULL array: empty). */
static int str_vec(json_t *arr, const char *where, const char ***out)
{
	size_t i, n = arr ? json_array_size(arr) : 0;
	const char **v = calloc(n + 1, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		json_t *e = json_array_get(arr, i);
		if (!pc_json_is_str(e)) {
			free(v);
			return pc_fail(EINVAL, "config: %s[%zu] must be a string", where, i);
		}
		v[i] = json_string_value(e);
	}
	*out = v;
	return 0;
}

/* --- capabilities --- */

int pc_cap_parse(const char *name)
{
	char low[64];
	cap_value_t c;
	size_t i;

	if (strlen(name) >= sizeof(low))
		return -EINVAL;
	for (i = 0; name[i]; i++)
		low[i] = (char)tolower((unsigned char)name[i]);
	low[i] = '\0';
	if (strncmp(low, "cap_", 4) || cap_from_name(low, &c) < 0 || c < 0 || c > 63)
		return -EINVAL;
	return c;
}

static int cap_set(json_t *caps, const char *key, uint64_t *out)
{
	json_t *arr;
	size_t i;
	int ret;

	ret = get_arr(caps, key, "process.capabilities", &arr);
	if (ret || !arr)
		return ret;
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);
		int c;

		if (!json_is_string(e))
			return pc_fail(EINVAL, "config: process.capabilities.%s[%zu] must be a string",
				       key, i);
		c = pc_cap_parse(json_string_value(e));
		if (c < 0)
			return pc_fail(EINVAL, "config: unknown capability \"%s\"",
				       json_string_value(e));
		*out |= 1ull << c;
	}
	return 0;
}

static int parse_caps(json_t *p, struct pc_caps *caps)
{
	json_t *c;
	int ret;

	ret = get_obj(p, "capabilities", "process", &c);
	if (ret || !c)
		return ret;
	caps->present = true;
	if ((ret = cap_set(c, "bounding", &caps->bounding)) ||
	    (ret = cap_set(c, "effective", &caps->effective)) ||
	    (ret = cap_set(c, "permitted", &caps->permitted)) ||
	    (ret = cap_set(c, "inheritable", &caps->inheritable)) ||
	    (ret = cap_set(c, "ambient", &caps->ambient)))
		return ret;
	return 0;
}

/* --- rlimits --- */

static const struct { const char *name; int res; } rlimit_names[] = {
	{ "RLIMIT_AS", RLIMIT_AS }, { "RLIMIT_CORE", RLIMIT_CORE },
	{ "RLIMIT_CPU", RLIMIT_CPU }, { "RLIMIT_DATA", RLIMIT_DATA },
	{ "RLIMIT_FSIZE", RLIMIT_FSIZE }, { "RLIMIT_LOCKS", RLIMIT_LOCKS },
	{ "RLIMIT_MEMLOCK", RLIMIT_MEMLOCK }, { "RLIMIT_MSGQUEUE", RLIMIT_MSGQUEUE },
	{ "RLIMIT_NICE", RLIMIT_NICE }, { "RLIMIT_NOFILE", RLIMIT_NOFILE },
	{ "RLIMIT_NPROC", RLIMIT_NPROC }, { "RLIMIT_RSS", RLIMIT_RSS },
	{ "RLIMIT_RTPRIO", RLIMIT_RTPRIO }, { "RLIMIT_RTTIME", RLIMIT_RTTIME },
	{ "RLIMIT_SIGPENDING", RLIMIT_SIGPENDING }, { "RLIMIT_STACK", RLIMIT_STACK },
};

static int parse_rlimits(json_t *p, struct pc_process *proc)
{
	json_t *arr;
	size_t i, j;
	int ret;

	ret = get_arr(p, "rlimits", "process", &arr);
	if (ret || !arr)
		return ret;
	proc->rlimits = calloc(json_array_size(arr) + 1, sizeof(*proc->rlimits));
	if (!proc->rlimits)
		return -ENOMEM;
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);
		struct pc_rlimit *r = &proc->rlimits[i];
		const char *type = NULL;
		uint64_t soft = 0, hard = 0;

		if (!json_is_object(e))
			return pc_fail(EINVAL, "config: process.rlimits[%zu] must be an object", i);
		if ((ret = get_str(e, "type", "process.rlimits", true, &type)) ||
		    (ret = get_u64(e, "soft", "process.rlimits", true, &soft)) ||
		    (ret = get_u64(e, "hard", "process.rlimits", true, &hard)))
			return ret;
		for (j = 0; j < sizeof(rlimit_names) / sizeof(rlimit_names[0]); j++)
			if (!strcmp(type, rlimit_names[j].name))
				break;
		if (j == sizeof(rlimit_names) / sizeof(rlimit_names[0]))
			return pc_fail(EINVAL, "config: unknown rlimit type \"%s\"", type);
		r->resource = rlimit_names[j].res;
		r->soft = (rlim_t)soft;
		r->hard = (rlim_t)hard;
		proc->nrlimits++;
	}
	return 0;
}

/* --- process --- */

static int parse_user(json_t *p, struct pc_process *proc)
{
	json_int_t uid = 0, gid = 0, um = 0;
	json_t *user, *gids;
	size_t i;
	int ret;

	ret = get_obj(p, "user", "process", &user);
	if (ret || !user)
		return ret;
	if ((ret = get_int(user, "uid", "process.user", false, 0, UINT32_MAX - 1, &uid)) ||
	    (ret = get_int(user, "gid", "process.user", false, 0, UINT32_MAX - 1, &gid)) ||
	    (ret = get_arr(user, "additionalGids", "process.user", &gids)))
		return ret;
	if (json_object_get(user, "umask") && !json_is_null(json_object_get(user, "umask"))) {
		ret = get_int(user, "umask", "process.user", false, 0, 07777, &um);
		if (ret)
			return ret;
		proc->has_umask = true;
		proc->umask = (mode_t)um;
	}
	proc->uid = (uid_t)uid;
	proc->gid = (gid_t)gid;
	if (!gids)
		return 0;
	proc->gids = calloc(json_array_size(gids) + 1, sizeof(gid_t));
	if (!proc->gids)
		return -ENOMEM;
	for (i = 0; i < json_array_size(gids); i++) {
		json_t *e = json_array_get(gids, i);
		if (!json_is_integer(e) || json_integer_value(e) < 0 ||
		    json_integer_value(e) >= UINT32_MAX)
			return pc_fail(EINVAL, "config: process.user.additionalGids[%zu] must be a gid", i);
		proc->gids[proc->ngids++] = (gid_t)json_integer_value(e);
	}
	return 0;
}

int pc_process_parse(json_t *p, struct pc_process *proc)
{
	json_int_t oom = 0, h = 0, w = 0;
	json_t *args, *env, *cons;
	int ret;

	memset(proc, 0, sizeof(*proc));
	if (!json_is_object(p))
		return pc_fail(EINVAL, "config: process must be an object");
	if ((ret = get_bool(p, "terminal", "process", &proc->terminal)) ||
	    (ret = parse_user(p, proc)) ||
	    (ret = get_arr(p, "args", "process", &args)) ||
	    (ret = get_arr(p, "env", "process", &env)) ||
	    (ret = get_str(p, "cwd", "process", true, &proc->cwd)) ||
	    (ret = parse_caps(p, &proc->caps)) ||
	    (ret = parse_rlimits(p, proc)) ||
	    (ret = get_bool(p, "noNewPrivileges", "process", &proc->no_new_privs)) ||
	    (ret = get_str(p, "apparmorProfile", "process", false, &proc->apparmor_profile)) ||
	    (ret = get_str(p, "selinuxLabel", "process", false, &proc->selinux_label)) ||
	    (ret = get_obj(p, "consoleSize", "process", &cons)))
		goto fail;
	if (!args || json_array_size(args) == 0) {
		ret = pc_fail(EINVAL, "config: process.args must not be empty");
		goto fail;
	}
	if (proc->cwd[0] != '/') {
		ret = pc_fail(EINVAL, "config: process.cwd \"%s\" is not an absolute path",
			      proc->cwd);
		goto fail;
	}
	if ((ret = str_vec(args, "process.args", &proc->args)) ||
	    (ret = str_vec(env, "process.env", &proc->env)))
		goto fail;
	if (json_object_get(p, "oomScoreAdj") && !json_is_null(json_object_get(p, "oomScoreAdj"))) {
		ret = get_int(p, "oomScoreAdj", "process", false, -1000, 1000, &oom);
		if (ret)
			goto fail;
		proc->has_oom_score_adj = true;
		proc->oom_score_adj = (int)oom;
	}
	if (cons && ((ret = get_int(cons, "height", "process.consoleSize", false, 0, 65535, &h)) ||
		     (ret = get_int(cons, "width", "process.consoleSize", false, 0, 65535, &w))))
		goto fail;
	if (proc->apparmor_profile && !*proc->apparmor_profile)
		proc->apparmor_profile = NULL;
	if (proc->selinux_label && !*proc->selinux_label)
		proc->selinux_label = NULL;
	proc->console_height = (unsigned int)h;
	proc->console_width = (unsigned int)w;
	return 0;
fail:
	pc_process_free(proc);
	return ret;
}

void pc_process_free(struct pc_process *p)
{
	free(p->gids);
	free(p->args);
	free(p->env);
	free(p->rlimits);
	memset(p, 0, sizeof(*p));
}

/* --- mounts --- */

static const struct {
	const char *name;
	unsigned long set, clear, prop;
} mount_opts[] = {
	{ "defaults", 0, 0, 0 },
	{ "ro", MS_RDONLY, 0, 0 }, { "rw", 0, MS_RDONLY, 0 },
	{ "nosuid", MS_NOSUID, 0, 0 }, { "suid", 0, MS_NOSUID, 0 },
	{ "nodev", MS_NODEV, 0, 0 }, { "dev", 0, MS_NODEV, 0 },
	{ "noexec", MS_NOEXEC, 0, 0 }, { "exec", 0, MS_NOEXEC, 0 },
	{ "sync", MS_SYNCHRONOUS, 0, 0 }, { "async", 0, MS_SYNCHRONOUS, 0 },
	{ "dirsync", MS_DIRSYNC, 0, 0 }, { "remount", MS_REMOUNT, 0, 0 },
	{ "mand", MS_MANDLOCK, 0, 0 }, { "nomand", 0, MS_MANDLOCK, 0 },
	{ "atime", 0, MS_NOATIME, 0 }, { "noatime", MS_NOATIME, 0, 0 },
	{ "diratime", 0, MS_NODIRATIME, 0 }, { "nodiratime", MS_NODIRATIME, 0, 0 },
	{ "relatime", MS_RELATIME, 0, 0 }, { "norelatime", 0, MS_RELATIME, 0 },
	{ "strictatime", MS_STRICTATIME, 0, 0 }, { "nostrictatime", 0, MS_STRICTATIME, 0 },
	{ "lazytime", MS_LAZYTIME, 0, 0 }, { "nolazytime", 0, MS_LAZYTIME, 0 },
	{ "silent", MS_SILENT, 0, 0 }, { "loud", 0, MS_SILENT, 0 },
	{ "iversion", MS_I_VERSION, 0, 0 }, { "noiversion", 0, MS_I_VERSION, 0 },
	{ "nosymfollow", MS_NOSYMFOLLOW, 0, 0 }, { "symfollow", 0, MS_NOSYMFOLLOW, 0 },
	{ "bind", MS_BIND, 0, 0 }, { "rbind", MS_BIND | MS_REC, 0, 0 },
	{ "private", 0, 0, MS_PRIVATE }, { "rprivate", 0, 0, MS_PRIVATE | MS_REC },
	{ "shared", 0, 0, MS_SHARED }, { "rshared", 0, 0, MS_SHARED | MS_REC },
	{ "slave", 0, 0, MS_SLAVE }, { "rslave", 0, 0, MS_SLAVE | MS_REC },
	{ "unbindable", 0, 0, MS_UNBINDABLE }, { "runbindable", 0, 0, MS_UNBINDABLE | MS_REC },
	{ "acl", MS_POSIXACL, 0, 0 }, { "noacl", 0, MS_POSIXACL, 0 },
	{ "tmpcopyup", 0, 0, 0 },
};

/* Recursive attributes, set with mount_setattr(AT_RECURSIVE) on the
 * mount and everything below it. */
static const struct {
	const char *name;
	uint64_t set, clr;
} rec_opts[] = {
	{ "rro", MOUNT_ATTR_RDONLY, 0 }, { "rrw", 0, MOUNT_ATTR_RDONLY },
	{ "rnosuid", MOUNT_ATTR_NOSUID, 0 }, { "rsuid", 0, MOUNT_ATTR_NOSUID },
	{ "rnodev", MOUNT_ATTR_NODEV, 0 }, { "rdev", 0, MOUNT_ATTR_NODEV },
	{ "rnoexec", MOUNT_ATTR_NOEXEC, 0 }, { "rexec", 0, MOUNT_ATTR_NOEXEC },
	{ "rnodiratime", MOUNT_ATTR_NODIRATIME, 0 }, { "rdiratime", 0, MOUNT_ATTR_NODIRATIME },
	{ "rnosymfollow", MOUNT_ATTR_NOSYMFOLLOW, 0 }, { "rsymfollow", 0, MOUNT_ATTR_NOSYMFOLLOW },
	/* the atime modes replace each other as a whole */
	{ "rnoatime", MOUNT_ATTR_NOATIME, MOUNT_ATTR__ATIME },
	{ "ratime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
	{ "rrelatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
	{ "rnorelatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
	{ "rstrictatime", MOUNT_ATTR_STRICTATIME, MOUNT_ATTR__ATIME },
	{ "rnostrictatime", MOUNT_ATTR_RELATIME, MOUNT_ATTR__ATIME },
};

#define N_OPTS (sizeof(mount_opts) / sizeof(mount_opts[0]))
#define N_REC (sizeof(rec_opts) / sizeof(rec_opts[0]))

const char *pc_mount_option_name(size_t i)
{
	if (i < N_OPTS)
		return mount_opts[i].name;
	return i - N_OPTS < N_REC ? rec_opts[i - N_OPTS].name : NULL;
}

static bool rec_option(const char *o, struct pc_mount *m)
{
	size_t j;

	for (j = 0; j < N_REC; j++)
		if (!strcmp(o, rec_opts[j].name)) {
			/* a later option wins: what it clears leaves the set,
			 * what it sets leaves the cleared (atime modes set one
			 * mode and clear the whole mask) */
			m->rattr_set = (m->rattr_set & ~rec_opts[j].clr) | rec_opts[j].set;
			m->rattr_clr = (m->rattr_clr & ~rec_opts[j].set) | rec_opts[j].clr;
			return true;
		}
	return false;
}

static int append_data(char **data, const char *opt)
{
	char *n = *data ? pc_strfmt("%s,%s", *data, opt) : strdup(opt);

	if (!n)
		return -ENOMEM;
	free(*data);
	*data = n;
	return 0;
}

int pc_mount_options(json_t *options, struct pc_mount *m)
{
	size_t i, j;
	int ret;

	for (i = 0; options && i < json_array_size(options); i++) {
		json_t *e = json_array_get(options, i);
		const char *o;

		if (!json_is_string(e))
			return pc_fail(EINVAL, "config: mount %s: options[%zu] must be a string",
				       m->destination, i);
		o = json_string_value(e);
		if (rec_option(o, m))
			continue;
		for (j = 0; j < sizeof(mount_opts) / sizeof(mount_opts[0]); j++)
			if (!strcmp(o, mount_opts[j].name))
				break;
		if (j == sizeof(mount_opts) / sizeof(mount_opts[0])) {
			ret = append_data(&m->data, o);
			if (ret)
				return ret;
			continue;
		}
		m->flags = (m->flags & ~mount_opts[j].clear) | mount_opts[j].set;
		m->clear = (m->clear & ~mount_opts[j].set) | mount_opts[j].clear;
		if (mount_opts[j].prop)
			m->propagation = mount_opts[j].prop;
	}
	m->bind = (m->flags & MS_BIND) || (m->type && !strcmp(m->type, "bind"));
	if (m->bind)
		m->flags |= MS_BIND;
	return 0;
}

static int parse_mounts(json_t *root, struct pc_spec *s)
{
	json_t *arr;
	size_t i;
	int ret;

	ret = get_arr(root, "mounts", "", &arr);
	if (ret || !arr)
		return ret;
	s->mounts = calloc(json_array_size(arr) + 1, sizeof(*s->mounts));
	if (!s->mounts)
		return -ENOMEM;
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i), *opts;
		struct pc_mount *m = &s->mounts[i];

		if (!json_is_object(e))
			return pc_fail(EINVAL, "config: mounts[%zu] must be an object", i);
		s->nmounts++;
		if ((ret = get_str(e, "destination", "mounts[]", true, &m->destination)) ||
		    (ret = get_str(e, "type", "mounts[]", false, &m->type)) ||
		    (ret = get_str(e, "source", "mounts[]", false, &m->source)) ||
		    (ret = get_arr(e, "options", "mounts[]", &opts)) ||
		    (ret = pc_mount_options(opts, m)))
			return ret;
		if (m->destination[0] != '/')
			return pc_fail(EINVAL, "config: mount destination \"%s\" is not absolute",
				       m->destination);
		if (!m->type && !m->bind)
			return pc_fail(EINVAL, "config: mount %s has no type", m->destination);
	}
	return 0;
}

/* --- linux --- */

static const struct { const char *name, *proc; int type; } ns_names[] = {
	{ "pid", "pid", CLONE_NEWPID }, { "network", "net", CLONE_NEWNET },
	{ "mount", "mnt", CLONE_NEWNS }, { "ipc", "ipc", CLONE_NEWIPC },
	{ "uts", "uts", CLONE_NEWUTS }, { "user", "user", CLONE_NEWUSER },
	{ "cgroup", "cgroup", CLONE_NEWCGROUP }, { "time", "time", CLONE_NEWTIME },
};

int pc_ns_type(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++)
		if (!strcmp(name, ns_names[i].name))
			return ns_names[i].type;
	return 0;
}

const char *pc_ns_proc_name(int type)
{
	size_t i;

	for (i = 0; i < sizeof(ns_names) / sizeof(ns_names[0]); i++)
		if (ns_names[i].type == type)
			return ns_names[i].proc;
	return NULL;
}

const struct pc_namespace *pc_spec_ns(const struct pc_spec *spec, int type)
{
	size_t i;

	for (i = 0; i < spec->nnamespaces; i++)
		if (spec->namespaces[i].type == type)
			return &spec->namespaces[i];
	return NULL;
}

static int parse_namespaces(json_t *linux, struct pc_spec *s)
{
	json_t *arr;
	size_t i;
	int ret;

	ret = get_arr(linux, "namespaces", "linux", &arr);
	if (ret || !arr)
		return ret;
	s->namespaces = calloc(json_array_size(arr) + 1, sizeof(*s->namespaces));
	if (!s->namespaces)
		return -ENOMEM;
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);
		struct pc_namespace *n = &s->namespaces[s->nnamespaces];
		const char *type = NULL;

		if (!json_is_object(e))
			return pc_fail(EINVAL, "config: linux.namespaces[%zu] must be an object", i);
		if ((ret = get_str(e, "type", "linux.namespaces[]", true, &type)) ||
		    (ret = get_str(e, "path", "linux.namespaces[]", false, &n->path)))
			return ret;
		n->type = pc_ns_type(type);
		if (!n->type)
			return pc_fail(EINVAL, "config: unknown namespace type \"%s\"", type);
		if (n->type == CLONE_NEWTIME)
			return pc_fail(ENOTSUP, "config: %s namespaces are not supported", type);
		if (pc_spec_ns(s, n->type))
			return pc_fail(EINVAL, "config: namespace \"%s\" given twice", type);
		if (n->path && !*n->path)
			n->path = NULL;
		s->nnamespaces++;
	}
	return 0;
}

static int parse_devices(json_t *linux, struct pc_spec *s)
{
	json_t *arr;
	size_t i;
	int ret;

	ret = get_arr(linux, "devices", "linux", &arr);
	if (ret || !arr)
		return ret;
	s->devices = calloc(json_array_size(arr) + 1, sizeof(*s->devices));
	if (!s->devices)
		return -ENOMEM;
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);
		struct pc_device *d = &s->devices[i];
		json_int_t maj = 0, min = 0, mode = 0, uid = 0, gid = 0;
		const char *type = NULL;

		if (!json_is_object(e))
			return pc_fail(EINVAL, "config: linux.devices[%zu] must be an object", i);
		if ((ret = get_str(e, "path", "linux.devices[]", true, &d->path)) ||
		    (ret = get_str(e, "type", "linux.devices[]", true, &type)) ||
		    (ret = get_int(e, "major", "linux.devices[]", false, 0, 0xfffff, &maj)) ||
		    (ret = get_int(e, "minor", "linux.devices[]", false, 0, 0xfffff, &min)) ||
		    (ret = get_int(e, "fileMode", "linux.devices[]", false, 0, S_IFMT | 07777, &mode)) ||
		    (ret = get_int(e, "uid", "linux.devices[]", false, 0, UINT32_MAX - 1, &uid)) ||
		    (ret = get_int(e, "gid", "linux.devices[]", false, 0, UINT32_MAX - 1, &gid)))
			return ret;
		if (strlen(type) != 1 || !strchr("cbup", type[0]))
			return pc_fail(EINVAL, "config: device %s: bad type \"%s\"", d->path, type);
		if (d->path[0] != '/')
			return pc_fail(EINVAL, "config: device path \"%s\" is not absolute", d->path);
		d->type = type[0];
		d->major = (long)maj;
		d->minor = (long)min;
		d->has_mode = json_object_get(e, "fileMode") != NULL;
		/* podman sends the file-type bits too (S_IFCHR|0666): runc masks them */
		d->mode = (mode_t)mode & ~S_IFMT;
		d->uid = (uid_t)uid;
		d->gid = (gid_t)gid;
		s->ndevices++;
	}
	return 0;
}

static int parse_idmaps(json_t *linux, const char *key, struct pc_idmap **out, size_t *n)
{
	json_int_t c, h, sz;
	json_t *arr;
	size_t i;
	int ret;

	ret = get_arr(linux, key, "linux", &arr);
	if (ret || !arr)
		return ret;
	*out = calloc(json_array_size(arr) + 1, sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (i = 0; i < json_array_size(arr); i++) {
		json_t *e = json_array_get(arr, i);

		if (!json_is_object(e))
			return pc_fail(EINVAL, "config: linux.%s[%zu] must be an object", key, i);
		if ((ret = get_int(e, "containerID", key, true, 0, UINT32_MAX - 1, &c)) ||
		    (ret = get_int(e, "hostID", key, true, 0, UINT32_MAX - 1, &h)) ||
		    (ret = get_int(e, "size", key, true, 1, UINT32_MAX, &sz)))
			return ret;
		(*out)[i] = (struct pc_idmap){ (uint32_t)c, (uint32_t)h, (uint32_t)sz };
		(*n)++;
	}
	return 0;
}

/* A new user namespace needs its mappings; mappings need the namespace. */
static int check_userns(struct pc_spec *s)
{
	const struct pc_namespace *u = pc_spec_ns(s, CLONE_NEWUSER);

	if (u && !u->path && (!s->nuid_maps || !s->ngid_maps))
		return pc_fail(EINVAL, "config: a new user namespace needs linux.uidMappings "
			       "and linux.gidMappings");
	if ((s->nuid_maps || s->ngid_maps) && (!u || u->path))
		return pc_fail(EINVAL, "config: uid/gid mappings need a new user namespace");
	return 0;
}

static int parse_linux(json_t *root, struct pc_spec *s)
{
	json_t *linux, *arr;
	int ret;

	ret = get_obj(root, "linux", "", &linux);
	if (ret)
		return ret;
	if (!linux)
		linux = json_object();	/* borrowed-empty: kept in the tree below */
	if (!json_object_get(root, "linux")) {
		ret = json_object_set_new(root, "linux", linux) ? -ENOMEM : 0;
		if (ret)
			return ret;
	}
	if ((ret = parse_namespaces(linux, s)) ||
	    (ret = parse_devices(linux, s)) ||
	    (ret = get_arr(linux, "maskedPaths", "linux", &arr)) ||
	    (ret = str_vec(arr, "linux.maskedPaths", &s->masked_paths)) ||
	    (ret = get_arr(linux, "readonlyPaths", "linux", &arr)) ||
	    (ret = str_vec(arr, "linux.readonlyPaths", &s->readonly_paths)) ||
	    (ret = get_str(linux, "cgroupsPath", "linux", false, &s->cgroups_path)) ||
	    (ret = get_str(linux, "rootfsPropagation", "linux", false, &s->rootfs_propagation)) ||
	    (ret = get_str(linux, "mountLabel", "linux", false, &s->mount_label)) ||
	    (ret = get_obj(linux, "resources", "linux", &s->resources)) ||
	    (ret = get_obj(linux, "seccomp", "linux", &s->seccomp)) ||
	    (ret = get_obj(linux, "sysctl", "linux", &s->sysctl)) ||
	    (ret = parse_idmaps(linux, "uidMappings", &s->uid_maps, &s->nuid_maps)) ||
	    (ret = parse_idmaps(linux, "gidMappings", &s->gid_maps, &s->ngid_maps)))
		return ret;
	if (s->mount_label && !*s->mount_label)
		s->mount_label = NULL;
	return check_userns(s);
}

/* --- document --- */

static int parse_doc(struct pc_spec *s)
{
	json_t *root = s->json, *proc, *r;
	int ret;

	if (!json_is_object(root))
		return pc_fail(EINVAL, "config: the document must be a JSON object");
	if ((ret = get_str(root, "ociVersion", "", true, &s->oci_version)) ||
	    (ret = get_obj(root, "root", "", &r)) ||
	    (ret = get_str(root, "hostname", "", false, &s->hostname)) ||
	    (ret = get_obj(root, "hooks", "", &s->hooks)) ||
	    (ret = get_obj(root, "annotations", "", &s->annotations)) ||
	    (ret = get_obj(root, "process", "", &proc)))
		return ret;
	if (!r)
		return pc_fail(EINVAL, "config: root is required");
	if ((ret = get_str(r, "path", "root", true, &s->root_path)) ||
	    (ret = get_bool(r, "readonly", "root", &s->root_readonly)))
		return ret;
	if (proc) {
		ret = pc_process_parse(proc, &s->process);
		if (ret)
			return ret;
		s->has_process = true;
	}
	if ((ret = parse_mounts(root, s)) || (ret = parse_linux(root, s)))
		return ret;
	return 0;
}

int pc_spec_parse(const char *text, struct pc_spec *spec)
{
	json_error_t jerr;
	int ret;

	memset(spec, 0, sizeof(*spec));
	spec->json = pc_json_loads(text, &jerr);
	if (!spec->json)
		return pc_fail(EINVAL, "config: invalid JSON at line %d column %d: %s",
			       jerr.line, jerr.column, jerr.text);
	ret = parse_doc(spec);
	if (ret)
		pc_spec_free(spec);
	return ret;
}

int pc_spec_load(const char *path, struct pc_spec *spec)
{
	char *text = NULL;
	int ret;

	ret = pc_read_file(path, &text, NULL);
	if (ret)
		return pc_failx(-ret, "open %s", path);
	ret = pc_spec_parse(text, spec);
	free(text);
	return ret;
}

void pc_spec_free(struct pc_spec *s)
{
	size_t i;

	pc_process_free(&s->process);
	for (i = 0; i < s->nmounts; i++)
		free(s->mounts[i].data);
	free(s->mounts);
	free(s->namespaces);
	free(s->uid_maps);
	free(s->gid_maps);
	free(s->devices);
	free(s->masked_paths);
	free(s->readonly_paths);
	json_decref(s->json);
	memset(s, 0, sizeof(*s));
}
