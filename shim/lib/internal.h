/* SPDX-License-Identifier: Apache-2.0 */
#ifndef PARACELL_LIB_INTERNAL_H
#define PARACELL_LIB_INTERNAL_H

#include <paracell/paracell.h>

struct paracell_cell {
	enum paracell_backend backend;
	int fd;					/* cell fd, -1 on fallback */
	struct paracell_cell_stats stats;	/* fallback's own counters */
};

int paracell_fallback_batch(struct paracell_cell *cell,
			    struct paracell_pager_entry *entries,
			    unsigned int count);

#endif
