// SPDX-License-Identifier: Apache-2.0
#include "rootfs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <sched.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cgroup.h"
#include "err.h"
#include "util.h"

#define FDPATH_LEN 32

int pc_open_in_root(int rootfd, const char *path, int flags)
{
	struct open_how how = {
		.flags = (unsigned long long)(flags | O_CLOEXEC),
		.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS,
	};
	int fd;

	while (*path == '/')
		path++;
	fd = (int)syscall(SYS_openat2, rootfd, *path ? path : ".", &how, sizeof(how));
	return fd < 0 ? -errno : fd;
}

struct mkpath_arg {
	int rootfd;
	bool file;	/* the last component is a file */
	int fd;		/* O_PATH on the last component */
};

static int mkpath_one(char *p, bool last, void *arg)
{
	struct mkpath_arg *a = arg;
	char *slash;
	int fd, dfd, ret;

	fd = pc_open_in_root(a->rootfd, p, O_PATH);
	if (fd == -ENOENT) {
		slash = strrchr(p, '/');
		*slash = '\0';
		dfd = pc_open_in_root(a->rootfd, p, O_PATH | O_DIRECTORY);
		*slash = '/';
		if (dfd < 0)
			return dfd;
		if (last && a->file)
			fd = openat(dfd, slash + 1, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0644);
		else
			fd = mkdirat(dfd, slash + 1, 0755);
		if (fd >= 0 && last && a->file)
			close(fd);
		ret = fd < 0 && errno != EEXIST ? -errno : 0;
		close(dfd);
		if (ret)
			return ret;
		fd = pc_open_in_root(a->rootfd, p, O_PATH);
	}
	if (fd < 0)
		return fd;
	if (last)
		a->fd = fd;
	else
		close(fd);
	return 0;
}

/* Create path inside rootfd (directories, and a file at the end when
 * file), then return an O_PATH fd on it. */
static int mkpath_in_root(int rootfd, const char *path, bool file)
{
	struct mkpath_arg a = { rootfd, file, -1 };
	int ret = pc_each_prefix(path, 0, mkpath_one, &a);

	return ret ? ret : a.fd;
}

/* Flags of the mount at path that a remount must keep: in a user
 * namespace the kernel locks them and refuses a remount that drops one. */
static unsigned long locked_flags(const char *path)
{
	static const struct { unsigned long st, ms; } map[] = {
		{ ST_RDONLY, MS_RDONLY }, { ST_NOSUID, MS_NOSUID }, { ST_NODEV, MS_NODEV },
		{ ST_NOEXEC, MS_NOEXEC }, { ST_NOATIME, MS_NOATIME },
		{ ST_NODIRATIME, MS_NODIRATIME }, { ST_RELATIME, MS_RELATIME },
	};
	unsigned long fl = 0;
	struct statvfs sv;
	size_t i;

	if (statvfs(path, &sv) < 0)
		return 0;
	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (sv.f_flag & map[i].st)
			fl |= map[i].ms;
	return fl;
}

static void fdpath(char *b, int fd)
{
	snprintf(b, FDPATH_LEN, "/proc/self/fd/%d", fd);
}

/* Mount one config entry at the O_PATH target. */
static int do_mount(const struct pc_mount *m, const char *src, const char *target, int rootfd)
{
	unsigned long fl = m->flags & ~(MS_BIND | MS_REC | MS_REMOUNT);
	int ret = 0, fd = -1;
	char again[FDPATH_LEN];

	if (m->bind) {
		if (mount(src, target, NULL, MS_BIND | (m->flags & MS_REC), NULL) < 0)
			return pc_failx(errno, "bind mount %s on %s", src, m->destination);
		if (fl) {
			/* the O_PATH fd still names the covered directory: reopen */
			fd = pc_open_in_root(rootfd, m->destination, O_PATH);
			if (fd < 0)
				return pc_failx(-fd, "reopen %s", m->destination);
			fdpath(again, fd);
			fl |= locked_flags(again) & ~m->clear;
			if (mount(NULL, again, NULL, MS_REMOUNT | MS_BIND | fl, NULL) < 0)
				ret = pc_failx(errno, "remount %s", m->destination);
			close(fd);
		}
		return ret;
	}
	if (mount(src, target, m->type, fl, m->data) < 0) {
		if (errno == EPERM && !strcmp(m->type, "sysfs")) {
			/* sysfs needs its own network namespace: bind the host's */
			if (mount("/sys", target, NULL, MS_BIND | MS_REC, NULL) == 0)
				return 0;
		}
		return pc_failx(errno, "mount %s (%s) on %s", src ? src : "", m->type,
				m->destination);
	}
	return 0;
}

/* "cgroup" on v1: a tmpfs with one directory per hierarchy; on v2 the
 * unified hierarchy. */
/* The container's own cgroup directory of a hierarchy, bound onto sub,
 * with the cgroup mount's flags. */
static int bind_own_v1(const struct pc_mount *m, int rootfd, const char *own, const char *sub,
		       const char *dest, unsigned long fl)
{
	char again[FDPATH_LEN];
	int fd, ret = 0;

	if (mount(own, sub, NULL, MS_BIND, NULL) < 0)
		return pc_failx(errno, "bind mount %s on %s", own, dest);
	/* the O_PATH fd still names the covered directory: reopen */
	fd = pc_open_in_root(rootfd, dest, O_PATH);
	if (fd < 0)
		return pc_failx(-fd, "reopen %s", dest);
	fdpath(again, fd);
	fl |= (m->flags & MS_RDONLY) | locked_flags(again);
	if (mount(NULL, again, NULL, MS_REMOUNT | MS_BIND | fl, NULL) < 0)
		ret = pc_failx(errno, "remount %s", dest);
	close(fd);
	return ret;
}

/* One v1 hierarchy under the cgroup mount. With a cgroup namespace of its
 * own the container mounts the hierarchy, whose root is then its cgroup.
 * Without one a mount would show the host's whole hierarchy, so, as runc
 * does, the container's own cgroup directory is bound in; so too where
 * the kernel refuses the mount (a user namespace). */
static int mount_v1_one(const struct pc_mount *m, int rootfd, const char *ctrl,
			const char *data, unsigned long fl, const char *cgroup, bool cgroupns)
{
	char sub[FDPATH_LEN], *host, *dest = NULL, *own = NULL;
	int fd = -1, ret = 0;

	host = pc_strfmt("%s/%s", pc_cgroup_root, ctrl);
	if (!host)
		return -ENOMEM;
	dest = pc_strfmt("%s/%s", m->destination, ctrl);
	own = pc_strfmt("%s%s", host, cgroup ? cgroup : "");
	fd = dest && own ? mkpath_in_root(rootfd, dest, false) : -ENOMEM;
	if (fd < 0) {
		ret = pc_failx(-fd, "create %s", dest ? dest : "");
		goto out;
	}
	fdpath(sub, fd);
	if (cgroupns && mount("cgroup", sub, "cgroup", fl | (m->flags & MS_RDONLY), data) == 0)
		goto out;
	if (cgroupns && errno != EPERM)
		ret = pc_failx(errno, "mount cgroup %s on %s", ctrl, dest);
	else
		ret = bind_own_v1(m, rootfd, own, sub, dest, fl);
out:
	if (fd >= 0)
		close(fd);
	free(host);
	free(dest);
	free(own);
	return ret;
}

/* The controllers a v1 hierarchy's directory name may list. */
static bool controllers(const char *name)
{
	static const char *const v1[] = {
		"cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio",
		"pids", "net_cls", "net_prio", "perf_event", "hugetlb", "rdma", "misc",
	};
	size_t i, len;

	for (; *name; name += len + (name[len] == ',')) {
		len = strcspn(name, ",");
		for (i = 0; i < sizeof(v1) / sizeof(v1[0]); i++)
			if (strlen(v1[i]) == len && !strncmp(name, v1[i], len))
				break;
		if (i == sizeof(v1) / sizeof(v1[0]))
			return false;
	}
	return true;
}

/* Every v1 hierarchy of the host, under the names the host gives them:
 * "cpu,cpuacct" with its links "cpu" and "cpuacct", and the named ones
 * such as "systemd" (not the hybrid "unified" v2 mount). */
static int mount_v1_all(const struct pc_mount *m, int rootfd, unsigned long fl,
			const char *cgroup, bool cgroupns)
{
	DIR *d = opendir(pc_cgroup_root);
	char link[PATH_MAX], *host, *data;
	struct dirent *de;
	struct statfs sf;
	struct stat st;
	int dfd, ret = 0;
	ssize_t n;

	if (!d)
		return pc_failx(errno, "open %s", pc_cgroup_root);
	dfd = pc_open_in_root(rootfd, m->destination, O_DIRECTORY);
	if (dfd < 0) {
		closedir(d);
		return pc_failx(-dfd, "open %s", m->destination);
	}
	while (!ret && (de = readdir(d))) {
		if (de->d_name[0] == '.' || !(host = pc_strfmt("%s/%s", pc_cgroup_root, de->d_name)))
			continue;
		if (lstat(host, &st) < 0) {
			free(host);
			continue;
		}
		if (S_ISLNK(st.st_mode) && (n = readlink(host, link, sizeof(link) - 1)) > 0) {
			link[n] = '\0';
			if (symlinkat(link, dfd, de->d_name) < 0 && errno != EEXIST)
				ret = pc_failx(errno, "symlink %s/%s", m->destination, de->d_name);
		} else if (S_ISDIR(st.st_mode) && !statfs(host, &sf) &&
			   sf.f_type == CGROUP_SUPER_MAGIC) {
			data = controllers(de->d_name) ? strdup(de->d_name)
						       : pc_strfmt("none,name=%s", de->d_name);
			ret = data ? mount_v1_one(m, rootfd, de->d_name, data, fl, cgroup, cgroupns)
				   : -ENOMEM;
			free(data);
		}
		free(host);
	}
	close(dfd);
	closedir(d);
	return ret;
}

static int mount_cgroup(const struct pc_mount *m, int rootfd, const char *target,
			const char *cgroup, bool cgroupns)
{
	unsigned long fl = m->flags & (MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RELATIME);
	char sub[FDPATH_LEN];
	int fd, ret = 0;

	if (pc_cgroup_is_v2()) {
		if (mount("cgroup2", target, "cgroup2", m->flags & ~MS_BIND, NULL) < 0)
			return pc_failx(errno, "mount cgroup2 on %s", m->destination);
		return 0;
	}
	if (mount("tmpfs", target, "tmpfs", fl, "mode=755") < 0)
		return pc_failx(errno, "mount tmpfs on %s", m->destination);
	ret = mount_v1_all(m, rootfd, fl, cgroup, cgroupns);
	if (!ret && (m->flags & MS_RDONLY)) {
		fd = pc_open_in_root(rootfd, m->destination, O_PATH);
		if (fd < 0)
			return pc_failx(-fd, "reopen %s", m->destination);
		fdpath(sub, fd);
		if (mount(NULL, sub, NULL, MS_REMOUNT | MS_RDONLY | fl, "mode=755") < 0)
			ret = pc_failx(errno, "remount %s read-only", m->destination);
		close(fd);
	}
	return ret;
}

static int recursive_attrs(const struct pc_mount *m, int rootfd)
{
	struct mount_attr attr = { .attr_set = m->rattr_set, .attr_clr = m->rattr_clr };
	int fd, ret = 0;

	if (!attr.attr_set && !attr.attr_clr)
		return 0;
	fd = pc_open_in_root(rootfd, m->destination, O_PATH);
	if (fd < 0)
		return pc_failx(-fd, "reopen %s", m->destination);
	if (mount_setattr(fd, "", AT_EMPTY_PATH | AT_RECURSIVE, &attr, sizeof(attr)) < 0)
		ret = pc_failx(errno, "set recursive attributes of %s", m->destination);
	close(fd);
	return ret;
}

static int setup_mount(const struct pc_mount *m, int rootfd, const char *bundle,
		       const char *cgroup, bool cgroupns)
{
	char target[FDPATH_LEN], *src = NULL;
	struct stat st;
	bool file = false;
	int fd = -1, ret;

	if (m->bind) {
		if (!m->source)
			return pc_fail(EINVAL, "bind mount %s has no source", m->destination);
		src = m->source[0] == '/' ? strdup(m->source)
					  : pc_strfmt("%s/%s", bundle, m->source);
		if (!src)
			return -ENOMEM;
		if (stat(src, &st) < 0) {
			ret = pc_failx(errno, "bind mount source %s", src);
			goto out;
		}
		file = !S_ISDIR(st.st_mode);
	}
	fd = mkpath_in_root(rootfd, m->destination, file);
	if (fd < 0) {
		ret = pc_failx(-fd, "create mount point %s", m->destination);
		goto out;
	}
	fdpath(target, fd);
	if (!m->bind && !strcmp(m->type, "cgroup"))
		ret = mount_cgroup(m, rootfd, target, cgroup, cgroupns);
	else
		ret = do_mount(m, src ? src : m->source, target, rootfd);
	if (!ret)
		ret = recursive_attrs(m, rootfd);
	if (ret || !m->propagation)
		goto out;
	close(fd);
	fd = pc_open_in_root(rootfd, m->destination, O_PATH);
	fdpath(target, fd);
	if (fd < 0 || mount(NULL, target, NULL, m->propagation, NULL) < 0)
		ret = pc_failx(fd < 0 ? -fd : errno, "set propagation of %s", m->destination);
out:
	if (fd >= 0)
		close(fd);
	free(src);
	return ret;
}

/* --- devices --- */

static const struct pc_device default_devices[] = {
	{ "/dev/null", 'c', 1, 3, 0666, true, 0, 0 },
	{ "/dev/zero", 'c', 1, 5, 0666, true, 0, 0 },
	{ "/dev/full", 'c', 1, 7, 0666, true, 0, 0 },
	{ "/dev/random", 'c', 1, 8, 0666, true, 0, 0 },
	{ "/dev/urandom", 'c', 1, 9, 0666, true, 0, 0 },
	{ "/dev/tty", 'c', 5, 0, 0666, true, 0, 0 },
};

static int make_device(int rootfd, const struct pc_device *d)
{
	mode_t type = d->type == 'b' ? S_IFBLK : d->type == 'p' ? S_IFIFO : S_IFCHR;
	char *dir = strdup(d->path), *slash, target[FDPATH_LEN];
	int dfd = -1, fd = -1, ret = 0;
	mode_t mode = d->has_mode ? d->mode : 0666;

	if (!dir)
		return -ENOMEM;
	slash = strrchr(dir, '/');
	*slash = '\0';
	dfd = mkpath_in_root(rootfd, *dir ? dir : "/", false);
	if (dfd < 0) {
		ret = pc_failx(-dfd, "create %s", dir);
		goto out;
	}
	close(dfd);
	dfd = pc_open_in_root(rootfd, *dir ? dir : "/", O_DIRECTORY);
	if (dfd < 0) {
		ret = pc_failx(-dfd, "open %s", dir);
		goto out;
	}
	if (mknodat(dfd, slash + 1, type | (mode & 07777), makedev(d->major, d->minor)) == 0) {
		if (fchmodat(dfd, slash + 1, mode & 07777, 0) < 0 ||
		    fchownat(dfd, slash + 1, d->uid, d->gid, AT_SYMLINK_NOFOLLOW) < 0)
			ret = pc_failx(errno, "set mode of %s", d->path);
		goto out;
	}
	if (errno == EEXIST)
		goto out;
	if (errno != EPERM) {
		ret = pc_failx(errno, "mknod %s", d->path);
		goto out;
	}
	/* no CAP_MKNOD: bind the host's node over an empty file */
	fd = mkpath_in_root(rootfd, d->path, true);
	if (fd < 0) {
		ret = pc_failx(-fd, "create %s", d->path);
		goto out;
	}
	fdpath(target, fd);
	if (mount(d->path, target, NULL, MS_BIND, NULL) < 0)
		ret = pc_failx(errno, "bind mount device %s", d->path);
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	free(dir);
	return ret;
}

static int dev_links(int rootfd, bool have_pts)
{
	static const char *const links[][2] = {
		{ "/proc/self/fd", "fd" }, { "/proc/self/fd/0", "stdin" },
		{ "/proc/self/fd/1", "stdout" }, { "/proc/self/fd/2", "stderr" },
	};
	int dfd = pc_open_in_root(rootfd, "/dev", O_DIRECTORY);
	size_t i;
	int ret = 0;

	if (dfd < 0)
		return pc_failx(-dfd, "open /dev");
	for (i = 0; i < 4 && !ret; i++)
		if (symlinkat(links[i][0], dfd, links[i][1]) < 0 && errno != EEXIST)
			ret = pc_failx(errno, "symlink /dev/%s", links[i][1]);
	if (!ret && have_pts) {
		unlinkat(dfd, "ptmx", 0);
		if (symlinkat("pts/ptmx", dfd, "ptmx") < 0)
			ret = pc_failx(errno, "symlink /dev/ptmx");
	}
	close(dfd);
	return ret;
}

static int setup_devices(const struct pc_spec *spec, int rootfd)
{
	bool have_pts = false, host_dev = false;
	mode_t old = umask(0);
	size_t i;
	int ret = 0;

	for (i = 0; i < spec->nmounts; i++) {
		if (!strcmp(spec->mounts[i].destination, "/dev/pts") &&
		    !spec->mounts[i].bind)
			have_pts = true;
		if (!strcmp(spec->mounts[i].destination, "/dev") && spec->mounts[i].bind)
			host_dev = true;
	}
	for (i = 0; !host_dev && !ret && i < sizeof(default_devices) / sizeof(default_devices[0]); i++)
		ret = make_device(rootfd, &default_devices[i]);
	for (i = 0; !ret && i < spec->ndevices; i++)
		ret = make_device(rootfd, &spec->devices[i]);
	if (!ret && !host_dev)
		ret = dev_links(rootfd, have_pts);
	umask(old);
	return ret;
}

/* --- pivot --- */

static int propagation_flags(const char *name, unsigned long *out)
{
	struct pc_mount m = { .destination = "/" };
	json_t *o = json_pack("[s]", name);
	int ret;

	if (!o)
		return -ENOMEM;
	ret = pc_mount_options(o, &m);
	json_decref(o);
	free(m.data);
	if (!ret && !m.propagation)
		ret = pc_fail(EINVAL, "config: bad rootfsPropagation \"%s\"", name);
	*out = m.propagation;
	return ret;
}

/* mountinfo escapes ' ', '\t', '\n' and '\\' as \ooo */
static void unescape(char *s)
{
	char *d = s;

	for (; *s; s++, d++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' && s[2] <= '7' &&
		    s[3] >= '0' && s[3] <= '7') {
			*d = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
			s += 3;
		} else {
			*d = *s;
		}
	}
	*d = '\0';
}

static bool under(const char *path, const char *mp)
{
	size_t n = strlen(mp);

	return !strcmp(mp, "/") || (!strncmp(path, mp, n) && (path[n] == '/' || !path[n]));
}

/* pivot_root refuses a new root whose parent mount is shared, and the
 * rootfs's bind mount would propagate to the parent's peers: as runc
 * does, make the mount that holds rootfs (the last one mounted on the
 * longest mount point above it) private when it is shared. */
static int parent_mount_private(const char *rootfs)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char *line = NULL, mp[PATH_MAX], best[PATH_MAX] = "";
	bool shared = false;
	size_t cap = 0;
	int off, ret = 0;

	if (!f)
		return pc_failx(errno, "open /proc/self/mountinfo");
	while (getline(&line, &cap, f) > 0) {
		char *dash;

		off = 0;
		if (sscanf(line, "%*d %*d %*s %*s %4095s %*s%n", mp, &off) != 1 || !off)
			continue;
		unescape(mp);
		if (!under(rootfs, mp) || strlen(mp) < strlen(best))
			continue;
		dash = strstr(line + off, " - ");
		if (dash)
			*dash = '\0';
		shared = strstr(line + off, " shared:") != NULL;
		strcpy(best, mp);
	}
	free(line);
	fclose(f);
	if (shared && mount(NULL, best, NULL, MS_PRIVATE, NULL) < 0)
		ret = pc_failx(errno, "make %s private", best);
	return ret;
}

static int enter_root(const char *rootfs, bool no_pivot)
{
	if (chdir(rootfs) < 0)
		return pc_failx(errno, "chdir %s", rootfs);
	if (no_pivot) {
		if (mount(rootfs, "/", NULL, MS_MOVE, NULL) < 0)
			return pc_failx(errno, "move %s to /", rootfs);
		if (chroot(".") < 0)
			return pc_failx(errno, "chroot");
	} else {
		if (syscall(SYS_pivot_root, ".", ".") < 0)
			return pc_failx(errno, "pivot_root %s", rootfs);
		/* the old root is stacked under the new one: detach it */
		if (mount(NULL, ".", NULL, MS_SLAVE | MS_REC, NULL) < 0 ||
		    umount2(".", MNT_DETACH) < 0)
			return pc_failx(errno, "detach the old root");
	}
	if (chdir("/") < 0)
		return pc_failx(errno, "chdir /");
	return 0;
}

int pc_rootfs_prepare(const struct pc_spec *spec, const char *rootfs,
		      const char *bundle, const char *cgroup, bool no_pivot)
{
	unsigned long prop = MS_SLAVE | MS_REC;
	int rootfd = -1, ret;
	size_t i;

	if (spec->rootfs_propagation &&
	    (ret = propagation_flags(spec->rootfs_propagation, &prop)))
		return ret;
	/* an unbindable mount cannot be bound: the rootfs's bind needs its
	 * parent bindable; unbindable is private too, and is applied to the
	 * new root after the pivot (pc_rootfs_finish) */
	if (prop & MS_UNBINDABLE)
		prop = (prop & ~MS_UNBINDABLE) | MS_PRIVATE;
	if (mount(NULL, "/", NULL, prop, NULL) < 0)
		return pc_failx(errno, "make / %s", spec->rootfs_propagation ?: "rslave");
	if ((ret = parent_mount_private(rootfs)))
		return ret;
	if (mount(rootfs, rootfs, NULL, MS_BIND | MS_REC, NULL) < 0)
		return pc_failx(errno, "bind mount rootfs %s", rootfs);
	rootfd = open(rootfs, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (rootfd < 0)
		return pc_failx(errno, "open rootfs %s", rootfs);
	ret = 0;
	for (i = 0; i < spec->nmounts && !ret; i++)
		ret = setup_mount(&spec->mounts[i], rootfd, bundle, cgroup,
				  pc_spec_ns(spec, CLONE_NEWCGROUP) != NULL);
	if (!ret)
		ret = setup_devices(spec, rootfd);
	close(rootfd);
	if (!ret)
		ret = enter_root(rootfs, no_pivot);
	return ret;
}

int pc_rootfs_check(const struct pc_spec *spec)
{
	const struct pc_namespace *ns = pc_spec_ns(spec, CLONE_NEWNS);
	const char *what = NULL;

	if (ns && ns->path)
		return pc_fail(ENOTSUP, "config: joining a mount namespace by path is not supported");
	if (ns)
		return 0;
	if (spec->nmounts)
		what = "mounts";
	else if (spec->masked_paths[0])
		what = "linux.maskedPaths";
	else if (spec->readonly_paths[0])
		what = "linux.readonlyPaths";
	else if (spec->root_readonly)
		what = "root.readonly";
	else if (spec->rootfs_propagation)
		what = "linux.rootfsPropagation";
	else if (spec->ndevices)
		what = "linux.devices";
	if (what)
		return pc_fail(EINVAL, "config: %s need a mount namespace: without one the "
			       "container shares the runtime's, which paracell does not change", what);
	return 0;
}

int pc_rootfs_chroot(const char *rootfs)
{
	if (chdir(rootfs) < 0)
		return pc_failx(errno, "chdir %s", rootfs);
	if (chroot(".") < 0 || chdir("/") < 0)
		return pc_failx(errno, "chroot %s", rootfs);
	return 0;
}

static int mask_path(const char *path)
{
	struct stat st;

	if (stat(path, &st) < 0)
		return errno == ENOENT ? 0 : pc_failx(errno, "mask %s", path);
	if (S_ISDIR(st.st_mode)) {
		if (mount("tmpfs", path, "tmpfs", MS_RDONLY, "size=0k") < 0)
			return pc_failx(errno, "mask %s", path);
	} else if (mount("/dev/null", path, NULL, MS_BIND, NULL) < 0) {
		return pc_failx(errno, "mask %s", path);
	}
	return 0;
}

static int readonly_path(const char *path)
{
	if (mount(path, path, NULL, MS_BIND | MS_REC, NULL) < 0)
		return errno == ENOENT ? 0 : pc_failx(errno, "bind %s", path);
	if (mount(NULL, path, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID |
		  MS_NODEV | MS_NOEXEC | locked_flags(path), NULL) < 0)
		return pc_failx(errno, "make %s read-only", path);
	return 0;
}

int pc_rootfs_finish(const struct pc_spec *spec)
{
	unsigned long prop;
	size_t i;
	int ret = 0;

	for (i = 0; spec->masked_paths[i] && !ret; i++)
		ret = mask_path(spec->masked_paths[i]);
	for (i = 0; spec->readonly_paths[i] && !ret; i++)
		ret = readonly_path(spec->readonly_paths[i]);
	if (!ret && spec->root_readonly &&
	    mount(NULL, "/", NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | locked_flags("/"), NULL) < 0)
		ret = pc_failx(errno, "make the root read-only");
	if (!ret && spec->rootfs_propagation) {
		ret = propagation_flags(spec->rootfs_propagation, &prop);
		if (!ret && mount(NULL, "/", NULL, prop, NULL) < 0)
			ret = pc_failx(errno, "set root propagation");
	}
	return ret;
}
