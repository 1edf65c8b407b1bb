// SPDX-License-Identifier: Apache-2.0
/*
 * p_intr HOW: a blocking call ended by a caught signal (an itimer's
 * SIGALRM 100 ms in), and a fault of ck's own copy of program memory.
 * The same output natively and under ck, where the call is forwarded.
 *   read      read on an empty pipe, no SA_RESTART: EINTR
 *   restart   the same with SA_RESTART: the handler writes a byte, the
 *             restarted read returns it
 *   nanosleep 2 s: EINTR, time left > 0
 *   wait4     a child that sleeps 2 s: EINTR
 *   futex     FUTEX_WAIT: EINTR
 *   accept    on a loopback socket: EINTR
 *   ppoll     SIGALRM blocked, let in by ppoll's mask: EINTR, the handler
 *             ran with the mask and the old mask is back
 *   efault    rt_sigprocmask and sigaltstack with pointers past the end of
 *             a file mapping (SIGBUS on access): EFAULT, the process lives
 *   sent      20 children busy in calls ck answers itself (sigprocmask,
 *             sigaltstack) and forwards (getppid), each sent SIGSEGV or
 *             SIGBUS by this process 20 ms in, without a handler: each
 *             dies by that signal (under ck mostly while it is in ck)
 *   sentdie   the same in this process: a thread sends SIGSEGV to the
 *             busy main thread, which dies by it (the exit code: 139)
 *   masks     ppoll, pselect6, epoll_pwait and epoll_pwait2 with a mask
 *             that lets in a pending SIGUSR1 the program blocks: with a
 *             ready fd the call returns it and the old mask is back before
 *             any handler (SIGUSR1 stays pending until unblocked); with
 *             none, EINTR and the handler runs with the call's mask
 *   pwait2    epoll_pwait2's own checks and timeout: EFAULT, EINVAL for a
 *             bad timespec and sigsetsize, 0 after a 20 ms timeout
 */
#define _GNU_SOURCE
#include <fcntl.h>
#define FUTEX_WAIT 0
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"

static int wfd = -1;
static volatile int got;
static volatile int blocked_inside;

static void on_alrm(int sig)
{
	sigset_t cur;

	got++;
	sigprocmask(SIG_SETMASK, 0, &cur);
	blocked_inside = sigismember(&cur, SIGUSR1);
	if (wfd >= 0)
		check(write(wfd, "x", 1) == 1, "write in handler");
	(void)sig;
}

static void handler(int restart)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alrm;
	sa.sa_flags = restart ? SA_RESTART : 0;
	check(sigaction(SIGALRM, &sa, 0) == 0, "sigaction");
}

static void arm(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };

	check(setitimer(ITIMER_REAL, &it, 0) == 0, "setitimer");
}

static void report(const char *what, long r)
{
	printf("%s: %ld %s, handler ran %d\n", what, r,
	       r < 0 ? strerror(errno) : "", got);
}

static void efault(void)
{
	char path[] = "/tmp/p_intr.XXXXXX";
	int fd = mkstemp(path);
	char *m;
	long r;

	check(fd >= 0, "mkstemp");
	unlink(path);
	check(ftruncate(fd, PAGE) == 0, "ftruncate");
	m = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	check(m != MAP_FAILED, "mmap");
	/* m + PAGE is past the file's end: any access is SIGBUS. */
	r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, m + PAGE, 0, 8);
	report("sigprocmask set past EOF", r);
	r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, m + PAGE, 8);
	report("sigprocmask old past EOF", r);
	r = syscall(SYS_sigaltstack, m + PAGE, 0);
	report("sigaltstack past EOF", r);
	r = syscall(SYS_rt_sigaction, SIGUSR2, m + PAGE, 0, 8);
	report("sigaction past EOF", r);
	r = write(1, m + PAGE, 1);
	report("write past EOF", r);
	m[0] = 'a';
	r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, m, 0, 8);
	report("sigprocmask in file", r);
}

/* Calls ck answers itself and one it forwards, for ever. */
static void busy(void)
{
	sigset_t old;
	stack_t ss;

	for (;;) {
		sigprocmask(SIG_BLOCK, 0, &old);
		sigaltstack(0, &ss);
		getppid();
	}
}

static void no_core(void)
{
	struct rlimit rl = { 0, 0 };

	check(setrlimit(RLIMIT_CORE, &rl) == 0, "setrlimit");
}

static void sent(void)
{
	const int sigs[2] = { SIGSEGV, SIGBUS };
	int i, st, by[2] = { 0, 0 };
	pid_t pid;

	no_core();
	for (i = 0; i < 20; i++) {
		struct timespec ts = { 0, 20000000 };

		pid = fork();
		check(pid >= 0, "fork");
		if (!pid)
			busy();
		nanosleep(&ts, 0);
		check(kill(pid, sigs[i & 1]) == 0, "kill");
		check(waitpid(pid, &st, 0) == pid, "waitpid");
		if (WIFSIGNALED(st) && WTERMSIG(st) == sigs[i & 1])
			by[i & 1]++;
		else
			printf("child %d: status 0x%x\n", i, st);
	}
	printf("sent: %d of 10 died by SIGSEGV, %d of 10 by SIGBUS\n",
	       by[0], by[1]);
}

static pid_t main_tid;

static void *send_segv(void *arg)
{
	struct timespec ts = { 0, 50000000 };

	(void)arg;
	nanosleep(&ts, 0);
	syscall(SYS_tgkill, getpid(), main_tid, SIGSEGV);
	for (;;)
		pause();
	return 0;
}

static void sentdie(void)
{
	pthread_t t;

	no_core();
	main_tid = (pid_t)syscall(SYS_gettid);
	check(pthread_create(&t, 0, send_segv, 0) == 0, "pthread_create");
	busy();
}

static volatile int usr1;

static void on_usr1(int sig)
{
	(void)sig;
	usr1++;
}

/* One call of the masks case: how = 0 ppoll, 1 pselect6, 2/3 epoll. */
static long masked_call(int how, int fd, int ep, const sigset_t *during)
{
	struct timespec ts = { 2, 0 };
	struct epoll_event ev;

	switch (how) {
	case 0: {
		struct pollfd pf = { fd, POLLIN, 0 };

		return ppoll(&pf, 1, &ts, during);
	}
	case 1: {
		fd_set rd;

		FD_ZERO(&rd);
		FD_SET(fd, &rd);
		return pselect(fd + 1, &rd, 0, 0, &ts, during);
	}
	case 2:
		return epoll_pwait(ep, &ev, 1, 2000, during);
	default:
		return syscall(441 /* epoll_pwait2 */, ep, &ev, 1, &ts, during,
			       8);
	}
}

static void masks(void)
{
	static const char *const names[4] = { "ppoll", "pselect6",
					      "epoll_pwait", "epoll_pwait2" };
	struct epoll_event ev = { .events = EPOLLIN };
	sigset_t block, during, after;
	struct sigaction sa;
	int p[2], q[2], ep[2], how, ready, in_call;
	long r;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	check(sigaction(SIGUSR1, &sa, 0) == 0, "sigaction");
	sigemptyset(&block);
	sigaddset(&block, SIGUSR1);
	sigemptyset(&during);
	check(pipe(p) == 0 && pipe(q) == 0, "pipe");
	check(write(p[1], "x", 1) == 1, "write");	/* p ready, q not */
	for (ready = 0; ready < 2; ready++) {
		ep[ready] = epoll_create1(0);
		ev.data.fd = ready ? p[0] : q[0];
		check(ep[ready] >= 0 && epoll_ctl(ep[ready], EPOLL_CTL_ADD,
			ev.data.fd, &ev) == 0, "epoll");
	}
	for (how = 0; how < 4; how++)
		for (ready = 1; ready >= 0; ready--) {
			check(sigprocmask(SIG_BLOCK, &block, 0) == 0, "block");
			usr1 = 0;
			raise(SIGUSR1);
			r = masked_call(how, ready ? p[0] : q[0], ep[ready],
					&during);
			in_call = usr1;
			sigprocmask(SIG_SETMASK, 0, &after);
			printf("%s, fd %s: %ld %s, handler ran %d, SIGUSR1 "
			       "blocked after %d", names[how],
			       ready ? "ready" : "not ready", r,
			       r < 0 ? strerror(errno) : "", in_call,
			       sigismember(&after, SIGUSR1));
			check(sigprocmask(SIG_UNBLOCK, &block, 0) == 0,
			      "unblock");
			printf(", %d after unblocking\n", usr1);
		}
}

static void pwait2(void)
{
	struct epoll_event ev = { .events = EPOLLIN }, out;
	struct timespec bad = { 0, 1000000000 }, neg = { -1, 0 },
			ms20 = { 0, 20000000 };
	sigset_t none;
	int p[2], ep;

	sigemptyset(&none);
	check(pipe(p) == 0, "pipe");
	ep = epoll_create1(0);
	check(ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0,
	      "epoll");
	report("pwait2 timeout past the end",
	       syscall(441, ep, &out, 1, (void *)8, 0, 8));
	report("pwait2 nsec 1e9", syscall(441, ep, &out, 1, &bad, 0, 8));
	report("pwait2 sec -1", syscall(441, ep, &out, 1, &neg, &none, 8));
	report("pwait2 sigsetsize 7",
	       syscall(441, ep, &out, 1, &ms20, &none, 7));
	report("pwait2 20 ms", syscall(441, ep, &out, 1, &ms20, &none, 8));
	report("pwait2 20 ms, no mask", syscall(441, ep, &out, 1, &ms20, 0, 0));
	report("pwait2 bad epfd", syscall(441, p[1] + 10, &out, 1, &ms20, 0, 0));
	check(write(p[1], "x", 1) == 1, "write");
	report("pwait2 ready, no timeout", syscall(441, ep, &out, 1, 0, 0, 0));
}

int main(int argc, char **argv)
{
	const char *how = argc > 1 ? argv[1] : "";
	int p[2], word = 0;
	long r;
	char c;

	setvbuf(stdout, 0, _IONBF, 0);
	if (!strcmp(how, "efault")) {
		efault();
		return 0;
	}
	if (!strcmp(how, "sent")) {
		sent();
		return 0;
	}
	if (!strcmp(how, "sentdie"))
		sentdie();
	if (!strcmp(how, "masks")) {
		masks();
		return 0;
	}
	if (!strcmp(how, "pwait2")) {
		pwait2();
		return 0;
	}
	check(pipe(p) == 0, "pipe");
	handler(!strcmp(how, "restart"));
	if (!strcmp(how, "read") || !strcmp(how, "restart")) {
		if (!strcmp(how, "restart"))
			wfd = p[1];
		arm();
		r = read(p[0], &c, 1);
		report(how, r);
	} else if (!strcmp(how, "nanosleep")) {
		struct timespec ts = { 2, 0 }, rem = { 0, 0 };

		arm();
		r = syscall(SYS_nanosleep, &ts, &rem);
		report(how, r);
		printf("time left > 0: %d, < 2 s: %d\n",
		       rem.tv_sec > 0 || rem.tv_nsec > 0, rem.tv_sec < 2);
	} else if (!strcmp(how, "wait4")) {
		pid_t pid = fork();
		int st;

		check(pid >= 0, "fork");
		if (!pid) {
			sleep(2);
			_exit(7);
		}
		arm();
		r = syscall(SYS_wait4, pid, &st, 0, 0);
		report(how, r);
		check(waitpid(pid, &st, 0) == pid, "waitpid");
		printf("child status %d\n", WEXITSTATUS(st));
	} else if (!strcmp(how, "futex")) {
		arm();
		r = syscall(SYS_futex, &word, FUTEX_WAIT, 0, 0, 0, 0);
		report(how, r);
	} else if (!strcmp(how, "accept")) {
		struct sockaddr_in a = { .sin_family = AF_INET };
		int s = socket(AF_INET, SOCK_STREAM, 0);

		check(s >= 0, "socket");
		a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		check(bind(s, (void *)&a, sizeof(a)) == 0, "bind");
		check(listen(s, 1) == 0, "listen");
		arm();
		r = accept(s, 0, 0);
		report(how, r);
	} else if (!strcmp(how, "ppoll")) {
		sigset_t block, during, after;
		struct pollfd pf = { p[0], POLLIN, 0 };
		struct timespec ts = { 2, 0 };

		sigemptyset(&block);
		sigaddset(&block, SIGALRM);
		check(sigprocmask(SIG_BLOCK, &block, 0) == 0, "block");
		sigemptyset(&during);
		sigaddset(&during, SIGUSR1);
		arm();
		r = ppoll(&pf, 1, &ts, &during);
		report(how, r);
		sigprocmask(SIG_SETMASK, 0, &after);
		printf("SIGUSR1 blocked in handler %d, SIGALRM blocked after %d, "
		       "SIGUSR1 after %d\n", blocked_inside,
		       sigismember(&after, SIGALRM),
		       sigismember(&after, SIGUSR1));
	} else {
		check(0, "usage: p_intr read|restart|nanosleep|wait4|futex|"
			 "accept|ppoll|efault|sent|sentdie|masks|pwait2");
	}
	return 0;
}
