// SPDX-License-Identifier: Apache-2.0
/*
 * p_sigmask: the signal mask as the program sees it. Blocks SIGUSR1 and
 * reads the mask back; sends itself SIGUSR1, which stays pending (the
 * program lives on); sets the mask to SIGUSR1 and SIGUSR2, reading the old
 * one; unblocks SIGUSR2; asks for an invalid "how" (EINVAL). Prints what
 * it sees after each step; exits 0 with SIGUSR1 still pending.
 */
#include <signal.h>
#include <sys/syscall.h>

#include "common.h"

static const char *state(const sigset_t *s, int sig)
{
	return sigismember(s, sig) ? "blocked" : "open";
}

static void show(const char *when)
{
	sigset_t cur;

	check(sigprocmask(SIG_SETMASK, NULL, &cur) == 0, "read the mask");
	printf("%s: USR1 %s, USR2 %s\n", when, state(&cur, SIGUSR1),
	       state(&cur, SIGUSR2));
}

int main(void)
{
	sigset_t s, old;
	long r;

	show("start");
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	check(sigprocmask(SIG_BLOCK, &s, NULL) == 0, "SIG_BLOCK USR1");
	show("after SIG_BLOCK USR1");
	check(kill(getpid(), SIGUSR1) == 0, "kill(self, SIGUSR1)");
	printf("alive after kill(self, SIGUSR1)\n");
	sigaddset(&s, SIGUSR2);
	check(sigprocmask(SIG_SETMASK, &s, &old) == 0, "SIG_SETMASK");
	printf("old mask: USR1 %s, USR2 %s\n", state(&old, SIGUSR1),
	       state(&old, SIGUSR2));
	show("after SIG_SETMASK USR1+USR2");
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	check(sigprocmask(SIG_UNBLOCK, &s, NULL) == 0, "SIG_UNBLOCK USR2");
	show("after SIG_UNBLOCK USR2");
	r = syscall(SYS_rt_sigprocmask, 99, &s, NULL, 8);
	printf("how 99: %ld %s\n", r, errno_name(r ? errno : 0));
	fflush(stdout);
	return 0;
}
