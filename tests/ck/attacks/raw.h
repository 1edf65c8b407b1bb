/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the attack programs need where libc cannot be used (no libc at
 * all, or running where ck's state is live): a raw syscall, bypassing
 * libc's errno, and formatting without printf.
 */
#ifndef CK_ATTACK_RAW_H
#define CK_ATTACK_RAW_H

#include <stdint.h>

static inline long raw3(long nr, long a1, long a2, long a3)
{
	__asm__ volatile("syscall" : "+a"(nr) : "D"(a1), "S"(a2), "d"(a3)
			 : "rcx", "r11", "memory");
	return nr;
}

/* "0x" and 16 hex digits at p; returns the end. */
static inline char *put_hex(char *p, uint64_t v)
{
	int i;

	*p++ = '0';
	*p++ = 'x';
	for (i = 60; i >= 0; i -= 4)
		*p++ = "0123456789abcdef"[(v >> i) & 15];
	return p;
}

/* s without its NUL at p; returns the end. */
static inline char *put_str(char *p, const char *s)
{
	while (*s)
		*p++ = *s++;
	return p;
}

#endif
