// SPDX-License-Identifier: Apache-2.0
/*
 * libparacell's fallback backend on the host (no /dev/paracell here): it is
 * chosen automatically, validates entries as the module does, populates and
 * drops pages per range, and counts what it did.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <paracell/paracell.h>

#define PG 4096UL

static long resident(void *p, size_t npages)
{
	unsigned char vec[256];
	long n = 0;
	size_t i;

	assert_true(npages <= sizeof(vec));
	assert_int_equal(mincore(p, npages * PG, vec), 0);
	for (i = 0; i < npages; i++)
		n += vec[i] & 1;
	return n;
}

static char *map(size_t npages)
{
	char *p = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	assert_int_equal(madvise(p, npages * PG, MADV_NOHUGEPAGE), 0);
	return p;
}

static struct paracell_pager_entry ent(uint32_t op, void *addr, uint64_t n)
{
	struct paracell_pager_entry e = {
		.op = op, .addr = (uint64_t)(uintptr_t)addr, .npages = n,
		.result = 0x5a5a,
	};

	return e;
}

static int setup(void **state)
{
	struct paracell_cell *c;

	if (paracell_cell_open(&c, -1, 0))
		return -1;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	paracell_cell_close(*state);
	return 0;
}

static void test_backend_auto(void **state)
{
	struct paracell_cell *c = *state;

	if (access(PARACELL_DEVICE, F_OK) == 0)
		skip();		/* a host with the module: covered in the VM */
	assert_int_equal(paracell_cell_backend(c), PARACELL_BACKEND_FALLBACK);
	assert_int_equal(paracell_cell_fd(c), -1);
	assert_string_equal(paracell_backend_name(PARACELL_BACKEND_FALLBACK),
			    "fallback");
	assert_string_equal(paracell_backend_name(PARACELL_BACKEND_MODULE),
			    "module");
	assert_string_equal(paracell_backend_name(0), "unknown");
}

static void test_open_flags(void **state)
{
	struct paracell_cell *c = (void *)0x1;

	(void)state;
	assert_int_equal(paracell_cell_open(&c, -1, 0x80), -EINVAL);
	assert_ptr_equal(c, (void *)0x1);
	assert_int_equal(paracell_cell_open(&c, -1, PARACELL_OPEN_FALLBACK), 0);
	assert_int_equal(paracell_cell_backend(c), PARACELL_BACKEND_FALLBACK);
	paracell_cell_close(c);
	paracell_cell_close(NULL);
}

static void test_bind_unbind(void **state)
{
	struct paracell_cell *c = *state;
	char *m = map(64);
	struct paracell_pager_entry e = ent(PARACELL_PAGER_BIND, m, 64);

	assert_int_equal(resident(m, 64), 0);
	assert_int_equal(paracell_pager_batch(c, &e, 1), 0);
	assert_int_equal(e.result, 64);
	assert_int_equal(resident(m, 64), 64);
	memset(m, 7, 64 * PG);
	e = ent(PARACELL_PAGER_UNBIND, m + 16 * PG, 32);
	assert_int_equal(paracell_pager_batch(c, &e, 1), 0);
	assert_int_equal(e.result, 32);
	assert_int_equal(resident(m, 64), 32);
	assert_int_equal(m[16 * PG], 0);
	assert_int_equal(m[15 * PG], 7);
	assert_int_equal(m[48 * PG], 7);
	munmap(m, 64 * PG);
}

static void test_entry_errors(void **state)
{
	struct paracell_cell *c = *state;
	char *m = map(8), *hole = map(2);
	struct paracell_pager_entry v[9];
	int i;

	munmap(hole, 2 * PG);
	v[0] = ent(PARACELL_PAGER_BIND, m + 1, 1);
	v[1] = ent(PARACELL_PAGER_BIND, m, 0);
	v[2] = ent(0, m, 1);
	v[3] = ent(PARACELL_PAGER_BIND, m, 1);
	v[3].flags = 1;
	v[4] = ent(PARACELL_PAGER_BIND, (void *)0x7ffffffff000UL, 1ULL << 52);
	v[5] = ent(PARACELL_PAGER_BIND, (void *)0xffff800000000000UL, 1);
	v[6] = ent(PARACELL_PAGER_BIND, hole, 2);
	v[7] = ent(PARACELL_PAGER_BIND, m, 4);
	v[8] = ent(PARACELL_PAGER_UNBIND, hole, 1);
	assert_int_equal(paracell_pager_batch(c, v, 9), 0);
	assert_int_equal(v[0].result, -EINVAL);
	assert_int_equal(v[1].result, -EINVAL);
	assert_int_equal(v[2].result, -EINVAL);
	assert_int_equal(v[3].result, -EINVAL);
	assert_int_equal(v[4].result, -EINVAL);
	assert_int_equal(v[5].result, -ENOMEM);
	assert_int_equal(v[6].result, -ENOMEM);
	assert_int_equal(v[7].result, 4);	/* not hidden by the others */
	/* MADV_DONTNEED on a hole is ENOMEM too. */
	assert_int_equal(v[8].result, -ENOMEM);
	for (i = 0; i < 9; i++)
		assert_true(v[i].result != 0x5a5a);
	assert_int_equal(resident(m, 8), 4);
	munmap(m, 8 * PG);
}

static void test_batch_errors(void **state)
{
	struct paracell_cell *c = *state;
	struct paracell_pager_entry e = ent(PARACELL_PAGER_BIND, NULL, 1);
	struct paracell_cell_stats st;

	assert_int_equal(paracell_pager_batch(c, &e,
					      PARACELL_PAGER_MAX_ENTRIES + 1),
			 -E2BIG);
	assert_int_equal(paracell_pager_batch(c, NULL, 0), 0);
	assert_int_equal(paracell_pager_batch(c, NULL, 1), -EFAULT);
	assert_int_equal(paracell_cell_stats(c, &st), 0);
	assert_int_equal(st.batches, 0);
	assert_int_equal(st.entries, 0);
}

static void test_stats(void **state)
{
	struct paracell_cell *c = *state;
	char *m = map(16);
	struct paracell_pager_entry v[3] = {
		ent(PARACELL_PAGER_BIND, m, 16),
		ent(PARACELL_PAGER_UNBIND, m, 8),
		ent(PARACELL_PAGER_BIND, m + 1, 1),
	};
	struct paracell_cell_stats st;

	assert_int_equal(paracell_pager_batch(c, v, 3), 0);
	assert_int_equal(paracell_pager_batch(c, v, 1), 0);
	assert_int_equal(paracell_cell_stats(c, &st), 0);
	assert_int_equal(st.batches, 2);
	assert_int_equal(st.entries, 4);
	assert_int_equal(st.pages_bound, 32);
	assert_int_equal(st.pages_unbound, 8);
	assert_int_equal(st.errors, 1);
	assert_int_equal(st.reserved[0], 0);
	munmap(m, 16 * PG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backend_auto, setup, teardown),
		cmocka_unit_test(test_open_flags),
		cmocka_unit_test_setup_teardown(test_bind_unbind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
	};

	return cmocka_run_group_tests_name("libparacell fallback", tests,
					   NULL, NULL);
}
