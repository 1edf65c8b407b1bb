/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ParaCell cells: the module's context for one container kernel instance.
 */
#ifndef PARACELL_INTERNAL_H
#define PARACELL_INTERNAL_H

#include <linux/atomic.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <uapi/linux/paracell.h>

/*
 * Mutant builds, for tests only (make -C kmod mutants): built with
 * -DPARACELL_MUTANT=<n>, one check below is removed, so the test suite can
 * show that the test of that check fails without it. Normal builds compile
 * every paracell_mutant() to false.
 */
#define PARACELL_MUTANT_PKRU		1	/* no PKRU check */
#define PARACELL_MUTANT_OWNER		2	/* no owner-mm check */
#define PARACELL_MUTANT_SECOND_CELL	3	/* a 2nd cell per XGate mm */
#define PARACELL_MUTANT_PAGER_PKEY	4	/* Pager over K/K2 memory */
#define PARACELL_MUTANT_XGATE_KEYS	5	/* no pkey validation */
#define PARACELL_MUTANT_SEAL_SCAN	6	/* no scan of sealed code */
#define PARACELL_MUTANT_SEAL_PRIVATE	7	/* MAP_PRIVATE seals allowed */
#define PARACELL_MUTANT_SEAL_MAYWRITE	8	/* VM_MAYWRITE kept */
#define PARACELL_MUTANT_SEAL_SHARE_NS	9	/* seals shared across pid ns */
#define PARACELL_MUTANT_SEAL_LOOKUP_STAMP 10	/* lookup ignores the file's stat */
#ifdef PARACELL_MUTANT
#define paracell_mutant(n)	(PARACELL_MUTANT_##n == PARACELL_MUTANT)
#else
#define paracell_mutant(n)	0
#endif

struct paracell_seal_src;

struct paracell_cell {
	/* One reference per open cell file, one per in-flight user. */
	struct kref ref;

	/* Serializes PARACELL_SET_XGATE on this cell; taken before xgate_lock. */
	struct mutex lock;
	/*
	 * The XGate descriptor: written once under lock, then published by
	 * smp_store_release(&xgate_set) and read-only until the cell is freed.
	 */
	bool xgate_set;
	int pkey_k;
	int pkey_k2;
	u32 pkru_ck;
	struct mm_struct *owner;	/* mmgrab()ed while xgate_set */
	struct list_head xgate_node;	/* on paracell_xgate_cells */

	/* Guards seal_pending: a SEAL_LOOKUP miss held for SEAL_FILE. */
	struct mutex seal_lock;
	struct paracell_seal_src *seal_pending;

	/* Counters; atomics, so no lock guards them. */
	atomic64_t batches;
	atomic64_t entries;
	atomic64_t pages_bound;
	atomic64_t pages_unbound;
	atomic64_t errors;
	atomic64_t seals;
	atomic64_t sealed_bytes;
	atomic64_t seal_refusals;
	atomic64_t seals_shared;
	atomic64_t shared_bytes;
	atomic64_t seals_found;
	atomic64_t found_bytes;
};

/* Cells alive in the whole module, shown in sysfs (live_cells). */
extern atomic_t paracell_live_cells;

int paracell_cell_create(const struct paracell_create_cell *req);
void paracell_cell_get(struct paracell_cell *cell);
void paracell_cell_put(struct paracell_cell *cell);

long paracell_pager_batch(struct paracell_cell *cell,
			  struct paracell_pager_batch __user *ubatch);

/* xgate.c */
int paracell_xgate_check(struct paracell_cell *cell);
bool paracell_mm_has_xgate(struct mm_struct *mm);
bool paracell_xgate_pkey(const struct paracell_cell *cell, int pkey);
long paracell_set_xgate(struct paracell_cell *cell,
			struct paracell_xgate __user *uarg);
void paracell_xgate_release(struct paracell_cell *cell);

/* seal.c */
long paracell_seal(struct paracell_cell *cell,
		   struct paracell_seal __user *uarg);

/* sealfile.c */
long paracell_seal_lookup(struct paracell_cell *cell,
			  struct paracell_seal_file __user *uarg);
long paracell_seal_file(struct paracell_cell *cell,
			struct paracell_seal_file __user *uarg);
void paracell_seal_cell_release(struct paracell_cell *cell);

#endif /* PARACELL_INTERNAL_H */
