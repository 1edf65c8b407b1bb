// SPDX-License-Identifier: Apache-2.0
/*
 * A signal that comes where ck cannot take it, in a process whose memory
 * has one task (issue 16; docs/signals.md "Deferred in ck").
 *
 * ck runs with the signals the program catches blocked on the trap path
 * (its SIGSYS action's mask), but not on the direct gate, which changes
 * no host mask; SIGSEGV and SIGBUS are never blocked in ck. At intr.c's
 * armed places a signal resumes ck from a context saved in K; anywhere
 * else ("unarmed": ck's own code) the only record of where ck was is the
 * kernel's frame on the altstack, which the program's other threads can
 * write, so there the process ends (intr.c's ck_intr_unarmed).
 *
 * When the thread is the only task on its memory (ck_solo: no other
 * thread, no vfork child, every thread that ran gone from the host),
 * nothing but this thread and the kernel writes the altstack while it
 * runs ck, and it runs no program code until ck leaves. Then ck_defer:
 *   - a fault of ck's own (SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGFPE with a
 *     kernel code, si_code > 0: a program may not queue those codes to
 *     itself for SIGSEGV and SIGBUS) still ends the process;
 *   - a SIGSEGV or SIGBUS the program ignores is dropped (Linux drops it);
 *   - any other: queued again to this thread with its siginfo
 *     (rt_tgsigqueueinfo to itself takes any si_code), blocked in the
 *     frame's saved mask, and ck resumed by rt_sigreturn of that frame.
 *     The call then leaves as a trap (cb->intr.mask_changed: the exit's
 *     rt_sigreturn puts the program's mask back and the signal comes in
 *     at the exit trampoline, as on the trap path); an interruptible
 *     forward before that opens its window (intr.c: the deferred signal
 *     counts as one that may come in), where the signal comes in before
 *     the call started (NESTED_NOT_STARTED: the handler, then the call
 *     again), as if it had come just before the program's syscall.
 * A thread in ck that a signal interrupts is at one of these kinds of
 * place: in_ck set (a nested entry: ck_intr_unarmed); a gate's way in
 * before it set in_ck, the direct gate's or the SIGSYS entry's
 * (ck_handle_signal sees RIP in ck's text: ck_sig_in_ck_text); the trap
 * exit's end past its in_ck store (ck_defer_at_exit, before the K frame
 * is copied over); or the direct exit past its in_ck store (taken as at
 * the exit trampoline, direct.c). A deferral in the direct exit between
 * its recheck of mask_changed and its in_ck store resumes at the recheck.
 */
#include <asm/signal.h>
#include <asm/unistd.h>
#include <linux/errno.h>

#include "ck.h"
#include "sigframe.h"

#define CK_SIG_SYNC	(CK_SIG_FAULTS | CK_SIG_BIT(SIGILL) | \
			 CK_SIG_BIT(SIGTRAP) | CK_SIG_BIT(SIGFPE))
#define SIG_IGN_	1

_Static_assert(offsetof(struct ck_cb, intr.mask_changed) ==
	       CB_INTR_MASK_CHANGED, "CB_INTR_MASK_CHANGED");

/* The cached answer: read only (a nested entry may interrupt a clone). */
int ck_solo(const struct ck_task *t)
{
	return !t->vfork && __atomic_load_n(&ck_proc.solo, __ATOMIC_ACQUIRE);
}

/*
 * At each exit (ck_direct_arm), never from a nested entry: ck_task_new
 * clears the flag under ck_proc.lock before a clone, and a nested entry
 * could find the new task not yet counted. Only this thread makes tasks
 * while it is the only one.
 */
void ck_solo_update(const struct ck_task *t)
{
	if (t->vfork || __atomic_load_n(&ck_proc.solo, __ATOMIC_ACQUIRE) ||
	    __atomic_load_n(&ck_proc.nthreads, __ATOMIC_ACQUIRE) > 1)
		return;
	if (ck_alone(t))
		__atomic_store_n(&ck_proc.solo, 1, __ATOMIC_RELEASE);
}

/*
 * A copy the interrupted ck may be in the middle of: its window (in_window,
 * its RSP, copy_armed) and the bounce bytes this copy reuses, kept.
 */
void ck_defer_copy(struct ck_cb *cb, void *dst, const void *src, size_t n,
		   int to_user)
{
	uint64_t win = cb->in_window, rsp = cb->window_rsp;
	uint64_t armed = cb->tblk->copy_armed;
	uint8_t keep[512];

	if (n > sizeof(keep))
		ck_abort();
	memcpy(keep, cb->bounce, n);
	ck_user_copy(dst, src, n, to_user);
	memcpy(cb->bounce, keep, n);
	cb->in_window = win;
	cb->window_rsp = rsp;
	cb->tblk->copy_armed = armed;
}

void ck_defer(struct ck_cb *cb, int sig, const uint8_t *si_in, uint64_t uc)
{
	struct ck_task *t = &ck_task[cb - ck_cb];
	const uint64_t bit = CK_SIG_BIT(sig);
	const size_t m = offsetof(struct ck_ucontext, uc_sigmask),
		     r = offsetof(struct ck_ucontext, uc_mcontext.rip);
	uint8_t si[CK_SIGINFO_SIZE];
	struct ck_ucontext u;
	uint64_t rip;

	if (sig < 1 || sig > 64 || sig == SIGSYS ||
	    uc < cb->alt_lo || uc > cb->alt_hi - sizeof(u))
		ck_abort();
	memcpy(si, si_in, sizeof(si));
	if (*(const int32_t *)si != sig) {	/* not the kernel's: a plain one */
		memset(si, 0, sizeof(si));
		*(int32_t *)si = sig;
		*(int32_t *)(si + 8) = CK_SI_KERNEL;
	}
	if ((bit & CK_SIG_SYNC) && *(const int32_t *)(si + 8) > 0)
		ck_abort();	/* a fault of ck's own */
	ck_defer_copy(cb, &u, (const void *)uc, sizeof(u), 0);
	if (!(bit & CK_SIG_FAULTS) ||
	    (uint64_t)__atomic_load_n(&ck_proc.actions[sig - 1].handler,
				      __ATOMIC_RELAXED) != SIG_IGN_) {
		if (ck_sys4(__NR_rt_tgsigqueueinfo,
			    ck_self_id(t, __NR_getpid),
			    ck_self_id(t, __NR_gettid), sig, si))
			ck_abort();
		u.uc_sigmask |= bit;
		ck_defer_copy(cb, (void *)(uc + m), &u.uc_sigmask, 8, 1);
		cb->intr.deferred |= bit;
		cb->intr.mask_changed = 1;
	}
	/* Between the direct exit's recheck and its in_ck store: again. */
	rip = u.uc_mcontext.rip;
	if (rip >= ck_direct_marks[1] && rip < ck_direct_marks[2]) {
		rip = ck_direct_marks[1];
		ck_defer_copy(cb, (void *)(uc + r), &rip, 8, 1);
	}
	CK_COUNT(host, 2);	/* the queueing, the rt_sigreturn */
	ck_sigreturn((void *)uc);
}

/*
 * ck_handle_signal's signal in ck's text with in_ck 0 (its entry set it
 * since, and copied the frame to the K frame, which holds nothing of a
 * call yet there): a gate's way in before its in_ck store (the direct
 * gate's, or the SIGSYS entry's, where a sent SIGSEGV or SIGBUS can come:
 * the caught signals are blocked there) is resumed as a nested entry
 * would be. Anywhere else (the trap path's exit after its in_ck store,
 * whose K frame is live) a sent fault signal may end the process by it,
 * else ck_abort.
 */
void ck_sig_in_ck_text(struct ck_cb *cb, struct ck_ucontext *uc)
{
	struct ck_task *t = &ck_task[cb - ck_cb];
	uint64_t rip = cb->frame.uc.uc_mcontext.rip;
	int sig = *(const int32_t *)cb->frame.info;

	if (((rip >= (uint64_t)ck_direct_entry && rip < ck_direct_marks[0]) ||
	     (rip >= (uint64_t)ck_sigsys_entry && rip < ck_sigsys_in)) &&
	    ck_solo(t)) {
		cb->in_ck = 0;	/* as the entry had it */
		ck_defer(cb, sig, cb->frame.info, (uint64_t)uc);
	}
	ck_sig_sent_in_ck(t, sig, cb->frame.info);
	ck_abort();
}

/*
 * Before ck_handle_signal copies the kernel's frame over the K frame: a
 * signal in the trap exit past its in_ck store (ck_exit_sigreturn), whose
 * K frame is live and about to be restored, is deferred in a solo task
 * (the exit's rt_sigreturn then lets it in at the trampoline).
 */
void ck_defer_at_exit(struct ck_cb *cb, uint64_t uc)
{
	const size_t r = offsetof(struct ck_ucontext, uc_mcontext.rip);
	uint8_t si[CK_SIGINFO_SIZE];
	uint64_t rip;

	if (!ck_solo(&ck_task[cb - ck_cb]) || uc < cb->alt_lo ||
	    uc > cb->alt_hi - sizeof(struct ck_ucontext) - sizeof(si))
		return;
	ck_defer_copy(cb, &rip, (const void *)(uc + r), 8, 0);
	if (rip < ck_exit_marks[0] || rip >= ck_exit_marks[1])
		return;
	/* The kernel's rt_sigframe: the siginfo right after the ucontext. */
	ck_defer_copy(cb, si, (const void *)(uc + sizeof(struct ck_ucontext)),
		      sizeof(si), 0);
	cb->in_ck = 0;	/* as the exit had it */
	ck_defer(cb, *(const int32_t *)si, si, uc);
}
