// SPDX-License-Identifier: Apache-2.0
/*
 * p_timers: the timers deliver, each handler the number of times asked.
 * alarm (and its return value when cancelled), setitimer REAL, VIRTUAL
 * and PROF (getitimer too), POSIX timers: SIGEV_SIGNAL with a value
 * (si_code SI_TIMER, si_value, timer_gettime, timer_getoverrun,
 * timer_delete), SIGEV_THREAD_ID to one chosen thread, SIGEV_THREAD
 * (musl's helper thread), SIGEV_NONE, and timerfd (settime, gettime,
 * read's expiration count). Prints what it sees.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <time.h>

#include "common.h"

#define TICK_NS	5000000L	/* 5 ms */

static volatile sig_atomic_t n_alrm, n_vt, n_prof, n_usr1, bad_info;
static volatile int thread_tid, wrong_thread, n_thr;

static void on_alrm(int sig)
{
	(void)sig;
	n_alrm++;
}

static void on_vt(int sig)
{
	(void)sig;
	n_vt++;
}

static void on_prof(int sig)
{
	(void)sig;
	n_prof++;
}

static void on_usr1(int sig, siginfo_t *si, void *uc)
{
	(void)sig;
	(void)uc;
	if (si->si_code != SI_TIMER || si->si_value.sival_int != 4242)
		bad_info = 1;
	n_usr1++;
}

static void on_usr2(int sig)
{
	(void)sig;
	if (syscall(SYS_gettid) != thread_tid)
		wrong_thread = 1;
	n_thr++;
}

static void set(int sig, void *fn, int flags)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fn;
	sa.sa_flags = flags;
	sigemptyset(&sa.sa_mask);
	check(sigaction(sig, &sa, NULL) == 0, "sigaction");
}

/* Waits (in pause or a busy loop) until *count reaches n; 10 s at most. */
static void wait_for(volatile sig_atomic_t *count, int n, int busy)
{
	time_t t0 = time(NULL);
	volatile unsigned long spin = 0;

	while (*count < n && time(NULL) - t0 < 10) {
		if (busy)
			spin++;
		else
			pause();
	}
}

static void itimers(void)
{
	struct itimerval it = { { 0, TICK_NS / 1000 }, { 0, TICK_NS / 1000 } };
	struct itimerval off = { { 0, 0 }, { 0, 0 } }, cur;
	unsigned int left;

	set(SIGALRM, on_alrm, 0);
	check(alarm(100) == 0, "alarm");
	left = alarm(0);
	printf("alarm: cancelled with %s left\n", left > 90 ? "~100 s" : "?");
	alarm(1);
	wait_for(&n_alrm, 1, 0);
	printf("alarm: handler ran %d time(s)\n", (int)n_alrm);

	n_alrm = 0;
	check(setitimer(ITIMER_REAL, &it, NULL) == 0, "setitimer REAL");
	check(getitimer(ITIMER_REAL, &cur) == 0, "getitimer");
	printf("ITIMER_REAL: interval %ld us\n", (long)cur.it_interval.tv_usec);
	wait_for(&n_alrm, 5, 0);
	setitimer(ITIMER_REAL, &off, NULL);
	printf("ITIMER_REAL: %s\n", n_alrm >= 5 ? "5 or more" : "too few");

	set(SIGVTALRM, on_vt, SA_RESTART);
	check(setitimer(ITIMER_VIRTUAL, &it, NULL) == 0, "setitimer VIRTUAL");
	wait_for(&n_vt, 3, 1);
	setitimer(ITIMER_VIRTUAL, &off, NULL);
	printf("ITIMER_VIRTUAL: %s\n", n_vt >= 3 ? "3 or more" : "too few");

	set(SIGPROF, on_prof, SA_RESTART);
	check(setitimer(ITIMER_PROF, &it, NULL) == 0, "setitimer PROF");
	wait_for(&n_prof, 3, 1);
	setitimer(ITIMER_PROF, &off, NULL);
	printf("ITIMER_PROF: %s\n", n_prof >= 3 ? "3 or more" : "too few");
}

static void posix_signal(void)
{
	struct sigevent ev;
	struct itimerspec its = { { 0, TICK_NS }, { 0, TICK_NS } }, cur;
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };
	timer_t tm;

	set(SIGUSR1, on_usr1, SA_SIGINFO);
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGUSR1;
	ev.sigev_value.sival_int = 4242;
	check(timer_create(CLOCK_MONOTONIC, &ev, &tm) == 0, "timer_create");
	check(timer_settime(tm, 0, &its, NULL) == 0, "timer_settime");
	check(timer_gettime(tm, &cur) == 0, "timer_gettime");
	printf("SIGEV_SIGNAL: interval %ld ns\n", cur.it_interval.tv_nsec);
	wait_for(&n_usr1, 5, 0);
	timer_settime(tm, 0, &off, NULL);
	printf("SIGEV_SIGNAL: %s, siginfo %s, overrun %s\n",
	       n_usr1 >= 5 ? "5 or more" : "too few",
	       bad_info ? "wrong" : "SI_TIMER with the value",
	       timer_getoverrun(tm) >= 0 ? ">= 0" : "error");
	check(timer_delete(tm) == 0, "timer_delete");
	printf("timer_delete: then timer_gettime %s\n",
	       timer_gettime(tm, &cur) < 0 && errno == EINVAL ? "EINVAL" :
	       "no error");
}

static volatile int thr_stop;

static void *target(void *arg)
{
	(void)arg;
	thread_tid = (int)syscall(SYS_gettid);
	while (!thr_stop)
		pause();
	return NULL;
}

static void thread_id(void)
{
	struct sigevent ev;
	struct itimerspec its = { { 0, TICK_NS }, { 0, TICK_NS } };
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };
	sigset_t s;
	pthread_t th;
	timer_t tm;

	set(SIGUSR2, on_usr2, 0);
	check(pthread_create(&th, NULL, target, NULL) == 0, "pthread_create");
	while (!thread_tid)
		sched_yield();
	/* This thread blocks it: only the chosen one may take it. */
	sigemptyset(&s);
	sigaddset(&s, SIGUSR2);
	pthread_sigmask(SIG_BLOCK, &s, NULL);
	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD_ID;
	ev.sigev_signo = SIGUSR2;
	ev.sigev_notify_thread_id = thread_tid;
	check(timer_create(CLOCK_MONOTONIC, &ev, &tm) == 0,
	      "timer_create THREAD_ID");
	check(timer_settime(tm, 0, &its, NULL) == 0, "timer_settime");
	{
		time_t t0 = time(NULL);

		while (n_thr < 5 && time(NULL) - t0 < 10)
			sched_yield();
	}
	timer_settime(tm, 0, &off, NULL);
	timer_delete(tm);
	printf("SIGEV_THREAD_ID: %s, %s\n", n_thr >= 5 ? "5 or more" : "too few",
	       wrong_thread ? "a wrong thread" : "always the chosen thread");
	thr_stop = 1;
	pthread_kill(th, SIGUSR2);	/* ends its pause */
	pthread_join(th, NULL);
	ev.sigev_notify_thread_id = 1;	/* not a thread of this process */
	printf("SIGEV_THREAD_ID to a foreign tid: %s\n",
	       timer_create(CLOCK_MONOTONIC, &ev, &tm) < 0 && errno == EINVAL ?
	       "EINVAL" : "accepted");
	pthread_sigmask(SIG_UNBLOCK, &s, NULL);
}

static volatile int n_cb;

static void callback(union sigval v)
{
	if (v.sival_int == 77)
		__atomic_add_fetch(&n_cb, 1, __ATOMIC_SEQ_CST);
}

static void thread_notify(void)
{
	struct sigevent ev;
	struct itimerspec its = { { 0, TICK_NS }, { 0, TICK_NS } };
	struct itimerspec off = { { 0, 0 }, { 0, 0 } };
	struct timespec tick = { 0, TICK_NS };
	time_t t0 = time(NULL);
	timer_t tm;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_THREAD;
	ev.sigev_notify_function = callback;
	ev.sigev_value.sival_int = 77;
	check(timer_create(CLOCK_MONOTONIC, &ev, &tm) == 0,
	      "timer_create THREAD");
	check(timer_settime(tm, 0, &its, NULL) == 0, "timer_settime");
	while (__atomic_load_n(&n_cb, __ATOMIC_SEQ_CST) < 3 &&
	       time(NULL) - t0 < 10)
		nanosleep(&tick, NULL);
	timer_settime(tm, 0, &off, NULL);
	timer_delete(tm);
	printf("SIGEV_THREAD: callback %s\n",
	       n_cb >= 3 ? "3 or more times" : "too few times");

	ev.sigev_notify = SIGEV_NONE;
	check(timer_create(CLOCK_MONOTONIC, &ev, &tm) == 0, "timer_create NONE");
	its.it_value.tv_sec = 100;
	check(timer_settime(tm, 0, &its, NULL) == 0, "timer_settime NONE");
	check(timer_gettime(tm, &its) == 0, "timer_gettime NONE");
	printf("SIGEV_NONE: %s\n", its.it_value.tv_sec >= 90 ? "armed, ~100 s" :
	       "wrong");
	timer_delete(tm);
}

static void timerfd(void)
{
	struct itimerspec its = { { 0, TICK_NS }, { 0, TICK_NS } }, cur;
	uint64_t exp, total = 0;
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);

	check(fd >= 0, "timerfd_create");
	check(timerfd_settime(fd, 0, &its, NULL) == 0, "timerfd_settime");
	check(timerfd_gettime(fd, &cur) == 0, "timerfd_gettime");
	printf("timerfd: interval %ld ns\n", cur.it_interval.tv_nsec);
	while (total < 3) {
		check(read(fd, &exp, sizeof(exp)) == sizeof(exp), "read timerfd");
		total += exp;
	}
	printf("timerfd: %s expirations\n", total >= 3 ? "3 or more" : "too few");
	close(fd);
}

int main(void)
{
	itimers();
	posix_signal();
	thread_id();
	thread_notify();
	timerfd();
	return 0;
}
