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

#include <paracell/ck_timing.h>

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

static void write_file(const char *rel, const char *a, const char *b)
{
	FILE *f = fopen(at(rel), "w");

	assert_non_null(f);
	fputs(a, f);
	fputs(b, f);
	assert_int_equal(fclose(f), 0);
}

/* A ck carrying the timing build's marker isolates nothing: refused, and
 * the next candidate is not tried instead. */
static void test_timing_build_refused(void **state)
{
	char got[PATH_MAX];

	(void)state;
	make_file("t/shim/runtime/paracell", 0755);
	make_file("t/shim/guest/build/ck", 0755);
	write_file("t/shim/guest/build/ck", "\177ELF..banner: ",
		   PARACELL_CK_TIMING_MARKER ": isolates nothing\n");
	assert_int_equal(pc_ck_is_timing_build(at("t/shim/guest/build/ck")), 1);
	assert_int_equal(pc_ck_path_for(at("t/shim/runtime/paracell"), got, sizeof(got)),
			 -EPERM);
	assert_non_null(strstr(pc_err_msg(), "is a timing build"));
	assert_non_null(strstr(pc_err_msg(), "/t/shim/guest/build/ck"));
	pc_err_clear();

	/* an installed timing ck is refused even with a good one in a build tree */
	make_file("t/lib/paracell/ck", 0755);
	write_file("t/lib/paracell/ck", "x", PARACELL_CK_TIMING_MARKER);
	make_file("t/bin/paracell", 0755);
	make_file("t/guest/build/ck", 0755);
	assert_int_equal(pc_ck_path_for(at("t/bin/paracell"), got, sizeof(got)), -EPERM);
	pc_err_clear();

	/* the marker's prefix alone is no marker; an empty file is none either */
	write_file("t/shim/guest/build/ck", "PARACELL-CK-TIMING-", "BUILD");
	assert_int_equal(pc_ck_is_timing_build(at("t/shim/guest/build/ck")), 0);
	assert_int_equal(pc_ck_path_for(at("t/shim/runtime/paracell"), got, sizeof(got)), 0);
	assert_int_equal(pc_ck_is_timing_build(at("t/guest/build/ck")), 0);
	assert_int_equal(pc_ck_is_timing_build(at("t/nothing")), -ENOENT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_installed_layout),
		cmocka_unit_test(test_build_tree),
		cmocka_unit_test(test_not_executable_or_missing),
		cmocka_unit_test(test_timing_build_refused),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
