/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libxr.so: a real XRSTOR at an instruction start, inside a function with
 * an FDE (kind 1): ck rewrites it and emulates it (siteemu.c).
 *   void xr_restore_read(void *area, unsigned long mask, void *xmm1_out)
 * restores the components mask asks from area, then stores XMM1.
 */
	.text
	.globl	xr_restore_read
	.type	xr_restore_read, @function
xr_restore_read:
	.cfi_startproc
	movq	%rdx, %rcx
	movq	%rsi, %rax
	movq	%rsi, %rdx
	shrq	$32, %rdx
	xrstor64 (%rdi)
	movdqu	%xmm1, (%rcx)
	ret
	.cfi_endproc
	.size	xr_restore_read, .-xr_restore_read
	.section .note.GNU-stack, "", @progbits
