// SPDX-License-Identifier: Apache-2.0
/*
 * sysatk's fd and procfs attacks: ck's fds 1021-1023, /proc/self/mem and
 * the ways to reach it, and the fd names ck reads for itself (never left
 * in K2).
 * Modes of sysatk (sysatk.c: the table, and the helpers in sysatk.h).
 */
#include "sysatk.h"
#include "../../scm.h"

/* ---- 2. ck's fds 1021-1023 ---- */

int atk_fd(const char *how)
{
	char before[256], after[256], what[160];
	int p[2], fd;

	if (pipe(p))
		return 2;
	fd_link(1022, before, sizeof(before));
	if (!strcmp(how, "ioctl")) {
		long v = ioctl(1021, PARACELL_GET_API_VERSION);

		if (refused(v, "ioctl(1021, PARACELL_GET_API_VERSION)"))
			return 0;
		device_answers(1021, "ioctl");
		return 0;
	} else if (!strcmp(how, "close")) {
		refused(close(1022), "close(1022)");
	} else if (!strcmp(how, "dup2-onto")) {
		refused(dup2(p[0], 1022), "dup2(pipe, 1022)");
	} else if (!strcmp(how, "dup3-onto")) {
		refused(syscall(SYS_dup3, p[0], 1022, 0), "dup3(pipe, 1022, 0)");
	} else if (!strcmp(how, "dup2-from")) {
		fd = dup2(1021, 200);
		refused(fd, "dup2(1021, 200)");
		device_answers(fd, "dup2(1021, 200)");
		return 0;
	} else if (!strcmp(how, "dup")) {
		fd = dup(1021);
		refused(fd, "dup(1021)");
		device_answers(fd, "dup(1021)");
		return 0;
	} else if (!strcmp(how, "fcntl")) {
		fd = fcntl(1021, F_DUPFD_CLOEXEC, 0);
		refused(fd, "fcntl(1021, F_DUPFD_CLOEXEC)");
		device_answers(fd, "fcntl(1021, F_DUPFD_CLOEXEC)");
		return 0;
	} else if (!strcmp(how, "mmap")) {
		void *m = mmap(0, PAGE, PROT_READ, MAP_SHARED, 1022, 0);

		refused(m == MAP_FAILED ? -1 : (long)m, "mmap(fd 1022)");
		return 0;
	} else if (!strcmp(how, "close_range")) {
		/* It may succeed: it must only skip ck's fds (see below). */
		snprintf(what, sizeof(what), "%ld",
			 syscall(SYS_close_range, 3, ~0U, 0));
		say("note", "close_range(3, ~0U, 0) returned", what);
	} else if (!strcmp(how, "close_range-hi")) {
		/* The same bounds with high bits set, which the kernel drops. */
		snprintf(what, sizeof(what), "%ld",
			 syscall(SYS_close_range, (1L << 32) | 3,
				 (1L << 32) | 0xffffffffL, 0));
		say("note", "close_range(1<<32|3, 1<<32|~0U, 0) returned", what);
	} else if (!strcmp(how, "pidfd_getfd")) {
		int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);

		refused(pidfd, "pidfd_open(self)");
		fd = (int)syscall(SYS_pidfd_getfd, pidfd < 0 ? 3 : pidfd, 1021, 0);
		refused(fd, "pidfd_getfd(self, 1021)");
		device_answers(fd, "pidfd_getfd");
		return 0;
	} else if (!strcmp(how, "scm_rights")) {
		int sv[2];
		char cbuf[SCM_ONE_FD_SPACE], byte = 'x';
		struct iovec iov = { &byte, 1 };
		struct msghdr m;
		struct cmsghdr *c;

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			return 2;
		scm_one_fd(&m, &iov, cbuf, 1021);
		if (refused(sendmsg(sv[0], &m, 0), "sendmsg(SCM_RIGHTS 1021)"))
			return 0;
		memset(cbuf, 0, sizeof(cbuf));
		m.msg_controllen = sizeof(cbuf);
		if (recvmsg(sv[1], &m, 0) < 0 || !(c = CMSG_FIRSTHDR(&m)) ||
		    c->cmsg_type != SCM_RIGHTS)
			return 0;
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
		device_answers(fd, "fd 1021 received by the peer socket");
		return 0;
	} else if (!strcmp(how, "devnode")) {
		struct paracell_create_cell req = { 0, { 0 } };
		long cell;

		fd = open(PARACELL_DEVICE, O_RDWR | O_CLOEXEC);
		refused(fd, "open(" PARACELL_DEVICE ")");
		device_answers(fd, "open(" PARACELL_DEVICE ")");
		if (fd >= 0) {
			/* paracell.ko: this mm has its cell, no second one */
			cell = ioctl(fd, PARACELL_CREATE_CELL, &req);
			if (cell >= 0)
				oracle("PARACELL_CREATE_CELL made a second cell "
				       "for this mm: fd %ld", cell);
			else
				say("note", "paracell.ko refused a second cell",
				    strerror(errno));
		}
		return 0;
	} else if (!strcmp(how, "utimes")) {
		/*
		 * The object behind ck's fd, named by path: its times, set
		 * to a value of this run's (an earlier run's mutant row may
		 * have left its own on the device).
		 */
		const long mark = 1000000 + getpid();
		struct timespec t[2] = { { mark, 0 }, { mark, 0 } };
		struct stat st;

		refused(utimensat(AT_FDCWD, "/proc/self/fd/1021", t, 0),
			"utimensat(/proc/self/fd/1021)");
		if (!stat("/proc/self/fd/1021", &st) && st.st_mtime == mark)
			oracle("the mtime of ck's device is now this run's %ld "
			       "(st_rdev %llx)", mark,
			       (unsigned long long)st.st_rdev);
		return 0;
	} else if (!strcmp(how, "procfd")) {
		fd = open("/proc/self/fd/1021", O_RDWR | O_CLOEXEC);
		refused(fd, "open(/proc/self/fd/1021)");
		device_answers(fd, "open(/proc/self/fd/1021)");
		return 0;
	} else if (!strcmp(how, "link")) {
		/* ck's device node, by its magic link, linked into /dev */
		struct stat st;

		snprintf(what, sizeof(what), "/dev/ck-atk-link-%d", getpid());
		refused(linkat(AT_FDCWD, "/proc/self/fd/1021", AT_FDCWD, what,
			       AT_SYMLINK_FOLLOW),
			"linkat(/proc/self/fd/1021, /dev/..., FOLLOW)");
		if (!stat(what, &st)) {
			oracle("ck's device is linked at %s (st_rdev %llx, "
			       "%lu links)", what,
			       (unsigned long long)st.st_rdev,
			       (unsigned long)st.st_nlink);
			unlink(what);
		}
		return 0;
	} else if (!strcmp(how, "procfd-slot")) {
		/*
		 * A seal the scan refuses leaves a new memfd of ck's on 1023
		 * (a pattern ck's rewrite refuses never reaches the seal).
		 */
		int code = partial_code_file();
		void *m = mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE,
			       code, 0);

		say("note", "mmap(PROT_EXEC) of a page ending in 0F",
		    m == MAP_FAILED ? strerror(errno) : "mapped");
		fd = open("/proc/self/fd/1023", O_RDWR | O_CLOEXEC);
		if (refused(fd, "open(/proc/self/fd/1023) after it"))
			return 0;
		fd_link(fd, what, sizeof(what));
		if (write(fd, "x", 1) == 1)
			oracle("ck's object on fd 1023 ('%s') reopened "
			       "read-write: a write reached it", what);
		return 0;
	} else {
		return 2;
	}
	fd_link(1022, after, sizeof(after));
	if (before[0] && strcmp(before, after)) {
		oracle("ck's fd 1022 changed: '%s' -> '%s'",
			 before, after[0] ? after : "(closed)");
	}
	return 0;
}

/* ---- 5. /proc/self/mem and friends ---- */

static void mem_fd_attack(int fd, const char *how)
{
	uint64_t canary = env_addr("CK_CANARY"), v = 0;
	uint64_t bad[8];

	if (fd < 0)
		return;
	if (pread(fd, &v, 8, (off_t)canary) == 8 && v == CANARY) {
		oracle("%s: pread of ck_canary returned "
			 "0x%llx", how, (unsigned long long)v);
	}
	memset(bad, 0x42, sizeof(bad));
	if (pwrite(fd, bad, sizeof(bad), (off_t)canary) == (long)sizeof(bad))
		say("open", how, "pwrite of ck_canary returned 64");
}

int atk_procmem(const char *how)
{
	char path[64];
	int fd;

	if (!strcmp(how, "self")) {
		fd = open("/proc/self/mem", O_RDWR);
		refused(fd, "open(/proc/self/mem)");
	} else if (!strcmp(how, "thread-self")) {
		fd = open("/proc/thread-self/mem", O_RDWR);
		refused(fd, "open(/proc/thread-self/mem)");
	} else if (!strcmp(how, "pid")) {
		snprintf(path, sizeof(path), "/proc/%d/mem", getpid());
		fd = open(path, O_RDWR);
		refused(fd, "open(/proc/<pid>/mem)");
	} else if (!strcmp(how, "dirfd")) {
		int d = open("/proc/self", O_PATH | O_DIRECTORY);

		fd = openat(d, "mem", O_RDWR);
		refused(fd, "openat(O_PATH /proc/self, \"mem\")");
	} else if (!strcmp(how, "symlink")) {
		unlink("/tmp/sysatk-memlink");
		if (symlink("/proc/self/mem", "/tmp/sysatk-memlink"))
			return 2;
		fd = open("/tmp/sysatk-memlink", O_RDWR);
		refused(fd, "open(/tmp symlink -> /proc/self/mem)");
		unlink("/tmp/sysatk-memlink");
	} else if (!strcmp(how, "proc2")) {
		/* procfs mounted a second time, at PROC2 (by run.sh) */
		const char *p2 = getenv("PROC2");

		if (!p2 || !*p2)
			return 2;
		snprintf(path, sizeof(path), "%s/self/mem", p2);
		fd = open(path, O_RDWR);
		refused(fd, "open(<second procfs mount>/self/mem)");
	} else if (!strcmp(how, "opath")) {
		int o = open("/proc/self/mem", O_PATH);

		refused(o, "open(/proc/self/mem, O_PATH)");
		snprintf(path, sizeof(path), "/proc/self/fd/%d", o < 0 ? 99 : o);
		fd = open(path, O_RDWR);
		refused(fd, "reopen via /proc/self/fd/N");
	} else {
		return 2;
	}
	mem_fd_attack(fd, how);
	return 0;
}

/* ---- 10. what ck reads for itself never stays in K2 ---- */

/*
 * Looks for "\n" "NAME" "\0" (d_type DT_LNK, then d_name: how a
 * getdents64 record of /proc/self/fd holds NAME) in [p, p + n).
 */
static int holds_fd_name(const unsigned char *p, size_t n, const char *name)
{
	size_t len = strlen(name), i;

	for (i = 0; i + len + 2 <= n; i++)
		if (p[i] == 10 /* DT_LNK */ && !memcmp(p + i + 1, name, len) &&
		    !p[i + 1 + len])
			return 1;
	return 0;
}

/*
 * getdents64 of /proc/self/fd (ck takes its own entries out), then every
 * K2 mapping (k2_ranges: user-readable) is
 * searched for the records of ck's fds 1021-1023.
 */
int atk_k2names(const char *unused)
{
	(void)unused;
	static const char *const names[] = { "1021", "1022", "1023" };
	char dents[4096], found[64] = "";
	uint64_t lo[64], hi[64];
	long n;
	int fd, i, k;

	fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 2;
	while ((n = syscall(SYS_getdents64, fd, dents, sizeof(dents))) > 0)
		;
	close(fd);
	n = k2_ranges(lo, hi, 64);
	for (k = 0; k < n; k++)
		for (i = 0; i < 3; i++)
			if (!strstr(found, names[i]) &&
			    holds_fd_name((const unsigned char *)(uintptr_t)lo[k],
					  hi[k] - lo[k], names[i]))
				snprintf(found + strlen(found),
					 sizeof(found) - strlen(found), " %s",
					 names[i]);
	if (found[0])
		oracle("K2 memory holds the getdents64 records of ck's "
		       "fds:%s", found);
	else
		say("blocked", "no record of fds 1021-1023 in K2 memory "
		    "after getdents64(/proc/self/fd)", 0);
	return 0;
}
