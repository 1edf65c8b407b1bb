// SPDX-License-Identifier: Apache-2.0
/*
 * ck's fds left out of the listings of this process's fd directories
 * (/proc/<pid>/fd, /proc/<pid>/fdinfo and their task/<tid>/ forms, on any
 * procfs mount): the program sees the fds it has, as natively. Whether a
 * getdents64 lists such a directory is decided at each call, from the fd
 * itself (procfs, and the path it names), so no fd escapes the filter
 * however the program came by it (open, dup, SCM_RIGHTS, ...). Such a
 * listing is read into K memory (the control block's scratch buffer,
 * never the K2 pass buffer, which every thread of the program can read),
 * ck's entries dropped, and the rest copied out: no memory the program
 * can read ever holds their names, even for a moment. Costs one fstatfs
 * per getdents64; a procfs directory also a readlink (and a getpid in a
 * vfork child: clone.c's ck_self_id).
 */
#include <linux/errno.h>
#include <linux/magic.h>
#include <linux/mman.h>
#include <asm/statfs.h>

#include "ck.h"

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
	return pid == ck_self_id(ck_this_task(), __NR_getpid);
}

/*
 * Does the procfs path name one of ck's fds in this process's fd or
 * fdinfo directory (/proc/<pid>/fdinfo/1022, or the link itself)?
 */
int ck_proc_names_ck_fd(const char *link, long len)
{
	const char *e = link + len;
	long fd = last_number(link, &e);

	return fd >= 0 && CK_IS_CK_FD(fd) && own_fd_dir(link, e - link);
}

long ck_procfs_link(long fd, char *link, long size)
{
	struct statfs fs;
	char path[32];
	long len;

	if (ck_sys2(__NR_fstatfs, fd, &fs))
		return -EACCES;
	if (fs.f_type != PROC_SUPER_MAGIC)
		return 0;
	ck_fd_path(path, fd);
	len = ck_sys4(__NR_readlinkat, -100, path, link, size - 1);
	if (len <= 0 || len >= size - 1)
		return -EACCES;
	link[len] = 0;
	return len;
}

/* Is fd a directory listing this process's fds? */
static int lists_own_fds(long fd)
{
	char link[256];
	long len = ck_procfs_link(fd, link, sizeof(link));

	return len > 0 && own_fd_dir(link, len);
}

/* Compacts the dirents at p (n bytes) without ck's fds; the new length. */
static long drop_ck_fds(uint8_t *p, long n)
{
	long at = 0, out = 0;

	while (at + 19 < n) {
		uint16_t reclen;
		const char *name = (const char *)p + at + 19, *end;
		long fd;

		memcpy(&reclen, p + at + 16, 2);
		if (reclen < 20 || reclen > n - at)
			break;	/* the kernel's own output: cannot happen */
		end = name + strlen(name);	/* NUL within reclen */
		fd = last_number(name, &end);
		if (fd < 0 || !CK_IS_CK_FD(fd)) {
			memmove(p + out, p + at, reclen);
			out += reclen;
		}
		at += reclen;
	}
	return out;
}

/*
 * getdents64 of a directory listing this process's fds; anything else is
 * forwarded. A buffer the program cannot write is refused before the read
 * (Linux fails on the first entry and keeps the position). A read that
 * held only ck's entries reads on (there are CK_FD_LAST - CK_FD_FIRST + 1
 * of them), so an empty answer still means the end.
 */
long ck_sys_getdents64(struct ck_task *t, const long *a)
{
	struct ck_cb *cb = t->cb;
	uint8_t *buf = ck_mutant(K2_READS) ? cb->pass : cb->scratch;
	unsigned int count = (unsigned int)a[2];
	long n, m, i;

	if (ck_mutant(FD_HIDE) || !lists_own_fds((int)a[0]))
		return ck_forward_args(a, __NR_getdents64);
	if (count > CK_PASS_SIZE)
		count = CK_PASS_SIZE;
	if (!ck_user_ok((uint64_t)a[1], count, PROT_WRITE))
		return -EFAULT;
	CK_COUNT(forwarded, 1);	/* once, however many reads it takes */
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

/* "/proc/self/fd/FD" at buf (32 bytes); returns its length. */
int ck_fd_path(char *buf, long fd)
{
	int n = 14, i;
	long v;

	memcpy(buf, "/proc/self/fd/", 14);
	for (v = fd; v >= 10; v /= 10)
		n++;
	for (v = fd, i = n; i >= 14; i--, v /= 10)
		buf[i] = (char)('0' + v % 10);
	buf[n + 1] = 0;
	return n + 1;
}
