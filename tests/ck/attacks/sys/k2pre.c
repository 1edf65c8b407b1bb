// SPDX-License-Identifier: Apache-2.0
/*
 * libk2pre.so: k2.S's kind-2 WRPKRU, with a constructor that runs it (a
 * jump to the pattern's first byte: k2_fn + 1) with EAX = 0, opening every
 * pkey, then reads ck_canary (CK_CANARY, hex). For LD_PRELOAD: ld.so maps
 * it before the program runs.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CANARY 0x63616e6172794b21ULL

void k2_fn(void);

__attribute__((constructor)) static void k2pre(void)
{
	const char *v = getenv("CK_CANARY");
	volatile uint64_t *c = (volatile uint64_t *)strtoull(v ? v : "0", 0, 16);
	uintptr_t gadget = (uintptr_t)k2_fn + 1;

	__asm__ volatile("call *%0" : : "r"(gadget), "a"(0), "c"(0), "d"(0)
			 : "memory");
	if (c && c[0] == CANARY)
		printf("ORACLE: a preloaded library's WRPKRU ran: ck_canary = "
		       "0x%llx\n", (unsigned long long)c[0]);
	fflush(stdout);
}
