// SPDX-License-Identifier: Apache-2.0
/*
 * ck's side of the Pager: what ck decides is about to be used or is free
 * is collected while it handles one program syscall and sent as one
 * PARACELL_PAGER_BATCH before the program runs again (or at once, where
 * the order matters). Without the module the fallback does the same with
 * one madvise(2) a range.
 */
#include <linux/mman.h>

#include "ck.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

void ck_pager_add(uint32_t op, uint64_t addr, uint64_t npages)
{
	if (!npages)
		return;
	if (ck_proc.npager == CK_PAGER_MAX)
		ck_pager_flush();
	ck_proc.pager[ck_proc.npager++] = (struct paracell_pager_entry){
		.op = op, .addr = addr, .npages = npages,
	};
}

static void pager_flush(void)
{
	struct paracell_pager_batch b = {
		.entries = (uint64_t)(uintptr_t)ck_proc.pager,
		.count = ck_proc.npager,
	};
	unsigned int i;

	if (!ck_proc.npager)
		return;
	CK_COUNT(pager_batches, 1);
	CK_COUNT(pager_entries, ck_proc.npager);
	if (ck_env.cell_fd >= 0) {
		ck_sys3(__NR_ioctl, ck_env.cell_fd, PARACELL_PAGER_BATCH, &b);
	} else {
		for (i = 0; i < ck_proc.npager; i++)
			ck_sys3(__NR_madvise, ck_proc.pager[i].addr,
				ck_proc.pager[i].npages * CK_PAGE,
				ck_proc.pager[i].op == PARACELL_PAGER_BIND ?
				MADV_POPULATE_WRITE : MADV_DONTNEED);
	}
	ck_proc.npager = 0;
}

void ck_pager_bind(uint64_t start, uint64_t len)
{
	if (len)
		ck_pager_add(PARACELL_PAGER_BIND, start, len / CK_PAGE);
}

void ck_pager_flush(void)
{
	ck_proc_lock();
	pager_flush();
	ck_proc_unlock();
}
