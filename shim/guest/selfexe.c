// SPDX-License-Identifier: Apache-2.0
/*
 * /proc/self/exe as the program's own file (#14). Under ck the host ran
 * ck's binary, which loaded the program, so the process's exe link names
 * ck (its path, or its memfd when the runtime starts it). Programs read
 * that link (perl's $^X, node's process.execPath, libuv's uv_exepath) and
 * re-execute themselves through it (execve("/proc/self/exe")), so ck
 * notes the program file's name at load, as the kernel names the file
 * (its /proc/self/fd link, what the exe link shows natively), and:
 *
 *   readlinkat  whose result is the text of ck's own exe link, on this
 *               process's exe link: the program's name instead;
 *   openat      of this process's exe link, which opens ck's binary (and
 *               fdhide.c refuses as one of ck's objects): the program's
 *               file instead, read-only (a write is ETXTBSY, as for a
 *               running program);
 *   execve      of it: the program's file (exec.c).
 *
 * "This process's exe link" is what the path names when its last link is
 * not followed: procfs's <pid>/exe or <pid>/task/<tid>/exe with this
 * process's pid (/proc/self/exe, /proc/thread-self/exe and /proc/<pid>/exe
 * alike). Another process's exe link still names ck's binary (its
 * program's name is in that process's ck only): reading it gives ck's
 * path, opening it EACCES. The two names are process-wide, written at load
 * before any thread exists, then only read (ck_proc's lock is not needed);
 * fork copies them, exec notes them again. Costs nothing on other calls
 * but a compare of readlinkat's result.
 */
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <asm/stat.h>

#include "ck.h"

#define EXE_MAX	4096

/*
 * The program's path, its NUL, then ck's: the two short paths on one
 * page where two arrays of EXE_MAX took a page each.
 */
static char names[2 * EXE_MAX];
static long prog_len, ck_len, ck_at;
#define prog_exe	names
#define ck_exe		(names + ck_at)

void ck_selfexe_note(long fd)
{
	char link[32];

	ck_fd_path(link, fd);
	prog_len = ck_sys4(__NR_readlinkat, -100, link, prog_exe,
			   EXE_MAX - 1);
	ck_at = prog_len > 0 ? prog_len + 1 : 0;
	ck_len = ck_sys4(__NR_readlinkat, -100, "/proc/self/exe", ck_exe,
			 EXE_MAX - 1);
	if (prog_len <= 0 || ck_len <= 0)
		prog_len = ck_len = 0;	/* no procfs: the link stays ck's */
	prog_exe[prog_len > 0 ? prog_len : 0] = 0;
}

const char *ck_selfexe_path(void)
{
	return prog_len ? prog_exe : 0;
}

/* The number before e in [s, e), its start in *at; -1 if none. */
static long number_before(const char *s, const char **e)
{
	const char *p = *e;
	long v = 0, mul = 1;

	while (p > s && p[-1] >= '0' && p[-1] <= '9' && mul <= 1000000000L) {
		v += (p[-1] - '0') * mul;
		mul *= 10;
		p--;
	}
	if (p == *e || p == s || p[-1] != '/')
		return -1;
	*e = p - 1;	/* at the '/' before it */
	return v;
}

/*
 * Does (dirfd, path) name this process's exe link (user: path is the
 * program's pointer)? Resolved once, without following the last link.
 */
int ck_selfexe_names_own(long dirfd, long path, int user)
{
	char link[256];
	const char *e;
	long fd, len, pid;

	fd = user ? ck_sys_user(__NR_openat, dirfd, path,
				O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, 0, 0) :
		    ck_sys4(__NR_openat, dirfd, path,
			    O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	len = ck_procfs_link(fd, link, sizeof(link));
	ck_sys1(__NR_close, fd);
	if (len < 5 || memcmp(link + len - 4, "/exe", 4))
		return 0;
	e = link + len - 4;
	pid = number_before(link, &e);
	if (pid >= 0 && e - link >= 5 && !memcmp(e - 5, "/task", 5)) {
		e -= 5;
		pid = number_before(link, &e);
	}
	return pid > 0 && pid == ck_self_id(ck_this_task(), __NR_getpid);
}

/* Is fd ck's binary (the object on CK_FD_SELF, ck_proc.objs[0])? */
int ck_selfexe_is(long fd)
{
	const struct ck_obj *o = &ck_proc.objs[0];
	struct stat st;

	return prog_len && o->valid && !ck_sys2(__NR_fstat, fd, &st) &&
	       o->dev == st.st_dev && o->ino == st.st_ino;
}

long ck_selfexe_reopen(long fd, long flags)
{
	ck_sys1(__NR_close, fd);
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & (O_TRUNC | O_CREAT)))
		return -ETXTBSY;
	return ck_sys4(__NR_openat, -100, prog_exe, flags, 0);
}

long ck_sys_readlinkat(struct ck_task *t, const long *a)
{
	char got[256];
	long ret = ck_forward_args(a, __NR_readlinkat), n, at;

	(void)t;
	if (ret <= 0 || !prog_len || ret != ck_len)
		return ret;
	for (at = 0; at < ret; at += n) {
		n = ret - at < (long)sizeof(got) ? ret - at : (long)sizeof(got);
		if (ck_copy_from_user(got, (uint64_t)(a[2] + at), (size_t)n) ||
		    memcmp(got, ck_exe + at, (size_t)n))
			return ret;
	}
	if (!ck_selfexe_names_own(a[0], a[1], 1))
		return ret;
	n = (unsigned long)prog_len < (unsigned long)a[3] ? prog_len : a[3];
	return ck_copy_to_user((uint64_t)a[2], prog_exe, (size_t)n) ?
	       -EFAULT : n;
}
