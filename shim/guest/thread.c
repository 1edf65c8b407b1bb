// SPDX-License-Identifier: Apache-2.0
/*
 * Threads (DESIGN.md section 4): each thread's K2 block (GS base, SUD
 * selector, exit slots), K control block and stack, pkey-0 altstack and
 * SIGSYS delivery, set up before any program instruction runs. The trap
 * path itself is trap.c.
 */
#include <asm/prctl.h>
#include <asm/signal.h>
#include <linux/errno.h>
#include <linux/mman.h>
#include <linux/prctl.h>

#include "ck.h"

#define CK_ALTSTACK_SIZE	(64UL * 1024)
#define CK_KSTACK_SIZE		(256UL * 1024)

struct ck_tblk ck_tblk[CK_MAX_THREADS] __attribute__((aligned(4096)));
struct ck_cb ck_cb[CK_MAX_THREADS];

_Static_assert(sizeof(struct ck_tblk) == CK_TBLK_SIZE, "tblk size");
_Static_assert(sizeof(ck_tblk) % 4096 == 0, "tblk array fills pages");
_Static_assert(sizeof(struct ck_cb) == (1UL << CB_SIZE_SHIFT), "cb size");
_Static_assert(offsetof(struct ck_tblk, ret_rip) == T_RET_RIP, "T_RET_RIP");
_Static_assert(offsetof(struct ck_tblk, rax) == T_RAX, "T_RAX");
_Static_assert(offsetof(struct ck_tblk, rdx) == T_RDX, "T_RDX");
_Static_assert(offsetof(struct ck_tblk, rcx) == T_RCX, "T_RCX");
_Static_assert(offsetof(struct ck_tblk, iret) == T_IRET, "T_IRET");
_Static_assert(offsetof(struct ck_tblk, copy_armed) == T_COPY_ARMED, "ARMED");
_Static_assert(offsetof(struct ck_tblk, magic) == T_MAGIC, "T_MAGIC");
_Static_assert(offsetof(struct ck_tblk, rflags) == T_RFLAGS, "T_RFLAGS");
_Static_assert(offsetof(struct ck_tblk, rsp) == T_RSP, "T_RSP");
_Static_assert(offsetof(struct ck_tblk, self) == T_SELF, "T_SELF");
_Static_assert(offsetof(struct ck_cb, in_ck) == CB_IN_CK, "CB_IN_CK");
_Static_assert(offsetof(struct ck_cb, kstack_top) == CB_KSTACK_TOP, "KSTACK");
_Static_assert(offsetof(struct ck_cb, alt_lo) == CB_ALT_LO, "ALT_LO");
_Static_assert(offsetof(struct ck_cb, alt_hi) == CB_ALT_HI, "ALT_HI");
_Static_assert(offsetof(struct ck_cb, in_window) == CB_IN_WINDOW, "WINDOW");
_Static_assert(offsetof(struct ck_cb, window_rsp) == CB_WINDOW_RSP, "WRSP");
_Static_assert(offsetof(struct ck_cb, bounce) == CB_BOUNCE, "CB_BOUNCE");

struct ck_task ck_task[CK_MAX_THREADS];

struct ck_task *ck_this_task(void)
{
	uint64_t gs;

#ifndef CK_TIMING
	__asm__ volatile("rdgsbase %0" : "=r"(gs));
#else
	__asm__ volatile("movq %%gs:%c1, %0" : "=r"(gs) : "i"(T_SELF));
#endif
	return &ck_task[(gs - (uint64_t)ck_tblk) / CK_TBLK_SIZE];
}

uint64_t ck_thread_kstack(struct ck_cb *cb)
{
	char *kstack;

	if (!cb->kstack_top) {
		kstack = ck_kalloc(CK_KSTACK_SIZE);
		if (kstack)
			cb->kstack_top = (uint64_t)kstack + CK_KSTACK_SIZE;
	}
	return cb->kstack_top;
}

void ck_thread_kstack_trim(struct ck_cb *cb)
{
	volatile char here = 0;
	uint64_t lo = cb->kstack_top - CK_KSTACK_SIZE;
	/* A page below this frame for the madvise call's own. */
	uint64_t hi = CK_ALIGN_DOWN((uint64_t)&here, CK_PAGE) - CK_PAGE;

	if (cb->kstack_top && hi > lo && hi < cb->kstack_top)
		ck_sys3(__NR_madvise, lo, hi - lo, MADV_DONTNEED);
}

int ck_thread_alloc(struct ck_cb *cb, struct ck_tblk *t)
{
	long alt;

	if (!ck_thread_kstack(cb))
		return -12;
	if (!cb->alt_lo) {
		cb->bounce = ck_kalloc_key(CK_BOUNCE_SIZE, CK_PKEY_KB);
		cb->pass = ck_kalloc_key(CK_PASS_SIZE, CK_PKEY_K2);
		alt = ck_map_user(0, CK_ALTSTACK_SIZE, R_CK, 0);
		if (!cb->bounce || !cb->pass || IS_ERR_VAL(alt))
			return -12;
		cb->alt_lo = (uint64_t)alt;
		cb->alt_hi = (uint64_t)alt + CK_ALTSTACK_SIZE;
	}
	cb->magic = CK_CB_MAGIC;
	cb->tblk = t;
	cb->in_ck = 1;
	cb->in_window = 0;
	ck_task[cb - ck_cb] = (struct ck_task){
		.cb = cb, .tblk = t, .sigmask = &cb->frame.uc.uc_sigmask,
	};
	t->magic = CK_TBLK_MAGIC;
	t->self = (uint64_t)t;
	t->selector = CK_SEL_ALLOW;
	t->copy_armed = 0;
	return 0;
}

int ck_thread_arm(struct ck_cb *cb, struct ck_tblk *t)
{
	struct ck_stack ss;
	long ret;

	ret = ck_sys2(__NR_arch_prctl, ARCH_SET_GS, t);
	ss.ss_sp = cb->alt_lo;
	ss.ss_flags = 0;
	ss.pad = 0;
	ss.ss_size = cb->alt_hi - cb->alt_lo;
	if (!ret)
		ret = ck_sys2(__NR_sigaltstack, &ss, 0);
	if (ck_mutant(THREAD_SUD) && cb != &ck_cb[0])
		return (int)ret;
	if (ck_mutant(EXEC_SUD) && ck_env.exec)
		return (int)ret;
	if (!ret)
		ret = ck_sys5(__NR_prctl, PR_SET_SYSCALL_USER_DISPATCH,
			      PR_SYS_DISPATCH_ON, 0, 0, &t->selector);
	return (int)ret;
}

int ck_thread_init(struct ck_cb *cb, struct ck_tblk *t)
{
	long ret;

	ret = ck_thread_alloc(cb, t);
	if (ret)
		return (int)ret;
	ck_task[cb - ck_cb].live = 1;
	ck_proc.nthreads = 1;
	/* The only thread: its tid is the pid (exec makes it the leader). */
	ck_task[cb - ck_cb].tid = ck_proc.pid;
	ret = ck_sigsys_install(ck_proc.caught);
	if (!ret)
		ret = ck_thread_arm(cb, t);
	if (!ret)	/* after GS: it takes ck_proc's lock */
		ret = ck_signals_faults_install();
	return (int)ret;
}
