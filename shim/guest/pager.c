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

#define CK_PAGER_MAX 64

static struct paracell_pager_entry pending[CK_PAGER_MAX];
static unsigned int npending;

void ck_pager_add(uint32_t op, uint64_t addr, uint64_t npages)
{
	if (!npages)
		return;
	if (npending == CK_PAGER_MAX)
		ck_pager_flush();
	pending[npending++] = (struct paracell_pager_entry){
		.op = op, .addr = addr, .npages = npages,
	};
}

void ck_pager_flush(void)
{
	struct paracell_pager_batch b = {
		.entries = (uint64_t)(uintptr_t)pending,
		.count = npending,
	};
	unsigned int i;

	if (!npending)
		return;
	ck_stats.pager_batches++;
	ck_stats.pager_entries += npending;
	if (ck_env.cell_fd >= 0) {
		ck_sys3(__NR_ioctl, ck_env.cell_fd, PARACELL_PAGER_BATCH, &b);
	} else {
		for (i = 0; i < npending; i++)
			ck_sys3(__NR_madvise, pending[i].addr,
				pending[i].npages * CK_PAGE,
				pending[i].op == PARACELL_PAGER_BIND ?
				MADV_POPULATE_WRITE : MADV_DONTNEED);
	}
	npending = 0;
}

void ck_pager_bind(uint64_t start, uint64_t len)
{
	if (len)
		ck_pager_add(PARACELL_PAGER_BIND, start, len / CK_PAGE);
}
