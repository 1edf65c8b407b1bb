// SPDX-License-Identifier: Apache-2.0
/* linux.seccomp compiled with libseccomp (checked, not loaded): what runc
 * accepts, and what it refuses. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "err.h"
#include "scmp_profile.h"

/* Check the profile text; on failure the message must contain want. */
static int check(const char *text, const char *want)
{
	json_t *p = json_loads(text, 0, NULL);
	int ret;

	assert_non_null(p);
	pc_err_clear();
	ret = pc_seccomp_check(p);
	json_decref(p);
	if (want) {
		assert_true(ret < 0);
		if (!strstr(pc_err_msg(), want))
			fail_msg("message \"%s\" lacks \"%s\"", pc_err_msg(), want);
	}
	return ret;
}

/* A rule that does what the default does is skipped, as runc does:
 * docker's profiles have them, libseccomp refuses them (EACCES). */
static void test_rule_like_default(void **state)
{
	(void)state;
	assert_int_equal(check("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
			       "{\"names\":[\"bdflush\"],\"action\":\"SCMP_ACT_ERRNO\"},"
			       "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", NULL), 0);
	assert_int_equal(check("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":["
			       "{\"names\":[\"getpid\"],\"action\":\"SCMP_ACT_ALLOW\"}]}", NULL), 0);
	/* another errno is another action: kept */
	assert_int_equal(check("{\"defaultAction\":\"SCMP_ACT_ERRNO\",\"syscalls\":["
			       "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\",\"errnoRet\":2}]}",
			       NULL), 0);
}

/* Architectures are added to the filter; an unknown one is refused. */
static void test_architectures(void **state)
{
	(void)state;
	assert_int_equal(check("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":"
			       "[\"SCMP_ARCH_X86_64\",\"SCMP_ARCH_X86\",\"SCMP_ARCH_X32\"],\"syscalls\":["
			       "{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]}", NULL), 0);
	check("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_PDP11\"]}",
	      "unknown architecture SCMP_ARCH_PDP11");
	check("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"x86_64\"]}",
	      "unknown architecture x86_64");
	check("{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[7]}",
	      "unknown architecture");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rule_like_default),
		cmocka_unit_test(test_architectures),
	};

	return cmocka_run_group_tests_name("runtime: seccomp profiles", tests, NULL, NULL);
}
