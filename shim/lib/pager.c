// SPDX-License-Identifier: Apache-2.0
/* Pager batches: one ioctl on the module, else the fallback backend. */
#include <errno.h>
#include <stdint.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

int paracell_pager_batch(struct paracell_cell *cell,
			 struct paracell_pager_entry *entries,
			 unsigned int count)
{
	struct paracell_pager_batch b = {
		.entries = (uint64_t)(uintptr_t)entries,
		.count = count,
	};

	if (cell->backend == PARACELL_BACKEND_MODULE) {
		if (ioctl(cell->fd, PARACELL_PAGER_BATCH, &b) == 0)
			return 0;
		if (errno != EOPNOTSUPP)
			return -errno;
		/* No unbind route on this kernel: the whole cell falls back. */
		cell->backend = PARACELL_BACKEND_FALLBACK;
	}
	return paracell_fallback_batch(cell, entries, count);
}
