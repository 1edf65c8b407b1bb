// SPDX-License-Identifier: Apache-2.0
/*
 * Threads of the program (issue #11): clone(CLONE_VM|CLONE_THREAD), the
 * thread's exit, ck_proc's lock, and the ids getpid and gettid answer.
 *
 * ck issues the host clone itself, in the ck domain, with the child's
 * stack in K (the new thread's K stack), so the child runs ck code first:
 * it sets its GS base to its own K2 block, its altstack and Syscall User
 * Dispatch (neither is inherited by clone), writes the tids and registers
 * CHILD_CLEARTID under the user PKRU, and only then enters the program at
 * its RIP/RSP through the normal exit (rt_sigreturn of a K frame and the
 * trampoline). The host clone gets none of PARENT_SETTID, CHILD_SETTID,
 * CHILD_CLEARTID: those writes would be made with ck's PKRU. A thread's
 * exit is issued under the user PKRU (ck_forward), so the kernel's
 * CLEARTID write and robust-list walk at exit cannot reach K or K2.
 */
#include <asm/signal.h>
#include <linux/errno.h>
#include <linux/futex.h>
#include <linux/sched.h>

#include "ck.h"

#define PROT_WRITE_	2
#define CK_CLONE_TIDS	(CLONE_PARENT_SETTID | CLONE_CHILD_SETTID | \
			 CLONE_CHILD_CLEARTID)
/* What a thread may ask for; the first three are required. */
#define CK_CLONE_NEED	(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD)
#define CK_CLONE_OK	(CK_CLONE_NEED | CLONE_FS | CLONE_FILES | \
			 CLONE_SYSVSEM | CLONE_SETTLS | CLONE_DETACHED | \
			 CLONE_IO | CK_CLONE_TIDS | CSIGNAL)

/* gate.S: the host clone; the child calls ck_thread_start(cb) on stack. */
long ck_clone_raw(long flags, uint64_t stack, long tls, struct ck_cb *cb);

/*
 * ck_proc.lock: a futex word (0 free, 1 held, 2 held with waiters) and
 * its owner (task index + 1) for recursion: ck_user_ok takes it inside
 * the memory handlers that hold it already.
 */
void ck_proc_lock(void)
{
	struct ck_proc *p = &ck_proc;
	unsigned int me = (unsigned int)(ck_this_task() - ck_task) + 1;
	int c = 0;

	if (__atomic_load_n(&p->lock_owner, __ATOMIC_RELAXED) == me) {
		p->lock_depth++;
		return;
	}
	if (!__atomic_compare_exchange_n(&p->lock, &c, 1, 0, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED)) {
		if (c != 2)
			c = __atomic_exchange_n(&p->lock, 2, __ATOMIC_ACQUIRE);
		while (c) {
			ck_sys4(__NR_futex, &p->lock, FUTEX_WAIT_PRIVATE, 2, 0);
			c = __atomic_exchange_n(&p->lock, 2, __ATOMIC_ACQUIRE);
		}
	}
	p->lock_owner = me;
	p->lock_depth = 1;
}

void ck_proc_unlock(void)
{
	struct ck_proc *p = &ck_proc;

	if (--p->lock_depth)
		return;
	__atomic_store_n(&p->lock_owner, 0, __ATOMIC_RELAXED);
	if (__atomic_exchange_n(&p->lock, 0, __ATOMIC_RELEASE) == 2)
		ck_sys3(__NR_futex, &p->lock, FUTEX_WAKE_PRIVATE, 1);
}

/*
 * A vfork child that left this mm (exec, exit, a kill) with the lock held
 * (exec holds it across the host execveat): its parent, back from the
 * clone, releases it for it. No one else can change a held lock's owner.
 */
void ck_proc_unlock_for(struct ck_task *c)
{
	struct ck_proc *p = &ck_proc;
	unsigned int owner = (unsigned int)(c - ck_task) + 1;

	if (__atomic_load_n(&p->lock_owner, __ATOMIC_ACQUIRE) != owner)
		return;
	p->lock_depth = 1;
	ck_proc_unlock();
}

/*
 * A free slot: never used, or its thread gone (tgkill says ESRCH: the
 * kernel released the task, after its CLEARTID write). Under the lock.
 */
static int free_slot(void)
{
	long pid = ck_self_id(ck_this_task(), __NR_getpid);
	int i;

	for (i = 1; i < CK_MAX_THREADS; i++) {
		struct ck_task *t = &ck_task[i];

		if (t->live)
			continue;
		if (!t->cb || ck_sys3(__NR_tgkill, pid, t->tid, 0) == -ESRCH)
			return i;
	}
	return -1;
}

/* A free slot's task, its blocks allocated, live; NULL if none. */
struct ck_task *ck_task_new(int thread)
{
	struct ck_task *c = 0;
	int i;

	ck_proc_lock();
	/* A task beside this one from now on (sigdefer.c). */
	__atomic_store_n(&ck_proc.solo, 0, __ATOMIC_SEQ_CST);
	i = free_slot();
	if (i >= 0 && !ck_thread_alloc(&ck_cb[i], &ck_tblk[i])) {
		c = &ck_task[i];
		c->live = 1;
		if (thread)
			ck_proc.nthreads++;
	}
	ck_proc_unlock();
	return c;
}

void ck_task_drop(struct ck_task *c, int thread)
{
	ck_proc_lock();
	c->live = 0;
	if (thread)
		ck_proc.nthreads--;
	ck_proc_unlock();
}

/*
 * The child's first code, on its K stack, PKRU = ck's, SUD off: a thread's
 * or a vfork child's (vfork.c).
 */
__attribute__((noreturn)) void ck_thread_start(struct ck_cb *cb)
{
	struct ck_task *t = &ck_task[cb - ck_cb];
	uint32_t tid;
	long a[6] = { 0 };

	if (ck_thread_arm(cb, cb->tblk))
		ck_abort();
	tid = (uint32_t)ck_sys0(__NR_gettid);
	t->tid = (int)tid;
	/* Linux writes both before either thread runs program code. */
	if ((t->clone_flags & CLONE_PARENT_SETTID) &&
	    ck_copy_to_user(t->ptid, &tid, 4))
		ck_abort();
	if ((t->clone_flags & CLONE_CHILD_SETTID) &&
	    ck_copy_to_user(t->ctid, &tid, 4))
		ck_abort();
	if (t->clone_flags & CLONE_CHILD_CLEARTID) {
		a[0] = (long)t->ctid;
		ck_forward_args(a, __NR_set_tid_address);
		t->cleartid = t->ctid;
	}
	ck_return_to_user(cb, 0);
}

/*
 * The addresses the kernel (or ck for it) writes later: the program's
 * writable memory only, never K or K2 (a selector).
 */
int ck_clone_tids_ok(unsigned long flags, uint64_t ptid, uint64_t ctid)
{
	if (ck_mutant(TID_ADDR))
		return 1;
	if ((flags & CLONE_PARENT_SETTID) && !ck_user_ok(ptid, 4, PROT_WRITE_))
		return 0;
	return !(flags & (CLONE_CHILD_SETTID | CLONE_CHILD_CLEARTID)) ||
	       ck_user_ok(ctid, 4, PROT_WRITE_);
}

long ck_sys_clone(struct ck_task *t, const long *a)
{
	unsigned long flags = (unsigned long)a[0];
	uint64_t sp = (uint64_t)a[1], ptid = (uint64_t)a[2];
	uint64_t ctid = (uint64_t)a[3];
	struct ck_task *c;
	struct ck_cb *cb;
	uint32_t tid;
	long ret;

	/* fork and vfork: not a thread (fork.c, vfork.c). */
	if (!(flags & CLONE_VM) || (flags & CLONE_VFORK))
		return ck_fork_clone(t, a);
	/* A vfork child's threads would share its slot's process state. */
	if (t->vfork)
		return ck_refuse(-EAGAIN);
	if ((flags & CK_CLONE_NEED) != CK_CLONE_NEED || (flags & ~CK_CLONE_OK)) {
		return ck_refuse(-EPERM);
	}
	if (!ck_clone_tids_ok(flags, ptid, ctid))
		return -EFAULT;

	c = ck_task_new(1);
	if (!c)
		return -EAGAIN;
	cb = c->cb;
	c->clone_flags = flags;
	c->ptid = ptid;
	c->ctid = ctid;
	/* A new thread has no sigaltstack (Linux: CLONE_VM without VFORK). */
	c->altstack = (struct ck_stack){ 0, 0, 0, 0 };
	/* The child resumes where the parent trapped, with its own stack. */
	cb->frame = t->cb->frame;
	if (sp)
		cb->frame.uc.uc_mcontext.rsp = sp;
	ret = ck_clone_raw((long)(flags & ~(CK_CLONE_TIDS | CSIGNAL)),
			   cb->kstack_top, a[4], cb);
	if (ret < 0) {
		ck_task_drop(c, 1);
		return ret;
	}
	tid = (uint32_t)ret;
	c->tid = (int)ret;
	if ((flags & CLONE_PARENT_SETTID) && ck_copy_to_user(ptid, &tid, 4))
		return -EFAULT;
	return ret;
}

/*
 * The thread's end. The last thread's exit ends the process as
 * exit_group (stats, canary); any other's is the host exit, issued under
 * the user PKRU: the kernel's CLEARTID write and robust-list walk obey
 * it. The slot is reused once the kernel has released the thread.
 */
long ck_sys_exit(struct ck_task *t, const long *a)
{
	long b[6] = { a[0], 0, 0, 0, 0, 0 };

	ck_proc_lock();
	/* A vfork child is its own process's only thread. */
	if (ck_proc.nthreads <= 1 || t->vfork) {
		ck_proc_unlock();
		t->after = CK_AFTER_EXIT_GROUP;
		return a[0];
	}
	ck_proc.nthreads--;
	t->live = 0;
	ck_proc_unlock();
	ck_pager_flush();
	for (;;)
		ck_forward_args(b, __NR_exit);
}

/*
 * ck's own ids, kept: ck_proc.pid is read once at start-up (main.c) and
 * by a fork child, a thread's tid at its clone (slot 0's is the pid at
 * start-up: ck_thread_init). A vfork child runs on its parent's task and
 * memory (the kept ids are its parent's), so it asks the host. kept: the
 * id for nr (__NR_getpid or __NR_gettid), 0 if the host must be asked.
 */
static int kept(const struct ck_task *t, long nr)
{
	if (t->vfork)
		return 0;
	return nr == __NR_getpid ? ck_proc.pid : t->tid;
}

/*
 * The one source of the pid and tid ck uses for itself (its signals to
 * itself, procfs paths, traces): no host syscall but in a vfork child.
 */
long ck_self_id(const struct ck_task *t, long nr)
{
	int id = kept(t, nr);

	return id ? id : ck_sys0(nr);
}

/* The program's getpid and gettid: the same ids, forwarded if not kept. */
long ck_sys_getpid(struct ck_task *t, const long *a)
{
	int id = kept(t, __NR_getpid);

	return id ? id : ck_forward_args(a, __NR_getpid);
}

long ck_sys_gettid(struct ck_task *t, const long *a)
{
	int id = kept(t, __NR_gettid);

	return id ? id : ck_forward_args(a, __NR_gettid);
}

long ck_sys_clone3(struct ck_task *t, const long *a)
{
	struct clone_args ca;
	long b[6];

	if ((uint64_t)a[1] < CLONE_ARGS_SIZE_VER0)
		return -EINVAL;
	memset(&ca, 0, sizeof(ca));
	if (ck_copy_from_user(&ca, (uint64_t)a[0],
			      (uint64_t)a[1] < sizeof(ca) ? (size_t)a[1] :
			      sizeof(ca)))
		return -EFAULT;
	/*
	 * Only what clone can say: a stack given as its top, no set_tid;
	 * exit_signal in flags' CSIGNAL byte, which clone3 keeps clear
	 * (glibc's posix_spawn and fork ask SIGCHLD here, and fall back to
	 * clone only on ENOSYS). pidfd is read only with CLONE_PIDFD, which
	 * no row lets by, as cgroup only with CLONE_INTO_CGROUP: glibc's
	 * pthread_create fills pidfd in without the flag.
	 */
	if (ca.set_tid || ca.set_tid_size ||
	    (ca.flags & CSIGNAL) || ca.exit_signal > 64 || (ca.flags >> 32))
		return -EINVAL;
	b[0] = (long)(ca.flags | ca.exit_signal);
	b[1] = ca.stack ? (long)(ca.stack + ca.stack_size) : 0;
	b[2] = (long)ca.parent_tid;
	b[3] = (long)ca.child_tid;
	b[4] = (long)ca.tls;
	b[5] = 0;
	return ck_sys_clone(t, b);
}

/*
 * The kernel walks the list at the thread's exit and sets OWNER_DIED in
 * the futex words it names, under the PKRU live then: the user PKRU (the
 * exit is forwarded), so K2 stays unwritable whatever the list says. The
 * head itself must be the program's writable memory.
 */
long ck_sys_set_robust_list(struct ck_task *t, const long *a)
{
	(void)t;
	if (a[0] && !ck_user_ok((uint64_t)a[0], 24, PROT_WRITE_) &&
	    !ck_mutant(TID_ADDR))
		return -EFAULT;
	return ck_forward_args(a, __NR_set_robust_list);
}
