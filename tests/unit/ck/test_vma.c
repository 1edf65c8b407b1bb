// SPDX-License-Identifier: Apache-2.0
/*
 * ck's region table (shim/guest/vma.c) and /proc/self/maps reader
 * (maps.c) on the host, through glue.c: records split, merged and
 * refused as the memory syscalls rely on, ck_user_ok's range check, the
 * maps parser, a maps file read in pieces (lines split across reads, a
 * line longer than the buffer skipped), and the resync after a partly
 * failed mprotect.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include <cmocka.h>

#include "glue.h"

#define RW (PROT_READ | PROT_WRITE)
#define RX (PROT_READ | PROT_EXEC)

static int reset(void **state)
{
	(void)state;
	tg_reset();
	return 0;
}

/* The table is exactly the n records given (start, end, prot, kind). */
static void expect_table(unsigned int n, const struct tg_region *want)
{
	unsigned int i;

	assert_int_equal(tg_nregions(), n);
	for (i = 0; i < n; i++) {
		struct tg_region r = tg_region(i);

		if (r.start != want[i].start || r.end != want[i].end ||
		    r.prot != want[i].prot || r.kind != want[i].kind)
			fail_msg("record %u: %#lx-%#lx prot %d kind %d, want "
				 "%#lx-%#lx prot %d kind %d", i,
				 (unsigned long)r.start, (unsigned long)r.end,
				 r.prot, r.kind, (unsigned long)want[i].start,
				 (unsigned long)want[i].end, want[i].prot,
				 want[i].kind);
	}
}

static void test_add_sorts_and_merges(void **state)
{
	(void)state;
	assert_int_equal(tg_add(0x5000, 0x6000, RW, TG_ANON), 0);
	assert_int_equal(tg_add(0x1000, 0x2000, RW, TG_ANON), 0);
	assert_int_equal(tg_add(0x3000, 0x4000, PROT_READ, TG_ANON), 0);
	/* Neighbours alike merge, as the kernel merges its VMAs. */
	assert_int_equal(tg_add(0x2000, 0x3000, RW, TG_ANON), 0);
	assert_int_equal(tg_add(0x4000, 0x5000, PROT_READ, TG_SHARED), 0);
	expect_table(4, (const struct tg_region[]){
		{ 0x1000, 0x3000, RW, TG_ANON },
		{ 0x3000, 0x4000, PROT_READ, TG_ANON },
		{ 0x4000, 0x5000, PROT_READ, TG_SHARED },
		{ 0x5000, 0x6000, RW, TG_ANON } });
}

static void test_ck_records_never_merge(void **state)
{
	(void)state;
	tg_add(0x1000, 0x2000, PROT_READ, TG_CK);
	tg_add(0x2000, 0x3000, PROT_READ, TG_CK);
	assert_int_equal(tg_nregions(), 2);
}

static void test_add_over_replaces(void **state)
{
	(void)state;
	tg_add(0x1000, 0x9000, RW, TG_ANON);
	tg_add(0x3000, 0x5000, RX, TG_CODE);
	expect_table(3, (const struct tg_region[]){
		{ 0x1000, 0x3000, RW, TG_ANON },
		{ 0x3000, 0x5000, RX, TG_CODE },
		{ 0x5000, 0x9000, RW, TG_ANON } });
	/* The same again over all of it: one record. */
	tg_add(0x1000, 0x9000, RW, TG_ANON);
	expect_table(1, (const struct tg_region[]){
		{ 0x1000, 0x9000, RW, TG_ANON } });
}

static void test_remove_splits_and_trims(void **state)
{
	(void)state;
	tg_add(0x1000, 0x9000, RW, TG_ANON);
	tg_add(0xa000, 0xc000, RW, TG_SHARED);
	assert_int_equal(tg_remove(0x3000, 0x4000), 0);	/* a hole */
	assert_int_equal(tg_remove(0x8000, 0xb000), 0);	/* two tails */
	expect_table(3, (const struct tg_region[]){
		{ 0x1000, 0x3000, RW, TG_ANON },
		{ 0x4000, 0x8000, RW, TG_ANON },
		{ 0xb000, 0xc000, RW, TG_SHARED } });
	assert_int_equal(tg_remove(0, 0x100000), 0);
	assert_int_equal(tg_nregions(), 0);
}

static void test_full_table(void **state)
{
	unsigned int i;

	(void)state;
	/* Every other page, kinds alternating: nothing merges. */
	for (i = 0; i < TG_MAX_REGIONS; i++)
		assert_int_equal(tg_add(0x10000 + 0x2000 * (uint64_t)i,
					0x11000 + 0x2000 * (uint64_t)i, RW,
					i % 2 ? TG_ANON : TG_SHARED), 0);
	assert_int_equal(tg_add(0x1000, 0x2000, RW, TG_ANON), -12 /* ENOMEM */);
	/* A hole in the middle of a record needs one more: ck dies. */
	assert_int_equal(tg_remove(0x10400, 0x10800), 134);
	assert_int_equal(tg_nregions(), TG_MAX_REGIONS);
}

static void test_kind_of(void **state)
{
	(void)state;
	tg_add(0x1000, 0x3000, RW, TG_ANON);
	tg_add(0x3000, 0x4000, RX, TG_CODE);
	tg_add(0x4000, 0x5000, RW, TG_BRK);
	tg_add(0x6000, 0x7000, RW, TG_BRK);
	assert_int_equal(tg_kind_of(0x1000, 0x3000), TG_ANON);
	assert_int_equal(tg_kind_of(0x2000, 0x3000), TG_ANON);
	/* Sealed code anywhere in the range makes it code. */
	assert_int_equal(tg_kind_of(0x1000, 0x5000), TG_CODE);
	/* Mixed, or partly unmapped: free. */
	assert_int_equal(tg_kind_of(0x4000, 0x7000), TG_FREE);
	assert_int_equal(tg_kind_of(0x2000, 0x6000), TG_CODE);
	assert_int_equal(tg_kind_of(0x4000, 0x5000), TG_BRK);
	assert_int_equal(tg_kind_of(0x8000, 0x9000), TG_FREE);
}

static void test_set_prot_splits(void **state)
{
	(void)state;
	tg_add(0x1000, 0x5000, RW, TG_ANON);
	tg_set_prot(0x2000, 0x3000, PROT_READ);
	expect_table(3, (const struct tg_region[]){
		{ 0x1000, 0x2000, RW, TG_ANON },
		{ 0x2000, 0x3000, PROT_READ, TG_ANON },
		{ 0x3000, 0x5000, RW, TG_ANON } });
	assert_int_equal(tg_prot_at(0x2800), PROT_READ);
	assert_int_equal(tg_prot_at(0x9000), 0);
	/* Back to RW: one record again. */
	tg_set_prot(0x2000, 0x3000, RW);
	expect_table(1, (const struct tg_region[]){
		{ 0x1000, 0x5000, RW, TG_ANON } });
}

static void test_overlaps_ck(void **state)
{
	(void)state;
	tg_add(0x1000, 0x2000, RW, TG_ANON);
	tg_add(0x2000, 0x3000, PROT_READ, TG_CK);
	assert_false(tg_overlaps_ck(0x1000, 0x2000));
	assert_true(tg_overlaps_ck(0x1fff, 0x2001));
	assert_true(tg_overlaps_ck(0x2fff, 0x4000));
	assert_false(tg_overlaps_ck(0x3000, 0x4000));
}

static void test_user_ok(void **state)
{
	uint64_t lo, hi;

	(void)state;
	tg_add(0x1000, 0x2000, RW, TG_ANON);
	tg_add(0x2000, 0x3000, PROT_READ, TG_ANON);
	tg_add(0x3000, 0x4000, PROT_WRITE, TG_ANON);
	tg_add(0x4000, 0x5000, RW, TG_CK);
	tg_add(0x6000, 0x7000, RW, TG_ANON);
	assert_true(tg_user_ok(0x1000, 0x2000, PROT_READ));
	assert_false(tg_user_ok(0x1000, 0x2000, PROT_WRITE));
	assert_true(tg_user_ok(0x1800, 0x10, PROT_WRITE));
	/* x86 has no write-only pages: writable reads too. */
	assert_true(tg_user_ok(0x3000, 0x1000, PROT_READ));
	/* ck's memory, a hole, a wrap: never. */
	assert_false(tg_user_ok(0x3ff8, 0x10, PROT_READ));
	assert_false(tg_user_ok(0x4000, 1, PROT_READ));
	assert_false(tg_user_ok(0x5800, 0x1000, PROT_READ));
	assert_false(tg_user_ok(0xfffffffffffff000ULL, 0x2000, PROT_READ));
	assert_true(tg_user_ok(0x1000, 0, PROT_WRITE));
	assert_int_equal(tg_region_of(0x4800, &lo, &hi), 0);
	assert_int_equal(lo, 0x4000);
	assert_int_equal(hi, 0x5000);
	assert_int_not_equal(tg_region_of(0x5800, &lo, &hi), 0);
}

static void test_maps_line(void **state)
{
	uint64_t lo, hi;
	int prot;

	(void)state;
	assert_true(tg_maps_line("7f0000001000-7f0000003000 r-xp 00000000 "
				 "08:01 42   /usr/bin/x", &lo, &hi, &prot));
	assert_int_equal(lo, 0x7f0000001000ULL);
	assert_int_equal(hi, 0x7f0000003000ULL);
	assert_int_equal(prot, RX);
	assert_true(tg_maps_line("600000000000-600000001000 rw-p 0 0:0 0",
				 &lo, &hi, &prot));
	assert_int_equal(prot, RW);
	assert_true(tg_maps_line("1000-2000 -w-s 0 0:0 0", &lo, &hi, &prot));
	assert_int_equal(prot, PROT_WRITE);
	assert_true(tg_maps_line("ffffffffff600000-ffffffffff601000 --xp 0",
				 &lo, &hi, &prot));
	assert_int_equal(hi, 0xffffffffff601000ULL);
	/* No range, or no permissions after it: not a mapping. */
	assert_false(tg_maps_line("2000-1000 rw-p", &lo, &hi, &prot));
	assert_false(tg_maps_line("1000-2000", &lo, &hi, &prot));
	assert_false(tg_maps_line("", &lo, &hi, &prot));
}

/* A maps file far larger than ck's buffer, in pieces of every size. */
static void test_maps_init_in_pieces(void **state)
{
	static char text[200000];
	static const size_t chunks[] = { 1, 7, 4096, 8192, 100000 };
	size_t i, c, at = 0;
	char longname[9000];

	(void)state;
	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = 0;
	for (i = 0; i < 3000; i++)
		at += (size_t)snprintf(text + at, sizeof(text) - at,
				       "%lx-%lx r--p 00000000 00:00 0 %s\n",
				       0x10000UL + 0x2000UL * i,
				       0x11000UL + 0x2000UL * i,
				       i == 1500 ? longname : "/some/file");
	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		tg_reset();
		tg_set_maps(text, chunks[c], 0);
		assert_int_equal(tg_mm_init(), 0);
		assert_int_equal(tg_open_fds(), 0);
		/* Every line but the one too long for the buffer: ck's. */
		assert_int_equal(tg_nregions(), 2999);
		assert_int_equal(tg_region(0).kind, TG_CK);
		assert_int_equal(tg_region(0).start, 0x10000);
		assert_true(tg_overlaps_ck(0x10000UL + 0x2000UL * 1499,
					   0x11000UL + 0x2000UL * 1499));
		assert_false(tg_overlaps_ck(0x10000UL + 0x2000UL * 1500,
					    0x11000UL + 0x2000UL * 1500));
		assert_true(tg_overlaps_ck(0x10000UL + 0x2000UL * 2999,
					   0x11000UL + 0x2000UL * 2999));
	}
	tg_set_maps(text, 4096, 13 /* EACCES */);
	assert_int_equal(tg_mm_init(), -13);
}

/*
 * After an mprotect that failed part-way: pieces with the new prot take
 * it, holes are forgotten, the rest stays; unreadable maps forget all.
 */
static void test_resync(void **state)
{
	(void)state;
	tg_add(0x1000, 0x6000, RW, TG_ANON);
	tg_set_maps("1000-3000 r--p 0 0:0 0\n"
		    "3000-4000 rw-p 0 0:0 0\n"
		    "5000-6000 rw-p 0 0:0 0\n", 4096, 0);
	tg_resync(0x1000, 0x6000, PROT_READ);
	expect_table(3, (const struct tg_region[]){
		{ 0x1000, 0x3000, PROT_READ, TG_ANON },
		{ 0x3000, 0x4000, RW, TG_ANON },
		{ 0x5000, 0x6000, RW, TG_ANON } });
	assert_int_equal(tg_open_fds(), 0);
	tg_set_maps("", 4096, 2 /* ENOENT */);
	tg_resync(0x1000, 0x6000, PROT_READ);
	assert_int_equal(tg_nregions(), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_add_sorts_and_merges, reset),
		cmocka_unit_test_setup(test_ck_records_never_merge, reset),
		cmocka_unit_test_setup(test_add_over_replaces, reset),
		cmocka_unit_test_setup(test_remove_splits_and_trims, reset),
		cmocka_unit_test_setup(test_full_table, reset),
		cmocka_unit_test_setup(test_kind_of, reset),
		cmocka_unit_test_setup(test_set_prot_splits, reset),
		cmocka_unit_test_setup(test_overlaps_ck, reset),
		cmocka_unit_test_setup(test_user_ok, reset),
		cmocka_unit_test_setup(test_maps_line, reset),
		cmocka_unit_test_setup(test_maps_init_in_pieces, reset),
		cmocka_unit_test_setup(test_resync, reset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
