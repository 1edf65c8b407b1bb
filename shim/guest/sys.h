/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ck's host syscalls. Every one goes through ck_sys6() so that ck's counter
 * of host syscalls is exact. ck has no libc: no errno, results are -errno.
 */
#ifndef CK_SYS_H
#define CK_SYS_H

#include <stdint.h>
#include <asm/unistd.h>

long ck_sys6(long nr, long a1, long a2, long a3, long a4, long a5, long a6);

#define ck_sys0(n)		ck_sys6(n, 0, 0, 0, 0, 0, 0)
#define ck_sys1(n, a)		ck_sys6(n, (long)(a), 0, 0, 0, 0, 0)
#define ck_sys2(n, a, b)	ck_sys6(n, (long)(a), (long)(b), 0, 0, 0, 0)
#define ck_sys3(n, a, b, c)	ck_sys6(n, (long)(a), (long)(b), (long)(c), 0, 0, 0)
#define ck_sys4(n, a, b, c, d) \
	ck_sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), 0, 0)
#define ck_sys5(n, a, b, c, d, e) \
	ck_sys6(n, (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), 0)

/* A syscall forwarded for the program: issued under the user PKRU (gate.S). */
long ck_forward(long nr, long a1, long a2, long a3, long a4, long a5, long a6);
/* The same, counted as a host syscall: what every caller but exit uses. */
long ck_sys_user(long nr, long a1, long a2, long a3, long a4, long a5, long a6);

/* The raw instruction, counted by the caller (gate.S). */
long ck_raw_syscall(long nr, long a1, long a2, long a3, long a4, long a5,
		    long a6);

#define IS_ERR_VAL(x)	((unsigned long)(x) >= (unsigned long)-4095)

#endif
