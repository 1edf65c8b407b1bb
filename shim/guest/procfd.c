// SPDX-License-Identifier: Apache-2.0
/*
 * ck's fds left out of the listings of this process's fd directories
 * (/proc/<pid>/fd, /proc/<pid>/fdinfo and their task/<tid>/ forms, on any
 * procfs mount): the program sees the fds it has, as natively. Such a
 * directory is recognised when it is opened (sys_openat already names
 * every procfs file it opens) and its fd noted with the directory's
 * device and inode; a dup of it is noted too. getdents64 on a noted fd,
 * still that directory (fstat), reads into ck's pass buffer, drops the
 * entries of ck's fds, and copies the rest out: the program's memory
 * never holds their names, even for a moment.
 */
#include <linux/errno.h>
#include <asm/stat.h>

#include "ck.h"

#define CK_FD_DIRS	16

struct fd_dir {
	long fd;	/* -1: free */
	uint64_t dev, ino;
};

/* Only ck touches it, one thread in part 1. */
static struct fd_dir fd_dirs[CK_FD_DIRS];
static unsigned int fd_dirs_next;

static void note(long fd, uint64_t dev, uint64_t ino)
{
	unsigned int i, at = fd_dirs_next % CK_FD_DIRS;

	for (i = 0; i < CK_FD_DIRS; i++)
		if (fd_dirs[i].ino && fd_dirs[i].fd == fd)
			break;
	if (i == CK_FD_DIRS)
		fd_dirs_next++;
	else
		at = i;
	fd_dirs[at].fd = fd;
	fd_dirs[at].dev = dev;
	fd_dirs[at].ino = ino;
}

static struct fd_dir *noted(long fd)
{
	unsigned int i;

	for (i = 0; i < CK_FD_DIRS; i++)
		if (fd_dirs[i].ino && fd_dirs[i].fd == fd)
			return &fd_dirs[i];
	return NULL;
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The component of path [s, e) before e, as a number (-1 if it is not). */
static long last_number(const char *s, const char **e)
{
	const char *p = *e;
	long v = 0, mul = 1;

	if (p == s || p[-1] == '/')
		return -1;
	while (p > s && p[-1] != '/') {
		p--;
		if (!is_digit(*p) || mul > 1000000000L)
			return -1;
		v += (*p - '0') * mul;
		mul *= 10;
	}
	*e = p > s ? p - 1 : p;	/* at the '/' before it */
	return v;
}

/* Does the procfs path name this process's fd or fdinfo directory? */
static int own_fd_dir(const char *link, long len)
{
	const char *e = link + len, *t;
	long pid;

	if (len >= 3 && !memcmp(e - 3, "/fd", 3))
		e -= 3;
	else if (len >= 7 && !memcmp(e - 7, "/fdinfo", 7))
		e -= 7;
	else
		return 0;
	pid = last_number(link, &e);
	if (pid < 0)
		return 0;
	t = e;	/* .../<pid>/task/<tid>: the tid's process is the pid */
	if (t - link >= 5 && !memcmp(t - 5, "/task", 5)) {
		t -= 5;
		pid = last_number(link, &t);
		if (pid < 0)
			return 0;
	}
	return pid == ck_sys0(__NR_getpid);
}

void ck_fddir_opened(long fd, const char *link, long len,
		     uint64_t dev, uint64_t ino)
{
	if (own_fd_dir(link, len))
		note(fd, dev, ino);
}

void ck_fddir_dup(long old, long fd)
{
	struct fd_dir *d = noted(old);

	if (d && fd >= 0 && fd != old)
		note(fd, d->dev, d->ino);
}

/* Compacts the dirents at p (n bytes) without ck's fds; the new length. */
static long drop_ck_fds(uint8_t *p, long n)
{
	long at = 0, out = 0;

	while (at + 19 < n) {
		uint16_t reclen;
		const char *name = (const char *)p + at + 19;
		long fd = -1;

		memcpy(&reclen, p + at + 16, 2);
		if (reclen < 20 || reclen > n - at)
			break;	/* the kernel's own output: cannot happen */
		if (is_digit(name[0]) && is_digit(name[1]) &&
		    is_digit(name[2]) && is_digit(name[3]) && !name[4])
			fd = (name[0] - '0') * 1000 + (name[1] - '0') * 100 +
			     (name[2] - '0') * 10 + (name[3] - '0');
		if (!CK_IS_CK_FD(fd)) {
			memmove(p + out, p + at, reclen);
			out += reclen;
		}
		at += reclen;
	}
	return out;
}

/*
 * getdents64 of a noted directory; anything else is forwarded. A read
 * that held only ck's entries reads on (there are CK_FD_LAST - CK_FD_FIRST
 * + 1 of them), so an empty answer still means the end.
 */
long ck_sys_getdents64(const long *a)
{
	struct fd_dir *d = noted((int)a[0]);
	uint8_t *buf = ck_this_cb()->pass;
	unsigned int count = (unsigned int)a[2];
	struct stat st;
	long n = 0, m, i;

	if (d && (ck_sys2(__NR_fstat, (int)a[0], &st) ||
		  st.st_dev != d->dev || st.st_ino != d->ino)) {
		d->ino = 0;	/* that fd is something else now */
		d = NULL;
	}
	if (!d || ck_mutant(FD_HIDE))
		return ck_forward_args(a, __NR_getdents64);
	if (count > CK_PASS_SIZE)
		count = CK_PASS_SIZE;
	ck_stats.forwarded++;	/* once, however many reads it takes */
	for (i = 0; i <= CK_FD_LAST - CK_FD_FIRST + 1; i++) {
		n = ck_sys3(__NR_getdents64, (int)a[0], buf, count);
		if (n <= 0)
			return n;
		m = drop_ck_fds(buf, n);
		if (m)
			return ck_copy_to_user((uint64_t)a[1], buf, m) ?
			       -EFAULT : m;
	}
	return 0;
}
