// SPDX-License-Identifier: Apache-2.0
/*
 * p_xrstor: XRSTOR as the program sees it, natively and under ck's
 * emulation (libxr.so's kind-1 site): an XSAVE (standard form) and an
 * XSAVEC (compacted form, if the CPU has it) area with XMM1 changed in
 * the copy, restored with XRSTOR, XMM1 read back; then one whose mask and
 * header name a component in the init state (XMM1 becomes zero); then a
 * mask with PKRU's bit, the area holding the PKRU the program has.
 * Prints what XMM1 and PKRU hold after each.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

void xr_restore_read(void *area, unsigned long mask, void *xmm1_out);

static uint8_t area[16384] __attribute__((aligned(64)));

static void show(const char *what, const uint8_t *x)
{
	printf("%s:", what);
	for (int i = 0; i < 16; i++)
		printf(" %02x", x[i]);
	printf("\n");
}

static uint32_t rdpkru(void)
{
	uint32_t a, d;

	__asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(a), "=d"(d) : "c"(0));
	return a;
}

static int has_xsavec(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0xd), "c"(1));
	return (a >> 1) & 1;
}

int main(void)
{
	uint8_t out[16];
	uint32_t pk = rdpkru();

	setvbuf(stdout, NULL, _IONBF, 0);

	memset(area, 0, sizeof(area));
	__asm__ volatile("xsave (%0)" : : "r"(area), "a"(3), "d"(0) : "memory");
	for (int i = 0; i < 16; i++)
		area[160 + 16 + i] = (uint8_t)(0x40 + i);
	*(uint64_t *)(area + 512) |= 2;
	xr_restore_read(area, 3, out);
	show("standard xmm1", out);

	if (has_xsavec()) {
		memset(area, 0, sizeof(area));
		__asm__ volatile("xsavec (%0)" : : "r"(area), "a"(3), "d"(0)
				 : "memory");
		for (int i = 0; i < 16; i++)
			area[160 + 16 + i] = (uint8_t)(0x70 - i);
		*(uint64_t *)(area + 512) |= 2;
		xr_restore_read(area, 3, out);
		show("compacted xmm1", out);
	} else {
		printf("compacted xmm1: no xsavec\n");
	}

	*(uint64_t *)(area + 512) &= ~2ULL;	/* SSE in its init state */
	xr_restore_read(area, 3, out);
	show("init xmm1", out);

	memset(area, 0, sizeof(area));
	__asm__ volatile("xsave (%0)" : : "r"(area), "a"(0x203), "d"(0)
			 : "memory");
	xr_restore_read(area, 0x203, out);
	printf("pkru unchanged: %d\n", rdpkru() == pk);
	return 0;
}
