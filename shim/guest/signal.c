// SPDX-License-Identifier: Apache-2.0
/*
 * Signals (DESIGN.md section 4): SIGSYS is ck's (the trap path's). The
 * program may not send it (kill, tgkill, tkill), have the kernel send it
 * (fcntl F_SETSIG) or block it (the mask read back never shows it);
 * its action is only recorded and read back. SIG_DFL and SIG_IGN are
 * the host's own actions (default actions stay native); a handler is
 * ck's record, and the host action of its signal is ck_signal_entry,
 * which builds the program's frame (sigframe.c) and runs the handler in
 * the user domain; rt_sigreturn is emulated, never forwarded. The
 * program's signal mask lives in ck's frame, its sigaltstack in the task
 * (the host's is ck's). A SIGSYS that is no program syscall ends the
 * process as Linux would.
 *
 * Inside ck the host mask also holds every caught signal (ck's SIGSYS
 * action's sa_mask): one arriving while ck runs waits for the exit's
 * rt_sigreturn, where it comes in at the exit trampoline, and is
 * delivered with the context the trampoline was about to restore.
 */
#include <asm/signal.h>
#include <linux/errno.h>
#include <linux/signal.h>

#include "ck.h"
#include "sigframe.h"

_Static_assert(sizeof(struct ck_ksigaction) == 32, "struct k_sigaction");

/* The kernel takes signal numbers as int: compare what it will see. */
int ck_signal(long sig)
{
	return (int)sig == SIGSYS && !ck_mutant(SIGNALS);
}

#define SIG_IGN_	1UL

long ck_sigsys_install(uint64_t caught)
{
	const struct ck_ksigaction sa = {
		.handler = (void *)ck_sigsys_entry,
		.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
		.restorer = (void *)ck_no_restorer,
		.mask = CK_SIG_BIT(SIGSYS) | (ck_mutant(SIGMASK) ? 0 : caught),
	};

	return ck_sys4(__NR_rt_sigaction, SIGSYS, &sa, 0, 8);
}

/*
 * The program's action for sig (1..64, not SIGSYS), under ck_proc.lock:
 * what the host has the first time (inherited across execve: an ignored
 * signal stays ignored), ck's record after.
 */
static struct ck_ksigaction *action(int sig)
{
	struct ck_ksigaction *ka = &ck_proc.actions[sig - 1];

	if (!(ck_proc.actions_known & CK_SIG_BIT(sig))) {
		if (ck_sys4(__NR_rt_sigaction, sig, 0, ka, 8))
			*ka = (struct ck_ksigaction){ 0 };
		ck_proc.actions_known |= CK_SIG_BIT(sig);
	}
	return ka;
}

/* ck's entry as a host action (SA_RESTART: intr.c reads rewound calls). */
static const struct ck_ksigaction entry = {
	.handler = (void *)ck_signal_entry,
	.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART | SA_RESTORER,
	.restorer = (void *)ck_no_restorer,
	.mask = ~0ULL,
};

/*
 * sig's first handler (siginstall.c): ck's SIGSYS sa_mask first, then,
 * ck_proc.lock dropped, the wait for the threads in ck on an older mask,
 * and only then ck's entry as sig's host action. This thread blocks
 * everything meanwhile (its exit puts the program's mask back).
 */
static long install(struct ck_task *t, int sig)
{
	const uint64_t bit = CK_SIG_BIT(sig);
	uint64_t g;
	long r;

	if (!ck_mutant(SIGMASK))
		ck_sig_block_all(t);
	if (!ck_proc.installing[sig - 1]++)
		ck_proc.installing_bits |= bit;
	r = ck_sigsys_install(ck_sig_guarded());
	if (!r) {
		g = __atomic_add_fetch(&ck_proc.sig_gen, 1, __ATOMIC_SEQ_CST);
		ck_proc_unlock();
		ck_sig_install_wait(t, g);
		ck_proc_lock();
	}
	if (!--ck_proc.installing[sig - 1])
		ck_proc.installing_bits &= ~bit;
	/* Another installer of sig may have finished while this one waited. */
	if (!r && !(ck_proc.caught & bit)) {
		r = ck_sys4(__NR_rt_sigaction, sig, &entry, 0, 8);
		if (!r)
			__atomic_or_fetch(&ck_proc.caught, bit, __ATOMIC_RELEASE);
	}
	if (r)
		ck_sigsys_install(ck_sig_guarded());
	return r;
}

/*
 * The host action of sig for the program's new action *ka, under
 * ck_proc.lock (held once: install() drops it while it waits). Away from
 * ck's entry: the host action first, then the SIGSYS sa_mask without sig.
 */
static long set_host_action(struct ck_task *t, int sig,
			    const struct ck_ksigaction *ka)
{
	const uint64_t bit = CK_SIG_BIT(sig);
	long r;

	if ((bit & CK_SIG_FAULTS) && !ck_mutant(COPY_FAULT))
		return 0;	/* always ck's entry (intr.c) */
	if ((uint64_t)ka->handler > SIG_IGN_)
		return ck_proc.caught & bit ? 0 : install(t, sig);
	r = ck_sys4(__NR_rt_sigaction, sig, ka, 0, 8);
	if (!r && (ck_proc.caught & bit)) {
		__atomic_and_fetch(&ck_proc.caught, ~bit, __ATOMIC_RELEASE);
		ck_sigsys_install(ck_sig_guarded());
	}
	return r;
}

/*
 * rt_sigaction: SIG_DFL and SIG_IGN go to the host (a checked copy in
 * K); a handler is recorded, its host action ck's entry. The old action
 * is ck's record. SIGSYS stays ck's; SIGKILL and SIGSTOP: EINVAL.
 */
long ck_sys_rt_sigaction(struct ck_task *t, const long *a)
{
	struct ck_ksigaction act, old;
	int sig = (int)a[0];
	long r = 0;

	if (ck_mutant(SIGNALS) && sig == SIGSYS) {
		/* The mutant hands the program's SIGSYS action to the host. */
		struct ck_ksigaction *p = (struct ck_ksigaction *)t->cb->pass;
		long b[6] = { a[0], a[1] ? (long)p : 0, a[2], a[3], 0, 0 };

		if (a[1] && ck_copy_from_user(p, (uint64_t)a[1], sizeof(*p)))
			return -EFAULT;
		return ck_forward_args(b, __NR_rt_sigaction);
	}
	if (a[3] != 8 || sig < 1 || sig > 64)
		return -EINVAL;
	if (ck_signal(a[0])) {
		/*
		 * The host's SIGSYS is ck's: the program's action for it is
		 * only recorded and answered back (the Go runtime sets one
		 * for every signal and dies if that fails); no SIGSYS ever
		 * reaches it, as the program may not send one (kill, F_SETSIG,
		 * timer_create) and ck takes every other.
		 */
		if (a[1] && ck_copy_from_user(&act, (uint64_t)a[1], sizeof(act)))
			return -EFAULT;
		ck_proc_lock();
		old = ck_proc.actions[sig - 1];
		if (a[1])
			ck_proc.actions[sig - 1] = act;
		ck_proc_unlock();
		return a[2] && ck_copy_to_user((uint64_t)a[2], &old,
					       sizeof(old)) ? -EFAULT : 0;
	}
	if (a[3] != 8 || sig < 1 || sig > 64)
		return -EINVAL;
	if (a[1] && (sig == SIGKILL || sig == SIGSTOP))
		return -EINVAL;
	if (a[1] && ck_copy_from_user(&act, (uint64_t)a[1], sizeof(act)))
		return -EFAULT;
	act.mask &= ~CK_SIG_NEVER;
	ck_proc_lock();
	action(sig);	/* the host's, the first time: before it changes */
	if (a[1])
		r = set_host_action(t, sig, &act);
	/* The old action as of this change (install() may have waited). */
	old = ck_proc.actions[sig - 1];
	if (a[1] && !r)
		ck_proc.actions[sig - 1] = act;
	ck_proc_unlock();
	if (!r && a[2] &&
	    ck_copy_to_user((uint64_t)a[2], &old, sizeof(old)))
		return -EFAULT;
	return r;
}

/*
 * The program's signal mask is the one in ck's frame (its rt_sigreturn
 * installs it at the exit; the thread's mask inside ck is the handler's):
 * read and change it there, as the kernel would. SIGSYS stays ck's.
 */
long ck_sys_rt_sigprocmask(struct ck_task *t, const long *a)
{
	const uint64_t never = (1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)) |
			       (1ULL << (SIGSYS - 1));
	uint64_t *mask = t->sigmask, set, old = *mask;

	if (a[3] != 8)
		return -EINVAL;
	if (a[1]) {
		if (ck_copy_from_user(&set, (uint64_t)a[1], 8))
			return -EFAULT;
		switch ((int)a[0]) {
		case SIG_BLOCK: *mask |= set & ~never; break;
		case SIG_UNBLOCK: *mask &= ~set; break;
		case SIG_SETMASK: *mask = set & ~never; break;
		default: return -EINVAL;
		}
	}
	if (a[2] && ck_copy_to_user((uint64_t)a[2], &old, 8))
		return -EFAULT;
	return 0;
}

/*
 * sigaltstack, per thread as Linux keeps it: the host's altstack is ck's
 * (SIGSYS lands there), so the program's is ck's record in the task,
 * where its handlers' frames will go. Never over ck's ranges (K, K2, KB,
 * ck's altstacks and image): EPERM, before anything is recorded.
 */
static int on_altstack(const struct ck_stack *s, uint64_t sp)
{
	return ck_sigframe_on_stack(s, sp) == SS_ONSTACK;
}

/* The thread's new sigaltstack, by sigaltstack's rules at sp. */
static long set_altstack(struct ck_task *t, struct ck_stack ss, uint64_t sp)
{
	int mode, bad;

	if (on_altstack(&t->altstack, sp))
		return -EPERM;
	mode = ss.ss_flags & ~SS_AUTODISARM;
	if (mode != SS_DISABLE && mode != SS_ONSTACK && mode)
		return -EINVAL;
	if (mode == SS_DISABLE) {
		ss.ss_sp = 0;
		ss.ss_size = 0;
	} else {
		if (ss.ss_size < MINSIGSTKSZ)
			return -ENOMEM;
		ck_proc_lock();
		bad = ss.ss_sp + ss.ss_size < ss.ss_sp ||
		      ck_mm_overlaps_ck(ss.ss_sp, ss.ss_sp + ss.ss_size);
		ck_proc_unlock();
		if (bad)
			return -EPERM;
	}
	ss.pad = 0;
	t->altstack = ss;
	return 0;
}

long ck_sys_sigaltstack(struct ck_task *t, const long *a)
{
	struct ck_stack *cur = &t->altstack, ss, old = *cur;
	uint64_t sp = t->cb->frame.uc.uc_mcontext.rsp;
	long r;

	old.pad = 0;
	old.ss_flags = !cur->ss_size ? SS_DISABLE :
		       on_altstack(cur, sp) ? SS_ONSTACK : 0;
	old.ss_flags |= cur->ss_flags & SS_AUTODISARM;
	if (a[0]) {
		if (ck_copy_from_user(&ss, (uint64_t)a[0], sizeof(ss)))
			return -EFAULT;
		r = set_altstack(t, ss, sp);
		if (r)
			return r;
	}
	if (a[1] && ck_copy_to_user((uint64_t)a[1], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

/*
 * A SIGSYS that is no program syscall: sent by another process, or a trap
 * whose details the kernel could not queue. The program's disposition for
 * SIGSYS is the default one (part 1 lets it set no handler), so the
 * process ends as Linux would end it, killed by SIGSYS (its core leaves K
 * out: MADV_DONTDUMP), instead of going on as if a syscall had run.
 */
void ck_die_of_sigsys(void)
{
	ck_die_of(SIGSYS);
}

/* sig to this thread, from ck: its ids as ck keeps them (clone.c). */
static void signal_self(const struct ck_task *t, int sig)
{
	ck_sys3(__NR_tgkill, ck_self_id(t, __NR_getpid),
		ck_self_id(t, __NR_gettid), sig);
}

/* Also Linux's force_sigsegv for a frame that cannot be written or read. */
void ck_die_of(int sig)
{
	const struct ck_ksigaction dfl = { 0 /* SIG_DFL */, 0, 0, 0 };
	const uint64_t set = CK_SIG_BIT(sig);

	ck_sys4(__NR_rt_sigaction, sig, &dfl, 0, 8);
	signal_self(ck_this_task(), sig);
	ck_sys4(__NR_rt_sigprocmask, SIG_UNBLOCK, &set, 0, 8);
	ck_die(128 + sig, "signal %d was not delivered", sig);
}

/*
 * rt_sigpending: what is pending and blocked by the program's mask. The
 * host's answer is ANDed with the thread's mask inside ck (the program's
 * plus SIGSYS): ANDed again with the program's, it is Linux's answer.
 */
long ck_sys_rt_sigpending(struct ck_task *t, const long *a)
{
	uint64_t set = 0;
	long r;

	if (a[1] != 8)
		return -EINVAL;
	r = ck_sys2(__NR_rt_sigpending, &set, 8);
	if (r)
		return r;
	set &= *t->sigmask & ~(1ULL << (SIGSYS - 1));
	return ck_copy_to_user((uint64_t)a[0], &set, 8) ? -EFAULT : 0;
}

/*
 * rt_sigtimedwait: the kernel gets ck's copy of the set (in K2) without
 * SIGSYS, which only ck may take; the siginfo and the timeout are the
 * program's memory, written and read under the user PKRU.
 */
long ck_sys_rt_sigtimedwait(struct ck_task *t, const long *a)
{
	uint64_t *set = (uint64_t *)t->cb->pass;
	long b[6] = { (long)set, a[1], a[2], a[3], 0, 0 };

	if (a[3] != 8)
		return -EINVAL;
	if (ck_copy_from_user(set, (uint64_t)a[0], 8))
		return -EFAULT;
	if (!ck_mutant(SIGNALS))
		*set &= ~(1ULL << (SIGSYS - 1));
	return ck_forward_args(b, __NR_rt_sigtimedwait);
}

/*
 * timer_create: a timer may signal the process, never with SIGSYS. The
 * kernel gets ck's checked copy of the sigevent (in K2); none means
 * SIGALRM.
 */
long ck_sys_timer_create(struct ck_task *t, const long *a)
{
	struct { int value[2]; int signo; int notify; int rest[12]; } *ev =
		(void *)t->cb->pass;
	long b[6] = { a[0], a[1] ? (long)ev : 0, a[2], 0, 0, 0 };

	_Static_assert(sizeof(*ev) == 64, "struct sigevent");
	if (a[1]) {
		if (ck_copy_from_user(ev, (uint64_t)a[1], sizeof(*ev)))
			return -EFAULT;
		if (ev->notify != 1 /* SIGEV_NONE */ && ck_signal(ev->signo))
			return ck_refuse(-EPERM);
	}
	return ck_forward_args(b, __NR_timer_create);
}

/*
 * SIGSEGV and SIGBUS, whose host action is always ck's entry (intr.c):
 * where the program's action would not run a handler, or the signal is a
 * fault the program's mask blocks (Linux's force_sig_fault: the default
 * action then), the host action goes back to the default and the
 * faulting instruction runs again, so the process ends exactly as native
 * (core flag and all). Sent signals: the default is sent again (it waits
 * for the exit's mask), an ignored one is dropped.
 */
static void fault_default(struct ck_task *t, int sig,
			  const struct ck_ksigaction *ka)
{
	const struct ck_ksigaction dfl = { 0, 0, 0, 0 };
	const int sent = *(const int32_t *)(t->cb->frame.info + 8) <= 0;
	uint64_t h = (uint64_t)ka->handler;

	if (h > SIG_IGN_ && (sent || !(*t->sigmask & CK_SIG_BIT(sig))))
		return;	/* the program's handler */
	if (h == SIG_IGN_ && sent)
		ck_return_to_user(t->cb, (long)t->cb->frame.uc.uc_mcontext.rax);
	ck_sys4(__NR_rt_sigaction, sig, &dfl, 0, 8);
	if (sent)
		signal_self(t, sig);
	ck_return_to_user(t->cb, (long)t->cb->frame.uc.uc_mcontext.rax);
}

/*
 * Delivery (Linux's handle_signal and setup_rt_frame): the program's
 * context is ck's frame (cb->frame: registers, mask, extended state, the
 * kernel's siginfo); the handler's frame goes on the program's stack or
 * its sigaltstack, written only through ck_copy_to_user (a frame over K
 * or K2 is refused: the process dies of SIGSEGV as Linux's
 * force_sigsegv); then the handler runs through the usual exit with the
 * mask the action asks for and a clean FPU state.
 */
static __attribute__((noreturn)) void deliver(struct ck_task *t, int sig,
					     const uint64_t *during)
{
	struct ck_frame *f = &t->cb->frame;
	struct sigcontext *sc = &f->uc.uc_mcontext;
	struct ck_rt_sigframe out;
	struct ck_ksigaction ka;
	const uint64_t dfl = 0;
	uint64_t frame, fp, fpsize = ck_env.xsave_size;
	int bad;

	if (sig < 1 || sig > 64 || sig == SIGSYS)	/* not from the kernel */
		ck_return_to_user(t->cb, (long)sc->rax);
	ck_proc_lock();
	ka = *action(sig);
	if ((uint64_t)ka.handler > SIG_IGN_ && (ka.flags & SA_RESETHAND)) {
		ck_proc.actions[sig - 1].handler = 0;
		ck_proc.actions[sig - 1].flags &= ~(uint64_t)SA_SIGINFO;
		set_host_action(t, sig, &(struct ck_ksigaction){ 0, 0, 0, 0 });
	}
	ck_proc_unlock();
	if (CK_SIG_BIT(sig) & CK_SIG_FAULTS)
		fault_default(t, sig, &ka);
	if ((uint64_t)ka.handler == SIG_IGN_)
		ck_return_to_user(t->cb, (long)sc->rax);
	if ((uint64_t)ka.handler == dfl) {
		/* Changed since the kernel chose ck's entry: the default now. */
		signal_self(t, sig);
		ck_return_to_user(t->cb, (long)sc->rax);
	}
	bad = !(ka.flags & SA_RESTORER) ||
	      ck_sigframe_place(sc->rsp, !!(ka.flags & SA_ONSTACK),
				&t->altstack, fpsize, &frame, &fp);
	/*
	 * The interrupted context's PKRU, as the program's handler sees it, is
	 * the user PKRU, the only one program code runs under: a signal that
	 * came in ck's exit before its WRPKRU found ck's in the registers.
	 */
	if (!ck_mutant(FRAME_PKRU))
		ck_frame_set_pkru(f, CK_PKRU_USER);
	if (!bad) {
		ck_sigframe_build(&out, f, (uint64_t)ka.restorer, fp,
				  &t->altstack, ck_env.tmpl.uc.uc_flags);
		if (ck_mutant(SIGFRAME)) {	/* in the ck domain, unchecked */
			memcpy((void *)fp, f->xsave, fpsize);
			memcpy((void *)frame, &out, sizeof(out));
		} else {
			bad = ck_copy_to_user(fp, f->xsave, fpsize) ||
			      ck_copy_to_user(frame, &out, sizeof(out));
		}
	}
	if (bad)
		ck_die_of(SIGSEGV);
	if (t->altstack.ss_flags & SS_AUTODISARM)
		t->altstack = (struct ck_stack){ 0, SS_DISABLE, 0, 0 };
	ck_sigframe_enter(sc, sig, frame, (uint64_t)ka.handler);
	if (during)	/* rt_sigsuspend's: the handler's mask starts there */
		f->uc.uc_sigmask = *during;
	f->uc.uc_sigmask |= ka.mask;
	if (!(ka.flags & SA_NODEFER))
		f->uc.uc_sigmask |= CK_SIG_BIT(sig);
	f->uc.uc_sigmask &= ~CK_SIG_NEVER;
	ck_sigframe_fpu_init(f->xsave);
	ck_return_to_user(t->cb, 0);
}

void ck_deliver(struct ck_task *t, int sig, const uint64_t *during)
{
	deliver(t, sig, during);
}

int ck_signal_restarts(int sig)
{
	int r;

	ck_proc_lock();
	r = !!(action(sig)->flags & SA_RESTART);
	ck_proc_unlock();
	return r;
}

long ck_signals_faults_install(void)
{
	const int sigs[2] = { SIGSEGV, SIGBUS };
	long r = 0;
	int i;

	if (ck_mutant(COPY_FAULT))
		return 0;
	ck_proc_lock();
	for (i = 0; i < 2 && !r; i++) {
		action(sigs[i]);	/* the program's, learnt first */
		r = ck_sys4(__NR_rt_sigaction, sigs[i], &entry, 0, 8);
	}
	ck_proc_unlock();
	return r;
}

/*
 * A SIGSEGV or SIGBUS sent (si_code <= 0: kill, tgkill, sigqueue; ck
 * refuses a queued fault code) that came while ck ran where nothing can
 * resume it. Linux would deliver it after the call; ck can only end the
 * process, so it does when that is what Linux would do: the program's
 * action is the default and its mask lets the signal in. Read without
 * ck_proc.lock (the interrupted ck may hold it): the fault signals' actions
 * are learnt at start (ck_signals_faults_install).
 */
void ck_sig_sent_in_ck(struct ck_task *t, int sig, const uint8_t *si)
{
	if (sig < 1 || sig > 64 || !(CK_SIG_BIT(sig) & CK_SIG_FAULTS) ||
	    *(const int32_t *)si != sig || *(const int32_t *)(si + 8) > 0)
		return;
	if (__atomic_load_n(&ck_proc.actions[sig - 1].handler,
			    __ATOMIC_RELAXED) ||
	    (*t->sigmask & CK_SIG_BIT(sig)))
		return;
	ck_die_of(sig);
}

extern char __executable_start[], etext[];

/*
 * A single-step trap (the kernel's SIGTRAP, TRAP_TRACE, the interrupted
 * flags holding TF); a program may queue itself a SIGTRAP with that code
 * and TF set: at a stub's start (below) it is then lost, its own doing.
 */
static int stepped(const struct ck_cb *cb)
{
	return *(const int32_t *)cb->frame.info == SIGTRAP &&
	       *(const int32_t *)(cb->frame.info + 8) == 2 /* TRAP_TRACE */ &&
	       (cb->frame.uc.uc_mcontext.eflags & CK_EFLAGS_TF);
}

/*
 * ck_signal_entry's C side: a signal the program catches. The thread was
 * in program code, or at ck's exit trampoline (the signal waited while ck
 * ran and came in at the exit's rt_sigreturn, or during the trampoline,
 * or in the direct exit past its in_ck store): there the program's
 * context is the one the trampoline restores, from the thread's K2 block
 * (RIP, RSP, RAX, RCX, RDX, RFLAGS, or the iret frame of a single-step
 * exit: ck_exit_context; it loads no other register). No single step is
 * taken there: the trampoline runs with plain flags and TF comes back
 * only with its iretq. Elsewhere in ck's text: the direct gate's entry in
 * a single-task process (deferred: sigdefer.c), or a jump into the gate
 * with TF set, whose trap comes at its first instruction, in ck's text:
 * never the program's, ck_abort.
 */
void ck_handle_signal(struct ck_cb *cb, struct ck_ucontext *uc)
{
	struct ck_task *t = &ck_task[cb - ck_cb];
	struct sigcontext *sc;
	uint64_t rip;
	int start;

	ck_defer_at_exit(cb, (uint64_t)uc);	/* before the K frame is copied */
	ck_copy_entry_frame(cb, uc);
	sc = &cb->frame.uc.uc_mcontext;
	rip = sc->rip;
	if ((rip >= (uint64_t)ck_exit_trampoline &&
	     rip - (uint64_t)ck_exit_trampoline < ck_exit_trampoline_len) ||
	    ck_direct_at_exit(rip)) {
		ck_exit_context(cb->tblk, sc);
	} else if (rip >= (uint64_t)__executable_start &&
		   rip < (uint64_t)etext) {
		/* On ck's way in or out: sigdefer.c, or the end. */
		if (!ck_mutant(SIG_IN_CK))
			ck_sig_in_ck_text(cb, uc);
	} else if (!ck_mutant(STUB_RIP) &&
		   (rip = ck_stub_site(rip, &start)) != 0) {
		/*
		 * The step of the site's `jmp stub` is no step of the
		 * program's (its first instruction is the stub's copy, not
		 * yet run): resumed in the stub, TF still set, the next trap
		 * is the program's. As if at the site, it would meet the
		 * `jmp` again for ever.
		 */
		if (start && stepped(cb))
			ck_return_to_user(cb, (long)sc->rax);
		/* A kernel si_addr naming the instruction: as at its site. */
		if (*(const int32_t *)(cb->frame.info + 8) > 0 &&
		    *(uint64_t *)(cb->frame.info + 16) == sc->rip)
			*(uint64_t *)(cb->frame.info + 16) = rip;
		sc->rip = rip;	/* in a stub: as if at its site (stubs.c) */
	} else if (ck_site_gp(&cb->frame)) {	/* no IA32 emulation */
		ck_return_to_user(cb, (long)sc->rax);
	}
	deliver(t, *(const int32_t *)cb->frame.info, 0);
}

/*
 * rt_sigreturn, emulated (Linux's restore_sigcontext): the ucontext at
 * the program's RSP and the fpstate it names, read with
 * ck_copy_from_user, checked and restored into ck's frame; the exit then
 * gives the program those registers with the user PKRU and the selector
 * BLOCK as after any call. A frame ck cannot read, or an extended state
 * XRSTOR would refuse, kills with SIGSEGV as Linux does.
 */
long ck_sys_rt_sigreturn(struct ck_task *t, const long *a)
{
	struct ck_cb *cb = t->cb;
	struct ck_frame *f = &cb->frame;
	struct sigcontext *sc = &f->uc.uc_mcontext;
	uint8_t xs[CK_XSAVE_MAX];
	struct ck_ucontext uc;
	uint64_t fp;

	(void)a;
	if (ck_mutant(SIGRETURN_HOST)) {	/* the host restores it */
		cb->in_ck = 0;
		ck_sigreturn((void *)sc->rsp);
	}
	if (ck_copy_from_user(&uc, sc->rsp, sizeof(uc)))
		ck_die_of(SIGSEGV);
	fp = (uint64_t)uc.uc_mcontext.fpstate;
	if (fp && ck_copy_from_user(xs, fp, ck_env.xsave_size))
		ck_die_of(SIGSEGV);
	ck_sigframe_restore_regs(sc, t->sigmask, &uc);
	if (!fp)
		ck_sigframe_fpu_init(f->xsave);
	else if (ck_sigframe_restore_xsave(f->xsave, xs,
					   ck_env.xsave_size))
		ck_die_of(SIGSEGV);
	set_altstack(t, uc.uc_stack, sc->rsp);	/* errors ignored, as Linux */
	return (long)sc->rax;
}

/*
 * rt_sigsuspend (and pause, its legacy form): the program's mask is the
 * given one until a caught signal it lets in arrives. The caught signals
 * may not come in while ck runs, so ck takes the signal itself: a host
 * rt_sigtimedwait, in ck's own memory, on the caught signals the given
 * mask leaves open and SIGSEGV and SIGBUS (ck's entry is always their host
 * action: one sent is taken here, its action decides; other default
 * actions stay the host's: a fatal one ends the process as it would). Then the handler runs as after Linux's
 * sigsuspend: with the given mask plus the action's, the call's -EINTR in
 * its frame, and the old mask back when it returns.
 */
static long suspend(struct ck_task *t, uint64_t set)
{
	const uint64_t block = set & CK_SIG_FAULTS & ~*t->sigmask;
	uint64_t wait, h;
	long sig;

	set &= ~CK_SIG_NEVER;
	/*
	 * SIGSEGV and SIGBUS are never blocked in ck: those the given mask
	 * blocks wait on the host (the exit puts the program's mask back),
	 * the others are taken here like the caught ones.
	 */
	if (block) {
		ck_sys4(__NR_rt_sigprocmask, SIG_BLOCK, &block, 0, 8);
		t->cb->intr.mask_changed = 1;
	}
	ck_proc_lock();
	wait = (ck_proc.caught | CK_SIG_FAULTS) & ~set;
	ck_proc_unlock();
	__atomic_store_n(&t->sigwait, 1, __ATOMIC_RELEASE);
	for (;;) {
		sig = ck_sys4(__NR_rt_sigtimedwait, &wait, t->cb->frame.info,
			      0, 8);
		if (sig == -EINTR)
			continue;
		if (sig < 1 || sig > 64 || !(CK_SIG_BIT(sig) & CK_SIG_FAULTS))
			break;
		ck_proc_lock();
		h = (uint64_t)action((int)sig)->handler;
		ck_proc_unlock();
		if (h == 0)	/* the default: the end, as Linux's */
			ck_die_of((int)sig);
		if (h != SIG_IGN_)
			break;
	}
	__atomic_store_n(&t->sigwait, 0, __ATOMIC_RELEASE);
	if (sig < 0)
		return sig;
	t->cb->frame.uc.uc_mcontext.rax = (uint64_t)-EINTR;
	deliver(t, (int)sig, &set);
}

long ck_sys_rt_sigsuspend(struct ck_task *t, const long *a)
{
	uint64_t set;

	if (a[1] != 8)
		return -EINVAL;
	if (ck_copy_from_user(&set, (uint64_t)a[0], 8))
		return -EFAULT;
	return suspend(t, set);
}

long ck_sys_pause(struct ck_task *t, const long *a)
{
	(void)a;
	return suspend(t, *t->sigmask);
}

void ck_signals_exec(void)
{
	const struct ck_ksigaction dfl = { 0, 0, 0, 0 };
	uint64_t mask = *ck_this_task()->sigmask & ~CK_SIG_BIT(SIGSYS);
	int sig;

	/* SIGSEGV and SIGBUS: the program's own, if ignored (exec keeps it). */
	for (sig = 1; sig <= 64; sig++)
		if (CK_SIG_BIT(sig) & CK_SIG_FAULTS)
			ck_sys4(__NR_rt_sigaction, sig,
				(uint64_t)action(sig)->handler == SIG_IGN_ ?
				action(sig) : &dfl, 0, 8);
	if (!ck_proc.caught)
		return;
	for (sig = 1; sig <= 64; sig++)
		if (ck_proc.caught & CK_SIG_BIT(sig))
			ck_sys4(__NR_rt_sigaction, sig, &dfl, 0, 8);
	ck_sys4(__NR_rt_sigprocmask, SIG_SETMASK, &mask, 0, 8);
}

/*
 * ppoll, pselect6, epoll_pwait and epoll_pwait2 with a mask: the call's
 * mask is the host's while it runs (intr.c sets it for the window, SIGSYS
 * kept blocked) and the kernel gets no mask of its own: a caught signal
 * that mask lets in ends the call with EINTR and its handler runs with
 * that mask, the program's own back when it returns (Linux's
 * saved_sigmask). A call that returns anything else puts the program's
 * mask back first (intr.c's ck_intr_exit).
 */
static long masked(struct ck_task *t, long *b, int arg, long nr)
{
	uint64_t set;

	if (ck_copy_from_user(&set, (uint64_t)b[arg], 8))
		return -EFAULT;
	set &= ~CK_SIG_NEVER;
	b[arg] = 0;
	return ck_forward_during(t, b, nr, &set);
}

long ck_sys_ppoll(struct ck_task *t, const long *a)
{
	long b[6] = { a[0], a[1], a[2], a[3], a[4], 0 };

	if (!a[3])
		return ck_forward_args(b, __NR_ppoll);
	if (a[4] != 8)
		return -EINVAL;
	return masked(t, b, 3, __NR_ppoll);
}

long ck_sys_pselect6(struct ck_task *t, const long *a)
{
	long b[6] = { a[0], a[1], a[2], a[3], a[4], a[5] };
	uint64_t arg[2];

	if (a[5]) {
		if (ck_copy_from_user(arg, (uint64_t)a[5], sizeof(arg)))
			return -EFAULT;
		if (arg[0]) {
			if (arg[1] != 8)
				return -EINVAL;
			/* Read once: the kernel gets no sigset argument. */
			if (ck_copy_from_user(&arg[0], arg[0], 8))
				return -EFAULT;
			b[5] = 0;
			arg[0] &= ~CK_SIG_NEVER;
			return ck_forward_during(t, b, __NR_pselect6, &arg[0]);
		}
	}
	return ck_forward_args(b, __NR_pselect6);
}

static long epoll_masked(struct ck_task *t, long *b, long nr)
{
	if (!b[4])
		return ck_forward_args(b, nr);
	if (b[5] != 8)
		return -EINVAL;
	return masked(t, b, 4, nr);
}

long ck_sys_epoll_pwait(struct ck_task *t, const long *a)
{
	long b[6] = { a[0], a[1], a[2], a[3], a[4], a[5] };

	return epoll_masked(t, b, __NR_epoll_pwait);
}

/*
 * epoll_pwait2: epoll_pwait with a timespec timeout, read once (the
 * kernel gets ck's copy, in K2) and checked first, as Linux does.
 */
long ck_sys_epoll_pwait2(struct ck_task *t, const long *a)
{
	long b[6] = { a[0], a[1], a[2], a[3], a[4], a[5] };
	long *ts = (long *)t->cb->pass;

	if (a[3]) {
		if (ck_copy_from_user(ts, (uint64_t)a[3], 2 * sizeof(long)))
			return -EFAULT;
		if (ts[0] < 0 || (unsigned long)ts[1] >= 1000000000UL)
			return -EINVAL;
		b[3] = (long)ts;
	}
	return epoll_masked(t, b, __NR_epoll_pwait2);
}
