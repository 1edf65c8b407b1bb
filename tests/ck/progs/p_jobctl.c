// SPDX-License-Identifier: Apache-2.0
/*
 * p_jobctl MODE: job control and default actions seen by a parent's
 * wait4, natively and under ck the same. Each mode forks children, acts
 * on them with signals and prints what wait4 (WUNTRACED | WCONTINUED)
 * reports, in a fixed order (every step is waited for):
 *   stop      a child in a loop of program code: SIGSTOP, SIGCONT,
 *             SIGTSTP, SIGTTIN, SIGTTOU (each stops it: WIFSTOPPED with
 *             the signal), SIGCONT (WIFCONTINUED), then SIGTERM
 *             (WIFSIGNALED, no core)
 *   blocked   a child blocked in read() on a pipe (a forwarded call under
 *             ck) and one in nanosleep: stopped and continued there, the
 *             call goes on (the read gets the byte written after, the
 *             sleep ends), exit codes as native
 *   cont      a child with a SIGCONT handler (and one with SIGTSTP caught,
 *             which then does not stop): both handlers run (a SIGSTOP
 *             drops a SIGCONT still pending, so not once per send)
 *   core      SIGQUIT, SIGABRT (abort()), SIGSEGV and SIGTERM, with
 *             RLIMIT_CORE 0 and its hard limit: WTERMSIG and WCOREDUMP
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"

static void report(const char *what, pid_t pid, int want)
{
	int st;
	pid_t r;

	do
		r = waitpid(pid, &st, want);
	while (r < 0 && errno == EINTR);
	check(r == pid, "waitpid");
	if (WIFSTOPPED(st))
		printf("%s: stopped by %d\n", what, WSTOPSIG(st));
	else if (WIFCONTINUED(st))
		printf("%s: continued\n", what);
	else if (WIFSIGNALED(st))
		printf("%s: killed by %d, core %d\n", what, WTERMSIG(st),
		       WCOREDUMP(st) ? 1 : 0);
	else
		printf("%s: exited %d\n", what, WEXITSTATUS(st));
	fflush(stdout);
}

static pid_t child(void (*fn)(void *), void *arg)
{
	pid_t pid;

	fflush(stdout);
	pid = fork();
	check(pid >= 0, "fork");
	if (pid == 0) {
		fn(arg);
		_exit(0);
	}
	return pid;
}

static volatile unsigned long spin;

static void loop(void *arg)
{
	(void)arg;
	for (;;)
		spin++;
}

/* Stop and continue one child with each signal. */
static void mode_stop(void)
{
	static const int stops[] = { SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU };
	pid_t pid = child(loop, NULL);
	unsigned int i;

	for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		kill(pid, stops[i]);
		report("loop", pid, WUNTRACED);
		kill(pid, SIGCONT);
		report("loop", pid, WCONTINUED);
	}
	kill(pid, SIGTERM);
	report("loop", pid, 0);
}

static int pfd[2];

static void reader(void *arg)
{
	char c = 0;
	ssize_t n;

	(void)arg;
	close(pfd[1]);
	n = read(pfd[0], &c, 1);
	_exit(n == 1 && c == 'x' ? 3 : 4);
}

static void sleeper(void *arg)
{
	struct timespec ts = { 1, 500 * 1000 * 1000 };

	(void)arg;
	_exit(nanosleep(&ts, &ts) == 0 ? 5 : 6);
}

static void pause_ms(long ms)
{
	struct timespec ts = { 0, ms * 1000 * 1000 };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Stopped inside a blocking call: the call goes on after SIGCONT. */
static void mode_blocked(void)
{
	pid_t pid;

	check(pipe(pfd) == 0, "pipe");
	pid = child(reader, NULL);
	close(pfd[0]);
	pause_ms(50);	/* in its read by now (if not, the same steps) */
	kill(pid, SIGSTOP);
	report("read", pid, WUNTRACED);
	kill(pid, SIGCONT);
	report("read", pid, WCONTINUED);
	kill(pid, SIGTSTP);
	report("read", pid, WUNTRACED);
	kill(pid, SIGCONT);
	report("read", pid, WCONTINUED);
	check(write(pfd[1], "x", 1) == 1, "write");
	report("read", pid, 0);
	close(pfd[1]);

	pid = child(sleeper, NULL);
	pause_ms(50);
	kill(pid, SIGSTOP);
	report("nanosleep", pid, WUNTRACED);
	kill(pid, SIGCONT);
	report("nanosleep", pid, WCONTINUED);
	report("nanosleep", pid, 0);
}

static volatile sig_atomic_t conts, tstps, usr1;

static void on_cont(int sig)
{
	(void)sig;
	conts++;
}

static void on_tstp(int sig)
{
	(void)sig;
	tstps++;
}

static void on_usr1(int sig)
{
	(void)sig;
	usr1 = 1;
}

/* The child: a SIGCONT handler; exits with the count when SIGUSR1 says. */
static void cont_child(void *arg)
{
	struct sigaction sa;
	sigset_t none;

	(void)arg;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_cont;
	sigaction(SIGCONT, &sa, NULL);
	sa.sa_handler = on_tstp;
	sigaction(SIGTSTP, &sa, NULL);
	sa.sa_handler = on_usr1;
	sigaction(SIGUSR1, &sa, NULL);
	check(write(pfd[1], "r", 1) == 1, "write");	/* ready */
	sigemptyset(&none);
	while (!usr1)
		sigsuspend(&none);
	/* A SIGSTOP drops a SIGCONT still pending: count runs, not sends. */
	_exit(10 + (conts > 0) * 4 + (tstps > 0));
}

static void mode_cont(void)
{
	char c;
	pid_t pid;

	check(pipe(pfd) == 0, "pipe");
	pid = child(cont_child, NULL);
	check(read(pfd[0], &c, 1) == 1, "ready");
	kill(pid, SIGSTOP);
	report("cont", pid, WUNTRACED);
	kill(pid, SIGCONT);
	report("cont", pid, WCONTINUED);
	kill(pid, SIGTSTP);	/* caught: no stop */
	pause_ms(50);
	kill(pid, SIGSTOP);
	report("cont", pid, WUNTRACED);
	kill(pid, SIGCONT);
	report("cont", pid, WCONTINUED);
	kill(pid, SIGUSR1);
	report("cont", pid, 0);	/* 10 + 4 (SIGCONT ran) + 1 (SIGTSTP ran) */
}

static void die_of(void *arg)
{
	int sig = (int)(long)arg;

	if (sig == SIGABRT)
		abort();
	if (sig == SIGSEGV) {
		volatile uintptr_t bad = 8;

		*(volatile int *)bad = 1;
	}
	raise(sig);
	_exit(99);
}

static void mode_core(void)
{
	static const int sigs[] = { SIGQUIT, SIGABRT, SIGSEGV, SIGTERM };
	struct rlimit rl;
	unsigned int i, j;
	char what[32];

	check(getrlimit(RLIMIT_CORE, &rl) == 0, "getrlimit");
	for (j = 0; j < 2; j++) {
		rl.rlim_cur = j ? rl.rlim_max : 0;
		check(setrlimit(RLIMIT_CORE, &rl) == 0, "setrlimit");
		for (i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
			pid_t pid = child(die_of, (void *)(long)sigs[i]);

			snprintf(what, sizeof(what), "core limit %s",
				 j ? "max" : "0");
			report(what, pid, 0);
		}
	}
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "stop"))
		mode_stop();
	else if (!strcmp(mode, "blocked"))
		mode_blocked();
	else if (!strcmp(mode, "cont"))
		mode_cont();
	else if (!strcmp(mode, "core"))
		mode_core();
	else {
		fprintf(stderr, "usage: p_jobctl stop|blocked|cont|core\n");
		return 2;
	}
	return 0;
}
