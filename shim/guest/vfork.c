// SPDX-License-Identifier: Apache-2.0
/*
 * vfork and clone(CLONE_VM|CLONE_VFORK) as Linux serves them (musl's and
 * glibc's posix_spawn, Go's os/exec): the child is another process on the
 * parent's memory, and the calling thread waits until the child has
 * exec'd or exited.
 *
 * To ck the child is a new host thread on this mm, like a thread of
 * clone.c: it gets a slot of its own (control block and K stack in K,
 * K2 block and selector, ck's altstack), issued by ck_clone_raw, and runs
 * ck_thread_start before any program instruction (GS, altstack, SUD,
 * which no clone inherits; the tids under the user PKRU). It shares K, K2
 * and ck_proc with the parent, as a thread does; it keeps the parent's
 * cell fd (its fd table is a copy), which is right: the cell is this mm's,
 * and the ck its exec starts opens its own. What differs from a thread:
 *   - it is a process of its own: a fatal signal (SIGKILL) can end it
 *     while it runs ck code, with the parent's process alive. So it may
 *     not change what a half-done update would leave wrong: the memory
 *     calls (trap.c refuses them, ENOMEM) and new threads or vforks
 *     (EAGAIN). POSIX allows a vfork child only exec and _exit; musl's and
 *     glibc's posix_spawn children make neither kind of call.
 *   - exec holds ck_proc's lock across the host execveat (exec.c); the
 *     child never comes back to release it, so the parent, once the clone
 *     returns (the child has left this mm), releases it for it.
 *   - the kernel's writes at exec (mm_release: CLEARTID while the mm is
 *     shared; futex_exec_release: the robust list walk) are made under
 *     the PKRU of the execveat, which is ck's: the robust list entries
 *     and their futex words were never checked (ck relies on the user
 *     PKRU at a thread's exit), so a walk there could set OWNER_DIED in
 *     a K2 or K word holding the child's tid. ck_vfork_exec makes the
 *     CLEARTID write itself under the user PKRU and clears both before
 *     the host execveat. (Linux would also walk the robust list: a vfork
 *     child that registered one and execs leaves its mutexes unmarked.)
 *   - its exit is exit_group (it is its process's only thread), under the
 *     user PKRU as every exit; it is not counted in ck_proc.nthreads.
 * The sigaltstack is kept (Linux keeps it with CLONE_VFORK).
 */
#include <asm/signal.h>
#include <linux/errno.h>
#include <linux/futex.h>
#include <linux/sched.h>

#include "ck.h"

#define VFORK_FLAGS	(CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID | \
			 CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID | \
			 CLONE_SETTLS)
#define CSIGNAL_	0xff

/* gate.S: the host clone; the child calls ck_thread_start(cb) on stack. */
long ck_clone_raw(long flags, uint64_t stack, long tls, struct ck_cb *cb);

long ck_vfork(struct ck_task *t, unsigned long flags, uint64_t sp,
	      uint64_t ptid, uint64_t ctid, uint64_t tls)
{
	struct ck_task *c;
	long ret;

	if ((flags & ~(VFORK_FLAGS | CSIGNAL_)) ||
	    (flags & CSIGNAL_) > 64 || (flags & CSIGNAL_) == SIGSYS)
		return -EINVAL;
	if (t->vfork)
		return ck_refuse(-EAGAIN);
	if (!ck_clone_tids_ok(flags, ptid, ctid))
		return -EFAULT;
	c = ck_task_new(0);
	if (!c)
		return -EAGAIN;
	c->vfork = 1;
	c->clone_flags = flags;
	c->ptid = ptid;
	c->ctid = ctid;
	c->altstack = t->altstack;
	/* The child resumes where the parent trapped: its stack, or sp. */
	c->cb->frame = t->cb->frame;
	if (sp)
		c->cb->frame.uc.uc_mcontext.rsp = sp;
	/* Never with the lock held: the child's exec needs it. */
	ret = ck_clone_raw((long)(flags & (CLONE_VM | CLONE_VFORK |
					   CLONE_SETTLS | CSIGNAL_)),
			   c->cb->kstack_top, (long)tls, c->cb);
	/* The child has exec'd or exited: nothing of it runs here now. */
	ck_proc_unlock_for(c);
	ck_task_drop(c, 0);
	return ret;
}

/*
 * rt_sigaction in a vfork child: ck_proc.actions is the parent's too (one
 * memory), but the child's dispositions are its own (no CLONE_SIGHAND).
 * musl's and glibc's posix_spawn children set SIG_DFL where the parent
 * has handlers: that goes to the host for the child only, the table is
 * left alone, and the old action read back is the table's. A new handler
 * would need a table of the child's own: EPERM.
 */
long ck_vfork_sigaction(struct ck_task *t, const long *a)
{
	struct ck_ksigaction *act = (struct ck_ksigaction *)t->cb->pass;
	long b[6] = { a[0], (long)act, 0, a[3], 0, 0 }, ret;
	int sig = (int)a[0];
	struct ck_ksigaction old;

	if (a[3] != 8 || sig < 1 || sig > 64 || sig == SIGKILL ||
	    sig == SIGSTOP)
		return -EINVAL;
	if (ck_copy_from_user(act, (uint64_t)a[1], sizeof(*act)))
		return -EFAULT;
	if ((uint64_t)act->handler > 1 /* SIG_IGN */)
		return ck_refuse(-EPERM);
	ck_proc_lock();
	old = ck_proc.actions[sig - 1];
	ck_proc_unlock();
	ret = ck_forward_args(b, __NR_rt_sigaction);
	if (!ret && a[2] && ck_copy_to_user((uint64_t)a[2], &old, sizeof(old)))
		return -EFAULT;
	return ret;
}

void ck_vfork_exec(struct ck_task *t)
{
	uint32_t zero = 0;
	long a[6] = { 0 };

	if (t->cleartid && !ck_copy_to_user(t->cleartid, &zero, 4)) {
		a[0] = (long)t->cleartid;
		a[1] = FUTEX_WAKE;
		a[2] = 1;
		ck_forward_args(a, __NR_futex);
	}
	t->cleartid = 0;
	ck_sys1(__NR_set_tid_address, 0);
	if (!ck_mutant(VFORK_EXEC))
		ck_sys2(__NR_set_robust_list, 0, 24);
}
