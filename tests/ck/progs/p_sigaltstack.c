// SPDX-License-Identifier: Apache-2.0
/*
 * p_sigaltstack: the program's sigaltstack as it sees it. None at start;
 * one set and read back (its place, size and flags); refused when too
 * small (ENOMEM), with unknown flags (EINVAL) or at a bad address
 * (EFAULT); SS_AUTODISARM kept; a new thread starts without one, a fork
 * child keeps its parent's; SS_DISABLE forgets it. Prints what it sees.
 */
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "common.h"

static char area[65536];

static void show(const char *when)
{
	stack_t cur;

	check(sigaltstack(NULL, &cur) == 0, "read the altstack");
	printf("%s: sp %s, size %zu, flags %#x\n", when,
	       cur.ss_sp == area ? "area" : cur.ss_sp ? "other" : "NULL",
	       cur.ss_size, (unsigned int)cur.ss_flags);
	fflush(stdout);
}

static void try(const char *what, void *sp, size_t size, int flags)
{
	stack_t ss = { .ss_sp = sp, .ss_size = size, .ss_flags = flags };
	long r = syscall(SYS_sigaltstack, &ss, NULL);

	printf("%s: %ld %s\n", what, r, errno_name(r ? errno : 0));
}

static void *thread(void *arg)
{
	(void)arg;
	show("new thread");
	return NULL;
}

int main(void)
{
	pthread_t th;
	pid_t pid;
	long r;
	int st;

	show("start");
	try("64 KiB", area, sizeof(area), 0);
	show("after set");
	try("1 KiB", area, 1024, 0);
	try("flags 5", area, sizeof(area), 5);
	r = syscall(SYS_sigaltstack, (void *)8, NULL);
	printf("bad ss: %ld %s\n", r, errno_name(r ? errno : 0));
	show("after refusals");
	try("autodisarm", area, sizeof(area), SS_AUTODISARM);
	show("after autodisarm");
	check(pthread_create(&th, NULL, thread, NULL) == 0, "pthread_create");
	check(pthread_join(th, NULL) == 0, "pthread_join");
	pid = fork();
	check(pid >= 0, "fork");
	if (!pid) {
		show("fork child");
		_exit(0);
	}
	check(waitpid(pid, &st, 0) == pid && st == 0, "waitpid");
	try("disable", area, 0, SS_DISABLE);
	show("after disable");
	return 0;
}
