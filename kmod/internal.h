/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ParaCell cells: the module's context for one container kernel instance.
 */
#ifndef PARACELL_INTERNAL_H
#define PARACELL_INTERNAL_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/types.h>

#include <uapi/linux/paracell.h>

struct paracell_cell {
	/* One reference per open cell file, one per in-flight user. */
	struct kref ref;

	/* Counters; atomics, so no lock guards them. */
	atomic64_t batches;
	atomic64_t entries;
	atomic64_t pages_bound;
	atomic64_t pages_unbound;
	atomic64_t errors;
};

/* Cells alive in the whole module, shown in sysfs (live_cells). */
extern atomic_t paracell_live_cells;

int paracell_cell_create(const struct paracell_create_cell *req);
void paracell_cell_put(struct paracell_cell *cell);

long paracell_pager_batch(struct paracell_cell *cell,
			  struct paracell_pager_batch __user *ubatch);

#endif /* PARACELL_INTERNAL_H */
