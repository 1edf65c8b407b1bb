// SPDX-License-Identifier: Apache-2.0
/*
 * Forwarding (DESIGN.md section 4): a program syscall that passed its
 * checks is issued for it under the user PKRU (gate.S's ck_forward), so
 * the kernel's accesses to the program's memory obey the program's rights;
 * one host syscall per forwarded syscall. Also the calls forwarded after
 * argument checks of their own: arch_prctl and prctl (the options a
 * program may use), set_tid_address (the program's writable memory only).
 */
#include <asm/prctl.h>
#include <linux/errno.h>
#include <linux/membarrier.h>
#include <linux/prctl.h>

#include "ck.h"

long ck_forward_args(const long *a, long nr)
{
	struct ck_task *t;

	CK_COUNT(forwarded, 1);
	if (ck_mutant(USER_PKRU))	/* in the ck domain: K is reachable */
		return ck_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	t = ck_this_task();
	if (t->intr)	/* the call's row is interruptible (intr.c) */
		return ck_intr_forward(t, nr, a, 0);
	return ck_sys_user(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

/* A forwarded call with its own signal mask (ppoll...): intr.c. */
long ck_forward_during(struct ck_task *t, const long *a, long nr,
		       const uint64_t *during)
{
	CK_COUNT(forwarded, 1);
	if (ck_mutant(USER_PKRU))
		return ck_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	return ck_intr_forward(t, nr, a, during);
}

long ck_sys_arch_prctl(struct ck_task *t, const long *a)
{
	(void)t;
	/* The kernel takes an int: so does the host filter's compare. */
	long b[6] = { (int)a[0], a[1], 0, 0, 0, 0 };

	if (b[0] == ARCH_SET_FS || b[0] == ARCH_GET_FS || ck_mutant(DENYLIST))
		return ck_forward_args(ck_mutant(DENYLIST) ? a : b,
				       __NR_arch_prctl);
	return ck_refuse(-EPERM);
}

long ck_sys_prctl(struct ck_task *t, const long *a)
{
	(void)t;
	/* The kernel takes an int: so does the host filter's compare. */
	long b[6] = { (int)a[0], a[1], a[2], a[3], a[4], 0 };

	switch (b[0]) {
	case PR_SET_NAME:
	case PR_GET_NAME:
	case PR_GET_DUMPABLE:
	/* An init's (tini's -s): its subtree's orphans, all under ck. */
	case PR_SET_CHILD_SUBREAPER:
	case PR_GET_CHILD_SUBREAPER:
	/* libcap's (ps, top): is capability a[1] in the bounding set? */
	case PR_CAPBSET_READ:
		return ck_forward_args(b, __NR_prctl);
	default:
		return ck_refuse(-EPERM);
	}
}

/*
 * The kernel writes 0 there when the thread exits, long after this call
 * and under whatever PKRU is live then: refuse anything but the
 * program's own writable memory (Linux would accept any address).
 */
long ck_sys_set_tid_address(struct ck_task *t, const long *a)
{
	if (a[0] && !ck_user_ok((uint64_t)a[0], 4, 2 /* PROT_WRITE */) &&
	    !ck_mutant(CK_RANGES))
		return -EFAULT;
	t->cleartid = (uint64_t)a[0];	/* vfork.c, at exec */
	return ck_forward_args(a, __NR_set_tid_address);
}

/*
 * QUERY and the private expedited commands: they act on this process's
 * own threads. The global ones and the rseq flavour (rseq is denied) are
 * refused, and QUERY answers only what ck serves.
 */
long ck_sys_membarrier(struct ck_task *t, const long *a)
{
	const long served = MEMBARRIER_CMD_PRIVATE_EXPEDITED |
			    MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED;
	long r;

	(void)t;
	switch ((int)a[0]) {
	case MEMBARRIER_CMD_QUERY:
		r = ck_forward_args(a, __NR_membarrier);
		return r < 0 ? r : (r & served);
	case MEMBARRIER_CMD_PRIVATE_EXPEDITED:
	case MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED:
		return ck_forward_args(a, __NR_membarrier);
	default:
		return ck_refuse(-EINVAL);
	}
}
