// SPDX-License-Identifier: Apache-2.0
/*
 * p_sigdirect MODE: a program of one thread that catches signals while it
 * makes syscalls (issue 16: such a process takes ck's direct gate, and a
 * signal that comes while ck runs is deferred to ck's exit, sigdefer.c).
 * Another process (a fork child) sends the signals, so the program stays
 * the only task on its memory. Every mode prints only counts that hold
 * natively; run-progs.sh compares them with a native run.
 *   usr1     200 SIGUSR1 (SA_RESTART, sa_mask SIGUSR2), one at a time,
 *            while the program calls getppid in a loop; each handler reads
 *            its mask (SIGUSR1 and SIGUSR2 added to the program's);
 *   restart  5 SIGUSR1 while the program blocks in read on a pipe; the
 *            read goes on (SA_RESTART) and returns the byte sent after;
 *   eintr    5 SIGALRM (no SA_RESTART) from a 20 ms timer while the
 *            program blocks in read on an empty pipe: EINTR each time;
 *   storm    SIGALRM every 500 us (SA_RESTART) while the program calls
 *            getppid until 200 handlers ran, then 5 reads each ended by a
 *            20 ms timer (no SA_RESTART): EINTR;
 *   segv     100 SIGSEGV sent (kill) to a program with a SIGSEGV handler
 *            while it calls getppid in a loop: each delivered, SI_USER
 *            from the child.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/time.h>
#include <sys/wait.h>

#include "common.h"

static volatile sig_atomic_t handled, bad_mask, bad_info;

/*
 * The program's own syscall sites (musl's libc has no unwind table, so
 * ck rewrites none of its sites): `mov $N,%eax; syscall`, which ck
 * rewrites to its direct gate in the static build.
 */
static long sys_getppid(void)
{
	long r;

	__asm__ volatile("mov $110, %%eax\n\tsyscall"
			 : "=a"(r) : : "rcx", "r11", "memory");
	return r;
}

static long sys_read(int fd, void *buf, long n)
{
	long r;

	__asm__ volatile("mov $0, %%eax\n\tsyscall"
			 : "=a"(r) : "D"((long)fd), "S"(buf), "d"(n)
			 : "rcx", "r11", "memory");
	return r;
}
static sigset_t want;		/* the mask a handler must see */
static pid_t child;

static void on_sig(int sig)
{
	sigset_t now;

	(void)sig;
	/* The kernel writes 8 bytes of the 128: the rest as want's. */
	memset(&now, 0, sizeof(now));
	if (sigprocmask(SIG_SETMASK, 0, &now) ||
	    memcmp(&now, &want, sizeof(now)))
		bad_mask++;
	handled++;
}

static pid_t senders[128];	/* si_pid of each: the child's, once known */

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si->si_code != SI_USER)
		bad_info++;
	if (handled < 128)
		senders[handled] = si->si_pid;
	handled++;
}

static void catch(int sig, int flags, int also)
{
	set_action(sig, (void *)on_sig, flags, also);
	sigprocmask(SIG_SETMASK, 0, &want);
	sigaddset(&want, sig);
	if (also)
		sigaddset(&want, also);
}

static void timer_ms(long first_us, long every_us)
{
	struct itimerval it = { { 0, every_us }, { 0, first_us } };

	check(!setitimer(ITIMER_REAL, &it, 0), "setitimer");
}

/*
 * A child that sends n signals sig, each after the parent's ack byte (an
 * end of file if the parent died: the child holds no write end).
 */
static void sender(int sig, int n, const int *pipefd)
{
	int ack = pipefd[0];
	pid_t parent = getpid();
	char c;

	fflush(stdout);
	child = fork();
	check(child >= 0, "fork");
	if (child)
		return;
	close(pipefd[1]);
	for (int i = 0; i < n; i++) {
		kill(parent, sig);
		if (read(ack, &c, 1) != 1)
			_exit(3);
	}
	_exit(0);
}

static void reap(void)
{
	int st;

	check(waitpid(child, &st, 0) == child && WIFEXITED(st) &&
	      !WEXITSTATUS(st), "the sender's exit");
}

/* Calls getppid until the handler has run n times; then acks. */
static void busy_until(int n, int ack)
{
	long calls = 0;

	while (handled < n)
		calls += sys_getppid() > 0;
	check(calls >= 0 && write(ack, "a", 1) == 1, "ack");
}

static void usr1(void)
{
	int ack[2];

	catch(SIGUSR1, SA_RESTART, SIGUSR2);
	check(!pipe(ack), "pipe");
	sender(SIGUSR1, 200, ack);
	for (int i = 1; i <= 200; i++)
		busy_until(i, ack[1]);
	reap();
	printf("usr1: %d handled, %d with a wrong mask\n", (int)handled,
	       (int)bad_mask);
}

static void restart(void)
{
	int data[2];
	char c;

	catch(SIGUSR1, SA_RESTART, 0);
	check(!pipe(data), "pipe");
	fflush(stdout);
	child = fork();
	check(child >= 0, "fork");
	if (!child) {
		for (int i = 0; i < 5; i++) {
			usleep(50000);	/* the parent blocks in its read */
			kill(getppid(), SIGUSR1);
			usleep(50000);
			if (write(data[1], "x", 1) != 1)
				_exit(3);
		}
		_exit(0);
	}
	int got = 0;
	for (int i = 0; i < 5; i++)
		got += sys_read(data[0], &c, 1) == 1;
	reap();
	printf("restart: %d reads of 1 byte, %d handled, %d with a wrong mask\n",
	       got, (int)handled, (int)bad_mask);
}

static void eintr(void)
{
	int data[2], intr = 0;
	char c;

	catch(SIGALRM, 0, 0);
	check(!pipe(data), "pipe");
	for (int i = 0; i < 5; i++) {
		timer_ms(20000, 0);
		intr += sys_read(data[0], &c, 1) == -EINTR;
	}
	printf("eintr: %d reads EINTR, %d handled, %d with a wrong mask\n",
	       intr, (int)handled, (int)bad_mask);
}

static void storm(void)
{
	int data[2], intr = 0;
	char c;

	catch(SIGALRM, SA_RESTART, 0);
	check(!pipe(data), "pipe");
	timer_ms(500, 500);
	while (handled < 200)
		check(sys_getppid() > 0, "getppid");
	timer_ms(0, 0);
	/* Without SA_RESTART now: each read ends by its timer. */
	catch(SIGALRM, 0, 0);
	for (int i = 0; i < 5; i++) {
		timer_ms(20000, 0);
		intr += sys_read(data[0], &c, 1) == -EINTR;
	}
	printf("storm: 200 handlers and %d reads EINTR, %d with a wrong mask\n",
	       intr, (int)bad_mask);
}

static void segv(void)
{
	int ack[2];

	set_action(SIGSEGV, (void *)on_segv, SA_SIGINFO | SA_RESTART, 0);
	check(!pipe(ack), "pipe");
	sender(SIGSEGV, 100, ack);
	for (int i = 1; i <= 100; i++)
		busy_until(i, ack[1]);
	reap();
	for (int i = 0; i < 100; i++)
		bad_info += senders[i] != child;
	printf("segv: %d handled, %d not SI_USER from the sender\n",
	       (int)handled, (int)bad_info);
}

int main(int argc, char **argv)
{
	const char *m = argc > 1 ? argv[1] : "";

	setvbuf(stdout, 0, _IONBF, 0);
	if (!strcmp(m, "usr1"))
		usr1();
	else if (!strcmp(m, "restart"))
		restart();
	else if (!strcmp(m, "eintr"))
		eintr();
	else if (!strcmp(m, "storm"))
		storm();
	else if (!strcmp(m, "segv"))
		segv();
	else {
		fprintf(stderr, "usage: p_sigdirect usr1|restart|eintr|storm|segv\n");
		return 2;
	}
	return 0;
}
