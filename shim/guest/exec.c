// SPDX-License-Identifier: Apache-2.0
/*
 * execve and execveat (DESIGN.md section 5): ck re-executes itself with
 * the new program. ck's binary stays open on CK_FD_SELF (not CLOEXEC, as
 * the device fd on CK_FD_DEV); the host call is always
 *
 *   execveat(CK_FD_SELF, "", {"ck", "--self-fd", "1020", [--dev-fd 1021 |
 *            --no-dev], [--seccomp HEX], [--stats],
 *            [--pager-policy=brk:N,mmap:N,stack:N], "--exec", "--", PATH,
 *            EXECFN, ARGV...}, ENVP, AT_EMPTY_PATH)
 *
 * and the host filter allows execveat in no other form. The program's
 * strings all come after "--", so nothing it passes reaches ck's options.
 * The new ck starts from scratch (pkeys, a new cell from the device fd,
 * SUD, a filter) and loads PATH; the kernel closes the program's CLOEXEC
 * fds and ck's cell and seal fds. Before the host call ck checks what
 * Linux would (ENOENT and the rest of the open, EACCES, ENOEXEC, E2BIG),
 * so those errors return to the caller; `#!` scripts are resolved here,
 * as binfmt_script does.
 */
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/stat.h>
#include <asm/stat.h>

#include "ck.h"

#define ARG_BYTES	(1UL << 21)	/* strings, as 8 MiB stack / 4 */
#define ARG_PTRS	(1UL << 16)
#define SCRIPT_DEPTH	4		/* binfmt_script over binfmt_misc: 5 */
#define BINPRM_BUF	256

struct args {
	char *buf;		/* K: the strings */
	size_t used;
	char **v;		/* K: pointers into buf */
	size_t n;
};

void ck_exec_self_open(long fd)
{
	struct stat st;

	if (fd < 0)
		fd = ck_sys4(__NR_openat, -100, "/proc/self/exe", O_RDONLY, 0);
	else if (ck_sys2(__NR_fstat, fd, &st) || (st.st_mode & S_IFMT) != S_IFREG)
		ck_die(125, "--self-fd %ld is not ck's binary", fd);
	if (fd >= 0 && fd != CK_FD_SELF) {
		if (ck_sys3(__NR_dup3, fd, CK_FD_SELF, 0) < 0)
			fd = -1;
		ck_sys1(__NR_close, fd);
	}
	if (fd < 0)
		ck_die(125, "cannot open ck's own binary for execve");
}

static int add_k(struct args *a, const char *s)
{
	size_t len = strlen(s) + 1;

	if (a->n + 1 >= ARG_PTRS || a->used + len > ARG_BYTES)
		return -E2BIG;
	memcpy(a->buf + a->used, s, len);
	a->v[a->n++] = a->buf + a->used;
	a->used += len;
	return 0;
}

/* A program string at u, copied a page piece at a time. */
static int add_user(struct args *a, uint64_t u)
{
	char *dst = a->buf + a->used;
	size_t room = ARG_BYTES - a->used, n, i;

	if (a->n + 1 >= ARG_PTRS)
		return -E2BIG;
	for (i = 0;;) {
		n = CK_PAGE - (u % CK_PAGE);
		if (n > room - i)
			n = room - i;
		if (!n)
			return -E2BIG;
		if (ck_copy_from_user(dst + i, u, n))
			return -EFAULT;
		for (; n; n--, i++, u++)
			if (!dst[i]) {
				a->v[a->n++] = dst;
				a->used += i + 1;
				return 0;
			}
	}
}

/* A NULL-ended vector of program strings at u (NULL: none). */
static int add_user_vec(struct args *a, uint64_t u, int skip)
{
	uint64_t p;
	int ret, i;

	for (i = 0; u; i++, u += 8) {
		if (ck_copy_from_user(&p, u, 8))
			return -EFAULT;
		if (!p)
			return 0;
		if (i < skip)
			continue;
		ret = add_user(a, p);
		if (ret)
			return ret;
	}
	return 0;
}

/* dirfd and name as one path: name itself, or PREFIX/N[/name]. */
static void fd_path(char *out, const char *prefix, int dirfd, const char *name)
{
	char num[16];
	int n = 0, i;
	unsigned int d = (unsigned int)dirfd;

	if (name[0] == '/' || dirfd == -100) {
		memcpy(out, name, strlen(name) + 1);
		return;
	}
	do
		num[n++] = (char)('0' + d % 10);
	while (d /= 10);
	memcpy(out, prefix, strlen(prefix));
	out += strlen(prefix);
	for (i = n - 1; i >= 0; i--)
		*out++ = num[i];
	if (name[0]) {
		*out++ = '/';
		memcpy(out, name, strlen(name) + 1);
	} else {
		*out = 0;
	}
}

static long do_exec(struct ck_task *t, int dirfd, uint64_t upath, uint64_t uargv, uint64_t uenvp,
		    int flags)
{
	static char pathbuf[4096 + 32], execfn[4096 + 32], line[SCRIPT_DEPTH + 1][BINPRM_BUF];
	static struct args a, e;
	char *path = pathbuf, *interp, *iarg, *spath[SCRIPT_DEPTH + 1];
	int depth = 0, nscript = 0, i, hdr;
	long fd, ret;

	if (flags & ~(AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW))
		return -EINVAL;
	if (!a.buf) {
		a.buf = ck_kalloc(ARG_BYTES);
		a.v = ck_kalloc(ARG_PTRS * sizeof(char *));
		e.buf = ck_kalloc(ARG_BYTES);
		e.v = ck_kalloc(ARG_PTRS * sizeof(char *));
		if (!a.buf || !a.v || !e.buf || !e.v)
			return -ENOMEM;
	}
	a.used = a.n = e.used = e.n = 0;
	/* The path as the new program sees it in AT_EXECFN. */
	ret = add_user(&e, upath);
	if (ret)
		return ret == -E2BIG ? -ENAMETOOLONG : ret;
	if (!e.v[0][0] && !(flags & AT_EMPTY_PATH))
		return -ENOENT;
	fd_path(path, "/proc/self/fd/", dirfd, e.v[0]);
	/* AT_EXECFN as Linux's: the name, or /dev/fd/N[/name]. */
	fd_path(execfn, "/dev/fd/", dirfd, e.v[0]);
	e.used = e.n = 0;

	for (;;) {
		fd = ck_sys4(__NR_openat, -100, path,
			     O_RDONLY | O_CLOEXEC |
			     ((flags & AT_SYMLINK_NOFOLLOW) && !depth ?
			      O_NOFOLLOW : 0), 0);
		if (fd < 0)
			return fd == -ELOOP && (flags & AT_SYMLINK_NOFOLLOW) ?
			       -ELOOP : fd;
		if (!depth && path == pathbuf && ck_selfexe_is(fd) &&
		    ck_selfexe_names_own(-100, (long)path, 0)) {
			/* /proc/self/exe: the program's file (selfexe.c) */
			ck_sys1(__NR_close, fd);
			path = (char *)ck_selfexe_path();
			continue;
		}
		hdr = ck_exec_probe(fd, path, line[depth], BINPRM_BUF);
		ck_sys1(__NR_close, fd);
		if (hdr <= 0) {
			if (hdr)
				return hdr;
			break;
		}
		if (depth == SCRIPT_DEPTH)
			return -ELOOP;
		ret = ck_parse_shebang(line[depth], &interp, &iarg);
		if (ret)
			return ret;
		spath[nscript++] = path;
		if (iarg)
			spath[nscript++] = iarg;
		path = interp;
		depth++;
	}
	/* ck's own part, then only the program's strings, after "--". */
	ret = add_k(&a, "ck") ?: add_k(&a, "--self-fd") ?: add_k(&a, "1020");
	if (!ret && ck_env.cell_fd >= 0)
		ret = add_k(&a, "--dev-fd") ?: add_k(&a, "1021");
	else if (!ret)	/* the same backend after execve */
		ret = add_k(&a, "--no-dev");
	if (!ret && ck_profile_hex())
		ret = add_k(&a, "--seccomp") ?: add_k(&a, ck_profile_hex());
	if (!ret && ck_env.stats)
		ret = add_k(&a, "--stats");
	if (!ret && ck_env.no_direct)
		ret = add_k(&a, "--no-direct");
	if (!ret && ck_pager_exec_arg())
		ret = add_k(&a, ck_pager_exec_arg());
	if (!ret)
		ret = add_k(&a, "--exec") ?: add_k(&a, "--") ?: add_k(&a, path) ?:
		      add_k(&a, execfn);
	if (!ret && depth) {
		/* interp [arg] script: binfmt_script's order, innermost first */
		ret = add_k(&a, path);
		for (i = nscript - 1; !ret && i >= 0; i--)
			ret = add_k(&a, spath[i]);
	}
	if (!ret)
		ret = add_user_vec(&a, uargv, depth ? 1 : 0);
	if (!ret)
		ret = add_user_vec(&e, uenvp, 0);
	if (ret)
		return ret;
	a.v[a.n] = 0;
	e.v[e.n] = 0;
	if (t->vfork)
		ck_vfork_exec(t);
	ck_signals_exec();
	ret = ck_sys6(__NR_execveat, CK_FD_SELF, (long)"", (long)a.v,
		      (long)e.v, AT_EMPTY_PATH, 0);
	/* Past the checks above the host call fails only for want of memory. */
	ck_die(125, "execve of ck itself failed: %s", ck_strerror(ret));
}

/*
 * do_exec's buffers are static (K memory, allocated once): two threads in
 * execve at once take turns under ck_proc's lock. The lock is held across
 * the host execveat, which on success replaces the image (the kernel ends
 * the other threads, waiting or not) and on failure never returns (ck_die).
 */
static long exec_locked(struct ck_task *t, int dirfd, uint64_t upath, uint64_t uargv,
			uint64_t uenvp, int flags)
{
	long ret;

	ck_proc_lock();
	ret = do_exec(t, dirfd, upath, uargv, uenvp, flags);
	ck_proc_unlock();
	return ret;
}

long ck_sys_execve(struct ck_task *t, const long *a)
{
	return exec_locked(t, -100, (uint64_t)a[0], (uint64_t)a[1],
			   (uint64_t)a[2], 0);
}

long ck_sys_execveat(struct ck_task *t, const long *a)
{
	return exec_locked(t, (int)a[0], (uint64_t)a[1], (uint64_t)a[2],
			   (uint64_t)a[3], (int)a[4]);
}
