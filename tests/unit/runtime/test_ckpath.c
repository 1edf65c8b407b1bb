// SPDX-License-Identifier: Apache-2.0
/* Finding ck next to the runtime binary: the installed layout first, then
 * the build tree; only an executable regular file counts. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>

#include "ckpath.h"
#include "err.h"
#include "util.h"

static char dir[] = "/tmp/pc-unit-ckpath.XXXXXX";

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	return pc_rm_rf(dir);
}

static void make_file(const char *rel, mode_t mode)
{
	char p[PATH_MAX], *s;
	int fd;

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	for (s = strchr(p + strlen(dir) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, mode);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(chmod(p, mode), 0);
}

static const char *at(const char *rel)
{
	static char p[PATH_MAX];

	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	return p;
}

static void test_installed_layout(void **state)
{
	char got[PATH_MAX], want[PATH_MAX];

	(void)state;
	make_file("usr/bin/paracell", 0755);
	make_file("usr/lib/paracell/ck", 0755);
	snprintf(want, sizeof(want), "%s", at("usr/lib/paracell/ck"));
	assert_int_equal(pc_ck_path_for(at("usr/bin/paracell"), got, sizeof(got)), 0);
	assert_string_equal(got, want);
	/* too small a buffer: no truncated path */
	assert_int_equal(pc_ck_path_for(at("usr/bin/paracell"), got, 8), -ENAMETOOLONG);
	pc_err_clear();
}

static void test_build_tree(void **state)
{
	char got[PATH_MAX], want[PATH_MAX];

	(void)state;
	make_file("shim/runtime/paracell", 0755);
	make_file("shim/guest/build/ck", 0755);
	snprintf(want, sizeof(want), "%s", at("shim/guest/build/ck"));
	assert_int_equal(pc_ck_path_for(at("shim/runtime/paracell"), got, sizeof(got)), 0);
	assert_string_equal(got, want);
}

static void test_not_executable_or_missing(void **state)
{
	char got[PATH_MAX];

	(void)state;
	make_file("opt/bin/paracell", 0755);
	make_file("opt/lib/paracell/ck", 0644);
	assert_int_equal(pc_ck_path_for(at("opt/bin/paracell"), got, sizeof(got)), -ENOENT);
	assert_non_null(strstr(pc_err_msg(), "container kernel not found"));
	assert_non_null(strstr(pc_err_msg(), "/opt/bin/../lib/paracell/ck"));
	pc_err_clear();
	assert_int_equal(pc_ck_path_for("paracell", got, sizeof(got)), -ENOENT);
	pc_err_clear();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installed_layout),
		cmocka_unit_test(test_build_tree),
		cmocka_unit_test(test_not_executable_or_missing),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
