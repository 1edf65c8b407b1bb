// SPDX-License-Identifier: Apache-2.0
/*
 * p_debug MODE [N M]: what run-debug.sh asserts ck's --trace and --stats
 * lines on (not in run-progs.sh's table: its point is ck's own output).
 *   count N M  N raw getppid and M raw writes of one byte to fd 1 (calls
 *              ck forwards: it answers getpid itself);
 *   deny       ptrace(PTRACE_TRACEME, 1, 2, 3), syscall 999 with the
 *              arguments 1..6 and kill(self, SIGSYS), each refused under
 *              ck (ptrace denied, 999 unknown, SIGSYS ck's);
 *   close2     closes fd 2 and exits 0;
 *   sleep      sleeps 10 s (ck's memory against native's, measured).
 * Every mode ends with a raw exit_group(0).
 */
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>

#include "common.h"

int main(int argc, char **argv)
{
	long i, n, m;

	if (argc == 4 && !strcmp(argv[1], "count")) {
		n = atol(argv[2]);
		m = atol(argv[3]);
		for (i = 0; i < n; i++)
			syscall(SYS_getppid);
		for (i = 0; i < m; i++)
			syscall(SYS_write, 1, "x", 1);
	} else if (argc == 2 && !strcmp(argv[1], "deny")) {
		syscall(SYS_ptrace, 0 /* PTRACE_TRACEME */, 1, 2, 3);
		syscall(999, 1, 2, 3, 4, 5, 6);
		syscall(SYS_kill, syscall(SYS_getpid), SIGSYS);
	} else if (argc == 2 && !strcmp(argv[1], "close2")) {
		syscall(SYS_close, 2);
	} else if (argc == 2 && !strcmp(argv[1], "sleep")) {
		struct timespec ts = { 10, 0 };

		syscall(SYS_nanosleep, &ts, 0);
	} else {
		return 2;
	}
	syscall(SYS_exit_group, 0);
	return 1;
}
