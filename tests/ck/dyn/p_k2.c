// SPDX-License-Identifier: Apache-2.0
/*
 * A dynamic glibc program whose own code holds a pattern no detour covers
 * (run-debug.sh): k2_fn's mov has the immediate 0xc3ef010f, so from its
 * second byte the CPU would run `wrpkru; ret`. The pattern is the whole
 * immediate, which a trampoline would copy with it: ck refuses the file,
 * naming it and the offset. Natively it prints the value and exits 0.
 */
#include <stdio.h>

__asm__(".text\n"
	".globl k2_fn\n"
	".type k2_fn, @function\n"
	"k2_fn:\n"
	".cfi_startproc\n"
	"movl $0xc3ef010f, %eax\n"
	"ret\n"
	".cfi_endproc\n"
	".size k2_fn, .-k2_fn\n");

unsigned int k2_fn(void);

int main(void)
{
	printf("%#x\n", k2_fn());
	return 0;
}
