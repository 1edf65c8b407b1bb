// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests of include/paracell/scan.h: every pattern planted at every
 * offset behind every prefix mix, the register and memory forms around
 * them, the API's counting and slicing, and random buffers against a
 * reference matcher written from the opcode tables, not from ModRM fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <paracell/scan.h>

#define BUF_LEN		64
#define FILLER		0x90	/* NOP: not 0F, so it starts no pattern */
#define MAX_HITS	512

/* ---- reference matcher ---- */

struct range {
	unsigned char lo, hi;
	unsigned int kind;
};

/* The third byte after 0F AE, by the SDM's opcode map. */
static const struct range ref_0fae[] = {
	{ 0x28, 0x2f, PARACELL_SCAN_XRSTOR },	/* mod 00 /5 */
	{ 0x68, 0x6f, PARACELL_SCAN_XRSTOR },	/* mod 01 /5 */
	{ 0xa8, 0xaf, PARACELL_SCAN_XRSTOR },	/* mod 10 /5 */
	{ 0xd0, 0xd7, PARACELL_SCAN_WRFSBASE },	/* mod 11 /2 */
	{ 0xd8, 0xdf, PARACELL_SCAN_WRGSBASE },	/* mod 11 /3 */
};

static unsigned int ref_kind(const unsigned char *p, size_t avail, int partial)
{
	size_t i;

	if (avail == 0 || p[0] != 0x0f)
		return 0;
	if (avail == 1)
		return partial ? PARACELL_SCAN_PARTIAL : 0;
	if (avail == 2)
		return partial && (p[1] == 0x01 || p[1] == 0xae) ?
		       PARACELL_SCAN_PARTIAL : 0;
	if (p[1] == 0x01 && p[2] == 0xef)
		return PARACELL_SCAN_WRPKRU;
	if (p[1] != 0xae)
		return 0;
	for (i = 0; i < sizeof(ref_0fae) / sizeof(ref_0fae[0]); i++)
		if (p[2] >= ref_0fae[i].lo && p[2] <= ref_0fae[i].hi)
			return ref_0fae[i].kind;
	return 0;
}

/*
 * WRFSBASE/WRGSBASE need an F3: in the run of prefix bytes just before
 * the core (its last 12 bytes; 15 in all with the core), or possible
 * below the buffer if that run reaches its start.
 */
static int ref_f3(const unsigned char *b, size_t i)
{
	static const unsigned char legacy[] = {
		0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2,
		0xf3,
	};
	size_t run = 0, j, k;
	int prefix;

	for (j = i; j > 0; j--) {
		prefix = b[j - 1] >= 0x40 && b[j - 1] <= 0x4f;
		for (k = 0; k < sizeof(legacy); k++)
			prefix |= b[j - 1] == legacy[k];
		if (!prefix)
			break;
		run++;
	}
	for (j = 1; j <= run && j <= 12; j++)
		if (b[i - j] == 0xf3)
			return 1;
	return run == i && i < 12;
}

static size_t ref_scan(const unsigned char *b, size_t len, int partial,
		       struct paracell_scan_hit *hits, size_t max)
{
	size_t i, n = 0;
	unsigned int k;

	for (i = 0; i < len; i++) {
		k = ref_kind(b + i, len - i, partial);
		if ((k == PARACELL_SCAN_WRFSBASE ||
		     k == PARACELL_SCAN_WRGSBASE) && !ref_f3(b, i))
			k = 0;
		if (!k)
			continue;
		if (n < max) {
			hits[n].offset = i;
			hits[n].kind = k;
		}
		n++;
	}
	return n;
}

static void assert_hits_equal(const struct paracell_scan_hit *a,
			      const struct paracell_scan_hit *b, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < MAX_HITS; i++) {
		assert_int_equal(a[i].offset, b[i].offset);
		assert_int_equal(a[i].kind, b[i].kind);
	}
}

/* Asserts that the scanner and the reference agree on b. */
static void check_against_ref(const unsigned char *b, size_t len,
			      unsigned int flags)
{
	struct paracell_scan_hit got[MAX_HITS], want[MAX_HITS];
	size_t ng, nw;

	ng = paracell_scan(b, len, flags, got, MAX_HITS);
	nw = ref_scan(b, len, !!(flags & PARACELL_SCAN_REPORT_PARTIAL),
		      want, MAX_HITS);
	assert_int_equal(ng, nw);
	assert_hits_equal(got, want, ng);
}

/* ---- instructions and prefixes ---- */

struct insn {
	unsigned char bytes[8];
	size_t len;
	unsigned int kind;	/* of the 0F at bytes[0] */
};

/* Appends the SIB and displacement a ModRM byte asks for (fillers). */
static size_t modrm_tail(unsigned char modrm, unsigned char *out)
{
	unsigned int mod = modrm >> 6, rm = modrm & 7;
	size_t n = 0, disp = 0;

	if (mod == 3)
		return 0;
	if (rm == 4)
		out[n++] = 0x24;	/* SIB: base rsp, no index */
	if (mod == 1)
		disp = 1;
	else if (mod == 2 || (mod == 0 && rm == 5))
		disp = 4;
	memset(out + n, 0x11, disp);
	return n + disp;
}

static size_t make_0fae(unsigned char modrm, unsigned int kind,
			struct insn *out)
{
	out->bytes[0] = 0x0f;
	out->bytes[1] = 0xae;
	out->bytes[2] = modrm;
	out->len = 3 + modrm_tail(modrm, out->bytes + 3);
	out->kind = kind;
	return 1;
}

/* Every forbidden instruction, each ModRM of each kind. */
static size_t forbidden_insns(struct insn *out)
{
	static const unsigned char mods[] = { 0x00, 0x40, 0x80 };
	size_t n = 0, m;
	unsigned int rm;

	out[n] = (struct insn){ { 0x0f, 0x01, 0xef }, 3,
				PARACELL_SCAN_WRPKRU };
	n++;
	for (m = 0; m < sizeof(mods); m++)
		for (rm = 0; rm < 8; rm++)
			n += make_0fae(mods[m] | (5 << 3) | rm,
				       PARACELL_SCAN_XRSTOR, &out[n]);
	for (rm = 0; rm < 8; rm++) {
		n += make_0fae(0xc0 | (2 << 3) | rm, PARACELL_SCAN_WRFSBASE,
			       &out[n]);
		n += make_0fae(0xc0 | (3 << 3) | rm, PARACELL_SCAN_WRGSBASE,
			       &out[n]);
	}
	return n;
}

#define MAX_PREFIXES	8

struct prefixes {
	unsigned char bytes[MAX_PREFIXES];
	size_t len;
};

static const unsigned char group1[] = { 0, 0xf0, 0xf2, 0xf3 };
static const unsigned char group2[] = { 0, 0x2e, 0x36, 0x3e, 0x26, 0x64, 0x65 };
static const unsigned char group3[] = { 0, 0x66 };
static const unsigned char group4[] = { 0, 0x67 };

static void push(struct prefixes *p, unsigned char b)
{
	if (b)
		p->bytes[p->len++] = b;
}

/*
 * The legal prefix mixes: at most one legacy prefix of each group, in two
 * orders, then no REX or any of 40..4F (so XRSTOR64's 48..4F too). Also a
 * run of repeated prefixes, which the CPU accepts up to 15 bytes in all.
 */
static size_t prefix_mixes(struct prefixes *out)
{
	size_t n = 0, a, b, c, d, order, rex;
	struct prefixes p;

	for (a = 0; a < sizeof(group1); a++)
	for (b = 0; b < sizeof(group2); b++)
	for (c = 0; c < sizeof(group3); c++)
	for (d = 0; d < sizeof(group4); d++)
	for (order = 0; order < 2; order++)
	for (rex = 0; rex <= 16; rex++) {
		p.len = 0;
		if (order) {
			push(&p, group4[d]);
			push(&p, group3[c]);
			push(&p, group2[b]);
			push(&p, group1[a]);
		} else {
			push(&p, group1[a]);
			push(&p, group2[b]);
			push(&p, group3[c]);
			push(&p, group4[d]);
		}
		push(&p, rex ? (unsigned char)(0x40 + rex - 1) : 0);
		out[n++] = p;
	}
	out[n++] = (struct prefixes){ { 0x66, 0x66, 0x66, 0xf3, 0xf3, 0x48 },
				      6 };
	return n;
}

#define NMIXES	(4 * 7 * 2 * 2 * 2 * 17 + 1)

static struct prefixes mixes[NMIXES];

/* ---- tests ---- */

static void test_planted_every_offset_every_prefix(void **state)
{
	struct insn insns[64];
	struct paracell_scan_hit hits[4];
	unsigned char buf[BUF_LEN];
	size_t ni, nm, i, m, off, len, n, where;

	(void)state;
	ni = forbidden_insns(insns);
	assert_int_equal(ni, 1 + 24 + 16);
	nm = prefix_mixes(mixes);
	assert_int_equal(nm, NMIXES);
	for (i = 0; i < ni; i++) {
		for (m = 0; m < nm; m++) {
			len = mixes[m].len + insns[i].len;
			for (off = 0; off + len <= BUF_LEN; off++) {
				memset(buf, FILLER, sizeof(buf));
				memcpy(buf + off, mixes[m].bytes, mixes[m].len);
				where = off + mixes[m].len;
				memcpy(buf + where, insns[i].bytes,
				       insns[i].len);
				n = paracell_scan(buf, sizeof(buf), 0, hits, 4);
				if ((insns[i].kind == PARACELL_SCAN_WRFSBASE ||
				     insns[i].kind == PARACELL_SCAN_WRGSBASE) &&
				    !ref_f3(buf, where)) {
					if (n)	/* no F3 before: #UD */
						fail_msg("insn %zu mix %zu off "
							 "%zu: a hit without "
							 "F3", i, m, off);
					continue;
				}
				if (n != 1 || hits[0].offset != where ||
				    hits[0].kind != insns[i].kind)
					fail_msg("insn %zu mix %zu off %zu: "
						 "%zu hits, first %zu kind %u",
						 i, m, off, n, hits[0].offset,
						 hits[0].kind);
			}
		}
	}
}

/* The pattern's bytes alone, flush with the buffer's end. */
static void test_pattern_at_end(void **state)
{
	static const unsigned char pats[][3] = {
		{ 0x0f, 0x01, 0xef }, { 0x0f, 0xae, 0x2f },
		{ 0x0f, 0xae, 0xd3 }, { 0x0f, 0xae, 0xdc },
	};
	static const unsigned int kinds[] = {
		PARACELL_SCAN_WRPKRU, PARACELL_SCAN_XRSTOR,
		PARACELL_SCAN_WRFSBASE, PARACELL_SCAN_WRGSBASE,
	};
	struct paracell_scan_hit h;
	unsigned char buf[BUF_LEN];
	size_t i, len;

	(void)state;
	for (i = 0; i < 4; i++) {
		for (len = 3; len <= BUF_LEN; len++) {
			memset(buf, FILLER, sizeof(buf));
			memcpy(buf + len - 3, pats[i], 3);
			if (i >= 2 && len > 3)
				buf[len - 4] = 0xf3;	/* WR*SBASE's */
			assert_int_equal(paracell_scan(buf, len, 0, &h, 1), 1);
			assert_int_equal(h.offset, len - 3);
			assert_int_equal(h.kind, kinds[i]);
			/* one byte short: no hit, or a partial one if asked */
			assert_int_equal(paracell_scan(buf, len - 1, 0, &h, 1),
					 0);
			assert_int_equal(paracell_scan(buf, len - 1,
						       PARACELL_SCAN_REPORT_PARTIAL,
						       &h, 1), 1);
			assert_int_equal(h.offset, len - 3);
			assert_int_equal(h.kind, PARACELL_SCAN_PARTIAL);
		}
	}
}

/* Every byte after 0F AE and after 0F 01, with and without prefixes. */
static void test_every_third_byte(void **state)
{
	unsigned char buf[8];
	unsigned int b, want;
	struct paracell_scan_hit h;
	size_t n;

	(void)state;
	for (b = 0; b < 256; b++) {
		memcpy(buf, (unsigned char[]){ 0xf3, 0x48, 0x0f, 0xae, b,
					       0x90, 0x90, 0x90 }, 8);
		want = ref_kind(buf + 2, 3, 0);
		n = paracell_scan(buf, sizeof(buf), 0, &h, 1);
		assert_int_equal(n, want ? 1 : 0);
		if (n) {
			assert_int_equal(h.offset, 2);
			assert_int_equal(h.kind, want);
		}
		buf[3] = 0x01;
		n = paracell_scan(buf, sizeof(buf), 0, &h, 1);
		assert_int_equal(n, b == 0xef ? 1 : 0);
	}
}

static void assert_none(const unsigned char *b, size_t len)
{
	assert_int_equal(paracell_scan(b, len, 0, NULL, 0), 0);
}

static void assert_one(const unsigned char *b, size_t len, size_t off,
		       unsigned int kind)
{
	struct paracell_scan_hit h;

	assert_int_equal(paracell_scan(b, len, 0, &h, 1), 1);
	assert_int_equal(h.offset, off);
	assert_int_equal(h.kind, kind);
}

/* Named neighbours of the patterns: allowed ones stay allowed. */
static void test_neighbours(void **state)
{
	(void)state;
	/* 0F AE register forms: only reg 2 and 3 are hits */
	assert_none((unsigned char[]){ 0x0f, 0xae, 0xe8 }, 3);	/* lfence */
	assert_none((unsigned char[]){ 0x0f, 0xae, 0xf0 }, 3);	/* mfence */
	assert_none((unsigned char[]){ 0x0f, 0xae, 0xf8 }, 3);	/* sfence */
	assert_none((unsigned char[]){ 0xf3, 0x48, 0x0f, 0xae, 0xc0 }, 5);
							/* rdfsbase rax */
	assert_none((unsigned char[]){ 0xf3, 0x0f, 0xae, 0xc8 }, 4);
							/* rdgsbase eax */
	assert_none((unsigned char[]){ 0xf3, 0x48, 0x0f, 0xae, 0xe8 }, 5);
							/* incsspq rax */
	assert_one((unsigned char[]){ 0xf3, 0x48, 0x0f, 0xae, 0xd0 }, 5, 2,
		   PARACELL_SCAN_WRFSBASE);		/* wrfsbase rax */
	assert_one((unsigned char[]){ 0xf3, 0x41, 0x0f, 0xae, 0xdf }, 5, 2,
		   PARACELL_SCAN_WRGSBASE);		/* wrgsbase r15d */
	assert_one((unsigned char[]){ 0x0f, 0xae, 0xd0 }, 3, 0,
		   PARACELL_SCAN_WRFSBASE);	/* an F3 may lie below b */
	assert_one((unsigned char[]){ 0x48, 0x0f, 0xae, 0xd8 }, 4, 1,
		   PARACELL_SCAN_WRGSBASE);	/* ... below the REX too */
	assert_one((unsigned char[]){ 0x90, 0xf3, 0x2e, 0x67, 0x48, 0x0f,
				      0xae, 0xd8 }, 8, 5,
		   PARACELL_SCAN_WRGSBASE);	/* F3 further up the run */
	/* no F3 in the run before the core: #UD wherever one jumps */
	assert_none((unsigned char[]){ 0x90, 0x0f, 0xae, 0xd0 }, 4);
	assert_none((unsigned char[]){ 0xe9, 0x0f, 0xae, 0xda, 0xff }, 5);
							/* git's jmp rel32 */
	assert_none((unsigned char[]){ 0x58, 0x0f, 0xae, 0xdc }, 4);
							/* libcrypto's table */
	assert_none((unsigned char[]){ 0x90, 0x48, 0x0f, 0xae, 0xd8 }, 5);
	assert_none((unsigned char[]){ 0xf3, 0x90, 0x0f, 0xae, 0xd8 }, 5);
	/* F3 12 bytes before the core: 15 in all, a hit; 13: #GP, none */
	assert_one((unsigned char[]){ 0x90, 0xf3, 0x66, 0x66, 0x66, 0x66, 0x66,
				      0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x0f,
				      0xae, 0xd8 }, 16, 13,
		   PARACELL_SCAN_WRGSBASE);
	assert_none((unsigned char[]){ 0x90, 0xf3, 0x66, 0x66, 0x66, 0x66,
				       0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
				       0x66, 0x66, 0x0f, 0xae, 0xd8 }, 17);
	/* a run of 11 prefixes to the buffer's start: an F3 may lie below */
	assert_one((unsigned char[]){ 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
				      0x66, 0x66, 0x66, 0x66, 0x0f, 0xae,
				      0xd8 }, 14, 11, PARACELL_SCAN_WRGSBASE);
	assert_none((unsigned char[]){ 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
				       0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
				       0x0f, 0xae, 0xd8 }, 15);
	/* 0F AE memory forms: only reg 5 is a hit */
	assert_none((unsigned char[]){ 0x0f, 0xae, 0x07 }, 3);	/* fxsave */
	assert_none((unsigned char[]){ 0x0f, 0xae, 0x0f }, 3);	/* fxrstor */
	assert_none((unsigned char[]){ 0x0f, 0xae, 0x17 }, 3);	/* ldmxcsr */
	assert_none((unsigned char[]){ 0x0f, 0xae, 0x1f }, 3);	/* stmxcsr */
	assert_none((unsigned char[]){ 0x0f, 0xae, 0x27 }, 3);	/* xsave */
	assert_none((unsigned char[]){ 0x0f, 0xae, 0x37 }, 3);	/* xsaveopt */
	assert_none((unsigned char[]){ 0x0f, 0xae, 0x3f }, 3);	/* clflush */
	assert_one((unsigned char[]){ 0x48, 0x0f, 0xae, 0x6c, 0x24, 0x40 }, 6,
		   1, PARACELL_SCAN_XRSTOR);		/* xrstor64 0x40(%rsp) */
	/* 0F 01 */
	assert_none((unsigned char[]){ 0x0f, 0x01, 0xee }, 3);	/* rdpkru */
	assert_none((unsigned char[]){ 0x0f, 0x01, 0xd0 }, 3);	/* xgetbv */
	/* XRSTORS is privileged: documented as not scanned */
	assert_none((unsigned char[]){ 0x0f, 0xc7, 0x1f }, 3);
	assert_none((unsigned char[]){ 0x48, 0x0f, 0xc7, 0x1f }, 4);
	/* a 0F before a pattern does not hide it */
	assert_one((unsigned char[]){ 0x0f, 0x0f, 0x01, 0xef }, 4, 1,
		   PARACELL_SCAN_WRPKRU);
	/* a pattern inside another instruction's immediate */
	assert_one((unsigned char[]){ 0xb8, 0x0f, 0x01, 0xef, 0x00 }, 5, 1,
		   PARACELL_SCAN_WRPKRU);		/* mov $0xef010f, %eax */
	assert_none(NULL, 0);
}

/* Adjacent patterns are all reported, in order. */
static void test_adjacent(void **state)
{
	static const unsigned char b[] = {
		0x0f, 0x01, 0xef, 0x0f, 0xae, 0x28, 0xf3, 0x0f, 0xae, 0xd8,
		0xf3, 0x0f, 0xae, 0xd0, 0x0f, 0x01, 0xef,
	};
	struct paracell_scan_hit h[8];

	(void)state;
	assert_int_equal(paracell_scan(b, sizeof(b), 0, h, 8), 5);
	assert_int_equal(h[0].offset, 0);
	assert_int_equal(h[0].kind, PARACELL_SCAN_WRPKRU);
	assert_int_equal(h[1].offset, 3);
	assert_int_equal(h[1].kind, PARACELL_SCAN_XRSTOR);
	assert_int_equal(h[2].offset, 7);
	assert_int_equal(h[2].kind, PARACELL_SCAN_WRGSBASE);
	assert_int_equal(h[3].offset, 11);
	assert_int_equal(h[3].kind, PARACELL_SCAN_WRFSBASE);
	assert_int_equal(h[4].offset, 14);
	assert_int_equal(h[4].kind, PARACELL_SCAN_WRPKRU);
}

static void test_partial(void **state)
{
	const unsigned int p = PARACELL_SCAN_REPORT_PARTIAL;
	struct paracell_scan_hit h;

	(void)state;
	assert_int_equal(paracell_scan((unsigned char[]){ 0x90, 0x0f }, 2, p,
				       &h, 1), 1);
	assert_int_equal(h.offset, 1);
	assert_int_equal(h.kind, PARACELL_SCAN_PARTIAL);
	assert_int_equal(paracell_scan((unsigned char[]){ 0x0f, 0x01 }, 2, p,
				       &h, 1), 1);
	assert_int_equal(paracell_scan((unsigned char[]){ 0x0f, 0xae }, 2, p,
				       &h, 1), 1);
	assert_int_equal(h.offset, 0);
	assert_int_equal(paracell_scan((unsigned char[]){ 0x0f, 0x02 }, 2, p,
				       &h, 1), 0);
	assert_int_equal(paracell_scan((unsigned char[]){ 0x0f, 0x01, 0xef },
				       3, p, &h, 1), 1);
	assert_int_equal(h.kind, PARACELL_SCAN_WRPKRU);
	assert_int_equal(paracell_scan((unsigned char[]){ 0x0f, 0xae, 0xe8 },
				       3, p, &h, 1), 0);
}

/* The count is the total even when fewer hits fit. */
static void test_count_beyond_max(void **state)
{
	unsigned char buf[30];
	struct paracell_scan_hit h[3];
	size_t i;

	(void)state;
	for (i = 0; i < 10; i++)
		memcpy(buf + 3 * i, (unsigned char[]){ 0x0f, 0x01, 0xef }, 3);
	assert_int_equal(paracell_scan(buf, sizeof(buf), 0, NULL, 0), 10);
	assert_int_equal(paracell_scan(buf, sizeof(buf), 0, h, 3), 10);
	for (i = 0; i < 3; i++)
		assert_int_equal(h[i].offset, 3 * i);
}

struct stop_at {
	size_t calls, stop_after;
	size_t last;
};

static int stop_cb(void *ctx, size_t offset, unsigned int kind)
{
	struct stop_at *s = ctx;

	(void)kind;
	s->last = offset;
	return ++s->calls == s->stop_after ? -42 : 0;
}

static void test_callback_stops(void **state)
{
	unsigned char buf[30];
	struct stop_at s = { 0, 4, 0 };
	size_t i;

	(void)state;
	for (i = 0; i < 10; i++)
		memcpy(buf + 3 * i, (unsigned char[]){ 0x0f, 0xae, 0x28 }, 3);
	assert_int_equal(paracell_scan_each(buf, sizeof(buf), 0, stop_cb, &s),
			 -42);
	assert_int_equal(s.calls, 4);
	assert_int_equal(s.last, 9);
	s = (struct stop_at){ 0, 100, 0 };
	assert_int_equal(paracell_scan_each(buf, sizeof(buf), 0, stop_cb, &s),
			 0);
	assert_int_equal(s.calls, 10);
}

static void test_kind_names(void **state)
{
	(void)state;
	assert_string_equal(paracell_scan_kind_name(PARACELL_SCAN_WRPKRU),
			    "wrpkru");
	assert_string_equal(paracell_scan_kind_name(PARACELL_SCAN_XRSTOR),
			    "xrstor");
	assert_string_equal(paracell_scan_kind_name(PARACELL_SCAN_WRFSBASE),
			    "wrfsbase");
	assert_string_equal(paracell_scan_kind_name(PARACELL_SCAN_WRGSBASE),
			    "wrgsbase");
	assert_string_equal(paracell_scan_kind_name(PARACELL_SCAN_PARTIAL),
			    "partial");
	assert_string_equal(paracell_scan_kind_name(PARACELL_SCAN_NONE), "?");
	assert_string_equal(paracell_scan_kind_name(PARACELL_SCAN_NKINDS),
			    "?");
}

/* ---- random buffers ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;	/* fixed seed */

static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* Bytes biased toward the patterns' own so that hits are frequent. */
static unsigned char rand_byte(void)
{
	static const unsigned char hot[] = {
		0x0f, 0x0f, 0x0f, 0x01, 0xef, 0xae, 0xae, 0x28, 0x2f, 0x68,
		0xaf, 0xd0, 0xdf, 0xe8, 0xf0, 0xf8, 0xc0, 0x30, 0xee, 0xc7,
		0xf3, 0x0f, 0x0f,	/* WR*SBASE needs an F3 before */
	};
	uint64_t r = next_rand();

	if (r & 3)
		return hot[(r >> 8) % sizeof(hot)];
	return (unsigned char)(r >> 16);
}

struct collect {
	struct paracell_scan_hit *hits;
	size_t n;
};

static int collect_cb(void *ctx, size_t offset, unsigned int kind)
{
	struct collect *c = ctx;

	c->hits[c->n].offset = offset;
	c->hits[c->n].kind = kind;
	c->n++;
	return 0;
}

/* Scanning in slices finds the same hits as one scan. */
static void check_slices(const unsigned char *b, size_t len, size_t step)
{
	struct paracell_scan_hit whole[MAX_HITS], sliced[MAX_HITS];
	struct collect c = { sliced, 0 };
	size_t n, from;

	n = paracell_scan(b, len, PARACELL_SCAN_REPORT_PARTIAL, whole,
			  MAX_HITS);
	for (from = 0; from < len; from += step)
		assert_int_equal(paracell_scan_range(b, len, from, from + step,
						     PARACELL_SCAN_REPORT_PARTIAL,
						     collect_cb, &c), 0);
	assert_int_equal(c.n, n);
	assert_hits_equal(whole, sliced, n);
}

static void test_random_buffers(void **state)
{
	unsigned char buf[400];
	size_t iter, len, i, total = 0;

	(void)state;
	for (iter = 0; iter < 20000; iter++) {
		len = next_rand() % (sizeof(buf) + 1);
		for (i = 0; i < len; i++)
			buf[i] = rand_byte();
		check_against_ref(buf, len, 0);
		check_against_ref(buf, len, PARACELL_SCAN_REPORT_PARTIAL);
		check_slices(buf, len, 1 + next_rand() % 17);
		total += paracell_scan(buf, len, 0, NULL, 0);
	}
	/* the bias works: the comparison saw many hits */
	assert_true(total > 10000);
}

/* Uniform bytes, long buffers: the rare hits still match. */
static void test_random_uniform(void **state)
{
	static unsigned char buf[1 << 16];
	size_t iter, i;

	(void)state;
	for (iter = 0; iter < 64; iter++) {
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (unsigned char)next_rand();
		check_against_ref(buf, sizeof(buf), 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_planted_every_offset_every_prefix),
		cmocka_unit_test(test_pattern_at_end),
		cmocka_unit_test(test_every_third_byte),
		cmocka_unit_test(test_neighbours),
		cmocka_unit_test(test_adjacent),
		cmocka_unit_test(test_partial),
		cmocka_unit_test(test_count_beyond_max),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_random_buffers),
		cmocka_unit_test(test_random_uniform),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
