/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Helpers shared by the ck test programs. Every program prints only
 * deterministic facts, so that its output natively and under ck can be
 * compared byte for byte; a failed check prints "FAIL: ..." on stderr and
 * exits 1.
 */
#ifndef CK_PROGS_COMMON_H
#define CK_PROGS_COMMON_H

#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PAGE 4096UL

/* What the raw getdents64 syscall writes. */
struct dirent64_raw {
	uint64_t d_ino;
	int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[];
};

/* Report a failed check with the errno of the call that failed, exit 1. */
static inline void fail_errno(const char *what)
{
	int e = errno;

	fflush(stdout);
	fprintf(stderr, "FAIL: %s: %s\n", what, strerror(e));
	exit(1);
}

/* Exit 1 with "FAIL: what" unless cond holds. */
static inline void check(int cond, const char *what)
{
	if (!cond) {
		fflush(stdout);
		fprintf(stderr, "FAIL: %s\n", what);
		exit(1);
	}
}

/* Write all of buf to fd, retrying short writes. Returns 0 or -1. */
static inline int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The name errno has after a call that was expected to fail. */
static inline const char *errno_name(int e)
{
	switch (e) {
	case 0: return "0";
	case ENOENT: return "ENOENT";
	case EEXIST: return "EEXIST";
	case EFAULT: return "EFAULT";
	case ENOTDIR: return "ENOTDIR";
	case EISDIR: return "EISDIR";
	case ENOTEMPTY: return "ENOTEMPTY";
	case EBADF: return "EBADF";
	case EINVAL: return "EINVAL";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ENOSYS: return "ENOSYS";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EINTR: return "EINTR";
	default: return "other";
	}
}

/*
 * sig's action: fn (a handler, or an SA_SIGINFO one) with flags, its
 * sa_mask holding also (0: nothing); exits 1 if sigaction fails.
 */
static inline void set_action(int sig, void *fn, int flags, int also)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	if (also)
		sigaddset(&sa.sa_mask, also);
	check(sigaction(sig, &sa, NULL) == 0, "sigaction");
}

#endif
