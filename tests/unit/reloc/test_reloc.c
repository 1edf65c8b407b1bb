// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests of ck's detour encodings (shim/guest/reloc.c): the
 * trampolines of the real kind-2 sites (node's movsd, libnettle's rol),
 * a RIP-relative operand re-based to the same address, jmp and jcc
 * re-encoded to the same target, a call and loop refused, reach checked;
 * the site bytes (jmp or int $0x80, INT3s). Every trampoline is decoded
 * back with ck's decoder and its effective addresses computed.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include <paracell/scan.h>

#include "reloc.h"

static int32_t rd32(const uint8_t *p)
{
	return (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 |
			 (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
}

static int hits(const uint8_t *b, size_t n)
{
	return (int)paracell_scan(b, n, 0, 0, 0);
}

/* The trampoline of b at from, placed at to: its length, checked. */
static int tramp(const uint8_t *b, size_t n, uint64_t from, uint64_t to,
		 uint8_t *out, struct ck_insn *in)
{
	assert_int_equal(ck_decode(b, n, 0, in), (int)n);
	return ck_reloc_tramp(b, in, from, to, out);
}

/* The jmp at t + o goes to want. */
static void jmp_to(const uint8_t *t, int o, uint64_t to, uint64_t want)
{
	assert_int_equal(t[o], 0xe9);
	assert_int_equal(to + (uint64_t)o + 5 + (uint64_t)(int64_t)rd32(t + o + 1),
			 want);
}

static void node_movsd(void **state)
{
	/* movsd 0x128ae0f(%rip),%xmm1: an XRSTOR in its displacement */
	static const uint8_t b[] = { 0xf2, 0x0f, 0x10, 0x0d, 0x0f, 0xae,
				     0x28, 0x01 };
	uint64_t from = 0x139eb99, to = 0x139e000 - 0x2000 + 64;
	uint8_t t[CK_TRAMP_MAX], site[8];
	struct ck_insn in, back;
	int n;

	(void)state;
	assert_true(hits(b, sizeof(b)) > 0);
	n = tramp(b, sizeof(b), from, to, t, &in);
	assert_int_equal(n, 13);
	/* the same instruction, its operand at the same address */
	assert_int_equal(ck_decode(t, (size_t)n, 0, &back), 8);
	assert_memory_equal(t, b, 4);
	assert_int_equal(to + 8 + (uint64_t)(int64_t)rd32(t + 4),
			 from + 8 + 0x128ae0f);
	jmp_to(t, 8, to, from + 8);
	assert_int_equal(hits(t, (size_t)n), 0);
	ck_reloc_site(site, sizeof(site), from, to);
	jmp_to(site, 0, from, to);
	assert_memory_equal(site + 5, "\xcc\xcc\xcc", 3);
	assert_int_equal(hits(site, sizeof(site)), 0);
}

static void nettle_rol(void **state)
{
	/* rol $0xf,%r15d; add %ebp,%edi: a WRPKRU across the two */
	uint8_t code[] = { 0x41, 0xc1, 0xc7, 0x0f, 0x01, 0xef };
	uint64_t from = 0x27a6e, to = 0x10000;
	uint8_t t[CK_TRAMP_MAX];
	struct ck_insn in;
	int n;

	(void)state;
	assert_int_equal(hits(code, sizeof(code)), 1);
	n = tramp(code, 4, from, to, t, &in);
	assert_int_equal(n, 9);
	assert_memory_equal(t, code, 4);
	jmp_to(t, 4, to, from + 4);
	assert_int_equal(hits(t, (size_t)n), 0);
	/* 4 bytes: the kind-1 trap and an INT3; the pattern is gone */
	ck_reloc_site(code, 4, from, to);
	assert_memory_equal(code, "\xcd\x80\xcc\xcc\x01\xef", 6);
	assert_int_equal(hits(code, sizeof(code)), 0);
}

static void branches(void **state)
{
	static const uint8_t jne8[] = { 0x75, 0x10 };
	static const uint8_t jmp32[] = { 0xe9, 0x00, 0x01, 0x00, 0x00 };
	static const uint8_t je32[] = { 0x0f, 0x84, 0x0f, 0x01, 0xef, 0x00 };
	static const uint8_t call[] = { 0xe8, 0x0f, 0x01, 0xef, 0x00 };
	static const uint8_t loop[] = { 0xe2, 0xfe };
	uint64_t from = 0x400000, to = 0x3ff000;
	uint8_t t[CK_TRAMP_MAX];
	struct ck_insn in;
	int n;

	(void)state;
	/* jne rel8 becomes jne rel32 to the same target, then jmp back */
	n = tramp(jne8, sizeof(jne8), from, to, t, &in);
	assert_int_equal(n, 11);
	assert_int_equal(t[0], 0x0f);
	assert_int_equal(t[1], 0x85);
	assert_int_equal(to + 6 + (uint64_t)(int64_t)rd32(t + 2),
			 from + 2 + 0x10);
	jmp_to(t, 6, to, from + 2);
	n = tramp(jmp32, sizeof(jmp32), from, to, t, &in);
	assert_int_equal(n, 10);
	jmp_to(t, 0, to, from + 5 + 0x100);
	n = tramp(je32, sizeof(je32), from, to, t, &in);
	assert_int_equal(n, 11);
	assert_int_equal(to + 6 + (uint64_t)(int64_t)rd32(t + 2),
			 from + 6 + 0xef010f);
	assert_int_equal(tramp(call, sizeof(call), from, to, t, &in),
			 CK_RELOC_EBRANCH);
	assert_int_equal(tramp(loop, sizeof(loop), from, to, t, &in),
			 CK_RELOC_EBRANCH);
}

static void reach(void **state)
{
	/* mov 0x7ffffff0(%rip),%eax from 64 KiB above: out of reach */
	static const uint8_t b[] = { 0x8b, 0x05, 0xf0, 0xff, 0xff, 0x7f };
	uint8_t t[CK_TRAMP_MAX];
	struct ck_insn in;

	(void)state;
	assert_int_equal(tramp(b, sizeof(b), 0x100000, 0x0f0000, t, &in),
			 CK_RELOC_ERANGE);
	assert_int_equal(tramp(b, sizeof(b), 0x100000, 0x110000, t, &in), 11);
	/* the trampoline itself out of the site's reach */
	assert_int_equal(tramp(b, 6, 0x100000000ULL, 0x10000, t, &in),
			 CK_RELOC_ERANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(node_movsd),
		cmocka_unit_test(nettle_rol),
		cmocka_unit_test(branches),
		cmocka_unit_test(reach),
	};

	return cmocka_run_group_tests(tests, 0, 0);
}
