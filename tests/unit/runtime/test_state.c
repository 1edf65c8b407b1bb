// SPDX-License-Identifier: Apache-2.0
/* State files: round trip, atomic replace, missing and corrupt files. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "err.h"
#include "state.h"
#include "util.h"

static char dir[] = "/tmp/pc-unit-state.XXXXXX";

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

static void fill(struct pc_state *s)
{
	memset(s, 0, sizeof(*s));
	s->id = strdup("c1");
	s->pid = 4242;
	s->start_time = 123456789012ull;
	s->bundle = strdup("/b");
	s->rootfs = strdup("/b/rootfs");
	s->created = strdup("2026-01-02T03:04:05.000000006Z");
	s->owner = strdup("");
	s->platform = strdup("native");
	s->cgroup = strdup("/default/c1");
	s->annotations = json_pack("{s:s}", "k", "v");
	s->config = json_pack("{s:s, s:{s:s}}", "ociVersion", "1.0.2", "root", "path", "r");
}

static void test_round_trip(void **state)
{
	struct pc_state a, b;

	(void)state;
	fill(&a);
	assert_int_equal(pc_state_save(dir, &a), 0);
	assert_int_equal(pc_state_load(dir, &b), 0);
	assert_string_equal(b.id, "c1");
	assert_int_equal(b.pid, 4242);
	assert_true(b.start_time == 123456789012ull);
	assert_string_equal(b.bundle, "/b");
	assert_string_equal(b.rootfs, "/b/rootfs");
	assert_string_equal(b.created, a.created);
	assert_string_equal(b.owner, "");
	assert_string_equal(b.platform, "native");
	assert_string_equal(b.cgroup, "/default/c1");
	assert_true(json_equal(b.annotations, a.annotations));
	assert_true(json_equal(b.config, a.config));
	pc_state_free(&a);
	pc_state_free(&b);
}

static void test_atomic_replace(void **state)
{
	char *tmp = pc_strfmt("%s/state.json.tmp", dir);
	struct pc_state a, b;

	(void)state;
	fill(&a);
	assert_int_equal(pc_state_save(dir, &a), 0);
	a.pid = 7;
	assert_int_equal(pc_state_save(dir, &a), 0);
	assert_int_not_equal(access(tmp, F_OK), 0);	/* no temporary left */
	assert_int_equal(pc_state_load(dir, &b), 0);
	assert_int_equal(b.pid, 7);
	pc_state_free(&a);
	pc_state_free(&b);
	free(tmp);
}

static void test_missing_and_corrupt(void **state)
{
	char *sub = pc_strfmt("%s/empty", dir), *file = pc_strfmt("%s/empty/state.json", dir);
	struct pc_state s;

	(void)state;
	assert_int_equal(pc_mkdir_p(sub, 0700), 0);
	assert_int_equal(pc_state_load(sub, &s), -ENOENT);
	assert_int_equal(pc_write_atomic(file, "{\"id\":", 6, 0600), 0);
	pc_err_clear();
	assert_int_equal(pc_state_load(sub, &s), -EINVAL);
	assert_non_null(strstr(pc_err_msg(), "state"));
	assert_int_equal(pc_write_atomic(file, "{\"id\":\"x\"}", 10, 0600), 0);
	assert_int_equal(pc_state_load(sub, &s), -EINVAL);	/* fields missing */
	free(sub);
	free(file);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_atomic_replace),
		cmocka_unit_test(test_missing_and_corrupt),
	};

	return cmocka_run_group_tests_name("runtime: state", tests, setup, teardown);
}
