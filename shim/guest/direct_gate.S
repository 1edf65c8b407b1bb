/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The direct gate (issue 16; docs/xgate.md, "The direct gate"): ck's way
 * in from a rewritten syscall site's stub (stubs.c) without a signal, and
 * its way out through the trap path's exit trampoline (gate.S). Its one
 * WRPKRU is ck_gate_site_direct, followed by its compare, as every gate
 * site's (gate.S's header).
 */
#include <asm/unistd.h>
#include "ck_layout.h"
#include "ck_mutants.h"
#include "gate.h"

/* The gate's checks are on unless a mutant lacks them (ck_mutants.h). */
.set ck_direct_gs_checked, !CK_MUTANT_IS(DIRECT_GS)

	.text

/*
 * Entered by a jump from a stub (stubs.c) with EAX = the number, ECX =
 * the site's index, RDX = argument 3; RCX and R11 are the syscall's to
 * clobber. Only RAX, RCX, RDX and R11 are touched before the program's
 * registers are in the K frame, which is reached through GS, never
 * through RSP: a jump here with forged registers is one syscall request
 * from this thread. The number and the index ride in the upper halves of
 * RAX and RCX across the WRPKRU, which reads only EAX, ECX and EDX.
 */
	.globl ck_direct_entry
	.type ck_direct_entry, @function
ck_direct_entry:
	movq %rdx, %r11			/* argument 3 */
	shlq $32, %rax			/* the number (EAX) up */
	orq $CK_PKRU_CK, %rax
	shlq $32, %rcx			/* the index (ECX) up: ECX = 0 */
	xorl %edx, %edx
	.globl ck_gate_site_direct
ck_gate_site_direct:
	WRPKRU
#if !CK_MUTANT_IS(DIRECT_CMP)
	cmpl $CK_PKRU_CK, %eax
	jne ck_abort
#endif
	shrq $32, %rax			/* RAX = index << 32 | number */
	orq %rcx, %rax
	/* CK_THIS_CB's checks with RCX and RDX only: RDX = cb. */
	CK_FIND_CB %rcx, %cx, %rdx, %rdx, ck_direct_gs_checked
#if !CK_MUTANT_IS(DIRECT_IN_CK)
	cmpq $0, CB_IN_CK(%rdx)		/* not already in ck */
	jne ck_abort
#endif
	/*
	 * In ck before the first store to the K frame: a signal up to here
	 * finds nothing of this call in ck's memory (sigdefer.c resumes
	 * it, ck_sig_in_ck_text); from here on it is a nested entry.
	 */
	movq $1, CB_IN_CK(%rdx)
.Ldirect_in:
	movq %r8, CB_SC+SC_R8(%rdx)
	movq %r9, CB_SC+SC_R9(%rdx)
	movq %r10, CB_SC+SC_R10(%rdx)
	movq %r12, CB_SC+SC_R12(%rdx)
	movq %r13, CB_SC+SC_R13(%rdx)
	movq %r14, CB_SC+SC_R14(%rdx)
	movq %r15, CB_SC+SC_R15(%rdx)
	movq %rdi, CB_SC+SC_RDI(%rdx)
	movq %rsi, CB_SC+SC_RSI(%rdx)
	movq %rbp, CB_SC+SC_RBP(%rdx)
	movq %rbx, CB_SC+SC_RBX(%rdx)
	movq %r11, CB_SC+SC_RDX(%rdx)
	movq %rsp, CB_SC+SC_RSP(%rdx)	/* a value: never dereferenced */
	movl %eax, %ecx
	movq %rcx, CB_SC+SC_RAX(%rdx)	/* the number */
	shrq $32, %rax
	movq %rax, CB_SC+SC_RCX(%rdx)	/* the index, for direct.c */
	movb $CK_SEL_ALLOW, %gs:T_SELECTOR
#if !CK_MUTANT_IS(DIRECT_KSTACK)
	movq CB_KSTACK_TOP(%rdx), %rsp
#else
	leaq -256(%rsp), %rsp		/* the program's stack, below its red zone */
#endif
	/* The program's flags for the exit; ck runs without TF, DF, AC. */
	pushfq
	popq %rcx
	movq %rcx, CB_SC+SC_EFLAGS(%rdx)
#if !CK_MUTANT_IS(DIRECT_FLAGS)
	andq $~(CK_EFLAGS_TF | CK_EFLAGS_DF | CK_EFLAGS_AC), %rcx
#endif
	pushq %rcx
	popfq
	movq %rdx, %rdi
	call ck_handle_direct		/* leaves through ck_direct_exit */
	jmp ck_abort
	.size ck_direct_entry, . - ck_direct_entry

/*
 * void ck_direct_exit(cb): the program's registers from the K frame (R11
 * = its flags, as after syscall), RIP, RSP, RAX, RCX, RDX and RFLAGS
 * waiting in the K2 block (direct.c), then the trap path's own exit
 * trampoline, entered as rt_sigreturn enters it: EAX = PKRU_USER, ECX =
 * EDX = 0, RSP = the flags slot. No second exit gadget.
 */
	.globl ck_direct_exit
	.type ck_direct_exit, @function
ck_direct_exit:
	movq %rdi, %rax
	/*
	 * A signal deferred during the call (sigdefer.c: blocked in the
	 * host mask) needs the trap exit's rt_sigreturn. One deferred from
	 * here to .Ldirect_out resumes here (RAX = cb all along) and is
	 * seen; one after the in_ck store is taken as at the trampoline.
	 */
.Ldirect_recheck:
	cmpl $0, CB_INTR_MASK_CHANGED(%rax)
	jne .Ldirect_exit_end
	movq CB_SC+SC_R8(%rax), %r8
	movq CB_SC+SC_R9(%rax), %r9
	movq CB_SC+SC_R10(%rax), %r10
	movq CB_SC+SC_R12(%rax), %r12
	movq CB_SC+SC_R13(%rax), %r13
	movq CB_SC+SC_R14(%rax), %r14
	movq CB_SC+SC_R15(%rax), %r15
	movq CB_SC+SC_RSI(%rax), %rsi
	movq CB_SC+SC_RBP(%rax), %rbp
	movq CB_SC+SC_RBX(%rax), %rbx
	movq CB_SC+SC_EFLAGS(%rax), %r11
	movq CB_SC+SC_RDI(%rax), %rdi
	movq CB_TBLK(%rax), %rsp
	leaq T_RFLAGS(%rsp), %rsp
	movq $0, CB_IN_CK(%rax)
.Ldirect_out:
	movl $CK_PKRU_USER, %eax
	xorl %ecx, %ecx
	xorl %edx, %edx
	jmp ck_exit_trampoline
.Ldirect_exit_end:
	movq CB_KSTACK_TOP(%rax), %rsp
	movq %rax, %rdi
	call ck_direct_leave_trap	/* direct.c: leaves as a trap */
	jmp ck_abort
	.size ck_direct_exit, . - ck_direct_exit

/*
 * The direct gate's marks for sigdefer.c (data: no text symbol splits the
 * gate): in ck from here, the exit's recheck, out of ck from here, end.
 */
	.section .rodata
	.balign 8
	.globl ck_direct_marks
ck_direct_marks:
	.quad .Ldirect_in, .Ldirect_recheck, .Ldirect_out, .Ldirect_exit_end
	.text

	.section .note.GNU-stack, "", @progbits
