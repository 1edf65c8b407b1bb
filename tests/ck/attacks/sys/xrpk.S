/* SPDX-License-Identifier: Apache-2.0 */
/*
 * xrpk's kind-1 site: a real XRSTOR at an instruction start inside a
 * function with an FDE, which ck rewrites and emulates (siteemu.c).
 *   void xrpk_restore(void *area, unsigned long mask)
 */
	.text
	.globl	xrpk_restore
	.type	xrpk_restore, @function
xrpk_restore:
	.cfi_startproc
	movq	%rsi, %rax
	movq	%rsi, %rdx
	shrq	$32, %rdx
	xrstor64 (%rdi)
	ret
	.cfi_endproc
	.size	xrpk_restore, .-xrpk_restore
	.section .note.GNU-stack, "", @progbits
