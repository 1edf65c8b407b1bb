// SPDX-License-Identifier: Apache-2.0
/*
 * p_handlers: the program's own signal handlers. With and without
 * SA_SIGINFO (the siginfo a raise and a kill carry), the mask inside a
 * handler (sa_mask and the signal itself; SA_NODEFER lets it nest),
 * SA_RESETHAND, a signal left pending by the mask and taken when it is
 * unblocked, the registers and the FPU state of the interrupted code kept,
 * a handler's edit of its ucontext honoured (RAX and RIP), an itimer
 * signal taken in a busy loop, sigaltstack + siglongjmp out of a SIGSEGV
 * handler (si_addr, si_code), SIGFPE and SIGILL from program code, a
 * handler in a second thread, a handler that returns to a syscall
 * loop thousands of times, and execve: handlers back to SIG_DFL, ignored
 * signals still ignored, the mask kept. Prints what it sees.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <ucontext.h>

#include "common.h"

static volatile sig_atomic_t got, depth, maxdepth, calls, alarms;
static volatile int last_code, last_pid_ok, usr2_blocked, self_blocked;
static volatile pid_t handler_tid;
static char altstack[65536];
static volatile int on_alt;
static sigjmp_buf jb;
static volatile void *fault_addr;
static volatile int fault_code;

static int blocked(int sig)
{
	sigset_t cur;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	return sigismember(&cur, sig);
}

static void info_handler(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	got = sig;
	last_code = si->si_code;
	last_pid_ok = si->si_pid == getpid();
	usr2_blocked = blocked(SIGUSR2);
	self_blocked = blocked(sig);
}

static void plain_handler(int sig)
{
	got = sig;
	self_blocked = blocked(sig);
}

static void nest_handler(int sig)
{
	depth++;
	if (depth > maxdepth)
		maxdepth = depth;
	if (++calls < 3)
		raise(sig);
	depth--;
}

static void alarm_handler(int sig)
{
	(void)sig;
	alarms++;
}

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
	char here;

	(void)sig;
	(void)uc;
	on_alt = &here >= altstack && &here < altstack + sizeof(altstack);
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	siglongjmp(jb, 1);
}

/* Skips the 2-byte instruction that faulted (ud2) and sets RAX. */
static void edit_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	fault_addr = si->si_addr;
	fault_code = si->si_code;
	uc->uc_mcontext.gregs[REG_RIP] += 2;
	uc->uc_mcontext.gregs[REG_RAX] = 4242;
}

static void thread_handler(int sig)
{
	(void)sig;
	handler_tid = (pid_t)syscall(SYS_gettid);
}

static void set(int sig, void *fn, int flags, int also)
{
	set_action(sig, fn, flags, also);
}

static void *thread_main(void *arg)
{
	(void)arg;
	pthread_kill(pthread_self(), SIGWINCH);
	return (void *)(intptr_t)(handler_tid == (pid_t)syscall(SYS_gettid));
}

static void syscall_loop_handler(int sig)
{
	(void)sig;
	got++;
}

static const char *disp(int sig)
{
	struct sigaction sa;

	sigaction(sig, NULL, &sa);
	return sa.sa_handler == SIG_DFL ? "SIG_DFL" :
	       sa.sa_handler == SIG_IGN ? "SIG_IGN" : "a handler";
}

int main(int argc, char **argv)
{
	struct sigaction old;
	sigset_t s;
	volatile double x = 1.25;
	long rax;
	int i;

	if (argc > 1 && !strcmp(argv[1], "exec")) {
		printf("after exec: usr1 %s, term %s, blocked usr1 %d usr2 %d\n",
		       disp(SIGUSR1), disp(SIGTERM), blocked(SIGUSR1),
		       blocked(SIGUSR2));
		return 0;
	}

	/* SA_SIGINFO, sa_mask naming SIGUSR2, the signal itself blocked. */
	set(SIGUSR1, info_handler, SA_SIGINFO, SIGUSR2);
	raise(SIGUSR1);
	printf("raise: sig %d code %d pid %d usr2 blocked %d self blocked %d\n",
	       (int)got, last_code, last_pid_ok, usr2_blocked, self_blocked);
	kill(getpid(), SIGUSR1);
	printf("kill: sig %d code %d pid %d, mask after: usr1 %d usr2 %d\n",
	       (int)got, last_code, last_pid_ok, blocked(SIGUSR1),
	       blocked(SIGUSR2));
	sigaction(SIGUSR1, NULL, &old);
	printf("oldact: handler %s flags SA_SIGINFO %d mask usr2 %d\n",
	       old.sa_sigaction == info_handler ? "info_handler" : "other",
	       !!(old.sa_flags & SA_SIGINFO), sigismember(&old.sa_mask, SIGUSR2));

	/* Without SA_SIGINFO. */
	set(SIGUSR2, plain_handler, 0, 0);
	raise(SIGUSR2);
	printf("plain: sig %d self blocked %d\n", (int)got, self_blocked);

	/* SA_NODEFER nests; without it the raise waits for the return. */
	set(SIGHUP, nest_handler, SA_NODEFER, 0);
	raise(SIGHUP);
	printf("nodefer: max depth %d\n", (int)maxdepth);
	depth = maxdepth = calls = 0;
	set(SIGHUP, nest_handler, 0, 0);
	raise(SIGHUP);
	printf("defer: max depth %d, %d calls\n", (int)maxdepth, (int)calls);

	/* SA_RESETHAND: the default again after one delivery. */
	set(SIGUSR2, plain_handler, SA_RESETHAND, 0);
	got = 0;
	raise(SIGUSR2);
	sigaction(SIGUSR2, NULL, &old);
	printf("resethand: sig %d then %s\n", (int)got,
	       old.sa_handler == SIG_DFL ? "SIG_DFL" : "still a handler");

	/* Pending while blocked, taken when unblocked; FP state kept. */
	got = 0;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_BLOCK, &s, NULL);
	raise(SIGUSR1);
	sigpending(&s);
	printf("pending: usr1 %d taken %d\n", sigismember(&s, SIGUSR1), (int)got);
	x *= 2;
	sigemptyset(&s);
	sigaddset(&s, SIGUSR1);
	sigprocmask(SIG_UNBLOCK, &s, NULL);
	printf("unblocked: taken %d, x %.3f\n", (int)got, x * 2);

	/* An itimer signal in a busy loop of program code. */
	set(SIGALRM, alarm_handler, 0, 0);
	{
		struct itimerval it = { { 0, 2000 }, { 0, 2000 } };
		volatile unsigned long spin = 0;

		setitimer(ITIMER_REAL, &it, NULL);
		while (alarms < 5)
			spin++;
		memset(&it, 0, sizeof(it));
		setitimer(ITIMER_REAL, &it, NULL);
		printf("itimer: at least 5 alarms in a busy loop\n");
	}

	/* SIGSEGV on the altstack, left with siglongjmp. */
	{
		stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
		volatile uintptr_t bad = 16;

		check(sigaltstack(&ss, NULL) == 0, "sigaltstack");
		set(SIGSEGV, segv_handler, SA_SIGINFO | SA_ONSTACK, 0);
		if (!sigsetjmp(jb, 1))
			*(volatile int *)bad = 1;
		printf("segv: on altstack %d addr %p code %d (SEGV_MAPERR %d), "
		       "segv blocked after %d\n", on_alt, (void *)fault_addr,
		       fault_code, SEGV_MAPERR, blocked(SIGSEGV));
	}

	/* SIGFPE from a division by zero, left with siglongjmp. */
	set(SIGFPE, segv_handler, SA_SIGINFO, 0);
	if (!sigsetjmp(jb, 1)) {
		volatile int zero = 0, one = 1;

		one /= zero;
	}
	printf("fpe: code %d (FPE_INTDIV %d)\n", fault_code, FPE_INTDIV);

	/* SIGILL: the handler steps over ud2 and sets RAX. */
	set(SIGILL, edit_handler, SA_SIGINFO, 0);
	__asm__ volatile("xor %%eax, %%eax\n"
			 ".globl p_ud2\np_ud2: ud2\n"
			 : "=a"(rax) : : "memory");
	{
		extern char p_ud2[];

		printf("ill: code %d (ILL_ILLOPN %d) at ud2 %d, rax %ld\n",
		       fault_code, ILL_ILLOPN, fault_addr == p_ud2, rax);
	}

	/* A handler in a second thread runs in that thread. */
	{
		pthread_t th;
		void *same;

		set(SIGWINCH, thread_handler, 0, 0);
		check(pthread_create(&th, NULL, thread_main, NULL) == 0,
		      "pthread_create");
		pthread_join(th, &same);
		printf("thread: handler ran in the thread %d\n",
		       (int)(intptr_t)same);
	}

	/* Many handlers between syscalls: all counted. */
	got = 0;
	set(SIGUSR1, syscall_loop_handler, 0, 0);
	for (i = 0; i < 2000; i++) {
		kill(getpid(), SIGUSR1);
		getppid();
	}
	printf("loop: %d handled\n", (int)got);

	/* execve: caught signals back to SIG_DFL, the rest kept. */
	signal(SIGTERM, SIG_IGN);
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	sigprocmask(SIG_BLOCK, &s, NULL);
	fflush(stdout);
	execl(argv[0], "p_handlers", "exec", (char *)NULL);
	fail_errno("execl");
	return 1;
}
