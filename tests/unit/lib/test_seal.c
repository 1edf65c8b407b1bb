// SPDX-License-Identifier: Apache-2.0
/*
 * libparacell's seal on the fallback backend, on the host: patterns are
 * refused with their offsets, good code comes back as a sealed memfd that
 * runs when mapped shared, and its shared mappings stay unwritable.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cmocka.h>

#include <paracell/paracell.h>

static const unsigned char ret42[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

static int setup(void **state)
{
	struct paracell_cell *c;

	if (paracell_cell_open(&c, -1, PARACELL_OPEN_FALLBACK))
		return -1;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	paracell_cell_close(*state);
	return 0;
}

static void test_refused(void **state)
{
	static const unsigned char wrpkru[] = { 0x0f, 0x01, 0xef };
	struct paracell_cell_stats st;
	struct paracell_scan_hit hit;
	unsigned char code[256];
	size_t off;

	for (off = 0; off + sizeof(wrpkru) <= sizeof(code); off++) {
		memset(code, 0x90, sizeof(code));
		memcpy(code + off, wrpkru, sizeof(wrpkru));
		memset(&hit, 0, sizeof(hit));
		assert_int_equal(paracell_seal(*state, code, sizeof(code), &hit),
				 -EPERM);
		assert_int_equal(hit.offset, off);
		assert_int_equal(hit.kind, PARACELL_SCAN_WRPKRU);
	}
	assert_int_equal(paracell_cell_stats(*state, &st), 0);
	assert_int_equal(st.seal_refusals, sizeof(code) - 2);
	assert_int_equal(st.seals, 0);
}

static void test_partial_end(void **state)
{
	static unsigned char code[8192];
	struct paracell_scan_hit hit;
	int fd;

	memset(code, 0x90, sizeof(code));
	code[4094] = 0x0f;
	code[4095] = 0x01;
	assert_int_equal(paracell_seal(*state, code, 4096, &hit), -EPERM);
	assert_int_equal(hit.offset, 4094);
	assert_int_equal(hit.kind, PARACELL_SCAN_PARTIAL);
	fd = paracell_seal(*state, code, 4097, NULL);
	assert_true(fd >= 0);
	close(fd);
}

static void test_bad_len(void **state)
{
	assert_int_equal(paracell_seal(*state, ret42, 0, NULL), -EINVAL);
	assert_int_equal(paracell_seal(*state, ret42,
				       PARACELL_SEAL_MAX_BYTES + 1UL, NULL),
			 -EINVAL);
}

static void test_runs_and_stays_sealed(void **state)
{
	int (*fn)(void);
	unsigned char *m;
	int fd, seals;

	fd = paracell_seal(*state, ret42, sizeof(ret42), NULL);
	assert_true(fd >= 0);
	seals = fcntl(fd, F_GET_SEALS);
	assert_int_equal(seals, F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW |
				F_SEAL_SEAL);
	assert_true(mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
			 0) == MAP_FAILED);
	assert_true(write(fd, "x", 1) < 0);
	assert_true(ftruncate(fd, 0) < 0);
	m = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	assert_true(m != MAP_FAILED);
	fn = (int (*)(void))(uintptr_t)m;
	assert_int_equal(fn(), 42);
	assert_int_not_equal(mprotect(m, 4096, PROT_READ | PROT_WRITE), 0);
	close(fd);
	assert_int_equal(fn(), 42);
	munmap(m, 4096);
}

static void test_set_xgate_fallback(void **state)
{
	assert_int_equal(paracell_set_xgate(*state, 0, 2, 0), -EINVAL);
	assert_int_equal(paracell_set_xgate(*state, 2, 2, 0), -EINVAL);
	assert_int_equal(paracell_set_xgate(*state, 1, 2, 0x55555540), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_partial_end, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_len, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runs_and_stays_sealed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_set_xgate_fallback, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("libparacell fallback seal", tests,
					   NULL, NULL);
}
