/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libk2r.so: a WRPKRU inside another instruction (kind 2) that ck can
 * detour: k2r_fn's load is RIP-relative with the displacement 0x00ef010f
 * (bytes 0F 01 EF 00), which reaches 15 MiB past the library, where
 * nothing is mapped: called, it faults (siteatk fault). ck relocates it
 * into a trampoline with the displacement re-based (the same address).
 */
	.text
	.globl	k2r_fn
	.type	k2r_fn, @function
k2r_fn:
	.cfi_startproc
	.byte	0x8b, 0x05, 0x0f, 0x01, 0xef, 0x00	/* mov 0xef010f(%rip), %eax */
	ret
	.cfi_endproc
	.size	k2r_fn, .-k2r_fn
	.section .note.GNU-stack, "", @progbits
