// SPDX-License-Identifier: Apache-2.0
/*
 * p_futex: every futex operation, and futex_waitv, with their results
 * (return values and errnos), which must be the same natively and under
 * ck: WAIT (value mismatch, timeout, woken), WAKE, REQUEUE, CMP_REQUEUE,
 * WAKE_OP, WAIT_BITSET/WAKE_BITSET (a bitset that misses, one that hits),
 * the PI ops (LOCK_PI, TRYLOCK_PI, UNLOCK_PI, LOCK_PI2, CMP_REQUEUE_PI and
 * WAIT_REQUEUE_PI), futex_waitv (timeout, woken), and the refusals Linux
 * makes (FUTEX_FD and unknown ops: ENOSYS; CLOCK_REALTIME on plain WAIT:
 * ENOSYS; a NULL uaddr: EFAULT; an unaligned one: EINVAL).
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sys/syscall.h>
#include <time.h>

#include "common.h"

/* <linux/futex.h>'s values (musl-gcc sees no kernel headers here). */
#define FUTEX_WAIT		0
#define FUTEX_WAKE		1
#define FUTEX_REQUEUE		3
#define FUTEX_CMP_REQUEUE	4
#define FUTEX_WAKE_OP		5
#define FUTEX_LOCK_PI		6
#define FUTEX_UNLOCK_PI		7
#define FUTEX_TRYLOCK_PI	8
#define FUTEX_WAIT_BITSET	9
#define FUTEX_WAKE_BITSET	10
#define FUTEX_WAIT_REQUEUE_PI	11
#define FUTEX_CMP_REQUEUE_PI	12
#define FUTEX_LOCK_PI2		13
#define FUTEX_PRIVATE_FLAG	128
#define FUTEX_CLOCK_REALTIME	256
#define P(op)			((op) | FUTEX_PRIVATE_FLAG)
#define FUTEX_WAIT_PRIVATE	P(FUTEX_WAIT)
#define FUTEX_WAKE_PRIVATE	P(FUTEX_WAKE)
#define FUTEX_REQUEUE_PRIVATE	P(FUTEX_REQUEUE)
#define FUTEX_CMP_REQUEUE_PRIVATE P(FUTEX_CMP_REQUEUE)
#define FUTEX_WAKE_OP_PRIVATE	P(FUTEX_WAKE_OP)
#define FUTEX_LOCK_PI_PRIVATE	P(FUTEX_LOCK_PI)
#define FUTEX_UNLOCK_PI_PRIVATE	P(FUTEX_UNLOCK_PI)
#define FUTEX_TRYLOCK_PI_PRIVATE P(FUTEX_TRYLOCK_PI)
#define FUTEX_WAIT_BITSET_PRIVATE P(FUTEX_WAIT_BITSET)
#define FUTEX_WAKE_BITSET_PRIVATE P(FUTEX_WAKE_BITSET)
#define FUTEX_WAIT_REQUEUE_PI_PRIVATE P(FUTEX_WAIT_REQUEUE_PI)
#define FUTEX_CMP_REQUEUE_PI_PRIVATE P(FUTEX_CMP_REQUEUE_PI)
#define FUTEX_TID_MASK		0x3fffffff
#define FUTEX_OP_ADD		1
#define FUTEX_OP_CMP_EQ		0
#define FUTEX_OP(op, oparg, cmp, cmparg) \
	((((op) & 0xf) << 28) | (((cmp) & 0xf) << 24) | \
	 (((oparg) & 0xfff) << 12) | ((cmparg) & 0xfff))

static long fx(volatile uint32_t *u, int op, uint32_t val, long val2,
	       volatile uint32_t *u2, uint32_t val3)
{
	return syscall(SYS_futex, u, op, val, val2, u2, val3);
}

static void show(const char *what, long ret)
{
	if (ret == -1)
		printf("%s: -1 %s\n", what, strerror(errno));
	else
		printf("%s: %ld\n", what, ret);
}

static void nap(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static volatile uint32_t w1, w2;
static volatile long waited[4];

struct wait_arg {
	volatile uint32_t *word;
	int op;
	uint32_t bits;
	int slot;
};

static void *waiter(void *p)
{
	struct wait_arg *a = p;

	waited[a->slot] = fx(a->word, a->op, 0, 0, NULL, a->bits);
	return NULL;
}

/* n waiters on word (op, bitset), started and given time to sleep. */
static void start(pthread_t *th, struct wait_arg *args, int n,
		  volatile uint32_t *word, int op, uint32_t bits)
{
	int i;

	for (i = 0; i < n; i++) {
		args[i] = (struct wait_arg){ word, op, bits, i };
		waited[i] = -2;
		if (pthread_create(&th[i], NULL, waiter, &args[i]))
			fail_errno("pthread_create");
	}
	nap(100);
}

static void join(pthread_t *th, int n)
{
	int i;

	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
}

struct waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

static void *waitv_waker(void *p)
{
	(void)p;
	nap(100);
	fx(&w2, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
	return NULL;
}

static void plain_ops(void)
{
	struct timespec ts = { 0, 20 * 1000 * 1000 };
	struct wait_arg args[4];
	pthread_t th[4];

	w1 = 1;
	show("WAIT on a changed value", fx(&w1, FUTEX_WAIT_PRIVATE, 0,
					   (long)&ts, NULL, 0));
	w1 = 0;
	show("WAIT timing out", fx(&w1, FUTEX_WAIT_PRIVATE, 0, (long)&ts,
				   NULL, 0));
	show("WAKE with no waiter", fx(&w1, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));

	start(th, args, 2, &w1, FUTEX_WAIT_PRIVATE, 0);
	show("WAKE of two waiters", fx(&w1, FUTEX_WAKE_PRIVATE, 5, 0, NULL, 0));
	join(th, 2);
	printf("their WAITs returned %ld %ld\n", waited[0], waited[1]);

	start(th, args, 3, &w1, FUTEX_WAIT_PRIVATE, 0);
	show("REQUEUE (wake 1, move 2)",
	     fx(&w1, FUTEX_REQUEUE_PRIVATE, 1, 2, &w2, 0));
	show("WAKE on the second word", fx(&w2, FUTEX_WAKE_PRIVATE, 5, 0,
					    NULL, 0));
	join(th, 3);

	start(th, args, 2, &w1, FUTEX_WAIT_PRIVATE, 0);
	show("CMP_REQUEUE with a wrong value",
	     fx(&w1, FUTEX_CMP_REQUEUE_PRIVATE, 0, 2, &w2, 1));
	show("CMP_REQUEUE (wake 0, move 2)",
	     fx(&w1, FUTEX_CMP_REQUEUE_PRIVATE, 0, 2, &w2, 0));
	show("WAKE on the second word", fx(&w2, FUTEX_WAKE_PRIVATE, 5, 0,
					    NULL, 0));
	join(th, 2);

	start(th, args, 1, &w1, FUTEX_WAIT_PRIVATE, 0);
	w2 = 5;
	show("WAKE_OP (ADD 3 to the second word, wake if it was 5)",
	     fx(&w1, FUTEX_WAKE_OP_PRIVATE, 1, 1, &w2,
		FUTEX_OP(FUTEX_OP_ADD, 3, FUTEX_OP_CMP_EQ, 5)));
	printf("second word now %u\n", w2);
	join(th, 1);
	w2 = 0;

	start(th, args, 1, &w1, FUTEX_WAIT_BITSET_PRIVATE, 0x0f);
	show("WAKE_BITSET that misses", fx(&w1, FUTEX_WAKE_BITSET_PRIVATE, 1,
					    0, NULL, 0xf0));
	show("WAKE_BITSET that hits", fx(&w1, FUTEX_WAKE_BITSET_PRIVATE, 1, 0,
					  NULL, 0x01));
	join(th, 1);
	printf("its WAIT_BITSET returned %ld\n", waited[0]);
	show("WAIT_BITSET with bitset 0", fx(&w1, FUTEX_WAIT_BITSET_PRIVATE, 0,
					      0, NULL, 0));
}

static void pi_ops(void)
{
	uint32_t tid = (uint32_t)syscall(SYS_gettid);

	w1 = 0;
	show("LOCK_PI of a free word", fx(&w1, FUTEX_LOCK_PI_PRIVATE, 0, 0,
					  NULL, 0));
	printf("word holds our tid: %s\n", (w1 & FUTEX_TID_MASK) == tid ?
	       "yes" : "no");
	show("TRYLOCK_PI held by us", fx(&w1, FUTEX_TRYLOCK_PI_PRIVATE, 0, 0,
					 NULL, 0));
	show("UNLOCK_PI", fx(&w1, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, NULL, 0));
	printf("word after unlock: %u\n", w1);
	show("UNLOCK_PI not ours", fx(&w1, FUTEX_UNLOCK_PI_PRIVATE, 0, 0,
				      NULL, 0));
	show("LOCK_PI2", fx(&w1, FUTEX_LOCK_PI2 | FUTEX_PRIVATE_FLAG, 0, 0,
			    NULL, 0));
	show("UNLOCK_PI", fx(&w1, FUTEX_UNLOCK_PI_PRIVATE, 0, 0, NULL, 0));
	/* The requeue-PI pair: uaddr == uaddr2 is EINVAL in both. */
	show("WAIT_REQUEUE_PI onto itself",
	     fx(&w1, FUTEX_WAIT_REQUEUE_PI_PRIVATE, 0, 0, &w1, 0));
	show("CMP_REQUEUE_PI with nr_wake 2",
	     fx(&w1, FUTEX_CMP_REQUEUE_PI_PRIVATE, 2, 0, &w2, 0));
	show("CMP_REQUEUE_PI, no waiter",
	     fx(&w1, FUTEX_CMP_REQUEUE_PI_PRIVATE, 1, 0, &w2, 0));
}

static void waitv_ops(void)
{
	struct waitv v[2] = {
		{ 0, (uintptr_t)&w1, 0x02 | 128, 0 },
		{ 0, (uintptr_t)&w2, 0x02 | 128, 0 },
	};
	struct timespec abs;
	pthread_t th;

	w1 = w2 = 0;
	clock_gettime(CLOCK_MONOTONIC, &abs);
	abs.tv_nsec += 20 * 1000 * 1000;
	if (abs.tv_nsec >= 1000000000L) {
		abs.tv_sec++;
		abs.tv_nsec -= 1000000000L;
	}
	show("futex_waitv timing out",
	     syscall(449, v, 2, 0, &abs, CLOCK_MONOTONIC));
	if (pthread_create(&th, NULL, waitv_waker, NULL))
		fail_errno("pthread_create");
	show("futex_waitv woken on its second word",
	     syscall(449, v, 2, 0, NULL, 0));
	pthread_join(th, NULL);
	show("futex_waitv with no waiters", syscall(449, v, 0, 0, NULL, 0));
	show("futex_waitv with flags", syscall(449, v, 2, 1, NULL, 0));
	show("futex_waitv with a NULL array", syscall(449, NULL, 1, 0, NULL, 0));
	show("futex_waitv of a changed value",
	     (w1 = 3, syscall(449, v, 2, 0, NULL, 0)));
}

static void refusals(void)
{
	struct timespec ts = { 0, 1000 };

	show("FUTEX_FD", fx(&w1, 2, 0, 0, NULL, 0));
	show("op 14", fx(&w1, 14, 0, 0, NULL, 0));
	show("op 99", fx(&w1, 99 | FUTEX_PRIVATE_FLAG, 0, 0, NULL, 0));
	show("WAIT with CLOCK_REALTIME",
	     fx(&w1, FUTEX_WAIT | FUTEX_CLOCK_REALTIME, 0, (long)&ts, NULL, 0));
	show("WAKE of a NULL word", fx(NULL, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0));
	show("WAIT on a NULL word", fx(NULL, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0));
	show("WAKE of an unaligned word",
	     fx((volatile uint32_t *)((char *)&w1 + 1), FUTEX_WAKE_PRIVATE, 1,
		0, NULL, 0));
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	plain_ops();
	pi_ops();
	waitv_ops();
	refusals();
	return 0;
}
