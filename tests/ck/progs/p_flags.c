// SPDX-License-Identifier: Apache-2.0
/*
 * p_flags: the arithmetic flags and DF survive a syscall, as Linux keeps
 * RFLAGS across one (sysret restores them from R11). For several flag
 * patterns, set them, run `syscall` (getpid), and print the status flags
 * (CF PF AF ZF SF OF) and DF before and after. Under ck the exit
 * trampoline's own compares must not show.
 */
#include <stdint.h>
#include <sys/syscall.h>

#include "common.h"

#define STATUS	0x8d5UL		/* CF PF AF ZF SF OF */
#define DF	0x400UL

/* Flags set by `sub sub, from`, then a getpid; RFLAGS before and after. */
static void around_syscall(uint32_t from, uint32_t sub, int df,
			   uint64_t *before, uint64_t *after)
{
	uint64_t b, a;

	__asm__ volatile(
		"movl $" "39" ", %%eax\n\t"	/* SYS_getpid */
		"testl %[df], %[df]\n\t"
		"jz 1f\n\t"
		"std\n"
		"1:\n\t"
		"subl %[sub], %[from]\n\t"
		"pushfq\n\t"
		"popq %[b]\n\t"
		"syscall\n\t"
		"pushfq\n\t"
		"popq %[a]\n\t"
		"cld"
		: [b] "=&r"(b), [a] "=&r"(a), [from] "+r"(from)
		: [sub] "r"(sub), [df] "r"(df)
		: "rax", "rcx", "r11", "memory", "cc");
	*before = b;
	*after = a;
}

int main(void)
{
	static const struct { uint32_t from, sub; int df; } cases[] = {
		{ 0, 1, 0 },		/* CF SF AF PF */
		{ 5, 5, 0 },		/* ZF PF */
		{ 0x80000000u, 1, 0 },	/* OF AF PF */
		{ 7, 1, 0 },		/* none of them */
		{ 0, 1, 1 },		/* and DF */
	};
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		uint64_t b, a;

		around_syscall(cases[i].from, cases[i].sub, cases[i].df,
			       &b, &a);
		printf("%#x - %#x%s: flags %#llx before, %#llx after\n",
		       cases[i].from, cases[i].sub, cases[i].df ? ", DF" : "",
		       (unsigned long long)(b & (STATUS | DF)),
		       (unsigned long long)(a & (STATUS | DF)));
	}
	return 0;
}
