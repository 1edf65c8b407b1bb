/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The program's signal frames (sigframe.c): where a frame goes, what it
 * holds, the registers a handler starts with, and the checks of a frame
 * handed back by rt_sigreturn. Pure functions on ck's copies (no host
 * call, no program memory): the unit tests (tests/unit/ck) run them on
 * the host; signal.c does the copies and the policy around them.
 */
#ifndef CK_SIGFRAME_H
#define CK_SIGFRAME_H

#include "ck.h"

/* The kernel's struct rt_sigframe (x86-64): the fpstate lies above it. */
struct ck_rt_sigframe {
	uint64_t pretcode;
	struct ck_ucontext uc;
	uint8_t info[CK_SIGINFO_SIZE];
};

/* The xsave area's parts the checks need (the kernel's fpu/types.h). */
#define CK_FP_MAGIC1		0x46505853U
#define CK_FP_MAGIC2		0x46505845U
#define CK_FP_SW_OFF		464	/* struct _fpx_sw_bytes */
#define CK_FP_HDR_OFF		512	/* the xsave header: xstate_bv */
#define CK_FP_LEGACY		512	/* the fxsave part */
#define CK_FP_MIN_XSTATE	576	/* legacy area + header */
#define CK_XF_PKRU		(1ULL << 9)
#define CK_XF_FPSSE		3ULL

/* The EFLAGS bits rt_sigreturn takes from the frame (Linux's FIX_EFLAGS). */
#define CK_FIX_EFLAGS		0x50dd5ULL	/* AC OF DF TF SF ZF AF PF CF RF */
#define CK_EFLAGS_RF		0x10000ULL

/* Signals no mask may hold: SIGKILL, SIGSTOP, and SIGSYS (ck's). */
#define CK_SIG_BIT(s)		(1ULL << ((s) - 1))
#define CK_SIG_NEVER		(CK_SIG_BIT(9) | CK_SIG_BIT(19) | CK_SIG_BIT(31))

/* sigaltstack's answer for sp (Linux's sas_ss_flags). */
int ck_sigframe_on_stack(const struct ck_stack *alt, uint64_t sp);

/*
 * Where a handler's frame goes (Linux's get_sigframe): below the 128-byte
 * red zone of sp, or at the top of the altstack (onstack: the action has
 * SA_ONSTACK, and sp is not already on it); the fpstate (fpsize bytes)
 * 64-aligned, the rt_sigframe under it 16-aligned minus 8. Returns 0 with
 * *frame and *fp, or -1 if a frame on the altstack would overflow it.
 */
int ck_sigframe_place(uint64_t sp, int onstack, const struct ck_stack *alt,
		      uint64_t fpsize, uint64_t *frame, uint64_t *fp);

/*
 * The rt_sigframe a handler gets, built in *out from ck's frame f (the
 * program's registers, mask and siginfo): pretcode the action's restorer,
 * the fpstate at fp, uc_stack as sigaltstack would answer at the
 * interrupted sp, uc_flags the kernel's.
 */
void ck_sigframe_build(struct ck_rt_sigframe *out, const struct ck_frame *f,
		       uint64_t restorer, uint64_t fp,
		       const struct ck_stack *alt, uint64_t uc_flags);

/*
 * The handler's registers in sc (Linux's setup_rt_frame): RIP the handler,
 * RDI the signal, RSI the siginfo, RDX the ucontext, RSP the frame, RAX 0,
 * DF, RF and TF clear, user CS and SS.
 */
void ck_sigframe_enter(struct sigcontext *sc, int sig, uint64_t frame,
		       uint64_t handler);

/*
 * The handler's FPU state: every component at its init value (xstate_bv
 * 0: the caller puts PKRU back), FCW and MXCSR as after FNINIT/reset.
 */
void ck_sigframe_fpu_init(uint8_t *xsave);

/*
 * rt_sigreturn's registers (Linux's restore_sigcontext): the general
 * registers, RIP and RSP from uc; of the flags only CK_FIX_EFLAGS; CS and
 * SS the user's; the mask without CK_SIG_NEVER. Into sc and *mask.
 */
void ck_sigframe_restore_regs(struct sigcontext *sc, uint64_t *mask,
			      const struct ck_ucontext *uc);

/*
 * rt_sigreturn's extended state: src (n bytes, the program's fpstate)
 * checked and copied over dst (ck's frame, whose software bytes are the
 * kernel's and are kept). Software bytes that are not the kernel's (magic
 * or sizes) restore the legacy area only, as Linux's fx_only; a header
 * with features the host lacks (host_xf), XCOMP_BV, or reserved bytes set
 * is refused (-1: the process dies of SIGSEGV, as Linux's XRSTOR fault
 * would end it). MXCSR keeps only the bits the CPU supports. PKRU is
 * never the program's: the caller puts ck's back.
 */
int ck_sigframe_restore_xsave(uint8_t *dst, const uint8_t *src, size_t n);

#endif
