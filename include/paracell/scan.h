/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * ParaCell instruction scanner: finds, at every byte offset of a buffer, the
 * x86-64 byte patterns untrusted code must never contain (DESIGN.md section 3,
 * "Sealed code"). Shared verbatim by the host module (sealing) and by
 * userspace (libparacell, ck's build, paracell-scan).
 *
 * Untrusted code can jump to any byte, so the scan does not decode: each
 * offset is tested on its own and every hit is reported, in increasing
 * offset order. A hit's offset is that of its 0F opcode byte.
 *
 *   kind                     bytes from the offset
 *   PARACELL_SCAN_WRPKRU     0F 01 EF
 *   PARACELL_SCAN_XRSTOR     0F AE /5, mod != 11 (every memory form)
 *   PARACELL_SCAN_WRFSBASE   0F AE /2, mod == 11 (D0..D7)
 *   PARACELL_SCAN_WRGSBASE   0F AE /3, mod == 11 (D8..DF)
 *
 * Every prefixed encoding (66, F2, F3, F0, segment overrides, 67, REX
 * 40..4F including XRSTOR64's REX.W) ends in the unprefixed core above,
 * and a jump to the 0F runs that core on its own, so the core is the
 * pattern. WRFSBASE and WRGSBASE are the exception: their core alone is
 * #UD (0F AE /2, /3 with mod 11 is an instruction only with the mandatory
 * F3), so a jump to the 0F gains nothing, and only an F3 in the run of
 * prefix bytes just before it (at most PARACELL_SCAN_PREFIX_MAX bytes: an
 * instruction is at most 15) can make it one. Their core is a hit only if
 * that run holds an F3, or reaches the buffer's start within that many
 * bytes (the F3 may sit in the mapping placed below it). Debian's git,
 * libgfortran or libLLVM hold the core inside a call's or jump's
 * displacement (E8/E9 0F AE Dx): no prefix before it, so no hit.
 * Register forms of 0F AE other than reg 2/3 (LFENCE E8.., MFENCE F0..,
 * SFENCE F8.., RDFSBASE/RDGSBASE C0..CF, INCSSP, PTWRITE, ...) and memory
 * forms other than reg 5 (FXSAVE, FXRSTOR, LDMXCSR, STMXCSR, XSAVE,
 * XSAVEOPT, CLFLUSH) are not hits, nor is RDPKRU (0F 01 EE).
 *
 * Not scanned: XRSTORS (0F C7 /3) restores PKRU too but is privileged: it
 * raises #GP at CPL 3, so it is no gadget for user code.
 *
 * No two hits can overlap: every pattern starts with 0F, and none has 0F as
 * its second or third byte. The scan does not rely on that.
 *
 * A buffer that ends in 0F, 0F 01 or 0F AE could be completed by whatever
 * is placed after it. With PARACELL_SCAN_REPORT_PARTIAL such an end is
 * reported as a PARACELL_SCAN_PARTIAL hit at its 0F; code whose every piece
 * is refused on those needs no check where two pieces meet.
 */
#ifndef _PARACELL_SCAN_H
#define _PARACELL_SCAN_H

#ifdef __KERNEL__
#include <linux/types.h>
#else
#include <stddef.h>
#endif

enum paracell_scan_kind {
	PARACELL_SCAN_NONE = 0,
	PARACELL_SCAN_WRPKRU = 1,
	PARACELL_SCAN_XRSTOR = 2,
	PARACELL_SCAN_WRFSBASE = 3,
	PARACELL_SCAN_WRGSBASE = 4,
	PARACELL_SCAN_PARTIAL = 5,	/* only with PARACELL_SCAN_REPORT_PARTIAL */
};

#define PARACELL_SCAN_NKINDS		6

/* Flags of the scan functions. */
#define PARACELL_SCAN_REPORT_PARTIAL	(1U << 0)
#define PARACELL_SCAN_FLAGS		(PARACELL_SCAN_REPORT_PARTIAL)

struct paracell_scan_hit {
	size_t offset;		/* of the 0F byte, from the buffer's start */
	unsigned int kind;	/* enum paracell_scan_kind */
};

/*
 * Called once per hit; a non-zero return stops the scan, which then returns
 * that value.
 */
typedef int (*paracell_scan_fn)(void *ctx, size_t offset, unsigned int kind);

/* The short lower-case name of a kind ("wrpkru", ...), "?" if unknown. */
static inline const char *paracell_scan_kind_name(unsigned int kind)
{
	switch (kind) {
	case PARACELL_SCAN_WRPKRU:
		return "wrpkru";
	case PARACELL_SCAN_XRSTOR:
		return "xrstor";
	case PARACELL_SCAN_WRFSBASE:
		return "wrfsbase";
	case PARACELL_SCAN_WRGSBASE:
		return "wrgsbase";
	case PARACELL_SCAN_PARTIAL:
		return "partial";
	default:
		return "?";
	}
}

/*
 * The kind of the pattern starting at p, which has avail (>= 1) readable
 * bytes, or PARACELL_SCAN_NONE. The bytes before p are not looked at:
 * paracell_scan_range also asks paracell_scan_f3_before for WR*SBASE.
 */
static inline unsigned int paracell_scan_kind_at(const unsigned char *p,
						 size_t avail,
						 unsigned int flags)
{
	unsigned int mod, reg;

	if (p[0] != 0x0f)
		return PARACELL_SCAN_NONE;
	if (avail < 3) {
		if (!(flags & PARACELL_SCAN_REPORT_PARTIAL))
			return PARACELL_SCAN_NONE;
		if (avail == 1 || p[1] == 0x01 || p[1] == 0xae)
			return PARACELL_SCAN_PARTIAL;
		return PARACELL_SCAN_NONE;
	}
	if (p[1] == 0x01)
		return p[2] == 0xef ? PARACELL_SCAN_WRPKRU : PARACELL_SCAN_NONE;
	if (p[1] != 0xae)
		return PARACELL_SCAN_NONE;
	mod = p[2] >> 6;
	reg = (p[2] >> 3) & 7;
	if (mod != 3)
		return reg == 5 ? PARACELL_SCAN_XRSTOR : PARACELL_SCAN_NONE;
	if (reg == 2)
		return PARACELL_SCAN_WRFSBASE;
	if (reg == 3)
		return PARACELL_SCAN_WRGSBASE;
	return PARACELL_SCAN_NONE;
}

/* Instruction bytes before a 3-byte core: 15 - 3. */
#define PARACELL_SCAN_PREFIX_MAX	12

/* A legacy prefix or REX: the bytes that may precede an opcode. */
static inline int paracell_scan_is_prefix(unsigned char c)
{
	return (c & 0xf0) == 0x40 || c == 0x26 || c == 0x2e || c == 0x36 ||
	       c == 0x3e || c == 0x64 || c == 0x65 || c == 0x66 ||
	       c == 0x67 || c == 0xf0 || c == 0xf2 || c == 0xf3;
}

/*
 * Could the core at b[i] be WRFSBASE/WRGSBASE: an F3 in the run of
 * prefix bytes just before it, or that run reaching b's start?
 */
static inline int paracell_scan_f3_before(const unsigned char *b, size_t i)
{
	size_t n;

	for (n = 1; n <= PARACELL_SCAN_PREFIX_MAX; n++) {
		if (n > i)
			return 1;	/* what lies below b is unknown */
		if (b[i - n] == 0xf3)
			return 1;
		if (!paracell_scan_is_prefix(b[i - n]))
			return 0;
	}
	return 0;	/* longer than 15 bytes with the F3: #GP */
}

/*
 * Tests the offsets from..to-1 of buf (len bytes; to is clamped to len) and
 * calls fn for each hit. Patterns may run past to (up to len), so a large
 * buffer can be scanned in slices. Returns 0, or fn's first non-zero value.
 */
static inline int paracell_scan_range(const void *buf, size_t len,
				      size_t from, size_t to,
				      unsigned int flags,
				      paracell_scan_fn fn, void *ctx)
{
	const unsigned char *b = (const unsigned char *)buf;
	unsigned int kind;
	size_t i;
	int ret;

	if (to > len)
		to = len;
	for (i = from; i < to; i++) {
		if (b[i] != 0x0f)
			continue;
		kind = paracell_scan_kind_at(b + i, len - i, flags);
		if (kind == PARACELL_SCAN_NONE)
			continue;
		if ((kind == PARACELL_SCAN_WRFSBASE ||
		     kind == PARACELL_SCAN_WRGSBASE) &&
		    !paracell_scan_f3_before(b, i))
			continue;
		ret = fn(ctx, i, kind);
		if (ret)
			return ret;
	}
	return 0;
}

/* paracell_scan_range over the whole buffer. */
static inline int paracell_scan_each(const void *buf, size_t len,
				     unsigned int flags,
				     paracell_scan_fn fn, void *ctx)
{
	return paracell_scan_range(buf, len, 0, len, flags, fn, ctx);
}

struct paracell_scan_fill {
	struct paracell_scan_hit *hits;
	size_t max;
	size_t count;
};

static inline int paracell_scan_fill_one(void *ctx, size_t offset,
					 unsigned int kind)
{
	struct paracell_scan_fill *f = (struct paracell_scan_fill *)ctx;

	if (f->count < f->max) {
		f->hits[f->count].offset = offset;
		f->hits[f->count].kind = kind;
	}
	f->count++;
	return 0;
}

/*
 * Stores the first max hits of buf in hits (which may be NULL if max is 0)
 * and returns how many hits there are in all, which may exceed max.
 */
static inline size_t paracell_scan(const void *buf, size_t len,
				   unsigned int flags,
				   struct paracell_scan_hit *hits, size_t max)
{
	struct paracell_scan_fill f = { hits, max, 0 };

	paracell_scan_each(buf, len, flags, paracell_scan_fill_one, &f);
	return f.count;
}

/* A paracell_scan_fn storing the first hit in ctx (a paracell_scan_hit). */
static inline int paracell_scan_stop_first(void *ctx, size_t offset,
					   unsigned int kind)
{
	struct paracell_scan_hit *hit = (struct paracell_scan_hit *)ctx;

	hit->offset = offset;
	hit->kind = kind;
	return 1;
}

/*
 * The scan a seal gets, as if its len bytes were zero-padded to whole
 * pages: a pattern cut off at the end counts only when the code fills its
 * last page, where a neighbouring seal could complete it. Returns 1 with
 * the first hit in *hit, or 0.
 */
static inline int paracell_scan_seal(const void *code, size_t len,
				     size_t page, struct paracell_scan_hit *hit)
{
	unsigned int flags = len % page ? 0 : PARACELL_SCAN_REPORT_PARTIAL;

	return paracell_scan_each(code, len, flags, paracell_scan_stop_first,
				  hit) != 0;
}

#endif /* _PARACELL_SCAN_H */
