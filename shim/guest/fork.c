// SPDX-License-Identifier: Apache-2.0
/*
 * fork and clone without CLONE_VM (DESIGN.md sections 3 and 4): ck
 * issues the host clone itself, and the child's ck, before any program
 * instruction runs, re-arms Syscall User Dispatch (not inherited by fork;
 * GS, the altstack, the SIGSYS handler and PKRU are), takes a cell of its
 * own through the inherited device fd onto CK_FD_CELL (the parent's cell
 * refuses another mm, and must not stay reachable from the child) and
 * starts its own counters. Memory is copy-on-write as native. vfork and
 * CLONE_VM|CLONE_VFORK are vfork.c's.
 *
 * ck_proc.lock is held across the host clone, so no other thread of the
 * parent is half way through an update of the region table or the Pager
 * queue the child copies; the child, whose only thread is the caller,
 * releases it as the parent does and keeps no other thread's slot.
 */
#include <asm/signal.h>
#include <linux/errno.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/sched.h>
#include <linux/wait.h>

#include "ck.h"

/* Flags a fork may carry, beyond the exit signal (low byte). */
#define FORK_FLAGS	(CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | \
			 CLONE_PARENT_SETTID | CLONE_SETTLS)
#define CSIGNAL_	0xff

/* The child's ck, on the K stack the host clone returned on. */
static void fork_child(struct ck_task *t, uint64_t newsp)
{
	long ret = 0;
	int i;

	memset(&ck_stats, 0, sizeof(ck_stats));
	ck_proc.npager = 0;
	/* The parent's other threads are not in this process. */
	for (i = 0; i < CK_MAX_THREADS; i++)
		if (&ck_task[i] != t)
			ck_task[i].live = 0;
	ck_proc.nthreads = 1;
	t->vfork = 0;
	ck_proc.pid = (int)ck_sys0(__NR_getpid);	/* its own, for getpid */
	t->tid = ck_proc.pid;
	if (!ck_mutant(FORK_SUD))
		ret = ck_sys5(__NR_prctl, PR_SET_SYSCALL_USER_DISPATCH,
			      PR_SYS_DISPATCH_ON, 0, 0, &t->tblk->selector);
	if (ret)
		ck_die(125, "fork child: cannot arm syscall dispatch: %s",
		       ck_strerror(ret));
	if (ck_env.cell_fd >= 0 && !ck_mutant(FORK_CELL)) {
		ck_cell_open();
		ck_learn_own_file(CK_FD_CELL);
	}
	if (newsp)
		t->cb->frame.uc.uc_mcontext.rsp = newsp;
}

/*
 * The host clone of a fork: flags as the program gave them; the kernel's writes of the tids happen under ck's
 * PKRU (the parent's now, the child's at its start), so both must be
 * program memory.
 */
static long do_fork(struct ck_task *t, unsigned long flags, uint64_t newsp,
		    uint64_t ptid, uint64_t ctid, uint64_t tls)
{
	long pid;

	if ((flags & ~(FORK_FLAGS | CSIGNAL_)) ||
	    (flags & CSIGNAL_) > 64 || (flags & CSIGNAL_) == SIGSYS)
		return -EINVAL;
	if ((flags & CLONE_PARENT_SETTID) && !ck_user_ok(ptid, 4, PROT_WRITE))
		return -EFAULT;
	if ((flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) &&
	    !ck_user_ok(ctid, 4, PROT_WRITE))
		return -EFAULT;
	ck_pager_flush();	/* the batch is this mm's, not the child's */
	ck_proc_lock();
	pid = ck_sys5(__NR_clone, flags, 0, ptid, ctid, tls);
	if (pid == 0)
		fork_child(t, newsp);
	ck_proc_unlock();
	return pid;
}

long ck_sys_fork(struct ck_task *t, const long *a)
{
	(void)a;
	return do_fork(t, SIGCHLD, 0, 0, 0, 0);
}

/* vfork(): the child on the parent's stack, as Linux's (vfork.c). */
long ck_sys_vfork(struct ck_task *t, const long *a)
{
	(void)a;
	return ck_vfork(t, CLONE_VM | CLONE_VFORK | SIGCHLD, 0, 0, 0, 0);
}

/* clone(flags, newsp, parent_tid, child_tid, tls) without a thread (clone.c) */
long ck_fork_clone(struct ck_task *t, const long *a)
{
	unsigned long flags = (unsigned long)a[0];

	if (!(flags & CLONE_VM))
		return do_fork(t, flags, (uint64_t)a[1], (uint64_t)a[2],
			       (uint64_t)a[3], (uint64_t)a[4]);
	if (flags & CLONE_VFORK)
		return ck_vfork(t, flags, (uint64_t)a[1], (uint64_t)a[2],
				(uint64_t)a[3], (uint64_t)a[4]);
	return ck_refuse(-EPERM);	/* a thread: clone.c */
}

/*
 * waitid(idtype, id, infop, options, rusage): forwarded, but a P_PIDFD
 * id is an fd (none of ck's).
 */
long ck_sys_waitid(struct ck_task *t, const long *a)
{
	(void)t;
	if (a[0] == P_PIDFD && ck_fd_hidden(a[1]))
		return -EBADF;
	return ck_forward_args(a, __NR_waitid);
}
