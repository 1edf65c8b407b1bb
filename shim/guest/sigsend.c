// SPDX-License-Identifier: Apache-2.0
/*
 * The calls that send a signal or name one for the kernel to send
 * (kill, tgkill, tkill, the queueing calls, signalfd4, fcntl F_SETSIG):
 * SIGSYS is ck's (signal.c), so the program may neither send it nor have
 * the kernel send it, and a queued SIGSEGV/SIGBUS may not carry a fault's
 * si_code (intr.c tells a fault from a sent one by it).
 */
#include <asm/signal.h>
#include <linux/errno.h>
#include <linux/signal.h>

#include "ck.h"
#include "sigframe.h"

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

/*
 * The queueing calls: never SIGSYS, and the kernel gets ck's copy of the
 * siginfo (in K2), whose si_code it checks as Linux does (a program may
 * not forge a kernel code or SI_TKILL to another process). To itself
 * Linux lets it forge any code; ck refuses a SIGSEGV or SIGBUS with a
 * fault's (si_code > 0): intr.c tells a fault from a sent one by it.
 */
static long queue(struct ck_task *t, long *b, int sig_arg, int info_arg,
		  long nr)
{
	const int sig = (int)b[sig_arg];

	if (ck_signal(b[sig_arg]))
		return ck_refuse(-EPERM);
	if (b[info_arg]) {
		if (ck_copy_from_user(t->cb->pass, (uint64_t)b[info_arg],
				      CK_SIGINFO_SIZE))
			return -EFAULT;
		b[info_arg] = (long)t->cb->pass;
		if (sig >= 1 && sig <= 64 && (CK_SIG_BIT(sig) & CK_SIG_FAULTS) &&
		    *(const int32_t *)(t->cb->pass + 8) > 0 &&
		    !ck_mutant(QUEUE_CODE))
			return ck_refuse(-EPERM);
	}
	return ck_forward_args(b, nr);
}

long ck_sys_rt_sigqueueinfo(struct ck_task *t, const long *a)
{
	long b[6] = { a[0], a[1], a[2], 0, 0, 0 };

	return queue(t, b, 1, 2, __NR_rt_sigqueueinfo);
}

long ck_sys_rt_tgsigqueueinfo(struct ck_task *t, const long *a)
{
	long b[6] = { a[0], a[1], a[2], a[3], 0, 0 };

	return queue(t, b, 2, 3, __NR_rt_tgsigqueueinfo);
}

long ck_sys_pidfd_send_signal(struct ck_task *t, const long *a)
{
	long b[6] = { a[0], a[1], a[2], a[3], 0, 0 };

	return queue(t, b, 1, 2, __NR_pidfd_send_signal);
}

long ck_sys_signalfd4(struct ck_task *t, const long *a)
{
	uint64_t *set = (uint64_t *)t->cb->pass;
	long b[6] = { a[0], (long)set, a[2], a[3], 0, 0 };

	if (a[2] != 8)
		return -EINVAL;
	if (ck_copy_from_user(set, (uint64_t)a[1], 8))
		return -EFAULT;
	if (!ck_mutant(SIGNALS))
		*set &= ~CK_SIG_BIT(SIGSYS);
	return ck_forward_args(b, __NR_signalfd4);
}

/* musl's raise() uses tkill: the same rule. */
long ck_sys_tkill(struct ck_task *t, const long *a)
{
	(void)t;
	if (ck_signal(a[1]))
		return ck_refuse(-EPERM);
	return ck_forward_args(a, __NR_tkill);
}
