// SPDX-License-Identifier: Apache-2.0
/*
 * futex and futex_waitv: forwarded under the user PKRU, after a check of
 * every address each operation names. The user PKRU alone already stops
 * the kernel's reads of K and its writes to K or K2 (a futex word in K2 is
 * a selector); what it cannot stop is an operation that names an address
 * without touching it: a FUTEX_WAKE or a REQUEUE onto ck's own futex words
 * (ck_proc.lock in K) would steal or forge ck's wake-ups. So no address of
 * any operation may lie in ck's ranges: EFAULT, before the host sees it.
 * Unknown operations get Linux's ENOSYS without reaching the host.
 *
 * futex_waitv's waiters are copied once into the thread's pass buffer
 * (K2), checked there, and the host reads that copy: another thread
 * cannot change an address between the check and the call.
 */
#include <linux/errno.h>
#include <linux/futex.h>

#include "ck.h"

#ifndef FUTEX_LOCK_PI2
#define FUTEX_LOCK_PI2		13
#endif
#ifndef FUTEX_WAITV_MAX
#define FUTEX_WAITV_MAX		128
#endif
#define FUTEX_CMD_MASK_		(~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME))

/* The futex word at addr (4 bytes) in ck's ranges. */
static int ck_word(uint64_t addr)
{
	if (ck_mutant(FUTEX_ADDR))
		return 0;
	return addr + 4 < addr || ck_mm_overlaps_ck(addr, addr + 4);
}

long ck_sys_futex(struct ck_task *t, const long *a)
{
	int cmd = (int)a[1] & FUTEX_CMD_MASK_;
	int two;

	(void)t;
	switch (cmd) {
	case FUTEX_WAIT: case FUTEX_WAKE: case FUTEX_LOCK_PI:
	case FUTEX_UNLOCK_PI: case FUTEX_TRYLOCK_PI: case FUTEX_WAIT_BITSET:
	case FUTEX_WAKE_BITSET: case FUTEX_LOCK_PI2:
		two = 0;
		break;
	case FUTEX_REQUEUE: case FUTEX_CMP_REQUEUE: case FUTEX_WAKE_OP:
	case FUTEX_WAIT_REQUEUE_PI: case FUTEX_CMP_REQUEUE_PI:
		two = 1;
		break;
	default:	/* FUTEX_FD (gone since 2.6.26) and the unknown */
		return ck_refuse(-ENOSYS);
	}
	if (ck_word((uint64_t)a[0]) || (two && ck_word((uint64_t)a[4])))
		return ck_refuse(-EFAULT);
	return ck_forward_args(a, __NR_futex);
}

/* The kernel's struct futex_waitv. */
struct ck_waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

/* futex_waitv(waiters, nr, flags, timeout, clockid) */
long ck_sys_futex_waitv(struct ck_task *t, const long *a)
{
	struct ck_waitv *w = (struct ck_waitv *)t->cb->pass;
	long b[6] = { (long)w, a[1], a[2], a[3], a[4], 0 };
	unsigned long i, nr = (unsigned long)a[1];

	_Static_assert(FUTEX_WAITV_MAX * sizeof(struct ck_waitv) <=
		       CK_PASS_SIZE, "futex_waitv's waiters fit the pass buffer");
	/* The kernel's order: flags, then the count, then the copy. */
	if (a[2])
		return -EINVAL;
	if (!a[0] || !nr || nr > FUTEX_WAITV_MAX)
		return -EINVAL;
	if (ck_copy_from_user(w, (uint64_t)a[0], nr * sizeof(*w)))
		return -EFAULT;
	for (i = 0; i < nr; i++)
		if (ck_word(w[i].uaddr))
			return ck_refuse(-EFAULT);
	if (ck_mutant(FUTEX_ADDR))	/* the host reads the program's array */
		b[0] = a[0];
	return ck_forward_args(b, __NR_futex_waitv);
}
