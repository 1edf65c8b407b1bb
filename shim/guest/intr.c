// SPDX-License-Identifier: Apache-2.0
/*
 * Signals while a thread is in ck (DESIGN.md section 4, docs/xgate.md
 * "Signals during a call"). ck runs inside its SIGSYS handler with the
 * signals the program catches blocked, so a caught signal waits for ck's
 * exit. Two places must let one in: a forwarded call that blocks (read on
 * a pipe, wait4, a futex wait, nanosleep: Linux ends it with EINTR or
 * restarts it), and ck's copy window (ck_user_copy), where a fault of the
 * program's memory is the call's EFAULT, not the end of the process.
 *
 * The kernel writes a signal's frame on the thread's altstack, which the
 * program's other threads can write: ck never returns through that frame
 * nor trusts it. Before such a place ck saves where to resume in K
 * (ck_intr_save: callee-saved registers, RSP, RIP) and arms the thread
 * (cb->intr.armed, K). A signal then enters ck again (gate.S's
 * ck_nested_entry, after the usual gate checks; an unarmed thread ends the
 * process, ck_intr_unarmed):
 * ck_intr_nested takes the signal number from the kernel's RDI, copies the
 * siginfo and the few frame registers it reads as data, puts ck's host
 * mask back itself (no rt_sigreturn) and resumes the saved context with
 * its verdict. A lying frame can only lie to the program about its own
 * call: only the rows systab.def marks CK_INTR, whose results ck hands
 * back without reading them (audited there), are armed; ck's own host
 * syscalls never are. The signal is delivered at ck's exit (ck_intr_exit)
 * with the call's result in RAX.
 */
#include <asm/signal.h>
#include <asm/unistd.h>
#include <linux/errno.h>

#include "ck.h"
#include "sigframe.h"

_Static_assert(offsetof(struct ck_cb, intr.armed) == CB_INTR_ARMED, "layout");
_Static_assert(offsetof(struct ck_cb, intr.ctx) == CB_INTR_CTX, "layout");
_Static_assert(offsetof(struct ck_cb, intr.win) == CB_INTR_WIN, "layout");
_Static_assert(offsetof(struct ck_cb, intr.old) == CB_INTR_OLD, "layout");

/* What a nested entry found (ck_intr_save's second return). */
enum {
	NESTED_FAULT = 1,	/* the copy faulted: EFAULT */
	NESTED_RETRY,		/* a signal during a copy: copy again */
	NESTED_DONE,		/* the call returned: intr.result */
	NESTED_REWOUND,		/* the kernel rewound it to restart it */
	NESTED_NOT_STARTED,	/* it never reached the kernel */
};

/*
 * gate.S's marks in ck_forward: its syscall, right after it, where the
 * result leaves R15, and ck_fwd_mask_back's range (R15 holds it there).
 */
extern const uint64_t ck_fwd_marks[5];
extern const char ck_gate_site_copy_user[], ck_gate_site_copy_ck[];

/* The host mask ck puts back when it does not know a better one. */
#define CK_MASK_IN_CK	(~CK_SIG_FAULTS)

int ck_intr_class(long nr)
{
	switch (nr) {
#define CK_INTR(name, class) case __NR_##name: return class;
#include "systab.def"
	default:
		return 0;
	}
}

static void record(struct ck_intr *in, int sig, const uint8_t *si)
{
	in->sig = sig;
	memcpy(in->info, si, sizeof(in->info));
}

void ck_intr_nested(struct ck_cb *cb, int sig, uint64_t info, uint64_t uc)
{
	struct ck_intr *in = &cb->intr;
	uint64_t armed = in->armed, rip;
	uint8_t si[CK_SIGINFO_SIZE];
	struct ck_ucontext u;
	int code;

	if (!armed)
		ck_intr_unarmed(cb, sig, info, uc);
	/* Data only, copied once: the frame is the program's to write. */
	if (info < cb->alt_lo || info > cb->alt_hi - sizeof(si) ||
	    uc < cb->alt_lo || uc > cb->alt_hi - sizeof(u))
		ck_abort();
	ck_user_copy(si, (const void *)info, sizeof(si), 0);
	ck_user_copy(&u, (const void *)uc, sizeof(u), 0);
	if (ck_mutant(INTR_SIGRETURN))	/* as a plain handler: its frame */
		ck_sigreturn((void *)uc);
	in->armed = 0;
	cb->in_window = 0;
	cb->tblk->copy_armed = 0;
	if (sig < 1 || sig > 64 || sig == SIGSYS)
		ck_abort();
	if (*(const int32_t *)si != sig) {	/* not the kernel's: a plain one */
		memset(si, 0, sizeof(si));
		*(int32_t *)si = sig;
		*(int32_t *)(si + 8) = CK_SI_KERNEL;
	}
	code = *(const int32_t *)(si + 8);
	rip = u.uc_mcontext.rip;
	ck_sys4(__NR_rt_sigprocmask, SIG_SETMASK, &in->old, 0, 8);
	in->mask_changed = 1;
	if (armed == CK_INTR_COPY) {
		if ((sig == SIGSEGV || sig == SIGBUS) && code > 0) {
			/* A fault anywhere else in ck is ck's own. */
			if (rip < (uint64_t)ck_gate_site_copy_user ||
			    rip >= (uint64_t)ck_gate_site_copy_ck)
				ck_abort();
			ck_intr_resume(in->ctx, NESTED_FAULT);
		}
		record(in, sig, si);	/* sent, not a fault: delivered later */
		ck_intr_resume(in->ctx, NESTED_RETRY);
	}
	if ((sig == SIGSEGV || sig == SIGBUS) && code > 0)
		ck_abort();	/* a fault of ck's own: the call faults in-kernel */
	record(in, sig, si);
	if (rip == ck_fwd_marks[1]) {
		in->result = (long)u.uc_mcontext.rax;
		ck_intr_resume(in->ctx, NESTED_DONE);
	}
	if ((rip > ck_fwd_marks[1] && rip <= ck_fwd_marks[2]) ||
	    (rip >= ck_fwd_marks[3] && rip < ck_fwd_marks[4])) {
		in->result = (long)u.uc_mcontext.r15;
		ck_intr_resume(in->ctx, NESTED_DONE);
	}
	ck_intr_resume(in->ctx, rip == ck_fwd_marks[0] ?
			NESTED_REWOUND : NESTED_NOT_STARTED);
}

/*
 * A signal that came while this thread ran in ck where nothing is armed
 * (gate.S's unarmed nested entry): ck cannot resume there (the only
 * record of that context is the kernel's frame on the altstack, which the
 * program's other threads can write), so the process ends, unless the
 * thread is the only task on its memory (sigdefer.c). A SIGSEGV or
 * SIGBUS that was sent (si_code <= 0), of default action and not blocked,
 * ends it by that signal, as Linux would; anything else (a fault of ck's
 * own, a handler to run) is ck_abort. The siginfo is data copied once; a
 * code rewritten on the altstack only chooses between the two deaths.
 */
void ck_intr_unarmed(struct ck_cb *cb, int sig, uint64_t info, uint64_t uc)
{
	struct ck_task *t = &ck_task[cb - ck_cb];
	uint8_t si[CK_SIGINFO_SIZE];

	if (info < cb->alt_lo || info > cb->alt_hi - sizeof(si))
		ck_abort();
	ck_defer_copy(cb, si, (const void *)info, sizeof(si), 0);
	if (ck_mutant(UNARMED_SIGRETURN) && (sig == SIGSEGV || sig == SIGBUS)) {
		/* The naive deferral: record it, resume by the kernel's frame. */
		record(&cb->intr, sig, si);
		ck_sigreturn((void *)uc);
	}
	ck_sig_sent_in_ck(t, sig, si);
	/* The process's only task: nobody else wrote the frame (sigdefer.c). */
	if (ck_solo(t) || ck_mutant(UNARMED_DEFER_MT))
		ck_defer(cb, sig, si, uc);
	ck_abort();
}

int ck_intr_copy(struct ck_cb *cb, void *dst, const void *src, size_t n,
		 int to_user)
{
	struct ck_intr *in = &cb->intr;
	long v;

	if (ck_mutant(COPY_FAULT)) {	/* a fault ends the process */
		ck_user_copy(dst, src, n, to_user);
		return 0;
	}
	for (;;) {
		v = ck_intr_save(in->ctx);
		if (!v) {
			in->old = CK_MASK_IN_CK;
			in->armed = CK_INTR_COPY;
			ck_user_copy(dst, src, n, to_user);
			in->armed = 0;
			return 0;
		}
		CK_COUNT(host, 1);	/* the nested entry's mask */
		if (v == NESTED_FAULT)
			return -EFAULT;
	}
}

/*
 * A call with its own mask (ppoll...) whose signal came before it
 * started. Linux would still look at the fds once: ready ones win over
 * the pending signal (then the program's mask is back before any handler:
 * ck_intr_exit), none means EINTR. ck looks once without blocking, under
 * ck's own mask (no nested entry): a zero timeout of its own, in K2 (the
 * kernel writes no time back for a zero one; the program's own timeout
 * is left as it was).
 */
static long poll_once(struct ck_task *t, long nr, const long *a)
{
	long *zero = (long *)t->cb->pass, b[6];
	long r;

	memcpy(b, a, sizeof(b));
	zero[0] = 0;
	zero[1] = 0;
	switch (nr) {
	case __NR_ppoll: b[2] = (long)zero; break;
	case __NR_pselect6: b[4] = (long)zero; break;
	case __NR_epoll_pwait: b[3] = 0; break;
	case __NR_epoll_pwait2: b[3] = (long)zero; break;
	default: return -EINTR;
	}
	r = ck_sys_user(nr, b[0], b[1], b[2], b[3], b[4], b[5]);
	return r ? r : -EINTR;
}

long ck_intr_forward(struct ck_task *t, long nr, const long *a,
		     const uint64_t *during)
{
	struct ck_cb *cb = t->cb;
	struct ck_intr *in = &cb->intr;
	struct sigcontext *sc = &cb->frame.uc.uc_mcontext;
	uint64_t mask = during ? *during : *t->sigmask, open;
	int cls = t->intr;
	long v, r;

	t->intr = 0;
	/* A signal deferred in this call (sigdefer.c) may come in too. */
	open = (__atomic_load_n(&ck_proc.caught, __ATOMIC_RELAXED) |
		in->deferred) & ~mask;
	in->has_during = !!during;
	in->during = mask;
	in->old = CK_MASK_IN_CK;
	in->win = (mask | CK_SIG_BIT(SIGSYS)) & ~CK_SIG_NEVER;
	v = ck_intr_save(in->ctx);
	if (!v) {
		/*
		 * Signals in only if one the program catches is open (else
		 * armed all the same: a SIGSEGV or SIGBUS it sends itself).
		 */
		in->armed = cls == CK_INTR_WAIT && (open || during) ?
			    CK_INTR_WAIT : CK_INTR_ARM;
		if (in->armed == CK_INTR_WAIT)
			CK_COUNT(host, 2);	/* the window's mask, and back */
		r = ck_sys_user(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		in->has_during = 0;
		return r;
	}
	CK_COUNT(host, 1);	/* the nested entry's mask */
	switch (v) {
	case NESTED_DONE:
		return in->result;
	case NESTED_REWOUND:
		/* Linux's ERESTARTSYS: the program's SA_RESTART decides. */
		if (during || !ck_signal_restarts(in->sig))
			return -EINTR;
		break;
	default:	/* not started: as if the signal came before it */
		if (during)
			return poll_once(t, nr, a);
		break;
	}
	/*
	 * Restarted as Linux restarts: the handler runs first, then the
	 * program's syscall instruction again (the frame still has its
	 * number in RAX), which traps to ck anew.
	 */
	in->has_during = 0;
	sc->rip -= 2;
	return (long)sc->rax;
}

void ck_intr_exit(struct ck_cb *cb, long ret)
{
	struct ck_intr *in = &cb->intr;
	struct ck_task *t = &ck_task[cb - ck_cb];
	uint64_t during = in->during;
	int sig = in->sig, has = in->has_during;

	in->deferred = 0;	/* the exit puts the program's mask back */
	if (!sig)
		return;
	in->sig = 0;
	in->has_during = 0;
	/*
	 * A call with its own mask (ppoll...) that the signal did not end
	 * (it returned events, or timed out): Linux puts the program's mask
	 * back first (restore_saved_sigmask_unless(ret == -EINTR)), so the
	 * handler runs on that one, and a signal it blocks stays pending:
	 * queued again to this thread with its siginfo, it waits for the
	 * program's mask to let it in.
	 */
	if (has && ret != -EINTR) {
		has = 0;
		if (*t->sigmask & CK_SIG_BIT(sig)) {
			ck_sys4(__NR_rt_tgsigqueueinfo,
				ck_self_id(t, __NR_getpid),
				ck_self_id(t, __NR_gettid), sig, in->info);
			return;
		}
	}
	memcpy(cb->frame.info, in->info, sizeof(in->info));
	cb->frame.uc.uc_mcontext.rax = (uint64_t)ret;
	ck_deliver(&ck_task[cb - ck_cb], sig, has ? &during : 0);
}
