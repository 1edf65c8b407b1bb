// SPDX-License-Identifier: Apache-2.0
/* Signal names and numbers as kill takes them. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "err.h"
#include "signals.h"

static void test_numbers(void **state)
{
	(void)state;
	assert_int_equal(pc_signal_parse("9"), SIGKILL);
	assert_int_equal(pc_signal_parse("15"), SIGTERM);
	assert_int_equal(pc_signal_parse("1"), SIGHUP);
	assert_int_equal(pc_signal_parse("64"), 64);
	assert_int_equal(pc_signal_parse("0"), 0);	/* a probe, as runc takes it */
}

static void test_names(void **state)
{
	(void)state;
	assert_int_equal(pc_signal_parse("KILL"), SIGKILL);
	assert_int_equal(pc_signal_parse("SIGKILL"), SIGKILL);
	assert_int_equal(pc_signal_parse("sigterm"), SIGTERM);
	assert_int_equal(pc_signal_parse("term"), SIGTERM);
	assert_int_equal(pc_signal_parse("SIGUSR1"), SIGUSR1);
	assert_int_equal(pc_signal_parse("WINCH"), SIGWINCH);
	assert_int_equal(pc_signal_parse("SIGCHLD"), SIGCHLD);
	assert_int_equal(pc_signal_parse("SIGRTMIN"), SIGRTMIN);
	assert_int_equal(pc_signal_parse("SIGRTMIN+3"), SIGRTMIN + 3);
	assert_int_equal(pc_signal_parse("RTMAX-1"), SIGRTMAX - 1);
}

static void test_bad(void **state)
{
	static const char *const bad[] = { "", "-1", "65", "99999", "FOO", "SIG", "SIGKILLX",
					   "9x", "RTMIN+99", "RTMAX+1", "RTMIN-1", "KILL " };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pc_err_clear();
		if (pc_signal_parse(bad[i]) != -EINVAL)
			fail_msg("\"%s\" was accepted", bad[i]);
		assert_string_not_equal(pc_err_msg(), "");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_bad),
	};

	return cmocka_run_group_tests_name("runtime: signals", tests, NULL, NULL);
}
