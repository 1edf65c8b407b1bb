// SPDX-License-Identifier: Apache-2.0
/*
 * Threads and the trap path around gate.S (DESIGN.md section 4): each
 * thread's K2 block (GS base, SUD selector, exit slots), K control block
 * and stack, pkey-0 altstack and SIGSYS delivery; the copy of the kernel's
 * frame into K memory at entry and the frame ck builds for the exit.
 */
#include <asm/prctl.h>
#include <asm/signal.h>
#include <linux/errno.h>
#include <linux/mman.h>
#include <linux/prctl.h>

#include "ck.h"

#define CK_ALTSTACK_SIZE	(64UL * 1024)
#define CK_KSTACK_SIZE		(256UL * 1024)
#define FP_XSTATE_MAGIC1_	0x46505853U
#define XFEATURE_PKRU_BIT	(1ULL << 9)
#define SW_BYTES_OFF		464	/* struct _fpx_sw_bytes in fxsave */
#define XSTATE_BV_OFF		512

struct ck_tblk ck_tblk[CK_MAX_THREADS] __attribute__((aligned(4096)));
struct ck_cb ck_cb[CK_MAX_THREADS];

_Static_assert(sizeof(struct ck_tblk) == CK_TBLK_SIZE, "tblk size");
_Static_assert(sizeof(ck_tblk) % 4096 == 0, "tblk array fills pages");
_Static_assert(sizeof(struct ck_cb) == (1UL << CB_SIZE_SHIFT), "cb size");
_Static_assert(offsetof(struct ck_tblk, ret_rip) == T_RET_RIP, "T_RET_RIP");
_Static_assert(offsetof(struct ck_tblk, rax) == T_RAX, "T_RAX");
_Static_assert(offsetof(struct ck_tblk, rdx) == T_RDX, "T_RDX");
_Static_assert(offsetof(struct ck_tblk, rcx) == T_RCX, "T_RCX");
_Static_assert(offsetof(struct ck_tblk, copy_armed) == T_COPY_ARMED, "ARMED");
_Static_assert(offsetof(struct ck_tblk, magic) == T_MAGIC, "T_MAGIC");
_Static_assert(offsetof(struct ck_tblk, rflags) == T_RFLAGS, "T_RFLAGS");
_Static_assert(offsetof(struct ck_tblk, rsp) == T_RSP, "T_RSP");
_Static_assert(offsetof(struct ck_cb, in_ck) == CB_IN_CK, "CB_IN_CK");
_Static_assert(offsetof(struct ck_cb, kstack_top) == CB_KSTACK_TOP, "KSTACK");
_Static_assert(offsetof(struct ck_cb, alt_lo) == CB_ALT_LO, "ALT_LO");
_Static_assert(offsetof(struct ck_cb, alt_hi) == CB_ALT_HI, "ALT_HI");
_Static_assert(offsetof(struct ck_cb, in_window) == CB_IN_WINDOW, "WINDOW");
_Static_assert(offsetof(struct ck_cb, window_rsp) == CB_WINDOW_RSP, "WRSP");
_Static_assert(offsetof(struct ck_cb, bounce) == CB_BOUNCE, "CB_BOUNCE");

struct ck_ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

/* This thread's control block (GS was checked at the gate). */
struct ck_cb *ck_this_cb(void)
{
	uint64_t gs;

	__asm__ volatile("rdgsbase %0" : "=r"(gs));
	return &ck_cb[(gs - (uint64_t)ck_tblk) / CK_TBLK_SIZE];
}

int ck_thread_init(struct ck_cb *cb, struct ck_tblk *t)
{
	struct ck_ksigaction sa = {
		.handler = (void *)ck_sigsys_entry,
		.flags = SA_SIGINFO | SA_ONSTACK | SA_RESTORER,
		.restorer = (void *)ck_no_restorer,
		.mask = 1ULL << (SIGSYS - 1),
	};
	struct { uint64_t sp; int32_t flags; int32_t pad; uint64_t size; } ss;
	long alt, ret;
	char *kstack;

	kstack = ck_kalloc(CK_KSTACK_SIZE);
	cb->bounce = ck_kalloc_key(CK_BOUNCE_SIZE, CK_PKEY_KB);
	cb->pass = ck_kalloc_key(CK_PASS_SIZE, CK_PKEY_K2);
	alt = ck_map_user(0, CK_ALTSTACK_SIZE, R_CK, 0);
	if (!kstack || !cb->bounce || !cb->pass || IS_ERR_VAL(alt))
		return -12;
	cb->magic = CK_CB_MAGIC;
	cb->kstack_top = (uint64_t)kstack + CK_KSTACK_SIZE;
	cb->alt_lo = (uint64_t)alt;
	cb->alt_hi = (uint64_t)alt + CK_ALTSTACK_SIZE;
	cb->tblk = t;
	cb->in_ck = 1;
	t->magic = CK_TBLK_MAGIC;
	t->selector = CK_SEL_ALLOW;

	ss.sp = (uint64_t)alt;
	ss.flags = 0;
	ss.size = CK_ALTSTACK_SIZE;
	ret = ck_sys2(__NR_sigaltstack, &ss, 0);
	if (!ret)
		ret = ck_sys4(__NR_rt_sigaction, SIGSYS, &sa, 0, 8);
	if (!ret)
		ret = ck_sys2(__NR_arch_prctl, ARCH_SET_GS, t);
	if (!ret)
		ret = ck_sys5(__NR_prctl, PR_SET_SYSCALL_USER_DISPATCH,
			      PR_SYS_DISPATCH_ON, 0, 0, &t->selector);
	return (int)ret;
}

/*
 * The kernel's frame (ucontext, siginfo, then the xsave area above them)
 * lies wholly on this thread's altstack, which the program can write:
 * copy it to K under the user PKRU (ck_user_copy) and check only the copy.
 */
static void copy_entry_frame(struct ck_cb *cb, const struct ck_ucontext *uc)
{
	struct ck_frame *f = &cb->frame;
	uint64_t p = (uint64_t)uc, fp, n;
	uint32_t magic, ext;

	_Static_assert(offsetof(struct ck_frame, info) ==
		       offsetof(struct ck_frame, uc) + sizeof(f->uc),
		       "siginfo follows the ucontext, as in rt_sigframe");
	if (p < cb->alt_lo || p > cb->alt_hi - sizeof(*uc) - CK_SIGINFO_SIZE)
		ck_abort();
	ck_user_copy(&f->uc, uc, sizeof(*uc) + CK_SIGINFO_SIZE, 0);
	fp = (uint64_t)f->uc.uc_mcontext.fpstate;
	if (!fp || (fp & 63) || fp < cb->alt_lo ||
	    fp > cb->alt_hi - XSTATE_BV_OFF - 64)
		ck_abort();
	n = cb->alt_hi - fp < CK_XSAVE_MAX ? cb->alt_hi - fp : CK_XSAVE_MAX;
	ck_user_copy(f->xsave, (const void *)fp, n, 0);
	magic = *(const uint32_t *)(f->xsave + SW_BYTES_OFF);
	ext = *(const uint32_t *)(f->xsave + SW_BYTES_OFF + 4);
	if (magic != FP_XSTATE_MAGIC1_ || ext > n || ext < XSTATE_BV_OFF + 64)
		ck_abort();
}

/*
 * A program syscall, not a SIGSYS someone sent: si_code SYS_USER_DISPATCH
 * and the _sigsys fields the kernel fills for it (call address = the
 * frame's RIP, syscall = its RAX). Other codes share the value 2 (POLL_OUT
 * from F_SETSIG), so the code alone is not enough. Read from ck's copy of
 * the siginfo. Returns the arch (x86-64, or i386 for int $0x80), 0 if none.
 */
#define CK_AUDIT_ARCH_X86_64	0xc000003eU

static uint32_t dispatched(const struct ck_cb *cb, const struct sigcontext *sc)
{
	const uint8_t *info = cb->frame.info;

	if (*(const int32_t *)info == SIGSYS &&
	    *(const int32_t *)(info + 8) == 2 /* SYS_USER_DISPATCH */ &&
	    *(const uint64_t *)(info + 16) == sc->rip &&
	    *(const int32_t *)(info + 24) == (int32_t)sc->rax)
		return *(const uint32_t *)(info + 28);
	return 0;
}

/*
 * A SIGSYS that is no program syscall: sent by another process, or a trap
 * whose details the kernel could not queue. The program's disposition for
 * SIGSYS is the default one (part 1 lets it set no handler), so the
 * process ends as Linux would end it, killed by SIGSYS (its core leaves K
 * out: MADV_DONTDUMP), instead of going on as if a syscall had run.
 */
static __attribute__((noreturn)) void die_of_sigsys(void)
{
	const uint64_t dfl[4] = { 0 /* SIG_DFL */, 0, 0, 0 };
	const uint64_t set = 1ULL << (SIGSYS - 1);

	ck_sys4(__NR_rt_sigaction, SIGSYS, dfl, 0, 8);
	ck_sys3(__NR_tgkill, ck_sys0(__NR_getpid), ck_sys0(__NR_gettid),
		SIGSYS);
	ck_sys4(__NR_rt_sigprocmask, SIG_UNBLOCK, &set, 0, 8);
	ck_die(128 + SIGSYS, "SIGSYS was not delivered");
}

void ck_handle_sigsys(struct ck_cb *cb, struct ck_ucontext *uc)
{
	struct sigcontext *sc;
	uint32_t arch;
	long a[6];

	copy_entry_frame(cb, uc);
	sc = &cb->frame.uc.uc_mcontext;
	arch = dispatched(cb, sc);
	if (!arch) {
		/*
		 * Without the exit's BLOCK (EXIT_BLOCK) program syscalls
		 * reach the host, and the gate harness enters ck by sending
		 * itself SIGSYS: that mutant lets such a signal go by.
		 */
		if (ck_mutant(EXIT_BLOCK))
			ck_return_to_user(cb, (long)sc->rax);
		die_of_sigsys();
	}
	if (arch != CK_AUDIT_ARCH_X86_64) {	/* int $0x80: not served */
		ck_stats.denied++;
		ck_return_to_user(cb, -ENOSYS);
	}
	a[0] = (long)sc->rdi;
	a[1] = (long)sc->rsi;
	a[2] = (long)sc->rdx;
	a[3] = (long)sc->r10;
	a[4] = (long)sc->r8;
	a[5] = (long)sc->r9;
	ck_stats.handled++;
	/* The kernel takes the number from EAX: the upper half is ignored. */
	ck_return_to_user(cb, ck_dispatch(cb, (int)sc->rax, a));
}

/* The extended state the kernel restores: PKRU = ck's, bit 9 in use. */
static void set_frame_pkru(struct ck_frame *f)
{
	uint64_t *xfeatures = (uint64_t *)(f->xsave + SW_BYTES_OFF + 8);
	uint64_t *bv = (uint64_t *)(f->xsave + XSTATE_BV_OFF);

	*(uint32_t *)(f->xsave + ck_env.pkru_xsave_off) = CK_PKRU_CK;
	*bv |= XFEATURE_PKRU_BIT;
	*xfeatures |= XFEATURE_PKRU_BIT;
}

void ck_return_to_user(struct ck_cb *cb, long ret)
{
	struct ck_frame *f = &cb->frame;
	struct sigcontext *sc = &f->uc.uc_mcontext;
	struct ck_tblk *t = cb->tblk;

	ck_pager_flush();
	t->ret_rip = sc->rip;
	t->rax = (uint64_t)ret;
	t->rdx = sc->rdx;
	/* RCX: for a syscall the instruction set it to RIP, so the frame has it. */
	t->rcx = sc->rcx;
	/*
	 * The trampoline's compares would change the program's flags: it
	 * runs with plain ones (no TF: no single step inside it), and pops
	 * the program's from t->rflags last, RSP pointing there meanwhile.
	 */
	t->rflags = sc->eflags;
	t->rsp = sc->rsp;
	sc->rsp = (uint64_t)&t->rflags;
	sc->eflags = CK_EFLAGS_PLAIN;
	sc->rip = (uint64_t)ck_exit_trampoline;
	sc->rax = CK_PKRU_USER;
	sc->rcx = 0;
	sc->rdx = 0;
	sc->cs = 0x33;
	sc->ss = 0x2b;
	sc->fpstate = (void *)f->xsave;
	f->uc.uc_flags = ck_env.tmpl.uc.uc_flags;
	f->uc.uc_link = 0;
	f->uc.uc_stack.ss_sp = cb->alt_lo;
	f->uc.uc_stack.ss_flags = 0;
	f->uc.uc_stack.ss_size = cb->alt_hi - cb->alt_lo;
	f->uc.uc_sigmask &= ~(1ULL << (SIGSYS - 1));
	set_frame_pkru(f);
	cb->in_ck = 0;
	ck_sigreturn(&f->uc);
}
