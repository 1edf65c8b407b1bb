// SPDX-License-Identifier: Apache-2.0
/*
 * p_sleep HOW: one sleeping syscall of about 2 s, for run-stop.sh, which
 * stops and continues the process (or freezes and thaws its cgroup) while
 * it sleeps. The kernel then restarts the call, for nanosleep, poll and a
 * futex wait through restart_syscall, which it issues itself at the
 * syscall instruction that slept: under ck, the one in ck_forward. Prints
 * what the call returned (the same natively and under ck).
 *   HOW: nanosleep | clock_nanosleep | poll | futex
 */
#include <poll.h>
#include <sys/syscall.h>
#include <time.h>

#include "common.h"

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "";
	struct timespec ts = { .tv_sec = 2, .tv_nsec = 0 };
	int word = 0;
	long r;

	if (!strcmp(how, "nanosleep"))
		r = syscall(SYS_nanosleep, &ts, 0);
	else if (!strcmp(how, "clock_nanosleep"))
		r = syscall(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &ts, 0);
	else if (!strcmp(how, "poll"))
		r = syscall(SYS_poll, 0, 0, 2000);
	else if (!strcmp(how, "futex"))	/* FUTEX_WAIT: word == 0 */
		r = syscall(SYS_futex, &word, 0, 0, &ts, 0, 0);
	else
		check(0, "usage: p_sleep nanosleep|clock_nanosleep|poll|futex");
	printf("%s returned %ld%s%s\n", how, r, r < 0 ? ", errno " : "",
	       r < 0 ? strerror(errno) : "");
	return 0;
}
