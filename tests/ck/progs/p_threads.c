// SPDX-License-Identifier: Apache-2.0
/*
 * p_threads MODE [N]: musl's pthreads, whose pthread_create is clone with
 * CLONE_VM|CLONE_THREAD|CLONE_SETTLS|CLONE_PARENT_SETTID|
 * CLONE_CHILD_CLEARTID, and whose join waits on the CLEARTID futex.
 *   sync N   N threads: create/join, a mutex-guarded counter, a condvar
 *            hand-off and a barrier (output deterministic)
 *   exit N   N threads call pthread_exit while the others (and main,
 *            through its own pthread_exit, last) still run
 *   group    a thread ends the process with exit(5) while others block
 *   tids     gettid differs per thread, set_tid_address and ptid agree
 */
#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common.h"

#define ROUNDS 1000

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t bar;
static long counter;
static int turn;
static int nthreads;

static void *worker(void *arg)
{
	long id = (long)arg;
	int i;

	for (i = 0; i < ROUNDS; i++) {
		pthread_mutex_lock(&mu);
		counter++;
		pthread_mutex_unlock(&mu);
	}
	/* Each thread in turn, by id, through the condvar. */
	pthread_mutex_lock(&mu);
	while (turn != id)
		pthread_cond_wait(&cv, &mu);
	turn++;
	pthread_cond_broadcast(&cv);
	pthread_mutex_unlock(&mu);
	pthread_barrier_wait(&bar);
	return (void *)(id * 2);
}

static int do_sync(int n)
{
	pthread_t th[128];
	long i, sum = 0;
	void *r;

	nthreads = n;
	check(pthread_barrier_init(&bar, NULL, n) == 0, "barrier_init");
	for (i = 0; i < n; i++)
		check(pthread_create(&th[i], NULL, worker, (void *)i) == 0,
		      "pthread_create");
	for (i = 0; i < n; i++) {
		check(pthread_join(th[i], &r) == 0, "pthread_join");
		sum += (long)r;
	}
	printf("threads=%d counter=%ld turn=%d sum=%ld\n", n, counter, turn,
	       sum);
	return 0;
}

static void *sleeper(void *arg)
{
	long id = (long)arg;

	usleep(1000 * (id % 7));
	if (id % 2)
		pthread_exit((void *)id);
	return (void *)id;
}

static int do_exit(int n)
{
	pthread_t th[128];
	long i;

	for (i = 0; i < n; i++)
		check(pthread_create(&th[i], NULL, sleeper, (void *)i) == 0,
		      "pthread_create");
	for (i = 0; i < n; i++)
		check(pthread_detach(th[i]) == 0, "detach");
	printf("main exits first, %d threads run on\n", n);
	fflush(stdout);
	pthread_exit(NULL);
}

static void *ender(void *arg)
{
	(void)arg;
	usleep(20000);
	printf("a thread calls exit(5)\n");
	exit(5);
}

static void *blocker(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int do_group(void)
{
	pthread_t a, b[4];
	int i;

	for (i = 0; i < 4; i++)
		check(pthread_create(&b[i], NULL, blocker, NULL) == 0, "create");
	check(pthread_create(&a, NULL, ender, NULL) == 0, "create");
	pthread_join(a, NULL);
	return 1;
}

static void *tidw(void *arg)
{
	*(long *)arg = syscall(SYS_gettid);
	return NULL;
}

static int do_tids(void)
{
	long t1 = 0, t2 = 0, me = syscall(SYS_gettid);
	pthread_t a, b;

	check(pthread_create(&a, NULL, tidw, &t1) == 0, "create");
	check(pthread_create(&b, NULL, tidw, &t2) == 0, "create");
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	printf("distinct tids: %d, main is pid: %d\n",
	       t1 && t2 && t1 != t2 && t1 != me && t2 != me,
	       me == getpid());
	return 0;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 4;

	check(argc >= 2 && n > 0 && n <= 128, "usage: p_threads MODE [N]");
	if (strcmp(argv[1], "sync") == 0)
		return do_sync(n);
	if (strcmp(argv[1], "exit") == 0)
		return do_exit(n);
	if (strcmp(argv[1], "group") == 0)
		return do_group();
	if (strcmp(argv[1], "tids") == 0)
		return do_tids();
	check(0, "unknown mode");
	return 2;
}
