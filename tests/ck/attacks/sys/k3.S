/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libk3.so: a WRPKRU in data inside the executable segment (kind 3), as
 * libcrypto's ecp_nistz256 table: k3_table fills whole pages of .text
 * after k3_fn, with no FDE over them; `wrpkru; ret` in its second page.
 */
	.text
	.globl	k3_fn
	.type	k3_fn, @function
k3_fn:
	.cfi_startproc
	ret
	.cfi_endproc
	.size	k3_fn, .-k3_fn
	.balign	4096
	.globl	k3_table
	.type	k3_table, @object
k3_table:
	.fill	4096 + 2048, 1, 0x5a
	.byte	0x0f, 0x01, 0xef, 0xc3
	.fill	2044 + 4096, 1, 0x5a
	.size	k3_table, .-k3_table
	.section .note.GNU-stack, "", @progbits
