// SPDX-License-Identifier: Apache-2.0
/*
 * The program's signal frames, as Linux's arch/x86/kernel/signal_64.c
 * lays them out and reads them back (see sigframe.h). Pure functions on
 * ck's own copies: signal.c writes the frame with ck_copy_to_user and
 * reads a returned one with ck_copy_from_user, so nothing here touches
 * program memory or trusts it.
 */
#include <asm/signal.h>
#include <linux/signal.h>

#include "sigframe.h"

_Static_assert(sizeof(struct ck_rt_sigframe) == 440, "struct rt_sigframe");
_Static_assert(offsetof(struct ck_rt_sigframe, info) ==
	       offsetof(struct ck_frame, info), "ck_frame is an rt_sigframe");

#define RED_ZONE	128

static uint32_t rd32(const uint8_t *p, size_t off)
{
	uint32_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static uint64_t rd64(const uint8_t *p, size_t off)
{
	uint64_t v;

	memcpy(&v, p + off, sizeof(v));
	return v;
}

static void wr64(uint8_t *p, size_t off, uint64_t v)
{
	memcpy(p + off, &v, sizeof(v));
}

int ck_sigframe_on_stack(const struct ck_stack *alt, uint64_t sp)
{
	if (!alt->ss_size)
		return SS_DISABLE;
	/* Linux's on_sig_stack: (sp - 1) in [ss_sp, ss_sp + size). */
	if (!(alt->ss_flags & SS_AUTODISARM) && sp > alt->ss_sp &&
	    sp - alt->ss_sp <= alt->ss_size)
		return SS_ONSTACK;
	return 0;
}

int ck_sigframe_place(uint64_t sp, int onstack, const struct ck_stack *alt,
		      uint64_t fpsize, uint64_t *frame, uint64_t *fp)
{
	int on = ck_sigframe_on_stack(alt, sp) == SS_ONSTACK;
	uint64_t lo = alt->ss_sp;

	sp -= RED_ZONE;
	if (onstack && ck_sigframe_on_stack(alt, sp) == 0) {
		sp = alt->ss_sp + alt->ss_size;
		on = 1;
	}
	if (sp < fpsize + sizeof(struct ck_rt_sigframe) + 64)
		return -1;
	*fp = (sp - fpsize) & ~63ULL;
	*frame = ((*fp - sizeof(struct ck_rt_sigframe)) & ~15ULL) - 8;
	/* A frame that would run off the bottom of the altstack: SIGSEGV. */
	if (on && (*frame <= lo || *frame - lo > alt->ss_size))
		return -1;
	return 0;
}

void ck_sigframe_build(struct ck_rt_sigframe *out, const struct ck_frame *f,
		       uint64_t restorer, uint64_t fp,
		       const struct ck_stack *alt, uint64_t uc_flags)
{
	const struct sigcontext *sc = &f->uc.uc_mcontext;

	memset(out, 0, sizeof(*out));
	out->pretcode = restorer;
	out->uc.uc_flags = uc_flags;
	/* Linux's __save_altstack: the recorded stack, its flags as set. */
	out->uc.uc_stack.ss_sp = alt->ss_sp;
	out->uc.uc_stack.ss_size = alt->ss_size;
	out->uc.uc_stack.ss_flags = alt->ss_size ? alt->ss_flags : SS_DISABLE;
	out->uc.uc_mcontext = *sc;
	out->uc.uc_mcontext.cs = 0x33;
	out->uc.uc_mcontext.ss = 0x2b;
	out->uc.uc_mcontext.gs = 0;
	out->uc.uc_mcontext.fs = 0;
	out->uc.uc_mcontext.oldmask = f->uc.uc_sigmask;
	out->uc.uc_mcontext.fpstate = (void *)fp;
	memset(out->uc.uc_mcontext.reserved1, 0,
	       sizeof(out->uc.uc_mcontext.reserved1));
	out->uc.uc_sigmask = f->uc.uc_sigmask & ~CK_SIG_BIT(SIGSYS);
	memcpy(out->info, f->info, sizeof(out->info));
}

void ck_sigframe_enter(struct sigcontext *sc, int sig, uint64_t frame,
		       uint64_t handler)
{
	sc->rip = handler;
	sc->rdi = (uint64_t)sig;
	sc->rsi = frame + offsetof(struct ck_rt_sigframe, info);
	sc->rdx = frame + offsetof(struct ck_rt_sigframe, uc);
	sc->rsp = frame;
	sc->rax = 0;
	sc->eflags &= ~(uint64_t)(CK_EFLAGS_DF | CK_EFLAGS_TF | CK_EFLAGS_RF);
	sc->cs = 0x33;
	sc->ss = 0x2b;
}

void ck_sigframe_fpu_init(uint8_t *xsave)
{
	uint32_t mxcsr_mask = rd32(xsave, 28);

	/* The legacy area but its software bytes, and the header. */
	memset(xsave, 0, CK_FP_SW_OFF);
	memset(xsave + CK_FP_HDR_OFF, 0, 64);
	xsave[0] = 0x7f;	/* FCW 0x037f */
	xsave[1] = 0x03;
	wr64(xsave, 24, 0x1f80 | (uint64_t)mxcsr_mask << 32);
}

void ck_sigframe_restore_regs(struct sigcontext *sc, uint64_t *mask,
			      const struct ck_ucontext *uc)
{
	const struct sigcontext *u = &uc->uc_mcontext;

	sc->r8 = u->r8;
	sc->r9 = u->r9;
	sc->r10 = u->r10;
	sc->r11 = u->r11;
	sc->r12 = u->r12;
	sc->r13 = u->r13;
	sc->r14 = u->r14;
	sc->r15 = u->r15;
	sc->rdi = u->rdi;
	sc->rsi = u->rsi;
	sc->rbp = u->rbp;
	sc->rbx = u->rbx;
	sc->rdx = u->rdx;
	sc->rax = u->rax;
	sc->rcx = u->rcx;
	sc->rsp = u->rsp;
	sc->rip = u->rip;
	sc->eflags = (sc->eflags & ~CK_FIX_EFLAGS) | (u->eflags & CK_FIX_EFLAGS);
	sc->cs = 0x33;
	sc->ss = 0x2b;
	*mask = uc->uc_sigmask & ~CK_SIG_NEVER;
}

int ck_sigframe_restore_xsave(uint8_t *dst, const uint8_t *src, size_t n)
{
	uint64_t host_xf = rd64(dst, CK_FP_SW_OFF + 8), bv, xf;
	uint32_t host_size = rd32(dst, CK_FP_SW_OFF + 16);
	uint32_t size, ext, mxcsr_mask = rd32(dst, 28);
	uint8_t sw[48];
	size_t i;
	int fx_only;

	if (n < CK_FP_LEGACY)
		return -1;
	size = n >= CK_FP_SW_OFF + 20 ? rd32(src, CK_FP_SW_OFF + 16) : 0;
	ext = n >= CK_FP_SW_OFF + 8 ? rd32(src, CK_FP_SW_OFF + 4) : 0;
	xf = n >= CK_FP_SW_OFF + 16 ? rd64(src, CK_FP_SW_OFF + 8) : 0;
	/* Linux's check_xstate_in_sigframe: anything off means fx_only. */
	fx_only = rd32(src, CK_FP_SW_OFF) != CK_FP_MAGIC1 ||
		  size < CK_FP_MIN_XSTATE || size > host_size || size > ext ||
		  (size_t)size + 4 > n || rd32(src, size) != CK_FP_MAGIC2;
	memcpy(sw, dst + CK_FP_SW_OFF, sizeof(sw));
	if (fx_only) {
		memcpy(dst, src, CK_FP_LEGACY);
		memset(dst + CK_FP_HDR_OFF, 0, 64);
		wr64(dst, CK_FP_HDR_OFF, CK_XF_FPSSE);
	} else {
		bv = rd64(src, CK_FP_HDR_OFF);
		/* XRSTOR would fault on any of these: Linux's SIGSEGV. */
		if (bv & ~host_xf)
			return -1;
		for (i = CK_FP_HDR_OFF + 8; i < CK_FP_MIN_XSTATE; i++)
			if (src[i])
				return -1;
		memcpy(dst, src, size);
		/* Features the program's software bytes leave out: init. */
		wr64(dst, CK_FP_HDR_OFF, bv & xf);
	}
	memcpy(dst + CK_FP_SW_OFF, sw, sizeof(sw));
	/* MXCSR: the bits the CPU has (FXSAVE's mask; 0 means 0xffbf). */
	if (!mxcsr_mask)
		mxcsr_mask = 0xffbf;
	memcpy(&size, dst + 24, 4);
	size &= mxcsr_mask;
	memcpy(dst + 24, &size, 4);
	memcpy(dst + 28, &mxcsr_mask, 4);
	return 0;
}
