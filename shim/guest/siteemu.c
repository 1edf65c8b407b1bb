// SPDX-License-Identifier: Apache-2.0
/*
 * Emulation of the instructions sites.c rewrote into `int $0x80`, reached
 * from trap.c with the program's registers in ck's copy of the frame:
 *
 *   WRPKRU  as on a machine where the program owns no pkeys: it has none
 *           to change (ck allocated them all), so the write does nothing
 *           and PKRU stays the program's;
 *   XRSTOR  restores what EDX:EAX asks from the XSAVE area at its memory
 *           operand (standard or compacted form), into the frame ck's
 *           rt_sigreturn restores, with the PKRU component masked out:
 *           the frame's PKRU stays ck's (ck_frame_set_pkru) and the exit
 *           trampoline's WRPKRU sets the program's, as after any call.
 *
 * The area is read with ck_copy_from_user (the program's memory only, under
 * its PKRU). What the CPU would refuse with #GP (misaligned area, a header
 * naming features XCR0 lacks, reserved bits) ends the process as that
 * fault would: SIGSEGV.
 */
#include <asm/signal.h>
#include <linux/errno.h>

#include "ck.h"
#include "decode.h"

#define XFEATURE_PKRU		9
#define LEGACY_SIZE		512
#define HDR_OFF			512
#define EXT_OFF			576
#define MXCSR_OFF		24
#define XCOMP_COMPACT		(1ULL << 63)

static uint64_t xgetbv0(void)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	return ((uint64_t)hi << 32) | lo;
}

/* Component i's size, standard offset and 64-byte alignment (compacted). */
static void comp_info(unsigned int i, uint32_t *size, uint32_t *off,
		      int *align)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0xd), "c"(i));
	*size = a;
	*off = b;
	*align = (c >> 1) & 1;
}

static uint64_t reg(const struct sigcontext *sc, unsigned int r)
{
	const uint64_t v[16] = {
		sc->rax, sc->rcx, sc->rdx, sc->rbx, sc->rsp, sc->rbp, sc->rsi,
		sc->rdi, sc->r8, sc->r9, sc->r10, sc->r11, sc->r12, sc->r13,
		sc->r14, sc->r15,
	};

	return v[r & 15];
}

/* The memory operand's address (no segment or 67 prefix: sites.c). */
static uint64_t operand(const struct ck_insn *in, const uint8_t *b,
			const struct sigcontext *sc, uint64_t next)
{
	unsigned int mod = in->modrm >> 6, rm = in->modrm & 7;
	uint64_t ea = 0;
	int64_t disp = 0;

	if (in->disp_len == 1)
		disp = (int8_t)b[in->disp_off];
	else if (in->disp_len == 4)
		disp = (int32_t)((uint32_t)b[in->disp_off] |
				 (uint32_t)b[in->disp_off + 1] << 8 |
				 (uint32_t)b[in->disp_off + 2] << 16 |
				 (uint32_t)b[in->disp_off + 3] << 24);
	if (in->flags & CK_INSN_RIPREL)
		return next + (uint64_t)disp;
	if (rm == 4) {
		uint8_t sib = b[in->modrm_off + 1];
		unsigned int idx = ((sib >> 3) & 7) | ((in->rex & 2) << 2);
		unsigned int base = (sib & 7) | ((in->rex & 1) << 3);

		if (idx != 4)
			ea += reg(sc, idx) << (sib >> 6);
		if ((sib & 7) != 5 || mod != 0)
			ea += reg(sc, base);
	} else {
		ea = reg(sc, rm | ((in->rex & 1) << 3));
	}
	return ea + (uint64_t)disp;
}

/* The fault the CPU would raise: the process dies of SIGSEGV. */
static __attribute__((noreturn)) void gp_fault(uint64_t rip)
{
	ck_dprintf(ck_env.err_fd, "ck: emulated xrstor at 0x%lx: general "
		   "protection fault\n", (unsigned long)rip);
	ck_die(128 + SIGSEGV, "the program ended by SIGSEGV");
}

static void xrstor(struct ck_frame *f, const struct ck_insn *in,
		   const uint8_t *b, uint64_t site)
{
	struct sigcontext *sc = &f->uc.uc_mcontext;
	uint64_t ea = operand(in, b, sc, site + in->len);
	uint64_t xcr0 = xgetbv0(), hdr[8], rfbm, bv, comp, *fbv;
	uint64_t xfeat = *(uint64_t *)(f->xsave + 464 + 8);
	uint32_t size, off, cur = EXT_OFF, mxcsr;
	unsigned int i;
	int align;

	rfbm = ((sc->rdx << 32) | (uint32_t)sc->rax) & xcr0 & xfeat;
	if (!ck_mutant(XRSTOR_PKRU))
		rfbm &= ~(1ULL << XFEATURE_PKRU);
	if ((ea & 63) || ck_copy_from_user(hdr, ea + HDR_OFF, sizeof(hdr)))
		gp_fault(site);
	bv = hdr[0];
	comp = hdr[1];
	if (comp & XCOMP_COMPACT) {
		if ((bv & ~comp) || (comp & ~(xcr0 | XCOMP_COMPACT)))
			gp_fault(site);
	} else if ((bv & ~xcr0) || comp || hdr[2]) {
		gp_fault(site);
	}
	fbv = (uint64_t *)(f->xsave + HDR_OFF);
	if (rfbm & 3 && !ck_copy_from_user(&mxcsr, ea + MXCSR_OFF, 4))
		memcpy(f->xsave + MXCSR_OFF, &mxcsr, 4);
	if ((rfbm & 1) && (bv & 1)) {	/* x87: all of the legacy area but */
		if (ck_copy_from_user(f->xsave, ea, MXCSR_OFF) ||
		    ck_copy_from_user(f->xsave + 32, ea + 32, 160 - 32))
			gp_fault(site);
	}
	if ((rfbm & 2) && (bv & 2) &&	/* SSE: XMM0-15 */
	    ck_copy_from_user(f->xsave + 160, ea + 160, 256))
		gp_fault(site);
	for (i = 0; i < 2; i++)
		if (rfbm & (1ULL << i))
			*fbv = (*fbv & ~(1ULL << i)) | (bv & (1ULL << i));
	for (i = 2; i < 63; i++) {
		uint64_t bit = 1ULL << i;
		uint64_t src;

		if (!((comp & XCOMP_COMPACT ? comp : xcr0) & bit))
			continue;
		comp_info(i, &size, &off, &align);
		if (comp & XCOMP_COMPACT) {
			if (align)
				cur = (uint32_t)CK_ALIGN_UP(cur, 64);
			src = ea + cur;
			cur += size;
		} else {
			src = ea + off;
		}
		if (!(rfbm & bit))
			continue;
		if ((bv & bit) && (off + size > ck_env.xsave_size ||
				   off + size > CK_XSAVE_MAX ||
				   size > CK_BOUNCE_SIZE ||
				   ck_copy_from_user(f->xsave + off, src, size)))
			gp_fault(site);
		*fbv = (*fbv & ~bit) | (bv & bit);
	}
}

int ck_site_trap(struct ck_frame *f)
{
	struct sigcontext *sc = &f->uc.uc_mcontext;
	const struct ck_site *s;
	struct ck_site site;
	struct ck_insn in;

	if (ck_detour_trap(f))	/* a kind-2 detour: on to its trampoline */
		return 1;
	ck_proc_lock();
	s = ck_site_at(sc->rip - 2);
	if (s)
		site = *s;
	ck_proc_unlock();
	if (!s || ck_decode(site.bytes, site.len, 0, &in) != site.len)
		return 0;
	if (in.kind == CK_KIND_XRSTOR)
		xrstor(f, &in, site.bytes, site.addr);
	else if (in.kind != CK_KIND_WRPKRU)
		return 0;
	sc->rip = site.addr + site.len;
	CK_COUNT(site_traps, 1);
	return 1;
}

/*
 * On a host without IA32 emulation (a kernel built without it, or booted
 * with ia32_emulation=0) an int $0x80 raises #GP before Syscall User
 * Dispatch sees it: SIGSEGV, si_code SI_KERNEL, RIP at the int itself. At
 * a site that is the same trap. A sent SIGSEGV naming SI_KERNEL (a
 * program may send itself one) at most runs a site's emulation, which is
 * what the program could run anyway.
 */
int ck_site_gp(struct ck_frame *f)
{
	struct sigcontext *sc = &f->uc.uc_mcontext;

	if (*(const int32_t *)f->info != SIGSEGV ||
	    *(const int32_t *)(f->info + 8) != CK_SI_KERNEL)
		return 0;
	sc->rip += 2;	/* where the trap would have left it */
	if (ck_site_trap(f))
		return 1;
	sc->rip -= 2;
	return 0;
}
