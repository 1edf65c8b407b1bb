// SPDX-License-Identifier: Apache-2.0
/*
 * p_sigwait: signals taken without handlers. Blocks SIGALRM, SIGUSR1 and
 * SIGVTALRM; an ITIMER_REAL interval ends and sigtimedwait takes its
 * SIGALRM; kill(self, SIGUSR1) stays pending (sigpending shows it, not
 * SIGSYS) and sigtimedwait takes it with SI_USER and the sender's pid; an
 * empty wait with a zero timeout is EAGAIN; alarm() reports what was left;
 * a POSIX timer (timer_create, SIGUSR1) fires and is taken; a timer asking
 * for SIGSYS is refused under ck (natively it is made, then deleted:
 * printed the same); a raise() of an ignored signal is survived. With
 * "die", SIGALRM is unblocked and left at its default action: an alarm
 * ends the process (the harness checks the status), with "term",
 * raise(SIGTERM) does.
 */
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <time.h>

#include "common.h"

static int take(const sigset_t *s, long ms, siginfo_t *si)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	memset(si, 0, sizeof(*si));
	return sigtimedwait(s, si, &ts);
}

int main(int argc, char **argv)
{
	struct itimerval it = { { 0, 0 }, { 0, 50000 } };
	struct timespec forever = { 10, 0 };
	struct sigevent ev;
	sigset_t s, p;
	siginfo_t si;
	timer_t tm;
	int r;

	if (argc > 1 && !strcmp(argv[1], "term")) {
		raise(SIGTERM);
		printf("survived SIGTERM\n");
		return 1;
	}
	if (argc > 1 && !strcmp(argv[1], "die")) {
		alarm(1);
		nanosleep(&forever, NULL);
		printf("survived SIGALRM\n");
		return 1;
	}
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGVTALRM);
	check(sigprocmask(SIG_BLOCK, &s, NULL) == 0, "block");

	check(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer");
	sigemptyset(&s);
	sigaddset(&s, SIGALRM);
	r = take(&s, 5000, &si);
	printf("itimer: took %d, code %d\n", r, r > 0 ? si.si_code : 0);
	check(getitimer(ITIMER_REAL, &it) == 0, "getitimer");
	printf("itimer after: %ld.%06ld\n", (long)it.it_value.tv_sec,
	       (long)it.it_value.tv_usec);

	check(kill(getpid(), SIGUSR1) == 0, "kill");
	check(sigpending(&p) == 0, "sigpending");
	printf("pending: USR1 %d, ALRM %d, SYS %d\n", sigismember(&p, SIGUSR1),
	       sigismember(&p, SIGALRM), sigismember(&p, SIGSYS));
	sigaddset(&s, SIGUSR1);
	r = take(&s, 0, &si);
	printf("kill: took %d, SI_USER %d, my pid %d\n", r,
	       si.si_code == SI_USER, si.si_pid == getpid());
	r = take(&s, 0, &si);
	printf("nothing: %d, EAGAIN %d\n", r, r < 0 && errno == EAGAIN);

	printf("alarm(100) left %u\n", alarm(100));
	printf("alarm(0) left %u\n", alarm(0));

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	ev.sigev_value.sival_int = 77;
	check(timer_create(CLOCK_MONOTONIC, &ev, &tm) == 0, "timer_create");
	{
		struct itimerspec its = { { 0, 0 }, { 0, 20000000 } };

		check(timer_settime(tm, 0, &its, NULL) == 0, "timer_settime");
	}
	r = take(&s, 5000, &si);
	printf("timer: took %d, SI_TIMER %d, value %d\n", r,
	       si.si_code == SI_TIMER, si.si_value.sival_int);
	check(timer_delete(tm) == 0, "timer_delete");

	ev.sigev_signo = SIGSYS;
	r = timer_create(CLOCK_MONOTONIC, &ev, &tm);
	if (r == 0)
		timer_delete(tm);
	printf("SIGSYS timer: made or refused\n");

	signal(SIGUSR2, SIG_IGN);
	raise(SIGUSR2);
	printf("alive after an ignored SIGUSR2\n");
	fflush(stdout);
	return 0;
}
