// SPDX-License-Identifier: Apache-2.0
/*
 * The trap path around gate.S (DESIGN.md section 4): a program syscall
 * arrives as SIGSYS through Syscall User Dispatch; the kernel's frame is
 * copied into K memory and checked there, the call dispatched through the
 * syscall table (systab.def: ENOSYS, EPERM, the fd rule, ck's handler or
 * forwarded), and the program resumed through an rt_sigreturn of the
 * frame ck builds in K memory and the exit trampoline.
 */
#include <asm/signal.h>
#include <linux/errno.h>

#include "ck.h"

#define FP_XSTATE_MAGIC1_	0x46505853U
#define XFEATURE_PKRU_BIT	(1ULL << 9)
#define SW_BYTES_OFF		464	/* struct _fpx_sw_bytes in fxsave */
#define XSTATE_BV_OFF		512

_Static_assert(offsetof(struct ck_cb, frame.uc) == CB_FRAME_UC, "layout");
_Static_assert(offsetof(struct ck_cb, frame.xsave) == CB_FRAME_XSAVE,
	       "layout");
_Static_assert(sizeof(struct ck_ucontext) == CK_UC_SIZE, "layout");
_Static_assert(offsetof(struct ck_ucontext, uc_mcontext) == CK_UC_MCONTEXT,
	       "layout");
_Static_assert(offsetof(struct sigcontext, fpstate) == SC_FPSTATE, "layout");
_Static_assert(offsetof(struct sigcontext, rip) == SC_RIP, "layout");
_Static_assert(XSTATE_BV_OFF == CK_XSTATE_BV_OFF, "layout");
_Static_assert(offsetof(struct ck_frame, info) ==
	       offsetof(struct ck_frame, uc) + sizeof(struct ck_ucontext),
	       "siginfo follows the ucontext, as in rt_sigframe");

/*
 * The copy's xsave area: the kernel's magic, and an extended size that
 * fits what was copied (the altstack's top above fpstate, at most
 * CK_XSAVE_MAX).
 */
static void check_xsave(struct ck_cb *cb)
{
	const struct ck_frame *f = &cb->frame;
	uint64_t fp = (uint64_t)f->uc.uc_mcontext.fpstate, n;
	uint32_t magic, ext;

	if (!fp || (fp & 63) || fp < cb->alt_lo ||
	    fp > cb->alt_hi - XSTATE_BV_OFF - 64)
		ck_abort();
	n = cb->alt_hi - fp < CK_XSAVE_MAX ? cb->alt_hi - fp : CK_XSAVE_MAX;
	magic = *(const uint32_t *)(f->xsave + SW_BYTES_OFF);
	ext = *(const uint32_t *)(f->xsave + SW_BYTES_OFF + 4);
	if (magic != FP_XSTATE_MAGIC1_ || ext > n || ext < XSTATE_BV_OFF + 64)
		ck_abort();
}

/*
 * The kernel's frame (ucontext, siginfo, then the xsave area above them)
 * lies wholly on this thread's altstack, which the program can write:
 * copy it to K under the user PKRU (ck_user_copy) and check only the copy.
 * ck_signal_entry's way (it blocks every signal until its exit); the
 * SIGSYS entry copies in gate.S before it leaves the altstack
 * (CK_COPY_ENTRY_FRAME), then check_xsave.
 */
void ck_copy_entry_frame(struct ck_cb *cb, const struct ck_ucontext *uc)
{
	struct ck_frame *f = &cb->frame;
	uint64_t p = (uint64_t)uc, fp, n;

	if (p < cb->alt_lo || p > cb->alt_hi - sizeof(*uc) - CK_SIGINFO_SIZE)
		ck_abort();
	ck_user_copy(&f->uc, uc, sizeof(*uc) + CK_SIGINFO_SIZE, 0);
	fp = (uint64_t)f->uc.uc_mcontext.fpstate;
	if (!fp || (fp & 63) || fp < cb->alt_lo ||
	    fp > cb->alt_hi - XSTATE_BV_OFF - 64)
		ck_abort();
	n = cb->alt_hi - fp < CK_XSAVE_MAX ? cb->alt_hi - fp : CK_XSAVE_MAX;
	ck_user_copy(f->xsave, (const void *)fp, n, 0);
	check_xsave(cb);
}

/*
 * A program syscall, not a SIGSYS someone sent: si_code SYS_USER_DISPATCH
 * and the _sigsys fields the kernel fills for it (call address = the
 * frame's RIP, syscall = its RAX). Other codes share the value 2 (POLL_OUT
 * from F_SETSIG), so the code alone is not enough. Read from ck's copy of
 * the siginfo. Returns the arch (x86-64, or i386 for int $0x80), 0 if none.
 */
#define CK_AUDIT_ARCH_X86_64	0xc000003eU

static uint32_t dispatched(const struct ck_cb *cb, const struct sigcontext *sc)
{
	const uint8_t *info = cb->frame.info;

	if (*(const int32_t *)info == SIGSYS &&
	    *(const int32_t *)(info + 8) == 2 /* SYS_USER_DISPATCH */ &&
	    *(const uint64_t *)(info + 16) == sc->rip &&
	    *(const int32_t *)(info + 24) == (int32_t)sc->rax)
		return *(const uint32_t *)(info + 28);
	return 0;
}

static int ck_mem_call(long nr)
{
	switch (nr) {
	case __NR_mmap: case __NR_munmap: case __NR_mprotect:
	case __NR_mremap: case __NR_madvise: case __NR_brk:
	case __NR_msync: case __NR_mincore:
		return 1;
	default:
		return 0;
	}
}

long ck_refuse(long err)
{
	ck_this_task()->refused = 1;
	return err;
}

/*
 * A refused call, counted once here whichever check refused it, and with
 * --trace one line (one write) on ck's log: name, number, the six
 * arguments, the errno and the thread.
 */
static void refused(struct ck_task *t, long nr, const long *a, long ret)
{
	const char *name = ck_systab_name(nr);

	CK_COUNT(denied, 1);
	if (!ck_env.trace)
		return;
	ck_dprintf(CK_FD_LOG, "ck: refused %s(%ld) 0x%lx 0x%lx 0x%lx 0x%lx "
		   "0x%lx 0x%lx = %ld (%s) tid %d\n", name ? name : "unknown",
		   nr, a[0], a[1], a[2], a[3], a[4], a[5], ret,
		   ck_strerror(ret), (int)ck_self_id(t, __NR_gettid));
}

long ck_dispatch(struct ck_task *t, long nr, const long *a)
{
	const struct ck_systab *r = ck_systab_row(nr);
	long b[6];

	if (!r || r->how == CK_HOW_ENOSYS)
		return ck_refuse(-ENOSYS);
	if (r->how == CK_HOW_OLD) {
		nr = ck_systab_modern(nr, a, b);
		return ck_dispatch(t, nr, b);
	}
	if (r->how == CK_HOW_DENY && !ck_mutant(DENYLIST))
		return ck_refuse(-EPERM);
	if (ck_fd_args_hidden(r, a))
		return ck_refuse(-EBADF);
	t->intr = ck_intr_class(nr);	/* its forward is interruptible */
	if (r->how == CK_HOW_OWN) {
		long ret;

		if (t->vfork && nr == __NR_rt_sigaction && a[1] &&
		    (int)a[0] != SIGSYS)
			return ck_vfork_sigaction(t, a);

		/*
		 * The memory handlers hold ck_proc.lock from their checks
		 * of the region table to the host call that changes it.
		 */
		if (!ck_mem_call(nr))
			return r->fn(t, a);
		if (t->vfork)	/* vfork.c: the table is the parent's too */
			return ck_refuse(-ENOMEM);
		ck_proc_lock();
		ret = r->fn(t, a);
		ck_proc_unlock();
		return ret;
	}
	return ck_forward_args(a, nr);
}

void ck_handle_sigsys(struct ck_cb *cb, struct ck_ucontext *uc)
{
	struct ck_task *t = &ck_task[cb - ck_cb];
	struct sigcontext *sc;
	uint32_t arch;
	long a[6];

	(void)uc;	/* copied by gate.S: never read again (it may be gone) */
	ck_sig_entry(t);	/* first, after a handler install (siginstall.c) */
	check_xsave(cb);
	sc = &cb->frame.uc.uc_mcontext;
	arch = dispatched(cb, sc);
	if (!arch) {
		/*
		 * Without the exit's BLOCK (EXIT_BLOCK) program syscalls
		 * reach the host, and the gate harness enters ck by sending
		 * itself SIGSYS: that mutant lets such a signal go by.
		 */
		if (ck_mutant(EXIT_BLOCK))
			ck_return_to_user(cb, (long)sc->rax);
		ck_die_of_sigsys();
	}
	ck_syscall_args(sc, a);
	CK_COUNT(handled, 1);
	t->after = CK_AFTER_RETURN;
	t->refused = 0;
	/*
	 * A rewritten XRSTOR/WRPKRU site (sites.c) is no syscall: emulated
	 * before the OCI profile, which never sees it.
	 */
	if (arch != CK_AUDIT_ARCH_X86_64 && ck_site_trap(&cb->frame))
		ck_return_to_user(cb, (long)sc->rax);
	ck_return_to_user(cb, ck_serve(t, arch, (int)sc->rax, a, sc->rip));
}

/*
 * A program syscall from either gate (arch 0: the direct gate's, x86-64):
 * the OCI seccomp profile first, as the kernel runs it first; then the
 * table. The kernel takes the number from EAX, not its upper half.
 */
long ck_serve(struct ck_task *t, uint32_t arch, long nr, const long *a,
	      uint64_t ip)
{
	int decided;
	long ret;

	if (!arch)
		arch = CK_AUDIT_ARCH_X86_64;
	t->after = CK_AFTER_RETURN;
	t->refused = 0;
	ret = ck_profile_check(arch, (int)nr, a, ip, &decided);
	if (decided)
		;
	else if (arch != CK_AUDIT_ARCH_X86_64)	/* int $0x80: not served */
		ret = ck_refuse(-ENOSYS);
	else
		ret = ck_dispatch(t, (int)nr, a);
	if (t->refused)
		refused(t, (int)nr, a, ret);
	if (t->after == CK_AFTER_EXIT_GROUP)
		ck_exit_group(ret);
	return ret;
}

/* The frame's extended state holds PKRU = pkru, bit 9 in use. */
void ck_frame_set_pkru(struct ck_frame *f, uint32_t pkru)
{
	uint64_t *xfeatures = (uint64_t *)(f->xsave + SW_BYTES_OFF + 8);
	uint64_t *bv = (uint64_t *)(f->xsave + XSTATE_BV_OFF);

	if (CK_TIMING_BUILD)	/* no PKU: no PKRU state to restore */
		return;
	*(uint32_t *)(f->xsave + ck_env.pkru_xsave_off) = pkru;
	*bv |= XFEATURE_PKRU_BIT;
	*xfeatures |= XFEATURE_PKRU_BIT;
}

/*
 * The exit trampoline's K2 slots for the program's RIP, RSP and RFLAGS
 * (gate.S). With TF (the program single-steps) its popfq would make the
 * first trap come after ck's own `mov`, at ck's `jmp`, and the program
 * would meet the same RIP for ever: the slots then make it pop plain
 * flags and jump to its iretq with RSP at the K2 iret frame, which loads
 * RIP, RSP and the flags with TF at once (the trap comes after the
 * program's next instruction, as after Linux's own IRET). K2 is
 * write-disabled for the program's threads.
 */
void ck_exit_slots(struct ck_tblk *tb, uint64_t rip, uint64_t rsp,
		   uint64_t rflags)
{
	if (!(rflags & CK_EFLAGS_TF)) {
		tb->ret_rip = rip;
		tb->rsp = rsp;
		tb->rflags = rflags;
		return;
	}
	tb->iret[0] = rip;
	tb->iret[1] = 0x33;
	tb->iret[2] = rflags;
	tb->iret[3] = rsp;
	tb->iret[4] = 0x2b;
	tb->ret_rip = (uint64_t)ck_exit_trampoline + ck_exit_step_off;
	tb->rsp = (uint64_t)tb->iret;
	tb->rflags = CK_EFLAGS_PLAIN;	/* no NT either: iretq would fault */
}

/*
 * The program's context as the trampoline restores it (a signal that came
 * in there): the slots, or for a single step the iret frame behind them.
 */
void ck_exit_context(const struct ck_tblk *tb, struct sigcontext *sc)
{
	int step = tb->ret_rip == (uint64_t)ck_exit_trampoline +
				  ck_exit_step_off && !ck_mutant(STEP_SLOTS);

	sc->rip = step ? tb->iret[0] : tb->ret_rip;
	sc->rsp = step ? tb->iret[3] : tb->rsp;
	sc->eflags = step ? tb->iret[2] : tb->rflags;
	sc->rax = tb->rax;
	sc->rcx = tb->rcx;
	sc->rdx = tb->rdx;
}

void ck_return_to_user(struct ck_cb *cb, long ret)
{
	struct ck_frame *f = &cb->frame;
	struct sigcontext *sc = &f->uc.uc_mcontext;
	struct ck_tblk *t = cb->tblk;

	ck_intr_exit(cb, ret);	/* a signal taken during the call: its handler */
	ck_pager_flush();
	ck_direct_arm(&ck_task[cb - ck_cb]);
	t->rax = (uint64_t)ret;
	t->rdx = sc->rdx;
	/* RCX: for a syscall the instruction set it to RIP, so the frame has it. */
	t->rcx = sc->rcx;
	/*
	 * The trampoline's compares would change the program's flags: it
	 * runs with plain ones (no TF: no single step inside it), and pops
	 * the program's from t->rflags last, RSP pointing there meanwhile.
	 */
	ck_exit_slots(t, sc->rip, sc->rsp, sc->eflags);
	sc->rsp = (uint64_t)&t->rflags;
	sc->eflags = CK_EFLAGS_PLAIN;
	sc->rip = (uint64_t)ck_exit_trampoline;
	sc->rax = CK_PKRU_USER;
	sc->rcx = 0;
	sc->rdx = 0;
	sc->cs = 0x33;
	sc->ss = 0x2b;
	sc->fpstate = (void *)f->xsave;
	f->uc.uc_flags = ck_env.tmpl.uc.uc_flags;
	f->uc.uc_link = 0;
	f->uc.uc_stack.ss_sp = cb->alt_lo;
	f->uc.uc_stack.ss_flags = 0;
	f->uc.uc_stack.ss_size = cb->alt_hi - cb->alt_lo;
	f->uc.uc_sigmask &= ~(1ULL << (SIGSYS - 1));
	ck_frame_set_pkru(f, CK_PKRU_CK);	/* what the kernel restores */
	CK_COUNT(host, 1);	/* the rt_sigreturn */
	ck_exit_sigreturn(cb, &f->uc);	/* in_ck 0, then rt_sigreturn */
}
