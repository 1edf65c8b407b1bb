// SPDX-License-Identifier: Apache-2.0
#include "cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <inttypes.h>
#include <signal.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <time.h>
#include <unistd.h>

#include "devfilter.h"
#include "err.h"
#include "log.h"
#include "util.h"

const char *pc_cgroup_root = "/sys/fs/cgroup";

int pc_cgroup_is_v2(void)
{
	struct statfs sf;

	if (statfs(pc_cgroup_root, &sf) < 0)
		return 0;
	return sf.f_type == CGROUP2_SUPER_MAGIC;
}

/* Call fn on each v1 hierarchy directory (real mounts, not the symlinks
 * like cpu,cpuacct -> cpu, not the hybrid "unified" v2 mount). */
typedef int (*hier_fn)(const char *hier, const char *name, void *arg);

static int each_v1(hier_fn fn, void *arg)
{
	struct dirent *de;
	DIR *d = opendir(pc_cgroup_root);
	int ret = 0;

	if (!d)
		return pc_failx(errno, "open %s", pc_cgroup_root);
	while ((de = readdir(d)) && !ret) {
		struct statfs sf;
		struct stat st;
		char *h;

		if (de->d_name[0] == '.')
			continue;
		h = pc_strfmt("%s/%s", pc_cgroup_root, de->d_name);
		if (!h) {
			ret = -ENOMEM;
			break;
		}
		if (!lstat(h, &st) && S_ISDIR(st.st_mode) && !statfs(h, &sf) &&
		    sf.f_type == CGROUP_SUPER_MAGIC)
			ret = fn(h, de->d_name, arg);
		free(h);
	}
	closedir(d);
	return ret;
}

/* cpuset refuses tasks until cpus and mems are set: copy them from the
 * parent at every level created. */
static int cpuset_inherit(const char *dir)
{
	static const char *const knobs[] = { "cpuset.cpus", "cpuset.mems" };
	char *parent = strdup(dir), *slash, *val = NULL, *cur = NULL;
	int ret = 0;
	size_t i;

	if (!parent)
		return -ENOMEM;
	slash = strrchr(parent, '/');
	if (slash)
		*slash = '\0';
	for (i = 0; i < 2 && !ret; i++) {
		char *pp = pc_strfmt("%s/%s", parent, knobs[i]);
		char *cp = pc_strfmt("%s/%s", dir, knobs[i]);

		if (!pp || !cp)
			ret = -ENOMEM;
		else if (!pc_read_file(cp, &cur, NULL) && cur[0] == '\n' &&
			 !pc_read_file(pp, &val, NULL))
			ret = pc_write_str(cp, val);
		free(cur);
		free(val);
		cur = val = NULL;
		free(pp);
		free(cp);
	}
	free(parent);
	return ret;
}

struct level_arg {
	bool cpuset;	/* v1 cpuset: inherit cpus and mems */
	bool v2;	/* v2: enable controllers in the parent first */
};

static int make_level(char *dir, bool last, void *arg)
{
	static const char *const ctrls[] = { "+memory", "+pids", "+cpu", "+cpuset", "+io",
					     "+hugetlb" };
	const struct level_arg *a = arg;
	char *slash, *ctl;
	size_t i;

	(void)last;
	if (a->v2) {
		slash = strrchr(dir, '/');
		*slash = '\0';
		ctl = pc_strfmt("%s/cgroup.subtree_control", dir);
		*slash = '/';
		for (i = 0; ctl && i < sizeof(ctrls) / sizeof(ctrls[0]); i++)
			pc_write_str(ctl, ctrls[i]);	/* absent controllers are fine */
		free(ctl);
	}
	if (mkdir(dir, 0755) == 0)
		return a->cpuset ? cpuset_inherit(dir) : 0;
	return errno == EEXIST ? 0 : pc_failx(errno, "create cgroup %s", dir);
}

static int mkdir_levels(const char *hier, const char *path, struct level_arg *a)
{
	char *full = pc_strfmt("%s%s", hier, path);
	int ret;

	if (!full)
		return -ENOMEM;
	ret = pc_each_prefix(full, strlen(hier), make_level, a);
	free(full);
	return ret;
}

static int create_v1(const char *hier, const char *name, void *arg)
{
	struct level_arg a = { .cpuset = strstr(name, "cpuset") != NULL };

	return mkdir_levels(hier, arg, &a);
}

/* v2: enable the controllers we use in every ancestor's subtree_control. */
static int create_v2(const char *path)
{
	struct level_arg a = { .v2 = true };

	return mkdir_levels(pc_cgroup_root, path, &a);
}

int pc_cgroup_create(const char *path, json_t *resources)
{
	int ret;

	if (!path || path[0] != '/' || strstr(path, ".."))
		return pc_fail(EINVAL, "invalid cgroup path \"%s\"", path ? path : "");
	ret = pc_cgroup_is_v2() ? create_v2(path) : each_v1(create_v1, (void *)path);
	if (!ret)
		ret = pc_cgroup_apply(path, resources);
	if (ret)
		pc_cgroup_destroy(path);
	return ret;
}

/* --- membership --- */

static int enter_v1(const char *hier, const char *name, void *arg)
{
	const char *const *a = arg;
	char *p = pc_strfmt("%s%s/cgroup.procs", hier, a[0]);
	int ret;

	(void)name;
	if (!p)
		return -ENOMEM;
	ret = pc_write_str(p, a[1]);
	if (ret)
		ret = pc_failx(-ret, "join cgroup %s", p);
	free(p);
	return ret;
}

int pc_cgroup_enter(const char *path, pid_t pid)
{
	char spid[16], *p;
	const char *a[2] = { path, spid };
	int ret;

	snprintf(spid, sizeof(spid), "%d", (int)pid);
	if (!pc_cgroup_is_v2())
		return each_v1(enter_v1, a);
	p = pc_strfmt("%s%s/cgroup.procs", pc_cgroup_root, path);
	if (!p)
		return -ENOMEM;
	ret = pc_write_str(p, spid);
	if (ret)
		ret = pc_failx(-ret, "join cgroup %s", p);
	free(p);
	return ret;
}

/* The file that lists member processes: v2's, or the v1 pids/freezer one. */
static char *procs_file(const char *path)
{
	static const char *const ctrls[] = { "pids", "freezer", "memory", "cpu" };
	size_t i;

	if (pc_cgroup_is_v2())
		return pc_strfmt("%s%s/cgroup.procs", pc_cgroup_root, path);
	for (i = 0; i < sizeof(ctrls) / sizeof(ctrls[0]); i++) {
		char *p = pc_strfmt("%s/%s%s/cgroup.procs", pc_cgroup_root, ctrls[i], path);
		if (!p || !access(p, F_OK))
			return p;
		free(p);
	}
	return NULL;
}

/* The pids listed in a cgroup.procs file. */
static int read_pids(const char *file, pid_t **pids, size_t *n)
{
	char *text = NULL, *s, *end;
	pid_t *v = NULL;
	size_t cnt = 0, cap = 0;
	int ret;

	*pids = NULL;
	*n = 0;
	ret = pc_read_file(file, &text, NULL);
	if (ret)
		goto out;
	for (s = text; *s; s = end) {
		long pid = strtol(s, &end, 10);
		if (end == s)
			break;
		if (cnt == cap) {
			pid_t *nv = realloc(v, (cap = cap ? cap * 2 : 16) * sizeof(*v));
			if (!nv) {
				ret = -ENOMEM;
				goto out;
			}
			v = nv;
		}
		v[cnt++] = (pid_t)pid;
	}
	*pids = v;
	*n = cnt;
	v = NULL;
out:
	free(v);
	free(text);
	return ret;
}

int pc_cgroup_pids(const char *path, pid_t **pids, size_t *n)
{
	char *file = procs_file(path);
	int ret;

	*pids = NULL;
	*n = 0;
	if (!file)
		return -ENOENT;
	ret = read_pids(file, pids, n);
	free(file);
	return ret;
}

/* --- freezer --- */

static char *freeze_file(const char *path)
{
	return pc_cgroup_is_v2() ? pc_strfmt("%s%s/cgroup.freeze", pc_cgroup_root, path)
				 : pc_strfmt("%s/freezer%s/freezer.state", pc_cgroup_root, path);
}

int pc_cgroup_frozen(const char *path)
{
	char *file, *text = NULL;
	int ret;

	file = pc_cgroup_is_v2() ? pc_strfmt("%s%s/cgroup.events", pc_cgroup_root, path)
				 : freeze_file(path);
	if (!file)
		return -ENOMEM;
	ret = pc_read_file(file, &text, NULL);
	if (!ret)
		ret = pc_cgroup_is_v2() ? strstr(text, "frozen 1") != NULL
					: !strncmp(text, "FROZEN", 6);
	free(text);
	free(file);
	return ret;
}

int pc_cgroup_freeze(const char *path, bool freeze)
{
	struct timespec ts = { 0, 1000 * 1000 };
	char *file = freeze_file(path);
	const char *val;
	int ret, i;

	if (!file)
		return -ENOMEM;
	val = pc_cgroup_is_v2() ? (freeze ? "1" : "0") : (freeze ? "FROZEN" : "THAWED");
	ret = pc_write_str(file, val);
	if (ret) {
		ret = pc_failx(-ret, "write %s to %s", val, file);
		goto out;
	}
	for (i = 0; i < 5000; i++) {
		ret = pc_cgroup_frozen(path);
		if (ret < 0 || ret == (int)freeze)
			break;
		if (!pc_cgroup_is_v2() && freeze && i % 100 == 99)
			pc_write_str(file, val);	/* v1 may sit in FREEZING */
		nanosleep(&ts, NULL);
	}
	ret = ret < 0 ? pc_failx(-ret, "read freezer state") :
	      ret == (int)freeze ? 0 : pc_fail(ETIMEDOUT, "cgroup did not %s",
					       freeze ? "freeze" : "thaw");
out:
	free(file);
	return ret;
}

/* --- stats --- */

/* First number in a knob ("max" reads as 0), or in the line starting with
 * key for keyed files such as cpu.stat. */
static json_int_t read_num(const char *ctrl, const char *path, const char *file, const char *key)
{
	char *p = ctrl ? pc_strfmt("%s/%s%s/%s", pc_cgroup_root, ctrl, path, file)
		       : pc_strfmt("%s%s/%s", pc_cgroup_root, path, file);
	char *text = NULL, *at;
	json_int_t v = 0;

	if (p && !pc_read_file(p, &text, NULL)) {
		at = key ? strstr(text, key) : text;
		if (at)
			v = strtoll(at + (key ? strlen(key) : 0), NULL, 10);
	}
	free(text);
	free(p);
	return v;
}

json_t *pc_cgroup_stats(const char *path)
{
	bool v2 = pc_cgroup_is_v2();
	json_int_t cpu, mem, lim, pids, pmax;

	if (v2) {
		cpu = read_num(NULL, path, "cpu.stat", "usage_usec ") * 1000;
		mem = read_num(NULL, path, "memory.current", NULL);
		lim = read_num(NULL, path, "memory.max", NULL);
		pids = read_num(NULL, path, "pids.current", NULL);
		pmax = read_num(NULL, path, "pids.max", NULL);
	} else {
		cpu = read_num("cpuacct", path, "cpuacct.usage", NULL);
		mem = read_num("memory", path, "memory.usage_in_bytes", NULL);
		lim = read_num("memory", path, "memory.limit_in_bytes", NULL);
		pids = read_num("pids", path, "pids.current", NULL);
		pmax = read_num("pids", path, "pids.max", NULL);
	}
	return json_pack("{s:{s:{s:I}}, s:{s:{s:I, s:I}}, s:{s:I, s:I}}",
			 "cpu", "usage", "total", cpu,
			 "memory", "usage", "usage", mem, "limit", lim,
			 "pids", "current", pids, "limit", pmax);
}

/* --- removal --- */

/* A cgroup that will not go is emptied: thawed (a frozen task cannot die)
 * and its tasks killed (cgroup.kill on v2 takes its subtree too). */
static void empty_cgroup(const char *dir)
{
	static const char *const knobs[][2] = {
		{ "freezer.state", "THAWED" }, { "cgroup.freeze", "0" }, { "cgroup.kill", "1" },
	};
	pid_t *pids = NULL;
	size_t i, n = 0;
	char *f;

	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		f = pc_strfmt("%s/%s", dir, knobs[i][0]);
		if (f && !access(f, F_OK))
			pc_write_str(f, knobs[i][1]);
		free(f);
	}
	f = pc_strfmt("%s/cgroup.procs", dir);
	if (f && !read_pids(f, &pids, &n))
		for (i = 0; i < n; i++)
			kill(pids[i], SIGKILL);
	free(pids);
	free(f);
}

static int rmdir_retry(const char *dir)
{
	struct timespec ts = { 0, 10 * 1000 * 1000 };
	int i, err = 0;

	for (i = 0; i < 200; i++) {
		if (rmdir(dir) == 0 || errno == ENOENT)
			return 0;
		err = errno;
		if (err != EBUSY)
			break;
		empty_cgroup(dir);
		nanosleep(&ts, NULL);
	}
	return pc_failx(err, "remove cgroup %s", dir);
}

/* nftw passes no argument to its callback: the walk's first error. */
static int rm_first_err;

static int rm_visit(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	int ret;

	(void)sb;
	(void)ftw;
	if (type != FTW_DP && type != FTW_DNR)
		return 0;
	ret = rmdir_retry(path);
	if (ret && !rm_first_err)
		rm_first_err = ret;
	return 0;	/* on past an error: remove what can be */
}

/* The cgroup and the ones the container made under it, deepest first. */
static int rm_tree(const char *dir)
{
	rm_first_err = 0;
	if (nftw(dir, rm_visit, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT) < 0 && errno != ENOENT)
		return pc_failx(errno, "walk cgroup %s", dir);
	return rm_first_err;
}

struct destroy_arg {
	const char *path;
	int err;	/* the first hierarchy's error; the others are tried */
};

static int destroy_v1(const char *hier, const char *name, void *arg)
{
	struct destroy_arg *a = arg;
	char *p = pc_strfmt("%s%s", hier, a->path);
	int ret;

	(void)name;
	ret = p ? rm_tree(p) : -ENOMEM;
	free(p);
	if (ret && !a->err)
		a->err = ret;
	return 0;
}

int pc_cgroup_destroy(const char *path)
{
	struct destroy_arg a = { .path = path };
	char *p;
	int ret;

	if (!path || !*path || !strcmp(path, "/"))
		return 0;
	if (!pc_cgroup_is_v2()) {
		ret = each_v1(destroy_v1, &a);
		return ret ? ret : a.err;
	}
	p = pc_strfmt("%s%s", pc_cgroup_root, path);
	if (!p)
		return -ENOMEM;
	ret = rm_tree(p);
	free(p);
	return ret;
}
