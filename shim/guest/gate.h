/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What ck's two gate files share (gate.S, the trap path's; direct_gate.S,
 * the direct gate's): the WRPKRU and RDPKRU encodings, and the thread's
 * control block found through GS. Assembler only.
 */
#ifndef CK_GATE_H
#define CK_GATE_H

#ifndef CK_TIMING
#define WRPKRU	.byte 0x0f, 0x01, 0xef
#define RDPKRU	.byte 0x0f, 0x01, 0xee
#else
/*
 * The timing build only (`make -C shim/guest timing`, docs/timing.md):
 * WRPKRU a 3-byte NOP (nopl (%rax)), RDPKRU the kernel's init value. It
 * isolates nothing; check-gates does not pass it, and it is never installed.
 */
#define WRPKRU	.byte 0x0f, 0x1f, 0x00
#define RDPKRU	movl $CK_PKRU_INIT, %eax; xorl %edx, %edx
#endif

/*
 * Finds this thread's control block from GS and checks it; leaves the
 * block in OUT and clobbers OFF (OFF16 its low word) and TMP. Aborts on
 * any mismatch: a GS selector other than 0, a GS base outside ck_tblk or
 * not on a block boundary, or a bad magic in either block. CHECK is 0
 * only in the mutant that lacks these checks (gate.S's CK_THIS_CB and
 * direct_gate.S each name theirs).
 */
.macro CK_FIND_CB off, off16, tmp, out, check
.if \check
	movw %gs, \off16
	testw \off16, \off16
	jnz ck_abort
.endif
#ifndef CK_TIMING
	rdgsbase \off
#else
	/*
	 * The timing build runs on hosts without FSGSBASE (it isolates
	 * nothing): the block's own address, read through GS.
	 */
	movq %gs:T_SELF, \off
#endif
	leaq ck_tblk(%rip), \tmp
	subq \tmp, \off
.if \check
	cmpq $(CK_MAX_THREADS * CK_TBLK_SIZE), \off
	jae ck_abort
	testq $(CK_TBLK_SIZE - 1), \off
	jnz ck_abort
	movabsq $CK_TBLK_MAGIC, \tmp
	cmpq \tmp, %gs:T_MAGIC
	jne ck_abort
.endif
	shrq $CK_TBLK_SHIFT, \off	/* index */
	shlq $CB_SIZE_SHIFT, \off
	leaq ck_cb(%rip), \out
	addq \off, \out
.if \check
	movabsq $CK_CB_MAGIC, \off
	cmpq \off, CB_MAGIC(\out)
	jne ck_abort
.endif
.endm

#endif
