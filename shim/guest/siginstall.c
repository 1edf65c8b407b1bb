// SPDX-License-Identifier: Apache-2.0
/*
 * The handler-install race (docs/signals.md). On the trap path there is
 * none: ck's SIGSYS action blocks every signal but SIGSEGV and SIGBUS
 * (signal.c ck_sigsys_install), and a signal comes in only at intr.c's
 * armed places, which take it whatever its action was when the thread
 * entered. The direct gate changes no mask: a thread in ck on it runs on
 * the program's mask, which may leave open a signal S that another
 * thread is giving its first handler. So the installer marks S as being
 * installed (ck_proc.installing_bits: the direct gate then bounces every
 * call that S could interrupt to the trap path, direct.c quiet()), and
 * waits until no other thread is in ck on the direct gate outside an
 * armed place; only then ck's entry becomes S's host action.
 *
 * What cannot be seen from outside is a thread on its way into ck on the
 * direct gate: past its stub's T_DIRECT check, before gate.S marks it in
 * ck. The installer clears every thread's T_DIRECT first, and looks three
 * times, 2 and 10 ms apart: only such a path stalled for all of that can
 * still take S inside ck (ck_abort).
 */
#include <linux/errno.h>
#include <linux/time.h>

#include "ck.h"

#define CK_INSTALL_PASSES	3

/* t is in ck on the direct gate, where S may reach it: not armed. */
static int exposed(const struct ck_task *t)
{
	return __atomic_load_n(&t->live, __ATOMIC_ACQUIRE) && !t->vfork &&
	       __atomic_load_n(&t->cb->in_ck, __ATOMIC_SEQ_CST) &&
	       !__atomic_load_n(&t->trap, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&t->cb->intr.armed, __ATOMIC_ACQUIRE);
}

/* One pass over the other threads. */
static void pass(const struct ck_task *me)
{
	int i;

	for (i = 0; i < CK_MAX_THREADS; i++) {
		const struct ck_task *t = &ck_task[i];

		if (t == me || !t->cb)
			continue;
		while (exposed(t))
			ck_sys0(__NR_sched_yield);
	}
}

/*
 * Called without ck_proc.lock (the threads waited for may need it), on
 * the trap path (rt_sigaction is never served on the direct gate), after
 * S was added to ck_proc.installing_bits.
 */
void ck_sig_install_wait(void)
{
	static const long pause_ns[CK_INSTALL_PASSES - 1] = { 2000000, 10000000 };
	struct { long s, ns; } ts = { 0, 0 };
	const struct ck_task *me = ck_this_task();
	int i;

	if (ck_mutant(SIG_INSTALL) || ck_env.no_direct ||
	    __atomic_load_n(&ck_proc.nthreads, __ATOMIC_ACQUIRE) < 2)
		return;
	for (i = 0; i < CK_MAX_THREADS; i++)
		if (ck_task[i].cb && ck_task[i].tblk)
			__atomic_store_n(&ck_task[i].tblk->direct, 0,
					 __ATOMIC_SEQ_CST);
	for (i = 0; ; i++) {
		pass(me);
		if (i == CK_INSTALL_PASSES - 1)
			break;
		ts.ns = pause_ns[i];
		ck_sys2(__NR_nanosleep, &ts, 0);
	}
}
