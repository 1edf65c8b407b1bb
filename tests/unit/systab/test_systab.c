// SPDX-License-Identifier: Apache-2.0
/*
 * ck's syscall table (shim/guest/systab.def, built by systab.c) on the
 * host: the invariants ck checks at start-up hold for the real table and
 * the host filter's list (hostlist.h, which gen-hostfilter derives from
 * the same file), each is caught when a copy of the table breaks it, and
 * the policy the table states is the one ck had (a few rows asserted by
 * hand, so an edit of the table shows here).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <asm/unistd.h>

#include <cmocka.h>

#include "ck_fds.h"
#include "systab.h"

/* The handlers, as stubs: this test never calls one. */
#define CK_OWN(name, nargs, fds, handler, host) \
	long handler(struct ck_task *t, const long *a) \
	{ (void)t; (void)a; return 0; }
#include "systab.def"

static struct ck_systab copy[512];

static void take_copy(void)
{
	assert_true(ck_systab_len <= (long)(sizeof(copy) / sizeof(copy[0])));
	memset(copy, 0, sizeof(copy));
	memcpy(copy, ck_systab, (size_t)ck_systab_len * sizeof(copy[0]));
}

static int verify_copy(long *bad, const char **why)
{
	return ck_systab_verify(copy, ck_systab_len, ck_hostlist,
				ck_hostlist_len, bad, why);
}

static int in_list(const short *list, size_t n, long nr)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (list[i] == nr)
			return 1;
	return 0;
}

static int in_hostlist(long nr)
{
	return in_list(ck_hostlist, ck_hostlist_len, nr);
}

static int ck_issues(long nr)
{
	return in_list(ck_ownhost, ck_ownhost_len, nr);
}

static void test_real_table_holds(void **state)
{
	const char *why = "";
	long bad = -1;

	(void)state;
	if (ck_systab_check(&bad, &why))
		fail_msg("syscall %ld: %s", bad, why);
}

/* The same invariants, spelled out here rather than trusted to systab.c. */
static void test_invariants_by_hand(void **state)
{
	long nr;

	(void)state;
	for (nr = 0; nr < ck_systab_len; nr++) {
		const struct ck_systab *r = &ck_systab[nr];
		const short *h;

		if (r->how == CK_HOW_NONE) {
			assert_null(ck_systab_row(nr));
			continue;
		}
		assert_ptr_equal(ck_systab_row(nr), r);
		assert_true(r->nargs <= 6);
		assert_int_equal(r->fds >> r->nargs, 0);
		if (r->how == CK_HOW_FWD && !in_hostlist(nr))
			fail_msg("%ld is forwarded but not in the host list", nr);
		if ((r->how == CK_HOW_DENY || r->how == CK_HOW_ENOSYS) &&
		    in_hostlist(nr) && !ck_issues(nr))
			fail_msg("%ld is refused but in the host list", nr);
		if (r->how != CK_HOW_OWN) {
			assert_null(r->fn);
			assert_null(r->host);
			if (r->how != CK_HOW_FWD)
				assert_int_equal(r->fds, 0);
			continue;
		}
		assert_non_null(r->fn);
		for (h = r->host; *h >= 0; h++)
			if (!in_hostlist(*h))
				fail_msg("%ld's handler issues %d, not in the "
					 "host list", nr, *h);
	}
	assert_null(ck_systab_row(-1));
	assert_null(ck_systab_row(ck_systab_len));
	assert_null(ck_systab_row(100000));
}

/* Nothing in the host list that no row and nothing of ck's names. */
static void test_hostlist_is_derived(void **state)
{
	size_t i;
	long nr;

	(void)state;
	for (i = 0; i < ck_hostlist_len; i++) {
		long h = ck_hostlist[i];
		int named = ck_issues(h);

		for (nr = 0; nr < ck_systab_len && !named; nr++) {
			const struct ck_systab *r = &ck_systab[nr];
			const short *p;

			named = r->how == CK_HOW_FWD && nr == h;
			for (p = r->host; p && *p >= 0 && !named; p++)
				named = *p == h;
		}
		if (!named)
			fail_msg("host list entry %ld is named by no row", h);
	}
	/* What the host filter must never allow, whoever asks. */
	assert_false(in_hostlist(__NR_ptrace));
	assert_false(in_hostlist(__NR_process_vm_writev));
	assert_false(in_hostlist(__NR_userfaultfd));
	assert_false(in_hostlist(__NR_execve));
	/* clone: threads (clone.c) and forks (fork.c) issue it. */
	assert_true(in_hostlist(__NR_clone));
	assert_false(in_hostlist(__NR_io_uring_setup));
}

/* Each kind of broken row is caught by the start-up check. */
static void expect_caught(long nr, const char *what)
{
	const char *why = "";
	long bad = -1;

	if (!verify_copy(&bad, &why))
		fail_msg("a table with %s passed the check", what);
	assert_int_equal(bad, nr);
}

static void test_broken_rows_caught(void **state)
{
	static const short stray[] = { __NR_ptrace, -1 };
	static const short none[] = { -1 };

	(void)state;
	take_copy();
	assert_int_equal(verify_copy(&(long){ 0 }, &(const char *){ 0 }), 0);

	copy[__NR_read].fds = 1 << 3;		/* read has 3 arguments */
	expect_caught(__NR_read, "an fd past the arguments");
	take_copy();
	copy[__NR_getpid].nargs = 7;
	expect_caught(__NR_getpid, "7 arguments");
	take_copy();
	copy[__NR_ptrace].how = CK_HOW_FWD;	/* forwarded, not listed */
	expect_caught(__NR_ptrace, "ptrace forwarded");
	take_copy();
	copy[__NR_getppid].how = CK_HOW_DENY;	/* refused, but listed */
	expect_caught(__NR_getppid, "getppid denied but allowed by the host");
	take_copy();
	copy[__NR_prctl].host = stray;		/* a handler issuing ptrace */
	expect_caught(__NR_prctl, "a handler issuing an unlisted call");
	take_copy();
	copy[__NR_prctl].fn = 0;
	expect_caught(__NR_prctl, "a handled row without a handler");
	take_copy();
	copy[__NR_read].host = none;
	expect_caught(__NR_read, "host calls on a forwarded row");
	take_copy();
	copy[__NR_open].modern = __NR_ptrace;	/* served as a denied call */
	expect_caught(__NR_open, "a legacy call served by a denied row");
	take_copy();
	copy[__NR_open].modern = __NR_creat;
	expect_caught(__NR_open, "a legacy call mapped to another");
	take_copy();
	copy[__NR_open].how = 42;
	expect_caught(__NR_open, "an unknown way to handle it");
}

/* The policy itself, as ck had it before the table: a few rows. */
static void test_policy_rows(void **state)
{
	long b[6], a[6] = { 1, 2, 3, 4, 5, 6 };

	(void)state;
	assert_int_equal(ck_systab[__NR_read].how, CK_HOW_FWD);
	assert_int_equal(ck_systab[__NR_read].fds, 0x1);
	assert_int_equal(ck_systab[__NR_dup3].fds, 0x3);
	assert_int_equal(ck_systab[__NR_renameat2].fds, 0x5);
	assert_int_equal(ck_systab[__NR_linkat].fds, 0x5);
	assert_int_equal(ck_systab[__NR_symlinkat].fds, 0x2);
	assert_int_equal(ck_systab[__NR_mmap].how, CK_HOW_OWN);
	assert_int_equal(ck_systab[__NR_openat].how, CK_HOW_OWN);
	/* emulated (signal.c), never forwarded */
	assert_int_equal(ck_systab[__NR_rt_sigreturn].how, CK_HOW_OWN);
	assert_int_equal(ck_systab[__NR_pkey_mprotect].how, CK_HOW_DENY);
	assert_int_equal(ck_systab[__NR_utimes].how, CK_HOW_ENOSYS);
	assert_null(ck_systab_row(__NR_restart_syscall));
	assert_null(ck_systab_row(__NR_acct));
	assert_int_equal(ck_systab[__NR_epoll_ctl].fds, 0x5);
	assert_int_equal(ck_systab[__NR_copy_file_range].fds, 0x5);
	/* ck's own, though never forwarded for the program */
	assert_true(in_hostlist(__NR_rt_sigreturn));
	assert_true(in_hostlist(__NR_sigaltstack));
	assert_true(in_hostlist(__NR_pkey_alloc));
	assert_true(in_hostlist(__NR_restart_syscall));
	/* legacy forms */
	assert_int_equal(ck_systab_modern(__NR_open, a, b), __NR_openat);
	assert_int_equal(b[0], -100);
	assert_int_equal(b[1], 1);
	assert_int_equal(b[2], 2);
	assert_int_equal(b[3], 3);
	assert_int_equal(ck_systab_modern(__NR_symlink, a, b), __NR_symlinkat);
	assert_int_equal(b[0], 1);
	assert_int_equal(b[1], -100);
	assert_int_equal(b[2], 2);
	assert_int_equal(ck_systab_modern(__NR_read, a, b), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_table_holds),
		cmocka_unit_test(test_invariants_by_hand),
		cmocka_unit_test(test_hostlist_is_derived),
		cmocka_unit_test(test_broken_rows_caught),
		cmocka_unit_test(test_policy_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
