// SPDX-License-Identifier: Apache-2.0
/*
 * The handler-install race (docs/signals.md). Inside ck a thread's host
 * mask blocks what ck's SIGSYS action's sa_mask held when the kernel took
 * that action for it: the caught signals of that moment. A signal S that
 * gets its first handler later must never reach a thread still in ck on
 * an older mask (ck's entry would see a nested entry and abort). So the
 * installer first adds S to that sa_mask and bumps ck_proc.sig_gen; every
 * thread that enters ck from then on blocks S (the kernel's new sa_mask,
 * and the thread itself, on its first entry after a change: the kernel
 * may have taken the action just before it). The installer waits until no
 * other thread is in ck on an older generation, and only then makes ck's
 * entry S's host action: rt_sigaction has installed the handler when it
 * returns, and no thread in ck can take S.
 *
 * A thread at one of intr.c's armed places (an interruptible forwarded
 * call, a copy: a signal there interrupts it, no nested-entry abort) or in
 * ck's own rt_sigtimedwait (sigsuspend, pause) may stay there for ever: it
 * is waited for at most CK_ARMED_WAIT in all. What cannot be seen from outside is
 * a thread between the kernel's choice of ck's SIGSYS action (old mask)
 * and the first instructions of ck's C code, or between ck's exit marking
 * it out of ck and its rt_sigreturn: three passes, 2 and 10 ms apart,
 * leave only such a path stalled for all of that (docs/signals.md).
 */
#include <asm/signal.h>
#include <linux/errno.h>
#include <linux/time.h>

#include "ck.h"
#include "sigframe.h"

#define CK_ARMED_WAIT_NS	50000000LL	/* 50 ms, all threads together */
#define CK_INSTALL_PASSES	3

/* The signals ck's SIGSYS action blocks: caught, or being installed. */
uint64_t ck_sig_guarded(void)
{
	return __atomic_load_n(&ck_proc.caught, __ATOMIC_ACQUIRE) |
	       __atomic_load_n(&ck_proc.installing_bits, __ATOMIC_ACQUIRE);
}

/*
 * On each entry of a program syscall: the first after a handler install
 * blocks what is guarded now (the exit restores the program's mask).
 */
void ck_sig_entry(struct ck_task *t)
{
	uint64_t g = __atomic_load_n(&ck_proc.sig_gen, __ATOMIC_ACQUIRE), m;

	if (t->sig_gen == g || ck_mutant(SIGMASK))
		return;
	m = ck_sig_guarded();
	ck_sys4(__NR_rt_sigprocmask, SIG_BLOCK, &m, 0, 8);
	__atomic_store_n(&t->sig_gen, g, __ATOMIC_RELEASE);
}

/* This thread blocks every signal until its exit: it is waited for by none. */
void ck_sig_block_all(struct ck_task *t)
{
	const uint64_t all = ~CK_SIG_NEVER;

	ck_sys4(__NR_rt_sigprocmask, SIG_BLOCK, &all, 0, 8);
	__atomic_store_n(&t->sig_gen, ~0ULL, __ATOMIC_RELEASE);
}

static long long now_ns(void)
{
	struct { long long s, ns; } ts = { 0, 0 };

	ck_sys2(__NR_clock_gettime, CLOCK_MONOTONIC, &ts);
	return ts.s * 1000000000LL + ts.ns;
}

/*
 * A thread at one of intr.c's armed places (an interruptible forward, a
 * copy), where a signal is no nested-entry abort, or in ck's own wait.
 */
static int armed(const struct ck_task *t)
{
	return __atomic_load_n(&t->sigwait, __ATOMIC_ACQUIRE) ||
	       __atomic_load_n(&t->cb->intr.armed, __ATOMIC_ACQUIRE);
}

/* t may be in ck with a host mask older than generation g. */
static int stale(const struct ck_task *t, uint64_t g)
{
	return __atomic_load_n(&t->live, __ATOMIC_ACQUIRE) && !t->vfork &&
	       __atomic_load_n(&t->cb->in_ck, __ATOMIC_ACQUIRE) &&
	       __atomic_load_n(&t->sig_gen, __ATOMIC_ACQUIRE) < g;
}

/* One pass over the other threads; deadline: for the armed ones. */
static void pass(const struct ck_task *me, uint64_t g, long long *deadline)
{
	int i;

	for (i = 0; i < CK_MAX_THREADS; i++) {
		const struct ck_task *t = &ck_task[i];

		if (t == me || !t->cb)
			continue;
		while (stale(t, g)) {
			if (armed(t)) {
				if (!*deadline)
					*deadline = now_ns() + CK_ARMED_WAIT_NS;
				if (now_ns() > *deadline)
					break;
			}
			ck_sys0(__NR_sched_yield);
		}
	}
}

/*
 * No other thread of the program can be in ck: the caller is its only
 * live thread, and every thread that exited is gone from the host (one
 * tgkill probe for each slot a thread ever had). Read without ck_proc.lock:
 * only another thread could make a thread, and then there is one to wait
 * for anyway. A vfork child runs on a slot of its own in another host
 * process, which signals sent to this one never reach.
 */
int ck_alone(const struct ck_task *me)
{
	int i;

	if (__atomic_load_n(&ck_proc.nthreads, __ATOMIC_ACQUIRE) > 1)
		return 0;
	for (i = 0; i < CK_MAX_THREADS; i++) {
		const struct ck_task *t = &ck_task[i];

		if (t == me || !t->cb || t->vfork)
			continue;
		if (__atomic_load_n(&t->live, __ATOMIC_ACQUIRE))
			return 0;
		if (t->tid > 0 && ck_sys3(__NR_tgkill, ck_proc.pid, t->tid,
					  0) != -ESRCH)
			return 0;
	}
	return 1;
}

/*
 * Called without ck_proc.lock (the threads waited for may need it), after
 * bit was added to the SIGSYS action's sa_mask and sig_gen became g.
 * Nothing is waited for when the caller is the program's only thread
 * (every single-threaded program: a shell installs handlers around each
 * of its waits, and three passes cost 12 ms of pauses each time).
 * A thread not marked in ck may still be on its way in (the kernel took
 * ck's SIGSYS action before the change: its delivery, the gate's first
 * instructions) or on its way out (in_ck cleared, its rt_sigreturn not
 * made yet): the passes repeat after pauses longer than those paths.
 */
void ck_sig_install_wait(const struct ck_task *me, uint64_t g)
{
	static const long pause_ns[CK_INSTALL_PASSES - 1] = { 2000000, 10000000 };
	struct { long s, ns; } ts = { 0, 0 };
	long long deadline = 0;
	int i;

	if (ck_mutant(SIG_INSTALL) || ck_alone(me))
		return;
	for (i = 0; ; i++) {
		pass(me, g, &deadline);
		if (i == CK_INSTALL_PASSES - 1)
			break;
		ts.ns = pause_ns[i];
		ck_sys2(__NR_nanosleep, &ts, 0);
	}
}
