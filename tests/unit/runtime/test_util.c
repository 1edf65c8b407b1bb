// SPDX-License-Identifier: Apache-2.0
/* util: pc_each_prefix gives each prefix once, in linear time. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "util.h"

struct seen {
	size_t n, last_len;
	bool last;
	char first[16];
};

static int count(char *prefix, bool last, void *arg)
{
	struct seen *s = arg;

	if (!s->n++)
		strncpy(s->first, prefix, sizeof(s->first) - 1);
	s->last = last;
	if (last)
		s->last_len = strlen(prefix);
	return 0;
}

static void test_prefixes(void **state)
{
	struct seen s = { 0 };

	(void)state;
	/* the first 4 characters ("/sys") skipped: "/sys/a", then "/sys/a/b" */
	assert_int_equal(pc_each_prefix("/sys/a/b", 4, count, &s), 0);
	assert_int_equal(s.n, 2);
	assert_string_equal(s.first, "/sys/a");
	assert_true(s.last);
	assert_int_equal(s.last_len, 8);
}

/* A 1 MiB path (a hostile cgroupsPath) takes milliseconds, not the
 * 20-60 s of a strlen in the loop's test. */
static void test_linear(void **state)
{
	size_t len = 1 << 20, i;
	char *p = malloc(len + 1);
	struct seen s = { 0 };
	struct timespec a, b;

	(void)state;
	assert_non_null(p);
	for (i = 0; i < len; i++)
		p[i] = i % 8 ? 'a' : '/';
	p[len] = '\0';
	clock_gettime(CLOCK_MONOTONIC, &a);
	assert_int_equal(pc_each_prefix(p, 0, count, &s), 0);
	clock_gettime(CLOCK_MONOTONIC, &b);
	assert_int_equal(s.n, len / 8);
	assert_true(s.last);
	assert_int_equal(s.last_len, len);
	assert_true((b.tv_sec - a.tv_sec) * 1000 + (b.tv_nsec - a.tv_nsec) / 1000000 < 2000);
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_linear),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
