/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libk2.so (and libk2pre.so with k2pre.c): a WRPKRU inside another
 * instruction (kind 2): k2_fn's mov has the immediate 0xc3ef010f, so from
 * its second byte the CPU runs `wrpkru; ret`. The function has an FDE
 * (CFI), so ck's classifier sees the pattern inside a real instruction.
 */
	.text
	.globl	k2_fn
	.type	k2_fn, @function
k2_fn:
	.cfi_startproc
	movl	$0xc3ef010f, %eax
	ret
	.cfi_endproc
	.size	k2_fn, .-k2_fn
	.section .note.GNU-stack, "", @progbits
