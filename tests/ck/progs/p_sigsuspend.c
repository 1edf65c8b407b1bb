// SPDX-License-Identifier: Apache-2.0
/*
 * p_sigsuspend: waiting for signals. sigsuspend with a pending blocked
 * signal (the handler runs with the given mask, the call fails with
 * EINTR, the old mask is back after), pause() ended by an itimer signal,
 * sigqueue's siginfo (SI_QUEUE and the value) in a handler, and a
 * signalfd reading a blocked signal. Prints what it sees.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/time.h>

#include "common.h"

static volatile sig_atomic_t got, code, value, hup_blocked_inside;

static int blocked(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static void handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	code = si->si_code;
	value = si->si_value.sival_int;
	hup_blocked_inside = blocked(SIGHUP);
}

static void set(int sig)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = handler;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	check(sigaction(sig, &sa, NULL) == 0, "sigaction");
}

int main(void)
{
	struct signalfd_siginfo ssi;
	struct itimerval it = { { 0, 0 }, { 0, 20000 } };
	sigset_t s, during;
	int r, fd;

	/* sigsuspend: SIGUSR1 pending and blocked, let in by the call. */
	set(SIGUSR1);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigaddset(&s, SIGHUP);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	sigemptyset(&during);
	sigaddset(&during, SIGHUP);
	r = sigsuspend(&during);
	printf("sigsuspend: %d %s, sig %d, hup blocked inside %d, "
	       "usr1 blocked after %d\n", r, errno_name(errno), (int)got,
	       (int)hup_blocked_inside, blocked(SIGUSR1));

	/* pause, ended by SIGALRM. */
	got = 0;
	set(SIGALRM);
	setitimer(ITIMER_REAL, &it, NULL);
	r = pause();
	printf("pause: %d %s, sig %d\n", r, errno_name(errno), (int)got);

	/* sigqueue: SI_QUEUE and the value. */
	set(SIGUSR2);
	r = sigqueue(getpid(), SIGUSR2, (union sigval){ .sival_int = 42 });
	printf("sigqueue: %d, sig %d code %d (SI_QUEUE %d) value %d\n", r,
	       (int)got, (int)code, SI_QUEUE, (int)value);

	/* signalfd: a blocked signal read from the fd. */
	sigemptyset(&s);
	sigaddset(&s, SIGWINCH);
	sigprocmask(SIG_BLOCK, &s, NULL);
	fd = signalfd(-1, &s, SFD_CLOEXEC);
	check(fd >= 0, "signalfd");
	raise(SIGWINCH);
	check(read(fd, &ssi, sizeof(ssi)) == sizeof(ssi), "read signalfd");
	printf("signalfd: signo %u code %d\n", ssi.ssi_signo, ssi.ssi_code);
	return 0;
}
