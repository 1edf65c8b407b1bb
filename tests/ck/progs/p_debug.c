// SPDX-License-Identifier: Apache-2.0
/*
 * p_debug MODE [N M]: what run-debug.sh asserts ck's --trace and --stats
 * lines on (not in run-progs.sh's table: its point is ck's own output).
 *   count N M  N raw getppid and M raw writes of one byte to fd 1 (calls
 *              ck forwards: it answers getpid itself);
 *   deny       ptrace(PTRACE_TRACEME, 1, 2, 3), syscall 999 with the
 *              arguments 1..6 and kill(self, SIGSYS), each refused under
 *              ck (ptrace denied, 999 unknown, SIGSYS ck's);
 *   requeue N  N times: SIGUSR1 blocked (raw rt_sigprocmask) and sent to
 *              itself (raw kill), a raw ppoll on a ready pipe whose mask
 *              lets it in, then unblocked: its handler runs once, after
 *              the ppoll (under ck the signal ppoll's mask let in is
 *              queued again to the thread: intr.c's re-queue);
 *   close2     closes fd 2 and exits 0;
 *   sleep      sleeps 10 s (ck's memory against native's, measured).
 * Every mode ends with a raw exit_group(0).
 */
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <time.h>

#include "common.h"

static volatile sig_atomic_t usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

/* requeue N: 0 if the handler ran once per round, after the ppoll. */
static int requeue(long n)
{
	struct sigaction sa;
	struct timespec ts = { 2, 0 };
	uint64_t bit = 1ULL << (SIGUSR1 - 1), none = 0;
	int p[2];
	long i;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	check(sigaction(SIGUSR1, &sa, 0) == 0, "sigaction");
	check(pipe(p) == 0 && write(p[1], "x", 1) == 1, "pipe");
	for (i = 0; i < n; i++) {
		struct pollfd pf = { p[0], POLLIN, 0 };

		syscall(SYS_rt_sigprocmask, SIG_BLOCK, &bit, 0, 8);
		syscall(SYS_kill, syscall(SYS_getpid), SIGUSR1);
		if (syscall(SYS_ppoll, &pf, 1, &ts, &none, 8) != 1 ||
		    usr1 != i)
			return 1;
		syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, &bit, 0, 8);
		if (usr1 != i + 1)
			return 1;
	}
	return 0;
}

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
	} else if (argc == 3 && !strcmp(argv[1], "requeue")) {
		if (requeue(atol(argv[2])))
			return 1;
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
