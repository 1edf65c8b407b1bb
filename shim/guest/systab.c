// SPDX-License-Identifier: Apache-2.0
/*
 * ck's syscall table, built from systab.def (the one source of its
 * syscall policy), the legacy calls' modern forms, and the check of the
 * table against the host filter's list, which the filter's generator
 * derives from the same file (hostfilter/, build/hostlist.h): ck runs it
 * at start-up, the unit test (tests/unit/systab) on the host. No ck-only
 * code here: it builds on the host as it is.
 */
#include <asm/unistd.h>

#include "systab.h"

/* Each CK_OWN row's host syscalls, -1 ended. */
#define H(x) __NR_##x,
#define CK_OWN(name, nargs, fds, handler, host) \
	static const short host_##name[] = { host -1 };
#include "systab.def"
#undef H

#define ROW(name, how, nargs, fds, modern, fn, host) \
	[__NR_##name] = { how, nargs, fds, modern, fn, host },
#define CK_FWD(name, nargs, fds) ROW(name, CK_HOW_FWD, nargs, fds, 0, 0, 0)
#define CK_OWN(name, nargs, fds, handler, host) \
	ROW(name, CK_HOW_OWN, nargs, fds, 0, handler, host_##name)
#define CK_OLD(name, nargs, modern) \
	ROW(name, CK_HOW_OLD, nargs, 0, __NR_##modern, 0, 0)
#define CK_DENY(name, nargs) ROW(name, CK_HOW_DENY, nargs, 0, 0, 0, 0)
#define CK_ENOSYS(name, nargs) ROW(name, CK_HOW_ENOSYS, nargs, 0, 0, 0, 0)
const struct ck_systab ck_systab[] = {
#include "systab.def"
};
#undef ROW

const long ck_systab_len = sizeof(ck_systab) / sizeof(ck_systab[0]);

const short ck_hostlist[] = {
#define X(name) __NR_##name,
#include "hostlist.h"
#undef X
};
const size_t ck_hostlist_len = sizeof(ck_hostlist) / sizeof(ck_hostlist[0]);

const short ck_ownhost[] = {
#define CK_HOST(name) __NR_##name,
#include "systab.def"
};
const size_t ck_ownhost_len = sizeof(ck_ownhost) / sizeof(ck_ownhost[0]);

/* The names, from the same rows (ck's --trace). */
#define NAME(name) [__NR_##name] = #name,
#define CK_FWD(name, nargs, fds) NAME(name)
#define CK_OWN(name, nargs, fds, handler, host) NAME(name)
#define CK_OLD(name, nargs, modern) NAME(name)
#define CK_DENY(name, nargs) NAME(name)
#define CK_ENOSYS(name, nargs) NAME(name)
static const char *const names[] = {
#include "systab.def"
};
#undef NAME

const char *ck_systab_name(long nr)
{
	if (nr < 0 || nr >= (long)(sizeof(names) / sizeof(names[0])))
		return 0;
	return names[nr];
}

const struct ck_systab *ck_systab_row(long nr)
{
	if (nr < 0 || nr >= ck_systab_len || ck_systab[nr].how == CK_HOW_NONE)
		return 0;
	return &ck_systab[nr];
}

/*
 * The legacy calls, as their modern forms (what the host filter allows),
 * which then take the same checks: returns the new number, fills b.
 */
long ck_systab_modern(long nr, const long *a, long *b)
{
	const long cwd = -100, nofollow = 0x100, removedir = 0x200;
	int i;

	for (i = 0; i < 6; i++)
		b[i] = 0;
	switch (nr) {
	case __NR_open:
		b[0] = cwd; b[1] = a[0]; b[2] = a[1]; b[3] = a[2];
		return __NR_openat;
	case __NR_creat:
		b[0] = cwd; b[1] = a[0]; b[2] = 01 | 0100 | 01000; b[3] = a[1];
		return __NR_openat;
	case __NR_stat:
	case __NR_lstat:
		b[0] = cwd; b[1] = a[0]; b[2] = a[1];
		b[3] = nr == __NR_lstat ? nofollow : 0;
		return __NR_newfstatat;
	case __NR_access:
		b[0] = cwd; b[1] = a[0]; b[2] = a[1];
		return __NR_faccessat;
	case __NR_readlink:
		b[0] = cwd; b[1] = a[0]; b[2] = a[1]; b[3] = a[2];
		return __NR_readlinkat;
	case __NR_mkdir:
		b[0] = cwd; b[1] = a[0]; b[2] = a[1];
		return __NR_mkdirat;
	case __NR_rmdir:
	case __NR_unlink:
		b[0] = cwd; b[1] = a[0];
		b[2] = nr == __NR_rmdir ? removedir : 0;
		return __NR_unlinkat;
	case __NR_rename:
		b[0] = cwd; b[1] = a[0]; b[2] = cwd; b[3] = a[1];
		return __NR_renameat;
	case __NR_chmod:
		b[0] = cwd; b[1] = a[0]; b[2] = a[1];
		return __NR_fchmodat;
	case __NR_chown:
	case __NR_lchown:
		b[0] = cwd; b[1] = a[0]; b[2] = a[1]; b[3] = a[2];
		b[4] = nr == __NR_lchown ? nofollow : 0;
		return __NR_fchownat;
	case __NR_link:
		b[0] = cwd; b[1] = a[0]; b[2] = cwd; b[3] = a[1];
		return __NR_linkat;
	case __NR_symlink:
		b[0] = a[0]; b[1] = cwd; b[2] = a[1];
		return __NR_symlinkat;
	case __NR_pipe:
		b[0] = a[0];
		return __NR_pipe2;
	case __NR_accept:
		b[0] = a[0]; b[1] = a[1]; b[2] = a[2];
		return __NR_accept4;
	case __NR_getpgrp:
		return __NR_getpgid;
	case __NR_mknod:
		b[0] = cwd; b[1] = a[0]; b[2] = a[1]; b[3] = a[2];
		return __NR_mknodat;
	case __NR_epoll_create:	/* size > 0, else EINVAL, as Linux */
		if (a[0] <= 0)
			b[0] = -1;
		return __NR_epoll_create1;
	case __NR_eventfd:
		b[0] = a[0];
		return __NR_eventfd2;
	case __NR_inotify_init:
		return __NR_inotify_init1;
	default:
		return -1;
	}
}

static int listed(const short *list, size_t n, long nr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == nr)
			return 1;
	return 0;
}

static int bad_row(long nr, const char *what, long *bad, const char **why)
{
	*bad = nr;
	*why = what;
	return 1;
}

int ck_systab_verify(const struct ck_systab *t, long n, const short *host,
		     size_t nhost, long *bad, const char **why)
{
	const long zero[6] = { 0 };
	long nr, b[6];
	const short *h;
	size_t i;

	for (i = 0; i < ck_ownhost_len; i++)
		if (!listed(host, nhost, ck_ownhost[i]))
			return bad_row(ck_ownhost[i], "ck issues it, the host "
				       "filter's list lacks it", bad, why);
	for (nr = 0; nr < n; nr++) {
		const struct ck_systab *r = &t[nr];

		if (r->how == CK_HOW_NONE)
			continue;
		if (r->how > CK_HOW_ENOSYS)
			return bad_row(nr, "no such way to handle it", bad,
				       why);
		if (r->nargs > 6 || (r->fds >> r->nargs))
			return bad_row(nr, "an fd past its arguments", bad,
				       why);
		if ((r->how == CK_HOW_OWN) != !!r->fn)
			return bad_row(nr, "a handler only where ck handles it",
				       bad, why);
		if ((r->how == CK_HOW_OWN) != !!r->host)
			return bad_row(nr, "host calls only where ck handles "
				       "it", bad, why);
		if (r->how == CK_HOW_FWD && !listed(host, nhost, nr))
			return bad_row(nr, "forwarded, but not in the host "
				       "filter's list", bad, why);
		for (h = r->host; h && *h >= 0; h++)
			if (!listed(host, nhost, *h))
				return bad_row(nr, "its handler issues a call "
					       "the host filter's list lacks",
					       bad, why);
		if ((r->how == CK_HOW_DENY || r->how == CK_HOW_ENOSYS) &&
		    listed(host, nhost, nr) &&
		    !listed(ck_ownhost, ck_ownhost_len, nr))
			return bad_row(nr, "refused, yet in the host filter's "
				       "list", bad, why);
		if (r->how != CK_HOW_OLD)
			continue;
		if (r->modern < 0 || r->modern >= n ||
		    (t[r->modern].how != CK_HOW_FWD &&
		     t[r->modern].how != CK_HOW_OWN))
			return bad_row(nr, "a legacy call whose modern form is "
				       "not served", bad, why);
		if (ck_systab_modern(nr, zero, b) != r->modern)
			return bad_row(nr, "a legacy call served as another "
				       "than its row says", bad, why);
	}
	return 0;
}

int ck_systab_check(long *bad, const char **why)
{
	return ck_systab_verify(ck_systab, ck_systab_len, ck_hostlist,
				ck_hostlist_len, bad, why);
}
