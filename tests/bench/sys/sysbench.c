// SPDX-License-Identifier: Apache-2.0
/*
 * The workloads of syscall.bench (issue 16), one static musl program so
 * that every platform (native, a paracell-native container, runsc, ck)
 * runs the very same code and times itself: container or sandbox start-up
 * is never in the figures.
 *
 *   sysbench all DIR         every workload below, one "NAME NS" line each
 *                            (ns per operation, the best of 5 batches whose
 *                            size is doubled until one takes >= 20 ms; a
 *                            program's runs: >= 100 ms: other jobs on the
 *                            machine only ever add time); NAME NA when the
 *                            program cannot run there (non-zero exit)
 *   sysbench count OP N DIR  exactly N operations of OP, no timing (for
 *                            ck --stats: host syscalls per operation)
 *
 * Operations: getpid; pipe (a 1-byte round trip with a child process);
 * open (open and close of DIR/file); dash-1000 (DIR/dash running 1,000
 * builtin loop iterations); dash-fork100 (DIR/dash forking 100
 * subshells); bash-1000 and bash-fork100 (the same with DIR/bash, a
 * link to Debian's bash: glibc, dynamic); start (DIR/busybox true: a
 * static program's start and exit); python (python3 -c pass, DIR/python3
 * a link to it);
 * sigaction (a SIGUSR1 handler installed and removed);
 * sud-getpid (getpid through a bare Syscall User Dispatch trap: a
 * SIGSYS handler that issues it and returns, no ck: the floor of any
 * signal-based trap path; NA where the program may not arm SUD, as under
 * ck or runsc).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <ucontext.h>
#include <unistd.h>

#define BATCHES 5

static const char *dir;
static int ping[2], pong[2];
static pid_t echo_pid = -1;

static void die(const char *what)
{
	fprintf(stderr, "sysbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * The operations' syscalls, inline as musl's own __syscallN are (the
 * number loaded right before the syscall, so that a loop comes back to
 * the load), so that they sit in this program's code: its unwind table (--eh-frame-hdr)
 * shows ck the functions, and ck rewrites their sites (the direct gate,
 * docs/xgate.md); musl's libc.a has no unwind table, so libc's own sites
 * stay on the trap path under ck. Natively this is what libc would do.
 */
#define sc1(nr, a) sc3(nr, a, 0, 0)
#define sc3(nr, a, b, c) ({						\
	long r_;							\
	__asm__ volatile("movl %1, %%eax\n\tsyscall" : "=a"(r_)		\
			 : "i"(nr), "D"((long)(a)), "S"((long)(b)),	\
			   "d"((long)(c)) : "rcx", "r11", "memory");	\
	r_; })

static int op_getpid(uint64_t n)
{
	while (n--)
		sc1(SYS_getpid, 0);
	return 0;
}

/* ck answers getpid itself; getppid it forwards (a reparent changes it). */
static int op_getppid(uint64_t n)
{
	while (n--)
		sc1(SYS_getppid, 0);
	return 0;
}

static void on_usr1(int sig)
{
	(void)sig;
}

/*
 * A handler installed and removed: two rt_sigactions natively; under ck
 * a first handler's install (docs/signals.md), which waits for no other
 * thread when there is none.
 */
static int op_sigaction(uint64_t n)
{
	struct sigaction on = { .sa_handler = on_usr1 }, off = { .sa_handler = SIG_DFL };

	while (n--)
		if (sigaction(SIGUSR1, &on, 0) || sigaction(SIGUSR1, &off, 0))
			return -1;
	return 0;
}

/* The child echoes each byte back until the pipe closes. */
static void echo_start(void)
{
	char c;

	if (pipe(ping) || pipe(pong))
		die("pipe");
	echo_pid = fork();
	if (echo_pid < 0)
		die("fork");
	if (echo_pid == 0) {
		close(ping[1]);
		close(pong[0]);
		while (sc3(SYS_read, ping[0], (long)&c, 1) == 1)
			if (sc3(SYS_write, pong[1], (long)&c, 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(ping[0]);
	close(pong[1]);
}

static void echo_stop(void)
{
	int st;

	close(ping[1]);
	close(pong[0]);
	if (waitpid(echo_pid, &st, 0) != echo_pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st))
		die("echo child");
	echo_pid = -1;
}

static int op_pipe(uint64_t n)
{
	char c = 'x';

	while (n--)
		if (sc3(SYS_write, ping[1], (long)&c, 1) != 1 ||
		    sc3(SYS_read, pong[0], (long)&c, 1) != 1)
			die("ping-pong");
	return 0;
}

static int op_open(uint64_t n)
{
	char path[4096];
	int fd;

	snprintf(path, sizeof(path), "%s/file", dir);
	while (n--) {
		fd = (int)sc3(SYS_open, (long)path, O_RDONLY | O_CLOEXEC, 0);
		if (fd < 0) {
			errno = -fd;
			die(path);
		}
		sc1(SYS_close, fd);
	}
	return 0;
}

/* n runs of a program; -1 when it does not exit 0 (it cannot run here). */
static int run_prog(uint64_t n, char *const argv[])
{
	extern char **environ;
	pid_t pid;
	int st;

	while (n--) {
		pid = fork();
		if (pid < 0)
			die("fork");
		if (pid == 0) {
			int null = open("/dev/null", O_WRONLY);

			if (null >= 0) {	/* ck's "dynamic program" message */
				dup2(null, 1);
				dup2(null, 2);
			}
			execve(argv[0], argv, environ);
			_exit(127);
		}
		if (waitpid(pid, &st, 0) != pid)
			die("waitpid");
		if (!WIFEXITED(st) || WEXITSTATUS(st))
			return -1;
	}
	return 0;
}

/*
 * The bare SUD trap: syscalls from [sud_lo, sud_hi) always pass (the
 * handler's own syscall and its rt_sigreturn); any other one traps while
 * the selector is BLOCK.
 */
#ifndef PR_SET_SYSCALL_USER_DISPATCH
#define PR_SET_SYSCALL_USER_DISPATCH 59
#define PR_SYS_DISPATCH_ON 1
#endif
extern char sud_lo[], sud_hi[];
long sud_sys(long nr);
void sud_restorer(void);
__asm__(".pushsection .text.sudallow, \"ax\"\n"
	"sud_lo:\n"
	"sud_sys: movq %rdi, %rax\n syscall\n ret\n"
	"sud_restorer: movl $15, %eax\n syscall\n ud2\n"
	"sud_hi:\n"
	".popsection");
static volatile char sud_sel;	/* 0 ALLOW, 1 BLOCK */
static int sud_ready = -1;

static void sud_handler(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	uc->uc_mcontext.gregs[REG_RAX] = sud_sys(si->si_syscall);
}

static int sud_arm(void)
{
	struct {
		void *handler;
		unsigned long flags;
		void *restorer;
		unsigned long mask;
	} sa = { (void *)sud_handler, 0x04000000 /* SA_RESTORER */ | SA_SIGINFO,
		 (void *)sud_restorer, 0 };

	if (sud_ready >= 0)
		return sud_ready;
	sud_ready = 0;
	if (syscall(SYS_rt_sigaction, SIGSYS, &sa, 0, 8) == 0 &&
	    prctl(PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON,
		  (unsigned long)sud_lo, (unsigned long)(sud_hi - sud_lo),
		  &sud_sel) == 0)
		sud_ready = 1;
	return sud_ready;
}

static int op_sud_getpid(uint64_t n)
{
	if (!sud_arm())
		return -1;
	sud_sel = 1;
	while (n--)
		syscall(SYS_getpid);
	sud_sel = 0;
	return 0;
}

static char path_dash[4096], path_bash[4096], path_bb[4096], path_py[4096];

#define LOOP1000	"i=0; while [ $i -lt 1000 ]; do i=$((i+1)); done"
#define FORK100		"i=0; while [ $i -lt 100 ]; do (:); i=$((i+1)); done"

static int op_dash1000(uint64_t n)
{
	char *argv[] = { path_dash, "-c", LOOP1000, 0 };

	return run_prog(n, argv);
}

static int op_dashfork(uint64_t n)
{
	char *argv[] = { path_dash, "-c", FORK100, 0 };

	return run_prog(n, argv);
}

static int op_bash1000(uint64_t n)
{
	char *argv[] = { path_bash, "-c", LOOP1000, 0 };

	return run_prog(n, argv);
}

static int op_bashfork(uint64_t n)
{
	char *argv[] = { path_bash, "-c", FORK100, 0 };

	return run_prog(n, argv);
}

static int op_start(uint64_t n)
{
	char *argv[] = { path_bb, "true", 0 };

	return run_prog(n, argv);
}

static int op_python(uint64_t n)
{
	char *argv[] = { path_py, "-c", "pass", 0 };

	return run_prog(n, argv);
}

static const struct op {
	const char *name;
	int (*fn)(uint64_t);
	uint64_t min_ns;	/* a batch lasts at least this long */
	int prog;		/* runs a program: starts at n = 1 */
} ops[] = {
	{ "getpid", op_getpid, 20000000, 0 },
	{ "getppid", op_getppid, 20000000, 0 },
	{ "sud-getpid", op_sud_getpid, 20000000, 0 },
	{ "sigaction", op_sigaction, 20000000, 0 },
	{ "pipe", op_pipe, 20000000, 0 },
	{ "open", op_open, 20000000, 0 },
	{ "dash-1000", op_dash1000, 100000000, 1 },
	{ "dash-fork100", op_dashfork, 100000000, 1 },
	{ "bash-1000", op_bash1000, 100000000, 1 },
	{ "bash-fork100", op_bashfork, 100000000, 1 },
	{ "start", op_start, 100000000, 1 },
	{ "python", op_python, 100000000, 1 },
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* ns per operation (the best of BATCHES batches), or -1: it cannot run. */
static double measure(const struct op *o)
{
	uint64_t n = o->prog ? 1 : 64, t, per[BATCHES];
	int i;

	for (;;) {
		t = now_ns();
		if (o->fn(n))
			return -1;
		t = now_ns() - t;
		if (t >= o->min_ns)
			break;
		n *= 2;
	}
	for (i = 0; i < BATCHES; i++) {
		t = now_ns();
		if (o->fn(n))
			return -1;
		per[i] = (now_ns() - t) * 1000 / n;	/* ns/1000 units */
	}
	qsort(per, BATCHES, sizeof(per[0]), cmp_u64);
	return per[0] / 1000.0;
}

static void set_paths(void)
{
	snprintf(path_dash, sizeof(path_dash), "%s/dash", dir);
	snprintf(path_bash, sizeof(path_bash), "%s/bash", dir);
	snprintf(path_bb, sizeof(path_bb), "%s/busybox", dir);
	snprintf(path_py, sizeof(path_py), "%s/python3", dir);
}

static const struct op *find(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(ops[i].name, name))
			return &ops[i];
	return 0;
}

int main(int argc, char **argv)
{
	const struct op *o;
	size_t i;
	double ns;
	int ret = 0;

	signal(SIGPIPE, SIG_IGN);
	if (argc == 3 && !strcmp(argv[1], "all")) {
		dir = argv[2];
		set_paths();
		for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
			if (!strcmp(ops[i].name, "pipe"))
				echo_start();
			ns = measure(&ops[i]);
			if (!strcmp(ops[i].name, "pipe"))
				echo_stop();
			if (ns < 0)
				printf("%s NA\n", ops[i].name);
			else
				printf("%s %.1f\n", ops[i].name, ns);
			fflush(stdout);
		}
		return 0;
	}
	if (argc == 5 && !strcmp(argv[1], "count") && (o = find(argv[2]))) {
		dir = argv[4];
		set_paths();
		if (o->fn == op_pipe)
			echo_start();
		ret = o->fn(strtoull(argv[3], 0, 10)) ? 1 : 0;
		if (o->fn == op_pipe)
			echo_stop();
		return ret;
	}
	fprintf(stderr, "usage: sysbench all DIR | sysbench count OP N DIR\n");
	return 2;
}
