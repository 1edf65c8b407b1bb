// SPDX-License-Identifier: Apache-2.0
/*
 * xrpk: the program's own XRSTOR (xrpk.S, a kind-1 site ck rewrites and
 * emulates) asked to load PKRU = 0: an XSAVE area in the standard form
 * whose header names only the PKRU component (bit 9), holding 0, and a
 * mask of bit 9. Natively that opens every pkey. Under ck the emulation
 * restores what the area asks with PKRU masked out: RDPKRU after it reads
 * the program's PKRU. If it reads 0, the program reads ck_canary
 * (CK_CANARY, hex) and prints "ORACLE: ...". Exit 0; 2 on a set-up
 * failure (no PKU: CPUID.7.ECX.OSPKE clear).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CANARY	0x63616e6172794b21ULL

void xrpk_restore(void *area, unsigned long mask);

static uint8_t area[16384] __attribute__((aligned(64)));

static uint32_t rdpkru(void)
{
	uint32_t a, d;

	__asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(a), "=d"(d) : "c"(0));
	return a;
}

static void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	__asm__ volatile("cpuid" : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]),
			 "=d"(r[3]) : "a"(leaf), "c"(sub));
}

int main(void)
{
	const char *v = getenv("CK_CANARY");
	volatile uint64_t *c = (volatile uint64_t *)strtoull(v ? v : "0", 0, 16);
	uint64_t bv = 1ULL << 9;
	uint32_t r[4], before, after, zero = 0;

	cpuid(7, 0, r);
	if (!(r[2] & (1u << 4)))
		return 2;
	cpuid(0xd, 9, r);	/* PKRU's size and standard offset */
	if (r[0] < 4 || r[1] + 4 > sizeof(area))
		return 2;
	memcpy(area + r[1], &zero, 4);
	memcpy(area + 512, &bv, 8);	/* XSTATE_BV: PKRU only */
	before = rdpkru();
	xrpk_restore(area, bv);
	after = rdpkru();
	if (!after) {
		printf("ORACLE: XRSTOR loaded PKRU = 0 (was %#x)", before);
		fflush(stdout);
		printf("; ck_canary = 0x%llx\n",
		       c ? (unsigned long long)c[0] : 0ULL);
		return 0;
	}
	printf("blocked: XRSTOR asking PKRU = 0: PKRU stays %#x (was %#x)\n",
	       after, before);
	return 0;
}
