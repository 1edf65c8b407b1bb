/* SPDX-License-Identifier: Apache-2.0 */
/*
 * XGate: the only places in ck's text with WRPKRU (DESIGN.md section 4),
 * with direct_gate.S (the direct gate's one site); gate.h holds what the
 * two share.
 *
 * Every WRPKRU is a gadget the program can jump to with registers of its
 * choosing, so each one is labelled ck_gate_site_* (the build checks that
 * no other WRPKRU exists) and followed at once by a compare of EAX with
 * the value that site must set. After a switch *into* the ck domain nothing
 * trusts registers or the stack: the thread's blocks are found through the
 * GS base, which only ck sets, and checked before use.
 */
#include <asm/unistd.h>
#include "ck_layout.h"
#include "ck_mutants.h"
#include "gate.h"

	.text

/* Kills the process: no handler of the program's can catch it (part 1). */
	.globl ck_abort
	.type ck_abort, @function
ck_abort:
	ud2
	jmp ck_abort
	.size ck_abort, . - ck_abort

/* The gate's checks are on unless a mutant lacks them (ck_mutants.h). */
.set ck_gs_checked, !CK_MUTANT_IS(GS_CHECK)

.macro CK_THIS_CB
	CK_FIND_CB %rax, %ax, %rcx, %rbx, ck_gs_checked
.endm

/*
 * Back in the ck domain from a window this thread opened (ck_forward,
 * ck_user_copy): the window must be open and the stack the one it left
 * (a jump to the site from user code fails both). In: %rbx = cb.
 */
.macro CK_CLOSE_WINDOW
#if !CK_MUTANT_IS(WINDOW)
	cmpq $1, CB_IN_WINDOW(%rbx)
	jne ck_abort
	cmpq %rsp, CB_WINDOW_RSP(%rbx)
	jne ck_abort
#endif
	movq $0, CB_IN_WINDOW(%rbx)
.endm

/*
 * CK_COPYQ: %rcx quadwords from (%rsi) to (%rdi), with no string
 * instruction (DF is the program's until the K stack) and no stack.
 */
.macro CK_COPYQ
1:	movq (%rsi), %rax
	movq %rax, (%rdi)
	addq $8, %rsi
	addq $8, %rdi
	decq %rcx
	jnz 1b
.endm

/*
 * The SIGSYS entry's frame (ucontext, siginfo, then the xsave area above
 * them), copied into cb->frame while RSP is still on the altstack. Its
 * action blocks the signals the program catches, but never SIGSEGV and
 * SIGBUS (a fault of ck's is EFAULT, intr.c): one sent while ck runs puts
 * its frame below RSP while RSP is on the altstack, but at the altstack's
 * top, over this frame, once ck is on the K stack (sigdefer.c defers it
 * and resumes ck). So from the K stack on ck reads only the copy. ck's
 * other entry (ck_signal_entry) blocks every signal until its exit and
 * copies in C (signal.c), after its check of a live K frame at the trap
 * exit's end. The frame lies wholly on this thread's altstack, which the
 * program can write: its bounds are checked here, the copy's contents by
 * trap.c (check_xsave).
 * In: %rbx = cb, %r12 the kernel's ucontext.
 */
.macro CK_COPY_ENTRY_FRAME
	movq %r12, %rsi
	testq $7, %rsi
	jnz ck_abort
	cmpq CB_ALT_LO(%rbx), %rsi
	jb ck_abort
	movq CB_ALT_HI(%rbx), %rax
	subq $(CK_UC_SIZE + CK_SIGINFO_SIZE), %rax
	cmpq %rax, %rsi
	ja ck_abort
	leaq CB_FRAME_UC(%rbx), %rdi
	movl $((CK_UC_SIZE + CK_SIGINFO_SIZE) / 8), %ecx
	CK_COPYQ
	/* The xsave area: named by the copy, 64-aligned, on the altstack. */
	movq CB_FRAME_UC + CK_UC_MCONTEXT + SC_FPSTATE(%rbx), %rsi
	testq %rsi, %rsi
	jz ck_abort
	testq $63, %rsi
	jnz ck_abort
	cmpq CB_ALT_LO(%rbx), %rsi
	jb ck_abort
	movq CB_ALT_HI(%rbx), %rcx
	subq $(CK_XSTATE_BV_OFF + 64), %rcx
	cmpq %rcx, %rsi
	ja ck_abort
	movq CB_ALT_HI(%rbx), %rcx
	subq %rsi, %rcx			/* the altstack's top above it */
	cmpq $CK_XSAVE_MAX, %rcx
	jbe 2f
	movl $CK_XSAVE_MAX, %ecx
2:	shrq $3, %rcx
	leaq CB_FRAME_XSAVE(%rbx), %rdi
	CK_COPYQ
.endm

/*
 * The way into the ck domain from a kernel signal frame, shared by ck's
 * two host handlers: PKRU must be the kernel's init value (a real signal,
 * not a jump), the WRPKRU at the gate site SITE and its compare, this
 * thread's blocks through GS, RSP on this thread's altstack, and not
 * already in ck. Then ALLOW (ck's own syscalls), with COPY 1 the frame
 * copied to K (CK_COPY_ENTRY_FRAME), the K stack, and flags ck's code can
 * run with; calls HANDLER(cb, ucontext), which never returns.
 * In: %rdx the kernel's ucontext (on the altstack).
 */
.macro CK_GATE_IN site, handler, copy
	movq %rdx, %r12			/* the kernel's frame */
	movq %rdi, %r13			/* the signal: the kernel's register */
	movq %rsi, %r14			/* its siginfo (data only) */
#if !CK_MUTANT_IS(PKRU_INIT)
	xorl %ecx, %ecx
	RDPKRU
	cmpl $CK_PKRU_INIT, %eax
	jne ck_abort
#endif
	movl $CK_PKRU_CK, %eax
	xorl %ecx, %ecx
	xorl %edx, %edx
	.globl \site
\site:
	WRPKRU
#if !CK_MUTANT_IS(GATE_CMP)
	cmpl $CK_PKRU_CK, %eax
	jne ck_abort
#endif
	CK_THIS_CB
#if !CK_MUTANT_IS(ALTSTACK)
	cmpq CB_ALT_LO(%rbx), %rsp	/* on this thread's altstack */
	jb ck_abort
	cmpq CB_ALT_HI(%rbx), %rsp
	jae ck_abort
#endif
	cmpq $0, CB_IN_CK(%rbx)		/* and not already in ck */
	jne ck_nested_entry		/* intr.c's armed windows, or abort */
	movq $1, CB_IN_CK(%rbx)
.Lin_\site:				/* in ck from here (sigdefer.c) */
	movb $CK_SEL_ALLOW, %gs:T_SELECTOR
.if \copy
	CK_COPY_ENTRY_FRAME
.endif
	movq CB_KSTACK_TOP(%rbx), %rsp
	/*
	 * A jump here keeps the program's EFLAGS (the kernel clears DF and
	 * TF only for a real signal, never AC): ck's string copies would run
	 * backwards, and ck would trap or fault on alignment.
	 */
#if !CK_MUTANT_IS(FLAGS)
	pushfq
	andq $~(CK_EFLAGS_TF | CK_EFLAGS_DF | CK_EFLAGS_AC), (%rsp)
	popfq
#endif
	movq %rbx, %rdi
	movq %r12, %rsi
	call \handler			/* leaves through ck_sigreturn */
	jmp ck_abort
.endm

/*
 * A signal that came while this thread was already in ck (intr.c): only
 * where ck armed the thread for it (an interruptible forwarded call, a
 * copy of program memory) and never from the frame, which the program's
 * other threads can rewrite: ck_intr_nested runs on the K stack below the
 * armed context's saved RSP (the interrupted ck frames above it stay as
 * they are) and resumes that context, saved in K. Unarmed: the end of
 * the process (intr.c's ck_intr_unarmed).
 * In: %rbx = cb, %r13 signal, %r14 siginfo, %r12 ucontext (altstack).
 */
	.type ck_nested_entry, @function
ck_nested_entry:
	cmpq $0, CB_INTR_ARMED(%rbx)
	je 1f
	movq CB_INTR_CTX + CK_CTX_RSP(%rbx), %rsp
	subq $256, %rsp
	andq $-16, %rsp
	jmp 2f
	/*
	 * Unarmed: nothing resumes ck here (ck_intr_nested hands it to
	 * ck_intr_unarmed, which ends the process), on the K stack half-way
	 * down, below ck's interrupted frames (its 256 KiB are never half
	 * used).
	 */
1:	movq CB_KSTACK_TOP(%rbx), %rsp
	subq $0x20000, %rsp
2:
#if !CK_MUTANT_IS(FLAGS)
	pushfq
	andq $~(CK_EFLAGS_TF | CK_EFLAGS_DF | CK_EFLAGS_AC), (%rsp)
	popfq
#endif
	movq %rbx, %rdi
	movl %r13d, %esi
	movq %r14, %rdx
	movq %r12, %rcx
	call ck_intr_nested		/* resumes through ck_intr_resume */
	jmp ck_abort
	.size ck_nested_entry, . - ck_nested_entry

/*
 * long ck_intr_save(uint64_t ctx[8]): setjmp for intr.c, ctx in K: the
 * callee-saved registers, RSP and the return address; 0 now, the value
 * ck_intr_resume passes when it comes back here.
 */
	.globl ck_intr_save
	.type ck_intr_save, @function
ck_intr_save:
	movq %rbx, 0(%rdi)
	movq %rbp, 8(%rdi)
	movq %r12, 16(%rdi)
	movq %r13, 24(%rdi)
	movq %r14, 32(%rdi)
	movq %r15, 40(%rdi)
	leaq 8(%rsp), %rax
	movq %rax, CK_CTX_RSP(%rdi)
	movq (%rsp), %rax
	movq %rax, 56(%rdi)
	xorl %eax, %eax
	ret
	.size ck_intr_save, . - ck_intr_save

/* void ck_intr_resume(const uint64_t ctx[8], long val): its longjmp. */
	.globl ck_intr_resume
	.type ck_intr_resume, @function
ck_intr_resume:
	movq 0(%rdi), %rbx
	movq 8(%rdi), %rbp
	movq 16(%rdi), %r12
	movq 24(%rdi), %r13
	movq 32(%rdi), %r14
	movq 40(%rdi), %r15
	movq CK_CTX_RSP(%rdi), %rsp
	movq %rsi, %rax
	jmp *56(%rdi)
	.size ck_intr_resume, . - ck_intr_resume

/*
 * The SIGSYS handler: a program syscall under Syscall User Dispatch.
 * In: %rdi signo, %rsi siginfo, %rdx ucontext (all on the altstack),
 * PKRU = the kernel's init value.
 */
	.globl ck_sigsys_entry
	.type ck_sigsys_entry, @function
ck_sigsys_entry:
	CK_GATE_IN ck_gate_site_entry, ck_handle_sigsys, 1
	.size ck_sigsys_entry, . - ck_sigsys_entry

/*
 * The host handler of every signal the program catches (signal.c): the
 * same way in, then ck_handle_signal builds the program's frame.
 */
	.globl ck_signal_entry
	.type ck_signal_entry, @function
ck_signal_entry:
	CK_GATE_IN ck_gate_site_signal, ck_handle_signal, 0
	.size ck_signal_entry, . - ck_signal_entry

/*
 * long ck_forward(nr, a1, a2, a3, a4, a5, a6): a program syscall issued
 * for it, under the user PKRU, so the kernel's accesses through the
 * program's pointers obey the program's rights (never K or K2). The way
 * back into the ck domain checks that this thread opened the window and
 * that the stack is the one it left (a jump to it from user code fails).
 */
	.globl ck_forward
	.type ck_forward, @function
ck_forward:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rdi, %r14			/* nr */
	movq %rsi, %r15			/* a1 */
	movq %rdx, %r13			/* a2 */
	movq %rcx, %r12			/* a3 */
	movq %r8, %r10			/* a4 */
	CK_THIS_CB			/* rbx = cb; clobbers rax, rcx */
	/*
	 * An interruptible call (intr.c) that lets signals in: the host mask
	 * of the window, ck's own syscall in the ck domain (the old mask into
	 * K, where a nested entry finds it).
	 */
	cmpq $CK_INTR_WAIT, CB_INTR_ARMED(%rbx)
	jne 1f
	call ck_fwd_mask_set
1:	movq $1, CB_IN_WINDOW(%rbx)
	movq %rsp, CB_WINDOW_RSP(%rbx)
	movq %r9, %r8			/* a5 */
	movq 56(%rsp), %r9		/* a6: 6 pushes + return address */
	movq %r15, %rdi
	movq %r13, %rsi
	movl $CK_PKRU_USER, %eax
	xorl %ecx, %ecx
	xorl %edx, %edx
	.globl ck_gate_site_fwd_user
ck_gate_site_fwd_user:
	WRPKRU
#if !CK_MUTANT_IS(GATE_CMP)
	cmpl $CK_PKRU_USER, %eax
	jne ck_abort
#endif
	movq %r12, %rdx			/* a3 */
	movq %r14, %rax
	/*
	 * intr.c reads a nested entry's RIP against these labels (through
	 * ck_fwd_marks: no text symbol splits ck_forward): at the syscall
	 * (the kernel rewound it), right after it (the result in RAX), or
	 * up to .Lfwd_done and in ck_fwd_mask_back (the result in R15).
	 */
.Lfwd_syscall:
	syscall
.Lfwd_after:
	movq %rax, %r15
	movl $CK_PKRU_CK, %eax
	xorl %ecx, %ecx
	xorl %edx, %edx
	.globl ck_gate_site_fwd_ck
ck_gate_site_fwd_ck:
	WRPKRU
#if !CK_MUTANT_IS(GATE_CMP)
	cmpl $CK_PKRU_CK, %eax
	jne ck_abort
#endif
	CK_THIS_CB
	CK_CLOSE_WINDOW
	cmpq $CK_INTR_WAIT, CB_INTR_ARMED(%rbx)
	jne 2f
	call ck_fwd_mask_back
2:	movq $0, CB_INTR_ARMED(%rbx)	/* nothing may come in after this */
.Lfwd_done:
	movq %r15, %rax
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret
	.size ck_forward, . - ck_forward

/*
 * ck_forward's window mask (intr.c's CK_INTR_WAIT), ck's own syscall in
 * the ck domain, the old mask into K where a nested entry finds it.
 * In: %rbx = cb; keeps every register but RAX, RCX, R11.
 */
	.type ck_fwd_mask_back, @function
ck_fwd_mask_back:
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %r10
	movl $__NR_rt_sigprocmask, %eax	/* ck's mask back */
	movl $2, %edi			/* SIG_SETMASK */
	leaq CB_INTR_OLD(%rbx), %rsi
	xorl %edx, %edx
	movl $8, %r10d
	syscall
	popq %r10
	popq %rdx
	popq %rsi
	popq %rdi
	ret
.Lfwd_back_end:
	.size ck_fwd_mask_back, . - ck_fwd_mask_back

	.type ck_fwd_mask_set, @function
ck_fwd_mask_set:
	pushq %rdi
	pushq %rsi
	pushq %rdx
	pushq %r10
	movl $__NR_rt_sigprocmask, %eax
	movl $2, %edi
	leaq CB_INTR_WIN(%rbx), %rsi
	leaq CB_INTR_OLD(%rbx), %rdx
	movl $8, %r10d
	syscall
	popq %r10
	popq %rdx
	popq %rsi
	popq %rdi
	ret
	.size ck_fwd_mask_set, . - ck_fwd_mask_set

/* ck_forward's marks for intr.c: syscall, after, done, mask back, its end. */
	.section .rodata
	.balign 8
	.globl ck_fwd_marks
ck_fwd_marks:
	.quad .Lfwd_syscall, .Lfwd_after, .Lfwd_done
	.quad ck_fwd_mask_back, .Lfwd_back_end
	.text

/*
 * void ck_user_copy(dst, src, n, to_user): see ck.h. In the window (PKRU
 * COPY: the user rights plus KB) only rep movsb between the program's
 * memory and this thread's bounce buffer; the bounce <-> K copy runs in
 * the ck domain. No stack use in the window: the stack is K memory.
 */
	.globl ck_user_copy
	.type ck_user_copy, @function
ck_user_copy:
	pushq %rbx
	movq %rdx, %r8			/* n */
	movl %ecx, %r11d		/* to_user */
	CK_THIS_CB			/* rbx = cb; clobbers rax, rcx */
#if !CK_MUTANT_IS(FLAGS)
	cld				/* forwards, whatever came before */
#endif
	movq CB_BOUNCE(%rbx), %rax
	testl %r11d, %r11d
	jz 1f
	movq %rdi, %r9			/* to the program: window dst */
	movq %rax, %rdi			/* ck's bytes -> bounce, here */
	movq %r8, %rcx
	rep movsb
	movq %rax, %r10			/* window src: the bounce buffer */
	xorl %r11d, %r11d		/* nothing to do after the window */
	jmp 2f
1:	movq %rdi, %r11			/* from the program: the final dst */
	movq %rax, %r9			/* window dst: the bounce buffer */
	movq %rsi, %r10			/* window src: the program's */
2:	movq $1, CB_IN_WINDOW(%rbx)
	movq %rsp, CB_WINDOW_RSP(%rbx)
	movq $1, %gs:T_COPY_ARMED
	movl $CK_PKRU_COPY, %eax
	xorl %ecx, %ecx
	xorl %edx, %edx
	.globl ck_gate_site_copy_user
ck_gate_site_copy_user:
	WRPKRU
#if !CK_MUTANT_IS(COPY_CMP)
	cmpl $CK_PKRU_COPY, %eax
	jne ck_abort
#endif
	/*
	 * PKRU COPY opens KB (every thread's bounce buffer): copy only if
	 * this thread's ck armed the window. K is closed here, so the check
	 * reads K2 through GS (selector 0: the base only ck sets).
	 */
#if !CK_MUTANT_IS(COPY_ARMED)
	movw %gs, %ax
	testw %ax, %ax
	jnz ck_abort
	movabsq $CK_TBLK_MAGIC, %rax
	cmpq %rax, %gs:T_MAGIC
	jne ck_abort
	cmpq $1, %gs:T_COPY_ARMED
	jne ck_abort
#endif
	movq %r9, %rdi
	movq %r10, %rsi
	movq %r8, %rcx
	rep movsb
	movl $CK_PKRU_CK, %eax
	xorl %ecx, %ecx
	xorl %edx, %edx
	.globl ck_gate_site_copy_ck
ck_gate_site_copy_ck:
	WRPKRU
#if !CK_MUTANT_IS(GATE_CMP)
	cmpl $CK_PKRU_CK, %eax
	jne ck_abort
#endif
	CK_THIS_CB
	CK_CLOSE_WINDOW
	movq $0, %gs:T_COPY_ARMED
	testq %r11, %r11
	jz 3f
	movq %r11, %rdi			/* bounce -> ck's dst */
	movq CB_BOUNCE(%rbx), %rsi
	movq %r8, %rcx
	rep movsb
3:	popq %rbx
	ret
	.size ck_user_copy, . - ck_user_copy

/* long ck_raw_syscall(nr, a1..a6): ck's own syscalls, in the ck domain. */
	.globl ck_raw_syscall
	.type ck_raw_syscall, @function
ck_raw_syscall:
	movq %rdi, %rax
	movq %rsi, %rdi
	movq %rdx, %rsi
	movq %rcx, %rdx
	movq %r8, %r10
	movq %r9, %r8
	movq 8(%rsp), %r9
	syscall
	ret
	.size ck_raw_syscall, . - ck_raw_syscall

/*
 * long ck_clone_raw(flags, stack, tls, cb): the host clone of a thread,
 * issued in the ck domain (no tid addresses: clone.c writes those under
 * the user PKRU). The child starts here on its K stack (stack, in K) and
 * runs ck_thread_start(cb) before any program instruction; it never
 * returns. SUD is off in the child: its syscalls reach the host until
 * ck_thread_start arms it, and only ck code runs until then.
 */
	.globl ck_clone_raw
	.type ck_clone_raw, @function
ck_clone_raw:
	pushq %r12
	movq %rcx, %r12			/* cb, kept by the child */
	movq %rdx, %r8			/* tls */
	xorl %edx, %edx			/* parent_tid */
	xorl %r10d, %r10d		/* child_tid */
	movl $__NR_clone, %eax
	syscall
	testq %rax, %rax
	jz 1f
	popq %r12
	ret
1:	movq %r12, %rdi			/* the child, on its K stack */
	call ck_thread_start
	jmp ck_abort
	.size ck_clone_raw, . - ck_clone_raw

/*
 * void ck_sigreturn(void *uc): rt_sigreturn from a frame ck built in K
 * memory (uc = &frame->uc; the kernel finds the frame 8 bytes below).
 * The selector is still ALLOW, so this syscall is ck's own.
 */
	.globl ck_sigreturn
	.type ck_sigreturn, @function
ck_sigreturn:
	movq %rdi, %rsp
	movl $__NR_rt_sigreturn, %eax
	syscall
	jmp ck_abort
	.size ck_sigreturn, . - ck_sigreturn

/*
 * void ck_exit_sigreturn(cb, uc): the trap exit's end, out of ck (in_ck
 * 0), then ck_sigreturn's rt_sigreturn of the K frame. A signal past the
 * store finds the K frame live: sigdefer.c resumes it (ck_exit_marks).
 */
	.globl ck_exit_sigreturn
	.type ck_exit_sigreturn, @function
ck_exit_sigreturn:
	movq $0, CB_IN_CK(%rdi)
.Lexit_out:
	movq %rsi, %rsp
	movl $__NR_rt_sigreturn, %eax
	syscall
	jmp ck_abort
.Lexit_end:
	.size ck_exit_sigreturn, . - ck_exit_sigreturn
	.section .rodata
	.balign 8
	.globl ck_exit_marks
ck_exit_marks:
	.quad .Lexit_out, .Lexit_end
	.text

/*
 * The exit: rt_sigreturn restored every program register but RIP, RSP,
 * RFLAGS, RAX, RCX and RDX (those hold PKRU_USER, 0, 0 for the WRPKRU; RSP
 * points at the program's RFLAGS in the thread's K2 block, where the real
 * values wait; RFLAGS is plain), with PKRU = the ck value and the extended
 * state from K memory. Block syscalls, drop to the user domain, check it
 * took, then restore the rest with no instruction that writes the flags
 * after the pop (K2 is readable in the user domain), and jump back without
 * touching the program's stack. A jump to the pop gains nothing: the
 * program's own flags, its last RSP and return address, from K2.
 *
 * A program whose flags hold TF (single-stepping) must trap after its own
 * next instruction, not after ck's `mov` (popfq sets TF for the
 * instruction after next). For it ck fills the slots (ck_exit_slots) so
 * that this same code pops the flags without TF, loads RSP = the thread's
 * K2 iret frame and jumps to the iretq below, which restores RIP, RSP and
 * RFLAGS with TF at once: the first trap comes after the program's
 * instruction. The WRPKRU, its compare and the selector check are this
 * code's; the fast path is unchanged.
 */
	.globl ck_exit_trampoline
	.type ck_exit_trampoline, @function
ck_exit_trampoline:
#if !CK_MUTANT_IS(EXIT_BLOCK)
	movb $CK_SEL_BLOCK, %gs:T_SELECTOR
#endif
	.globl ck_gate_site_exit
ck_gate_site_exit:
	WRPKRU
#if !CK_MUTANT_IS(EXIT_CMP)
	cmpl $CK_PKRU_USER, %eax
	jne ck_abort
#endif
#if !CK_MUTANT_IS(EXIT_BLOCK)
	cmpb $CK_SEL_BLOCK, %gs:T_SELECTOR
	jne ck_abort
#endif
	movq %gs:T_RAX, %rax
	movq %gs:T_RDX, %rdx
	movq %gs:T_RCX, %rcx
	popfq
	movq %gs:T_RSP, %rsp
	jmp *%gs:T_RET_RIP
.Lck_exit_step:
	iretq				/* RSP = the K2 iret frame (TF) */
.Lck_exit_end:
	.size ck_exit_trampoline, . - ck_exit_trampoline
/*
 * Its length, for signal.c (a signal that came in there): data, not a
 * global label, so that no other text symbol shares ck_restore_rt's
 * address (the gate suite finds code by the symbols objdump shows).
 */
	.section .rodata
	.balign 8
	.globl ck_exit_trampoline_len
ck_exit_trampoline_len:
	.quad .Lck_exit_end - ck_exit_trampoline
	.globl ck_exit_step_off
ck_exit_step_off:
	.quad .Lck_exit_step - ck_exit_trampoline
	.text

/* The restorer of ck's start-up signal (learning the init PKRU). */
	.globl ck_restore_rt
ck_restore_rt:
	movl $__NR_rt_sigreturn, %eax
	syscall
	jmp ck_abort

/* void ck_call_on_stack(fn, arg, top): fn(arg) on another stack, no return. */
	.globl ck_call_on_stack
ck_call_on_stack:
	movq %rdx, %rsp
	movq %rdi, %rax
	movq %rsi, %rdi
	call *%rax
	jmp ck_abort

/* A restorer for sa_restorer: ck never returns from its handlers this way. */
	.globl ck_no_restorer
ck_no_restorer:
	jmp ck_abort

/* The SIGSYS entry's in_ck store done (sigdefer.c: its way in). */
	.section .rodata
	.balign 8
	.globl ck_sigsys_in
ck_sigsys_in:
	.quad .Lin_ck_gate_site_entry
	.text


	.globl _start
	.type _start, @function
_start:
	xorl %ebp, %ebp
	movq %rsp, %rdi
	andq $-16, %rsp
	call ck_start
	jmp ck_abort
	.size _start, . - _start

	.section .note.GNU-stack, "", @progbits
