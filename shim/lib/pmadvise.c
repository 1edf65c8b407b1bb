// SPDX-License-Identifier: Apache-2.0
/*
 * The fallback's batched path: a run of entries with the same op as one
 * process_madvise(2) on a pidfd of this process.
 *
 * What the kernel does (mm/madvise.c): before 6.13, process_madvise takes
 * only the advice it allows on another process (MADV_COLD, MADV_PAGEOUT,
 * MADV_WILLNEED, MADV_COLLAPSE) and answers EINVAL to any other, even on
 * the caller itself; since 6.13 a pidfd whose mm is the caller's takes
 * every advice. It imports at most UIO_MAXIOV (1024) iovecs (more: EINVAL)
 * and cuts their lengths so the total stays within MAX_RW_COUNT; then it
 * advises them in order under one mmap lock and stops at the first that
 * fails, returning the bytes of the iovecs done before it, or that one's
 * error if there were none. So a run is cut at 1024 entries and at
 * MAX_RW_COUNT bytes, and what a call leaves undone is finished per range
 * (fallback.c), so each entry's result is exactly what madvise(2) gives it.
 *
 * A fork child inherits the parent's pidfd, which names the parent: an
 * atfork handler moves a generation on, and a cell opened in an older
 * generation closes its pidfd and opens its own before its next batch.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_process_madvise
#define SYS_process_madvise	440
#endif

/* The kernel's MAX_RW_COUNT (INT_MAX & PAGE_MASK). */
#define PMADVISE_MAX_BYTES	0x7ffff000ULL

/* 0 not probed yet, 1 the kernel takes our advice on self, -1 it does not. */
static atomic_int kernel_takes_advice;
static atomic_uint fork_gen;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void fork_child(void)
{
	atomic_fetch_add(&fork_gen, 1);
}

static void register_atfork(void)
{
	pthread_atfork(NULL, NULL, fork_child);
}

static long process_madvise_self(int pidfd, const struct iovec *iov,
				 size_t n, int advice)
{
	return syscall(SYS_process_madvise, pidfd, iov, n, advice, 0U);
}

/*
 * An empty vector with BIND's and UNBIND's advice: done (as nothing) by a
 * kernel that takes them from the caller, EINVAL from an older one. The
 * answer holds for the whole process, so it is asked once.
 */
static int probe(struct paracell_cell *cell, int pidfd)
{
	static const int advice[] = { MADV_POPULATE_WRITE, MADV_DONTNEED };
	struct iovec none = { NULL, 0 };
	int known = atomic_load(&kernel_takes_advice);
	size_t i;

	if (known)
		return known > 0;
	known = 1;
	for (i = 0; known > 0 && i < sizeof(advice) / sizeof(advice[0]); i++) {
		cell->fb.setup++;
		if (process_madvise_self(pidfd, &none, 1, advice[i]))
			known = -1;
	}
	atomic_store(&kernel_takes_advice, known);
	return known > 0;
}

static void drop_pidfd(struct paracell_cell *cell)
{
	if (cell->pm.pidfd >= 0) {
		cell->fb.setup++;
		close(cell->pm.pidfd);
		cell->pm.pidfd = -1;
	}
}

/* Opens this process's pidfd and asks the kernel; 1 if the path is on. */
static int setup(struct paracell_cell *cell)
{
	struct pmadvise *pm = &cell->pm;
	unsigned int gen;
	pid_t pid;
	int pidfd;

	if ((cell->flags & PARACELL_OPEN_PER_RANGE) ||
	    atomic_load(&kernel_takes_advice) < 0)
		return 0;
	pthread_once(&atfork_once, register_atfork);
	gen = atomic_load(&fork_gen);
	if (!pm->iov) {
		pm->iov = calloc(PMADVISE_MAX_IOV, sizeof(*pm->iov));
		pm->index = calloc(PMADVISE_MAX_IOV, sizeof(*pm->index));
		if (!pm->iov || !pm->index)
			return 0;
	}
	cell->fb.setup += 2;
	pid = getpid();
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0U);	/* O_CLOEXEC */
	if (pidfd < 0)
		return 0;
	pm->pidfd = pidfd;
	pm->pid = pid;
	pm->fork_gen = gen;
	if (probe(cell, pidfd))
		return 1;
	drop_pidfd(cell);
	return 0;
}

int pmadvise_ready(struct paracell_cell *cell)
{
	struct pmadvise *pm = &cell->pm;

	if (pm->mode == PMADVISE_ON && pm->fork_gen != atomic_load(&fork_gen)) {
		drop_pidfd(cell);	/* the parent's: never used here */
		pm->mode = PMADVISE_UNSET;
	}
	if (pm->mode == PMADVISE_UNSET)
		pm->mode = setup(cell) ? PMADVISE_ON : PMADVISE_OFF;
	return pm->mode == PMADVISE_ON;
}

/*
 * process_madvise failed on an entry madvise(2) then did: the call, not the
 * entry, is at fault. A pidfd of another process (a child made without
 * fork(3)) is replaced at the next batch; otherwise the cell stops trying.
 */
static void give_up(struct paracell_cell *cell)
{
	struct pmadvise *pm = &cell->pm;

	cell->fb.setup++;
	pm->mode = getpid() == pm->pid ? PMADVISE_OFF : PMADVISE_UNSET;
	drop_pidfd(cell);
}

/* Advises the run's n iovecs; every entry of the run gets its result. */
static void submit(struct paracell_cell *cell, struct paracell_pager_entry *e,
		   unsigned int n, int advice)
{
	struct pmadvise *pm = &cell->pm;
	struct paracell_pager_entry *bad;
	unsigned int k = 0;
	long done;

	while (k < n) {
		cell->fb.process_madvise++;
		done = process_madvise_self(pm->pidfd, pm->iov + k, n - k,
					    advice);
		for (; k < n && done >= (long)pm->iov[k].iov_len; k++) {
			done -= (long)pm->iov[k].iov_len;
			e[pm->index[k]].result = (int64_t)e[pm->index[k]].npages;
		}
		if (k == n)
			break;
		/* Stopped at iovec k: madvise(2) gives that entry's result. */
		bad = &e[pm->index[k++]];
		cell->fb.redone++;
		bad->result = fallback_entry_madvise(cell, bad);
		if (bad->result >= 0) {
			for (; k < n; k++)
				e[pm->index[k]].result =
					fallback_entry_madvise(cell,
							       &e[pm->index[k]]);
			give_up(cell);
		}
	}
}

unsigned int pmadvise_run(struct paracell_cell *cell,
			  struct paracell_pager_entry *e,
			  unsigned int first, unsigned int count)
{
	struct pmadvise *pm = &cell->pm;
	unsigned int i, n = 0;
	uint64_t bytes = 0, len;
	uint32_t op = 0;
	int64_t ret;

	for (i = first; i < count; i++) {
		ret = fallback_entry_check(&e[i]);
		if (ret) {
			e[i].result = ret;	/* no syscall: the run goes on */
			continue;
		}
		if (n && e[i].op != op)
			break;
		len = e[i].npages << 12;
		if (len > PMADVISE_MAX_BYTES) {
			/* More than one call takes: madvise(2) alone. */
			if (!n) {
				e[i].result = fallback_entry_madvise(cell,
								     &e[i]);
				i++;
			}
			break;
		}
		if (n == PMADVISE_MAX_IOV || bytes + len > PMADVISE_MAX_BYTES)
			break;
		op = e[i].op;
		pm->iov[n] = (struct iovec){
			.iov_base = (void *)(uintptr_t)e[i].addr,
			.iov_len = (size_t)len,
		};
		pm->index[n++] = i;
		bytes += len;
	}
	if (n)
		submit(cell, e, n, fallback_advice(op));
	return i;
}

void pmadvise_close(struct paracell_cell *cell)
{
	if (cell->pm.pidfd >= 0)
		close(cell->pm.pidfd);
	free(cell->pm.iov);
	free(cell->pm.index);
}
