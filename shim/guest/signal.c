// SPDX-License-Identifier: Apache-2.0
/*
 * Signals, as far as part 1 goes: SIGSYS is ck's (the trap path's). The
 * program may not send it (kill, tgkill, tkill), have the kernel send it
 * (fcntl F_SETSIG), handle or block it (rt_sigaction answers as for
 * SIG_DFL; the mask read back never shows it); handlers are part 2: only
 * SIG_DFL and SIG_IGN. The program's signal mask lives in ck's frame, its
 * sigaltstack in the task (the host's is ck's). A
 * SIGSYS that is no program syscall ends the process as Linux would.
 */
#include <asm/signal.h>
#include <linux/errno.h>
#include <linux/signal.h>

#include "ck.h"

_Static_assert(sizeof(struct ck_ksigaction) == 32, "struct k_sigaction");

/* The kernel takes signal numbers as int: compare what it will see. */
static int ck_signal(long sig)
{
	return (int)sig == SIGSYS && !ck_mutant(SIGNALS);
}

/*
 * Handlers are part 2: only SIG_DFL and SIG_IGN, never on ck's signals.
 * The kernel gets ck's checked copy of the new action (in K2).
 */
long ck_sys_rt_sigaction(struct ck_task *t, const long *a)
{
	struct ck_ksigaction *act = (struct ck_ksigaction *)t->cb->pass;
	long b[6] = { a[0], a[1] ? (long)act : 0, a[2], a[3], 0, 0 };

	if (ck_signal(a[0])) {
		/* A query only: SIGSYS is at SIG_DFL, as far as it can tell. */
		static const struct ck_ksigaction dfl;

		if (a[1] || a[3] != 8)
			return -EINVAL;
		return a[2] && ck_copy_to_user((uint64_t)a[2], &dfl,
					       sizeof(dfl)) ? -EFAULT : 0;
	}
	if (a[1]) {
		if (ck_copy_from_user(act, (uint64_t)a[1], sizeof(*act)))
			return -EFAULT;
		if ((uint64_t)act->handler > 1 /* SIG_IGN */)
			return ck_refuse(-EPERM);
	}
	return ck_forward_args(b, __NR_rt_sigaction);
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
	return s->ss_size && !(s->ss_flags & SS_AUTODISARM) &&
	       sp > s->ss_sp && sp - s->ss_sp <= s->ss_size;
}

long ck_sys_sigaltstack(struct ck_task *t, const long *a)
{
	struct ck_stack *cur = &t->altstack, ss, old = *cur;
	uint64_t sp = t->cb->frame.uc.uc_mcontext.rsp;
	int mode, bad;

	old.pad = 0;
	old.ss_flags = !cur->ss_size ? SS_DISABLE :
		       on_altstack(cur, sp) ? SS_ONSTACK : 0;
	old.ss_flags |= cur->ss_flags & SS_AUTODISARM;
	if (a[0]) {
		if (ck_copy_from_user(&ss, (uint64_t)a[0], sizeof(ss)))
			return -EFAULT;
		if (on_altstack(cur, sp))
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
		*cur = ss;
	}
	if (a[1] && ck_copy_to_user((uint64_t)a[1], &old, sizeof(old)))
		return -EFAULT;
	return 0;
}

long ck_sys_fcntl(struct ck_task *t, const long *a)
{
	(void)t;
	/* F_SETSIG: the kernel itself would then send ck's signal. */
	if ((unsigned int)a[1] == 10 /* F_SETSIG */ && ck_signal(a[2]))
		return ck_refuse(-EPERM);
	return ck_forward_args(a, __NR_fcntl);
}

/* SIGSYS is ck's: the program may not send it to itself to fake an entry. */
long ck_sys_kill(struct ck_task *t, const long *a)
{
	(void)t;
	if (ck_signal(a[1]))
		return ck_refuse(-EPERM);
	return ck_forward_args(a, __NR_kill);
}

long ck_sys_tgkill(struct ck_task *t, const long *a)
{
	(void)t;
	if (ck_signal(a[2]))
		return ck_refuse(-EPERM);
	return ck_forward_args(a, __NR_tgkill);
}

/* musl's raise() uses tkill: the same rule. */
long ck_sys_tkill(struct ck_task *t, const long *a)
{
	(void)t;
	if (ck_signal(a[1]))
		return ck_refuse(-EPERM);
	return ck_forward_args(a, __NR_tkill);
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
	const struct ck_ksigaction dfl = { 0 /* SIG_DFL */, 0, 0, 0 };
	const uint64_t set = 1ULL << (SIGSYS - 1);

	ck_sys4(__NR_rt_sigaction, SIGSYS, &dfl, 0, 8);
	ck_sys3(__NR_tgkill, ck_sys0(__NR_getpid), ck_sys0(__NR_gettid),
		SIGSYS);
	ck_sys4(__NR_rt_sigprocmask, SIG_UNBLOCK, &set, 0, 8);
	ck_die(128 + SIGSYS, "SIGSYS was not delivered");
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
