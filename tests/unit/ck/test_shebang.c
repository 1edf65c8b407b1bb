// SPDX-License-Identifier: Apache-2.0
/*
 * ck's `#!` parser (shim/guest/shebang.c, the file ck links), against what
 * binfmt_script makes of the same lines: the interpreter ends at the first
 * space or tab, the rest (trimmed) is one argument, a CR is part of a
 * word, and a line without a newline or an interpreter is ENOEXEC.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

int ck_parse_shebang(char *line, char **interp, char **arg);

static int parse(const char *text, char **interp, char **arg)
{
	static char line[256];

	strncpy(line, text, sizeof(line) - 1);
	line[sizeof(line) - 1] = 0;
	*interp = *arg = (char *)"untouched";
	return ck_parse_shebang(line, interp, arg);
}

static void expect(const char *text, const char *want_interp,
		   const char *want_arg)
{
	char *interp, *arg;

	assert_int_equal(parse(text, &interp, &arg), 0);
	assert_string_equal(interp, want_interp);
	if (want_arg)
		assert_string_equal(arg, want_arg);
	else
		assert_null(arg);
}

static void test_interpreter_only(void **state)
{
	(void)state;
	expect("#!/bin/sh\n", "/bin/sh", NULL);
	expect("#!/bin/sh\nexit 0\n", "/bin/sh", NULL);
	expect("#! \t /bin/sh \t \n", "/bin/sh", NULL);
}

static void test_one_argument(void **state)
{
	(void)state;
	expect("#!/bin/sh -e\n", "/bin/sh", "-e");
	expect("#!  /bin/sh \t -e  \n", "/bin/sh", "-e");
	/* Everything after the interpreter is one argument, as Linux's. */
	expect("#!/usr/bin/env python3 -u\n", "/usr/bin/env", "python3 -u");
	expect("#!/bin/awk\t-f  x \t\n", "/bin/awk", "-f  x");
}

static void test_cr_is_part_of_a_word(void **state)
{
	(void)state;
	expect("#!/bin/sh\r\n", "/bin/sh\r", NULL);
	expect("#!/bin/sh -e\r\n", "/bin/sh", "-e\r");
}

static void test_enoexec(void **state)
{
	char *interp, *arg;

	(void)state;
	/* No newline within what binfmt_script reads. */
	assert_int_equal(parse("#!/bin/sh", &interp, &arg), -ENOEXEC);
	/* No interpreter. */
	assert_int_equal(parse("#!\n", &interp, &arg), -ENOEXEC);
	assert_int_equal(parse("#! \t \n", &interp, &arg), -ENOEXEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_interpreter_only),
		cmocka_unit_test(test_one_argument),
		cmocka_unit_test(test_cr_is_part_of_a_word),
		cmocka_unit_test(test_enoexec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
