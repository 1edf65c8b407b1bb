// SPDX-License-Identifier: Apache-2.0
/*
 * p_sigsuspend: waiting for signals. sigsuspend with a pending blocked
 * signal (the handler runs with the given mask, the call fails with
 * EINTR, the old mask is back after), pause() ended by an itimer signal,
 * sigqueue's siginfo (SI_QUEUE and the value) in a handler, and a
 * signalfd reading a blocked signal. Then SIGSEGV and SIGBUS sent by
 * another process (ck's own signals for faults): sigsuspend with a
 * pending blocked SIGSEGV, pause ended by one a child sends (the handler
 * sees SI_USER), and a child in sigsuspend killed by a sent SIGBUS of
 * default action. Prints what it sees.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

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

static void ms(long n)
{
	struct timespec ts = { n / 1000, (n % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* A child that sends sig to this process after n ms. */
static pid_t send_later(int sig, long n)
{
	pid_t parent = getpid(), pid = fork();

	check(pid >= 0, "fork");
	if (!pid) {
		ms(n);
		kill(parent, sig);
		_exit(0);
	}
	return pid;
}

static void sent_faults(void)
{
	struct rlimit rl = { 0, 0 };
	sigset_t s, none;
	pid_t pid;
	int r, st;

	check(setrlimit(RLIMIT_CORE, &rl) == 0, "setrlimit");
	sigemptyset(&none);
	set(SIGSEGV);

	/* sigsuspend: SIGSEGV pending and blocked, let in by the call. */
	sigemptyset(&s);
	sigaddset(&s, SIGSEGV);
	sigprocmask(SIG_BLOCK, &s, NULL);
	got = code = 0;
	kill(getpid(), SIGSEGV);
	r = sigsuspend(&none);
	printf("sigsuspend, SIGSEGV pending: %d %s, sig %d code %d\n", r,
	       errno_name(errno), (int)got, (int)code);
	sigprocmask(SIG_UNBLOCK, &s, NULL);

	/* pause, ended by a SIGSEGV another process sends. */
	got = 0;
	code = -1;
	pid = send_later(SIGSEGV, 300);
	r = pause();
	printf("pause, SIGSEGV sent: %d %s, sig %d code %d (SI_USER %d)\n", r,
	       errno_name(errno), (int)got, (int)code, SI_USER);
	check(waitpid(pid, &st, 0) == pid, "waitpid");

	/* A child in sigsuspend, SIGBUS of default action: its end. */
	pid = fork();
	check(pid >= 0, "fork");
	if (!pid) {
		sigsuspend(&none);
		_exit(3);
	}
	ms(300);
	kill(pid, SIGBUS);
	check(waitpid(pid, &st, 0) == pid, "waitpid");
	printf("sigsuspend, SIGBUS sent, default: signaled %d, signal %d\n",
	       WIFSIGNALED(st), WIFSIGNALED(st) ? WTERMSIG(st) : 0);
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
	sent_faults();
	return 0;
}
