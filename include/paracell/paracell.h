/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libparacell: the userspace API of ParaCell for integrators.
 *
 * A cell is opened on the host module (/dev/paracell) when it is there, and
 * otherwise on the fallback backend, which does the same work with
 * MADV_POPULATE_WRITE and MADV_DONTNEED: one process_madvise(2) on the
 * process itself per run of entries with the same op where the kernel
 * takes those advices from it (Linux 6.13+), else one madvise(2) per range.
 * The fallback is also taken when the module answers EOPNOTSUPP (a kernel
 * it has no route for). paracell_cell_backend() says which one a cell uses.
 *
 * Every function returns 0 (or a count) on success and -errno on failure.
 */
#ifndef PARACELL_PARACELL_H
#define PARACELL_PARACELL_H

#include <stddef.h>
#include <stdint.h>
#include <linux/paracell.h>
#include <paracell/scan.h>

enum paracell_backend {
	PARACELL_BACKEND_MODULE = 1,
	PARACELL_BACKEND_FALLBACK = 2,
};

/* paracell_cell_open() flags */
#define PARACELL_OPEN_FALLBACK	0x1U	/* never use the module */
#define PARACELL_OPEN_PER_RANGE	0x2U	/* fallback: one madvise(2) per range */

struct paracell_cell;

/*
 * Opens a cell. devfd is an open /dev/paracell (not consumed), or -1 to open
 * PARACELL_DEVICE here; a missing device selects the fallback backend.
 */
int paracell_cell_open(struct paracell_cell **cellp, int devfd,
		       unsigned int flags);
void paracell_cell_close(struct paracell_cell *cell);

enum paracell_backend paracell_cell_backend(const struct paracell_cell *cell);
const char *paracell_backend_name(enum paracell_backend backend);
/* The cell fd, or -1 on the fallback backend. */
int paracell_cell_fd(const struct paracell_cell *cell);

/*
 * Runs one Pager batch; each entry's result gets the pages done or -errno,
 * exactly as PARACELL_PAGER_BATCH documents. Returns 0 when every entry has
 * its result, or -errno for the batch as a whole.
 */
int paracell_pager_batch(struct paracell_cell *cell,
			 struct paracell_pager_entry *entries,
			 unsigned int count);

int paracell_cell_stats(struct paracell_cell *cell,
			struct paracell_cell_stats *stats);

/*
 * What the fallback backend asked of the kernel, so syscalls per batch can
 * be measured: (process_madvise + madvise) / batches. setup counts the
 * one-time calls (pidfd_open, the probe, closing a pidfd a fork child
 * inherited). A run of entries the kernel stops short in is finished by
 * madvise, one entry each (redone), so results stay exact. vectored is 1
 * when the cell's batches go through process_madvise (known once the
 * fallback has been set up: this call sets it up on a fallback cell).
 */
struct paracell_fallback_stats {
	uint64_t process_madvise;	/* process_madvise(2) calls for entries */
	uint64_t madvise;		/* madvise(2) calls for entries */
	uint64_t setup;			/* pidfd_open, probe and close calls */
	uint64_t redone;		/* entries redone by madvise */
	uint32_t vectored;		/* 1: batches use process_madvise */
	uint32_t reserved;
};

int paracell_fallback_stats(struct paracell_cell *cell,
			    struct paracell_fallback_stats *stats);

/*
 * Sets the cell's XGate descriptor (PARACELL_SET_XGATE). On the fallback
 * backend there are no hypercalls to guard, so this only checks the keys'
 * shape and returns 0.
 */
int paracell_set_xgate(struct paracell_cell *cell, int pkey_k, int pkey_k2,
		       uint32_t pkru_ck);

/*
 * Seals len bytes of code and returns a seal fd, or -errno. The code is
 * scanned for WRPKRU, XRSTOR and WRFSBASE/WRGSBASE at every offset (and a
 * pattern cut off at the end of a page-aligned seal, which a neighbouring
 * seal could complete); a hit fails with -EPERM and, if hit is not NULL,
 * stores the first one there.
 *
 * Map a seal only with MAP_SHARED and PROT_READ | PROT_EXEC. On the module
 * every other mapping is refused. The fallback backend returns a memfd
 * sealed with F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL: its
 * shared mappings stay unwritable, but it cannot refuse MAP_PRIVATE, whose
 * pages could be made writable copies, so callers must never map it so.
 */
int paracell_seal(struct paracell_cell *cell, const void *code, size_t len,
		  struct paracell_scan_hit *hit);

#endif /* PARACELL_PARACELL_H */
