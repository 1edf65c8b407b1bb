// SPDX-License-Identifier: Apache-2.0
/*
 * A program whose .text holds one instruction ck must never let run
 * (DESIGN.md section 3), built once per pattern by the Makefile:
 *   -DPAT=1  WRPKRU (0f 01 ef)
 *   -DPAT=2  XRSTOR (0f ae /5, memory form)
 *   -DPAT=3  WRFSBASE (f3 REX.W 0f ae /2, mod=11)
 *   -DPAT=4  WRGSBASE (f3 REX.W 0f ae /3, mod=11)
 * The real ck must refuse to load it. If it runs (the LOAD_SCAN mutant), it
 * executes the instruction and prints "ORACLE: ..." with what that gained:
 * WRPKRU / XRSTOR open every pkey (PKRU = 0), so ck_canary (CK_CANARY,
 * hex, from run.sh) can be read; WRFSBASE / WRGSBASE set a segment base of
 * the program's choosing.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANARY 0x63616e6172794b21ULL

#ifndef PAT
#error "build with -DPAT=1..4"
#endif

static __attribute__((unused)) void read_canary(const char *how)
{
	const char *v = getenv("CK_CANARY");
	volatile uint64_t *c = (volatile uint64_t *)strtoull(v ? v : "0", 0, 16);

	if (c && c[0] == CANARY)
		printf("ORACLE: after %s the program reads ck_canary = 0x%llx\n",
		       how, (unsigned long long)c[0]);
}

#if PAT == 1
static void attack(void)
{
	__asm__ volatile("wrpkru" : : "a"(0), "c"(0), "d"(0) : "memory");
	read_canary("WRPKRU(0)");
}
#elif PAT == 2
static unsigned char area[8192] __attribute__((aligned(64)));

static void attack(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0xd), "c"(9));
	if (!b || b + 8 > sizeof(area))
		return;
	memset(area, 0, sizeof(area));
	area[512 + 1] = 2;	/* XSTATE_BV bit 9: PKRU; its value 0 */
	__asm__ volatile("xrstor (%0)" : : "r"(area), "a"(0x200), "d"(0)
			 : "memory");
	read_canary("XRSTOR of PKRU = 0");
}
#else
static void attack(void)
{
	uint64_t old, now, want = 0x1234000;

#if PAT == 3
	__asm__ volatile("rdfsbase %0\n\twrfsbase %2\n\trdfsbase %1\n\t"
			 "wrfsbase %0" : "=&r"(old), "=&r"(now) : "r"(want));
#else
	__asm__ volatile("rdgsbase %0\n\twrgsbase %2\n\trdgsbase %1\n\t"
			 "wrgsbase %0" : "=&r"(old), "=&r"(now) : "r"(want));
#endif
	if (now == want)
		printf("ORACLE: %s set the base to 0x%llx (was 0x%llx)\n",
		       PAT == 3 ? "WRFSBASE" : "WRGSBASE",
		       (unsigned long long)now, (unsigned long long)old);
}
#endif

int main(void)
{
	printf("loaded: pattern %d\n", PAT);
	fflush(stdout);
	attack();
	return 0;
}
