// SPDX-License-Identifier: Apache-2.0
/* /proc facts behind "is the container still there": start time, zombies,
 * pid reuse; and container id validation. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "container.h"
#include "err.h"
#include "proc.h"

/* Field 22 of /proc/self/stat, read independently of pc_proc_stat. */
static unsigned long long start_of(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long v = 0;
	FILE *f;
	int i;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	p = strrchr(buf, ')') + 2;
	for (i = 3; i < 22; i++)
		p = strchr(p, ' ') + 1;
	sscanf(p, "%llu", &v);
	return v;
}

static void test_start_time(void **state)
{
	unsigned long long st;
	char s;

	(void)state;
	assert_int_equal(pc_proc_stat(getpid(), &st, &s), 0);
	assert_true(st == start_of(getpid()));
	assert_int_equal(s, 'R');
	assert_true(pc_proc_alive(getpid(), st));
	assert_false(pc_proc_alive(getpid(), st + 1));	/* a reused pid */
	assert_false(pc_proc_alive(0, st));
	assert_int_equal(pc_proc_stat(999999999, &st, NULL), -ENOENT);
}

static void test_zombie_and_gone(void **state)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	unsigned long long st;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		pause();
		_exit(0);
	}
	assert_int_equal(pc_proc_stat(pid, &st, NULL), 0);
	assert_true(pc_proc_alive(pid, st));
	assert_int_equal(pc_proc_wait_gone(pid, st, 50), -ETIMEDOUT);
	kill(pid, SIGKILL);
	while (pc_proc_alive(pid, st))
		nanosleep(&ts, NULL);
	/* not reaped yet: a zombie counts as gone */
	assert_int_equal(pc_proc_stat(pid, &st, NULL), 0);
	assert_int_equal(pc_proc_wait_gone(pid, st, 50), 0);
	waitpid(pid, NULL, 0);
	assert_false(pc_proc_alive(pid, st));
}

static void test_ids(void **state)
{
	static const char *const good[] = { "a", "web-1", "x_y.z+1", "ABC123" };
	static const char *const bad[] = { "", ".", "..", "a/b", "a b", "../x", "id\n" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_int_equal(pc_id_valid(good[i]), 0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		pc_err_clear();
		assert_int_equal(pc_id_valid(bad[i]), -EINVAL);
		assert_non_null(strstr(pc_err_msg(), "invalid container id"));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_start_time),
		cmocka_unit_test(test_zombie_and_gone),
		cmocka_unit_test(test_ids),
	};

	return cmocka_run_group_tests_name("runtime: proc and ids", tests, NULL, NULL);
}
