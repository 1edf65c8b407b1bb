// SPDX-License-Identifier: Apache-2.0
/*
 * ck's signal frames (shim/guest/sigframe.c, the file ck links) on the
 * host: where a handler's frame goes (red zone, altstack, alignment,
 * overflow), what the rt_sigframe holds, the handler's registers, and
 * the checks of a frame handed back by rt_sigreturn (the flags Linux
 * lets through, CS/SS, the mask, the xsave header and software bytes).
 * Built with ck's headers, like the ck files themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <asm/signal.h>
#include <linux/signal.h>

#include <cmocka.h>

#include "sigframe.h"

#define FPSIZE		2700	/* a host's xsave size + MAGIC2 */
#define XSTATE		(FPSIZE - 4)
#define HOST_XF		0x2e7ULL	/* x87 SSE AVX AVX-512 x3 PKRU */

static const struct ck_stack none = { 0, 0, 0, 0 };

static void place_plain(void **state)
{
	uint64_t frame, fp, sp = 0x7fff0000f123ULL;

	(void)state;
	assert_int_equal(ck_sigframe_place(sp, 0, &none, FPSIZE, &frame, &fp), 0);
	assert_int_equal(fp % 64, 0);
	assert_true(fp + FPSIZE <= sp - 128);
	assert_true(sp - 128 - (fp + FPSIZE) < 64);
	assert_int_equal(frame % 16, 8);
	assert_true(frame + sizeof(struct ck_rt_sigframe) <= fp);
	assert_true(fp - (frame + sizeof(struct ck_rt_sigframe)) < 24);
}

static void place_altstack(void **state)
{
	struct ck_stack alt = { 0x10000, 0, 0, 0x10000 };
	uint64_t frame, fp;

	(void)state;
	/* SA_ONSTACK, not on it: the top of the altstack (no red zone). */
	assert_int_equal(ck_sigframe_place(0x7fff00000000ULL, 1, &alt, FPSIZE,
					   &frame, &fp), 0);
	assert_int_equal(fp, (0x20000 - FPSIZE) & ~63ULL);
	/* Without SA_ONSTACK: the program's stack. */
	assert_int_equal(ck_sigframe_place(0x7fff00000000ULL, 0, &alt, FPSIZE,
					   &frame, &fp), 0);
	assert_true(fp > 0x7ff000000000ULL);
	/* Already on it: below sp, red zone included. */
	assert_int_equal(ck_sigframe_place(0x18000, 1, &alt, FPSIZE, &frame,
					   &fp), 0);
	assert_int_equal(fp, (0x18000 - 128 - FPSIZE) & ~63ULL);
	/* Too deep into it: the frame would run off its bottom. */
	assert_int_equal(ck_sigframe_place(0x10400, 1, &alt, FPSIZE, &frame,
					   &fp), -1);
	/* SS_AUTODISARM: never "on" it, so the top again. */
	alt.ss_flags = SS_AUTODISARM;
	assert_int_equal(ck_sigframe_place(0x18000, 1, &alt, FPSIZE, &frame,
					   &fp), 0);
	assert_int_equal(fp, (0x20000 - FPSIZE) & ~63ULL);
	assert_int_equal(ck_sigframe_on_stack(&none, 5), SS_DISABLE);
}

static void build_and_enter(void **state)
{
	static struct ck_frame f;
	struct ck_rt_sigframe out;
	struct sigcontext *sc = &f.uc.uc_mcontext;

	(void)state;
	sc->rip = 0x401000;
	sc->rsp = 0x7ffe0000;
	sc->rax = 77;
	sc->eflags = 0x202 | 0x100 | 0x400 | 0x10000;	/* TF DF RF */
	f.uc.uc_sigmask = CK_SIG_BIT(SIGUSR1) | CK_SIG_BIT(SIGSYS);
	f.info[0] = SIGUSR2;
	ck_sigframe_build(&out, &f, 0x402000, 0x7ffd0000, &none, 7);
	assert_int_equal(out.pretcode, 0x402000);
	assert_int_equal(out.uc.uc_flags, 7);
	assert_int_equal(out.uc.uc_stack.ss_flags, SS_DISABLE);
	assert_int_equal(out.uc.uc_mcontext.rip, 0x401000);
	assert_int_equal(out.uc.uc_mcontext.rax, 77);
	assert_int_equal((uint64_t)out.uc.uc_mcontext.fpstate, 0x7ffd0000);
	assert_int_equal(out.uc.uc_mcontext.cs, 0x33);
	assert_int_equal(out.uc.uc_mcontext.ss, 0x2b);
	assert_int_equal(out.uc.uc_sigmask, CK_SIG_BIT(SIGUSR1));
	assert_int_equal(out.info[0], SIGUSR2);
	ck_sigframe_enter(sc, SIGUSR2, 0x7ffcfff8, 0x403000);
	assert_int_equal(sc->rip, 0x403000);
	assert_int_equal(sc->rdi, SIGUSR2);
	assert_int_equal(sc->rsi, 0x7ffcfff8 + offsetof(struct ck_rt_sigframe, info));
	assert_int_equal(sc->rdx, 0x7ffcfff8 + 8);
	assert_int_equal(sc->rsp, 0x7ffcfff8);
	assert_int_equal(sc->rax, 0);
	assert_int_equal(sc->eflags, 0x202);
}

static void restore_regs(void **state)
{
	struct sigcontext sc = { 0 };
	struct ck_ucontext uc = { 0 };
	uint64_t mask = 0;

	(void)state;
	sc.eflags = 0x202;
	uc.uc_mcontext.rip = 0x600000001000ULL;	/* any RIP, as Linux */
	uc.uc_mcontext.rsp = 0x1234;
	uc.uc_mcontext.r11 = 11;
	uc.uc_mcontext.rax = 5;
	/* IOPL 3, NT, VM, VIF, VIP, IF clear; TF, DF, AC, CF, RF allowed. */
	uc.uc_mcontext.eflags = 0x3000 | 0x4000 | 0x20000 | 0x80000 |
				0x100000 | 0x100 | 0x400 | 0x40000 | 0x1 |
				0x10000;
	uc.uc_mcontext.cs = 0x23;
	uc.uc_mcontext.ss = 0;
	uc.uc_sigmask = ~0ULL;
	ck_sigframe_restore_regs(&sc, &mask, &uc);
	assert_int_equal(sc.rip, 0x600000001000ULL);
	assert_int_equal(sc.rsp, 0x1234);
	assert_int_equal(sc.r11, 11);
	assert_int_equal(sc.rax, 5);
	assert_int_equal(sc.eflags, 0x202 | 0x100 | 0x400 | 0x40000 | 0x1 | 0x10000);
	assert_int_equal(sc.cs, 0x33);
	assert_int_equal(sc.ss, 0x2b);
	assert_int_equal(mask, ~CK_SIG_NEVER);
}

static uint8_t dst[CK_XSAVE_MAX] __attribute__((aligned(64)));
static uint8_t src[CK_XSAVE_MAX] __attribute__((aligned(64)));

#define W32(p, off, v) do { uint32_t v_ = (v); memcpy((p) + (off), &v_, 4); } while (0)
#define W64(p, off, v) do { uint64_t v_ = (v); memcpy((p) + (off), &v_, 8); } while (0)

static uint64_t r64(const uint8_t *p, size_t off)
{
	uint64_t v;

	memcpy(&v, p + off, 8);
	return v;
}

/* A kernel-made area in dst, a program's good copy of it in src. */
static void areas(void)
{
	memset(dst, 0, sizeof(dst));
	W32(dst, 28, 0xffff);	/* MXCSR_MASK */
	W32(dst, CK_FP_SW_OFF, CK_FP_MAGIC1);
	W32(dst, CK_FP_SW_OFF + 4, FPSIZE);
	W64(dst, CK_FP_SW_OFF + 8, HOST_XF);
	W32(dst, CK_FP_SW_OFF + 16, XSTATE);
	W32(dst, XSTATE, CK_FP_MAGIC2);
	memcpy(src, dst, FPSIZE);
	W64(src, CK_FP_HDR_OFF, 0x7);	/* x87 SSE AVX in use */
	src[200] = 0xaa;		/* an XMM byte */
	src[1000] = 0xbb;		/* an AVX byte */
}

static void restore_xsave(void **state)
{
	(void)state;
	areas();
	assert_int_equal(ck_sigframe_restore_xsave(dst, src, FPSIZE), 0);
	assert_int_equal(dst[200], 0xaa);
	assert_int_equal(dst[1000], 0xbb);
	assert_int_equal(r64(dst, CK_FP_HDR_OFF), 0x7);
	/* The program's software bytes leave AVX out: init. */
	areas();
	W64(src, CK_FP_SW_OFF + 8, 3);
	assert_int_equal(ck_sigframe_restore_xsave(dst, src, FPSIZE), 0);
	assert_int_equal(r64(dst, CK_FP_HDR_OFF), 3);
	assert_int_equal(r64(dst, CK_FP_SW_OFF + 8), HOST_XF);
	/* A feature the host lacks (bit 17, AMX), XCOMP_BV, reserved. */
	areas();
	W64(src, CK_FP_HDR_OFF, 1ULL << 17);
	assert_int_equal(ck_sigframe_restore_xsave(dst, src, FPSIZE), -1);
	areas();
	W64(src, CK_FP_HDR_OFF + 8, 1ULL << 63);
	assert_int_equal(ck_sigframe_restore_xsave(dst, src, FPSIZE), -1);
	areas();
	src[CK_FP_HDR_OFF + 40] = 1;
	assert_int_equal(ck_sigframe_restore_xsave(dst, src, FPSIZE), -1);
	/* PKRU is taken (bit 9 within the host's): the exit puts ck's back. */
	areas();
	W64(src, CK_FP_HDR_OFF, 1ULL << 9);
	assert_int_equal(ck_sigframe_restore_xsave(dst, src, FPSIZE), 0);
}

static void restore_fx_only(void **state)
{
	(void)state;
	/* A huge xstate_size, no MAGIC2, a bad MAGIC1: the legacy area only. */
	areas();
	W32(src, CK_FP_SW_OFF + 16, 0x100000);
	W32(src, CK_FP_SW_OFF + 4, 0x100004);
	assert_int_equal(ck_sigframe_restore_xsave(dst, src, FPSIZE), 0);
	assert_int_equal(r64(dst, CK_FP_HDR_OFF), 3);
	assert_int_equal(dst[200], 0xaa);
	assert_int_equal(dst[1000], 0);
	assert_int_equal(r64(dst, CK_FP_SW_OFF + 16) & 0xffffffff, XSTATE);
	areas();
	W32(src, XSTATE, 0);
	assert_int_equal(ck_sigframe_restore_xsave(dst, src, FPSIZE), 0);
	assert_int_equal(r64(dst, CK_FP_HDR_OFF), 3);
	areas();
	W32(src, CK_FP_SW_OFF, 0);
	W32(src, 24, 0xffffffff);	/* MXCSR: reserved bits set */
	assert_int_equal(ck_sigframe_restore_xsave(dst, src, FPSIZE), 0);
	assert_int_equal(r64(dst, 24) & 0xffffffff, 0xffff);
}

static void fpu_init(void **state)
{
	(void)state;
	areas();
	memcpy(dst, src, FPSIZE);
	ck_sigframe_fpu_init(dst);
	assert_int_equal(r64(dst, CK_FP_HDR_OFF), 0);
	assert_int_equal(dst[200], 0);
	assert_int_equal(dst[0] | dst[1] << 8, 0x37f);
	assert_int_equal(r64(dst, 24) & 0xffffffff, 0x1f80);
	assert_int_equal(r64(dst, CK_FP_SW_OFF) & 0xffffffff, CK_FP_MAGIC1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(place_plain),
		cmocka_unit_test(place_altstack),
		cmocka_unit_test(build_and_enter),
		cmocka_unit_test(restore_regs),
		cmocka_unit_test(restore_xsave),
		cmocka_unit_test(restore_fx_only),
		cmocka_unit_test(fpu_init),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
