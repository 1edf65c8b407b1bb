// SPDX-License-Identifier: Apache-2.0
/*
 * The fallback backend: the Pager over madvise advice. BIND is
 * MADV_POPULATE_WRITE (Linux 5.14+), UNBIND is MADV_DONTNEED. Where the
 * kernel takes them from process_madvise(2) on the process itself (6.13+),
 * a run of entries with the same op goes in one call (pmadvise.c);
 * otherwise, and for what such a call leaves undone, one madvise(2) a range.
 * Entries are validated as the module validates them; what the fallback
 * cannot check cheaply is the kind of mapping: madvise accepts shared and
 * file-backed ranges the module refuses.
 */
#include <errno.h>
#include <stdint.h>
#include <sys/mman.h>

#include "internal.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

#define PAGE_SHIFT_4K	12
#define PAGE_SIZE_4K	(1ULL << PAGE_SHIFT_4K)
/* x86-64 user space with 4-level paging (the module uses TASK_SIZE). */
#define USER_TOP	0x00007ffffffff000ULL

int64_t fallback_entry_check(const struct paracell_pager_entry *e)
{
	if (e->flags)
		return -EINVAL;
	if (e->op != PARACELL_PAGER_BIND && e->op != PARACELL_PAGER_UNBIND)
		return -EINVAL;
	if (!e->npages || (e->addr & (PAGE_SIZE_4K - 1)))
		return -EINVAL;
	if (e->npages > (UINT64_MAX >> PAGE_SHIFT_4K) ||
	    e->addr + (e->npages << PAGE_SHIFT_4K) < e->addr)
		return -EINVAL;
	if (e->addr >= USER_TOP ||
	    e->npages > (USER_TOP - e->addr) >> PAGE_SHIFT_4K)
		return -ENOMEM;
	return 0;
}

int fallback_advice(uint32_t op)
{
	return op == PARACELL_PAGER_BIND ? MADV_POPULATE_WRITE : MADV_DONTNEED;
}

/* The per-range path: one checked entry, one madvise(2). */
int64_t fallback_entry_madvise(struct paracell_cell *cell,
			       const struct paracell_pager_entry *e)
{
	cell->fb.madvise++;
	if (madvise((void *)(uintptr_t)e->addr, e->npages << PAGE_SHIFT_4K,
		    fallback_advice(e->op)))
		return -errno;
	return (int64_t)e->npages;
}

static int64_t entry_run(struct paracell_cell *cell,
			 const struct paracell_pager_entry *e)
{
	int64_t ret = fallback_entry_check(e);

	return ret ? ret : fallback_entry_madvise(cell, e);
}

static void account(struct paracell_cell_stats *st,
		    const struct paracell_pager_entry *e)
{
	st->entries++;
	if (e->result < 0)
		st->errors++;
	else if (e->op == PARACELL_PAGER_BIND)
		st->pages_bound += (uint64_t)e->result;
	else
		st->pages_unbound += (uint64_t)e->result;
}

int paracell_fallback_batch(struct paracell_cell *cell,
			    struct paracell_pager_entry *entries,
			    unsigned int count)
{
	unsigned int i;

	if (count > PARACELL_PAGER_MAX_ENTRIES)
		return -E2BIG;
	if (!count)
		return 0;
	if (!entries)
		return -EFAULT;
	cell->stats.batches++;
	if (pmadvise_ready(cell))
		for (i = 0; i < count;)
			i = pmadvise_run(cell, entries, i, count);
	else
		for (i = 0; i < count; i++)
			entries[i].result = entry_run(cell, &entries[i]);
	for (i = 0; i < count; i++)
		account(&cell->stats, &entries[i]);
	return 0;
}

int paracell_fallback_stats(struct paracell_cell *cell,
			    struct paracell_fallback_stats *stats)
{
	if (cell->backend == PARACELL_BACKEND_FALLBACK)
		pmadvise_ready(cell);
	*stats = cell->fb;
	stats->vectored = cell->pm.mode == PMADVISE_ON;
	return 0;
}
