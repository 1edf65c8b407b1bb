// SPDX-License-Identifier: Apache-2.0
/*
 * vfork and posix_spawn (issue #11): what makes a vfork a vfork, checked
 * the same way natively and under ck.
 * p_vfork vfork   vfork(): the child writes the parent's memory (shared,
 *                 not a copy), sleeps, then _exits; the parent resumes
 *                 only after that (suspended) and sees the writes.
 * p_vfork clone   clone(CLONE_VM|CLONE_VFORK) on a stack of the caller's,
 *                 the same checks, and CLONE_PARENT_SETTID written.
 * p_vfork exec    vfork + execve of this program ("show"), the parent
 *                 resumes once the child has exec'd (the child's write of
 *                 the flag before its exec is seen).
 * p_vfork spawn   posix_spawn (musl: clone(CLONE_VM|CLONE_VFORK)) of this
 *                 program with file actions (stdout onto a pipe, a close,
 *                 an open), attributes (sigmask, sigdefault, pgroup), 20
 *                 times, the parent's own SIGUSR2 handler still there
 *                 after (the children reset it for themselves); a
 *                 missing program (ENOENT back from the child);
 *                 posix_spawnp through PATH.
 * p_vfork thread  a vfork from a program with a second thread: only the
 *                 calling thread waits, the other keeps running.
 * p_vfork show ARGS...  prints its arguments, its pgid relation and mask.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"

extern char **environ;

static volatile int shared_word;
static char self[4096];

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int wait_status(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		fail_errno("waitpid");
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int do_vfork(void)
{
	pid_t pid;

	shared_word = 1;
	pid = vfork();
	if (pid < 0)
		fail_errno("vfork");
	if (pid == 0) {
		shared_word = 2;
		nap(100);
		shared_word = 3;
		_exit(7);
	}
	printf("vfork: parent resumed with word %d (3: shared and suspended)\n",
	       shared_word);
	printf("vfork: child exited %d\n", wait_status(pid));
	return 0;
}

static int clone_child(void *arg)
{
	(void)arg;
	shared_word = 20;
	nap(100);
	shared_word = 21;
	return 9;
}

static int do_clone(void)
{
	static char stack[65536] __attribute__((aligned(16)));
	pid_t ptid = 0;
	int pid;

	shared_word = 0;
	pid = clone(clone_child, stack + sizeof(stack),
		    CLONE_VM | CLONE_VFORK | CLONE_PARENT_SETTID | SIGCHLD,
		    NULL, &ptid);
	if (pid < 0)
		fail_errno("clone");
	printf("clone: parent resumed with word %d, parent tid %s\n",
	       shared_word, ptid == pid ? "written" : "NOT written");
	printf("clone: child exited %d\n", wait_status(pid));
	return 0;
}

static int do_exec(void)
{
	char *argv[] = { "child", "show", "from-vfork", NULL };
	pid_t pid;
	int word, st;

	shared_word = 0;
	fflush(stdout);
	pid = vfork();
	if (pid < 0)
		fail_errno("vfork");
	if (pid == 0) {
		shared_word = 5;
		execve(self, argv, environ);
		_exit(127);
	}
	word = shared_word;
	st = wait_status(pid);
	printf("exec: parent resumed with word %d\n", word);
	printf("exec: child exited %d\n", st);
	return 0;
}

/* A spawn of this program in show mode, its stdout read through a pipe. */
static void spawn_once(int i, int verbose)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	char num[16], out[512];
	char *argv[] = { "child", "show", num, NULL };
	sigset_t mask, def;
	int p[2], ret, st;
	ssize_t n, got = 0;
	pid_t pid;

	snprintf(num, sizeof(num), "spawn-%d", i);
	if (pipe(p))
		fail_errno("pipe");
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_addclose(&fa, p[0]);
	posix_spawn_file_actions_addopen(&fa, 5, "/dev/null", O_RDONLY, 0);
	posix_spawnattr_init(&at);
	sigemptyset(&mask);
	sigaddset(&mask, SIGUSR1);
	sigemptyset(&def);
	sigaddset(&def, SIGUSR2);
	posix_spawnattr_setsigmask(&at, &mask);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK |
				 POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
	ret = posix_spawn(&pid, self, &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(p[1]);
	if (ret) {
		printf("posix_spawn: %s\n", strerror(ret));
		close(p[0]);
		return;
	}
	while ((n = read(p[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += n;
	close(p[0]);
	out[got] = 0;
	st = wait_status(pid);
	if (verbose || st)
		printf("spawn %d: status %d, said: %s", i, st, out);
}

static volatile sig_atomic_t got_usr2;

static void on_usr2(int sig)
{
	(void)sig;
	got_usr2 = 1;
}

static int do_spawn(void)
{
	char *argv[] = { "nothing", NULL };
	char *pargv[] = { "p_vfork", "show", "via-path", NULL };
	char path[4200], *slash;
	pid_t pid;
	int i, ret;

	/* The spawn child resets handled signals to SIG_DFL: its own. */
	signal(SIGUSR2, on_usr2);
	for (i = 0; i < 20; i++)
		spawn_once(i, i == 0 || i == 19);
	raise(SIGUSR2);
	printf("the parent's SIGUSR2 handler after the spawns: %s\n",
	       got_usr2 ? "ran" : "GONE");
	ret = posix_spawn(&pid, "/nonexistent/program", NULL, NULL, argv,
			  environ);
	printf("spawn of a missing program: %s\n", ret ? strerror(ret) : "ok?");
	if (!ret)
		wait_status(pid);
	/* posix_spawnp, the program found through PATH. */
	strcpy(path, self);
	slash = strrchr(path, '/');
	*slash = 0;
	setenv("PATH", path, 1);
	fflush(stdout);
	ret = posix_spawnp(&pid, "p_vfork", NULL, NULL, pargv, environ);
	if (ret)
		printf("posix_spawnp: %s\n", strerror(ret));
	else
		printf("posix_spawnp: child exited %d\n", wait_status(pid));
	return 0;
}

static volatile int spinning = 1;
static volatile unsigned long spins;

static void *spinner(void *arg)
{
	(void)arg;
	while (spinning) {
		spins++;
		sched_yield();
	}
	return NULL;
}

static int do_thread(void)
{
	pthread_t th;
	unsigned long before, during;
	pid_t pid;

	if (pthread_create(&th, NULL, spinner, NULL))
		fail_errno("pthread_create");
	while (!spins)
		sched_yield();
	pid = vfork();
	if (pid < 0)
		fail_errno("vfork");
	if (pid == 0) {
		before = spins;
		nap(200);
		during = spins - before;
		shared_word = during > 0;
		_exit(0);
	}
	printf("thread: the other thread ran while the vfork child slept: %s\n",
	       shared_word ? "yes" : "no");
	spinning = 0;
	pthread_join(th, NULL);
	printf("thread: child exited %d\n", wait_status(pid));
	return 0;
}

static int show(int argc, char **argv)
{
	sigset_t cur;
	int i;

	sigprocmask(SIG_BLOCK, NULL, &cur);
	printf("show:");
	for (i = 0; i < argc; i++)
		printf(" %s", argv[i]);
	printf(" (own pgid %s, SIGUSR1 %s)\n",
	       getpgid(0) == getpid() ? "yes" : "no",
	       sigismember(&cur, SIGUSR1) ? "blocked" : "not blocked");
	return 0;
}

int main(int argc, char **argv)
{
	/* AT_EXECFN: the path it was run by (absolute: the harness's). */
	snprintf(self, sizeof(self), "%s", (const char *)getauxval(AT_EXECFN));
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc >= 2 && !strcmp(argv[1], "show"))
		return show(argc - 2, argv + 2);
	if (argc == 2 && !strcmp(argv[1], "vfork"))
		return do_vfork();
	if (argc == 2 && !strcmp(argv[1], "clone"))
		return do_clone();
	if (argc == 2 && !strcmp(argv[1], "exec"))
		return do_exec();
	if (argc == 2 && !strcmp(argv[1], "spawn"))
		return do_spawn();
	if (argc == 2 && !strcmp(argv[1], "thread"))
		return do_thread();
	fprintf(stderr, "usage: p_vfork vfork|clone|exec|spawn|thread\n");
	return 2;
}
