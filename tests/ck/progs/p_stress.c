// SPDX-License-Identifier: Apache-2.0
/*
 * p_stress N ROUNDS: exit_group while many threads are busy. Each round a
 * child starts N threads, a third each blocked in a read of a pipe that
 * never gets data, in nanosleep, and in a loop of getppid (a forwarded
 * call) and sched_yield; once all run, one of them (not main) calls
 * exit(3) (exit_group). The parent checks every child's status (exit 3,
 * not a signal: ck_abort would be SIGILL) and that no cell of the module
 * outlived its process (/sys/class/misc/paracell/live_cells, when there).
 * The same natively and under ck.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <pthread.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"

#define LIVE_CELLS "/sys/class/misc/paracell/live_cells"

static int pipefd[2];
static int started, nthreads;
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;

static void up(void)
{
	pthread_mutex_lock(&mu);
	started++;
	pthread_mutex_unlock(&mu);
}

static void *worker(void *arg)
{
	long kind = (long)arg % 3;
	struct timespec ts = { 10, 0 };
	char c;

	up();
	if (kind == 0)
		for (;;)
			if (read(pipefd[0], &c, 1) < 0 && errno != EINTR)
				break;
	if (kind == 1)
		for (;;)
			nanosleep(&ts, NULL);
	for (;;) {
		syscall(SYS_getppid);
		sched_yield();
	}
	return NULL;
}

static void *ender(void *arg)
{
	struct timespec ts = { 0, 1000000 };

	(void)arg;
	for (;;) {
		pthread_mutex_lock(&mu);
		if (started == nthreads) {
			pthread_mutex_unlock(&mu);
			break;
		}
		pthread_mutex_unlock(&mu);
		nanosleep(&ts, NULL);
	}
	nanosleep(&ts, NULL);
	exit(3);
}

static __attribute__((noreturn)) void child(int n)
{
	pthread_attr_t at;
	pthread_t t;
	long i;

	if (pipe(pipefd))
		fail_errno("pipe");
	nthreads = n;
	pthread_attr_init(&at);
	pthread_attr_setstacksize(&at, 64 * 1024);
	for (i = 0; i < n; i++)
		if (pthread_create(&t, &at, worker, (void *)i))
			fail_errno("pthread_create");
	if (pthread_create(&t, &at, ender, NULL))
		fail_errno("pthread_create");
	for (;;)
		pause();
}

static long live_cells(void)
{
	char buf[32];
	int fd = open(LIVE_CELLS, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = 0;
	return strtol(buf, NULL, 10);
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 64;
	int rounds = argc > 2 ? atoi(argv[2]) : 3;
	long before = live_cells(), after;
	int r, st, bad = 0;
	pid_t pid;

	for (r = 0; r < rounds; r++) {
		fflush(stdout);
		pid = fork();
		if (pid < 0)
			fail_errno("fork");
		if (pid == 0)
			child(n);
		if (waitpid(pid, &st, 0) != pid)
			fail_errno("waitpid");
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 3) {
			printf("round %d: status %#x, not exit 3\n", r, st);
			bad++;
		}
	}
	printf("%d rounds of exit_group with %d busy threads: %s\n", rounds, n,
	       bad ? "FAILED" : "every child exited 3");
	after = live_cells();
	printf("cells leaked: %s\n", after > before ? "yes" : "no");
	if (after > before)
		printf("live_cells %ld before, %ld after\n", before, after);
	return bad ? 1 : 0;
}
