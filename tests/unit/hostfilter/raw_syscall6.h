/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The raw syscall that shim/guest/hostfilter/install.h calls (ck has its
 * own, counted one): for the test programs that install the host filter.
 * Include it in exactly one file of a program.
 */
#ifndef PARACELL_TEST_RAW_SYSCALL6_H
#define PARACELL_TEST_RAW_SYSCALL6_H

long ck_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	register long r10 __asm__("r10") = a4;
	register long r8 __asm__("r8") = a5;
	register long r9 __asm__("r9") = a6;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a1), "S"(a2), "d"(a3), "r"(r10),
			   "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

#endif
