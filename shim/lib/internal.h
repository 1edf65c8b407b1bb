/* SPDX-License-Identifier: Apache-2.0 */
#ifndef PARACELL_LIB_INTERNAL_H
#define PARACELL_LIB_INTERNAL_H

#include <sys/types.h>
#include <sys/uio.h>

#include <paracell/paracell.h>

/* iovecs one process_madvise takes (UIO_MAXIOV, the kernel's IOV_MAX). */
#define PMADVISE_MAX_IOV	1024

enum pmadvise_mode {
	PMADVISE_UNSET = 0,	/* decided at the first fallback batch */
	PMADVISE_OFF,		/* one madvise(2) per range */
	PMADVISE_ON,		/* process_madvise(2) on pidfd */
};

/* The fallback's process_madvise state (pmadvise.c). */
struct pmadvise {
	enum pmadvise_mode mode;
	int pidfd;			/* this process, or -1 */
	pid_t pid;			/* whom pidfd names */
	unsigned int fork_gen;		/* fork generation it was opened in */
	struct iovec *iov;		/* PMADVISE_MAX_IOV of them */
	unsigned int *index;		/* the entry each iovec stands for */
};

struct paracell_cell {
	enum paracell_backend backend;
	int fd;					/* cell fd, -1 on fallback */
	unsigned int flags;			/* PARACELL_OPEN_* */
	struct paracell_cell_stats stats;	/* fallback's own counters */
	struct paracell_fallback_stats fb;	/* fallback's syscalls */
	struct pmadvise pm;
};

int paracell_fallback_batch(struct paracell_cell *cell,
			    struct paracell_pager_entry *entries,
			    unsigned int count);

/* fallback.c: an entry's checks (0 or -errno) and its madvise(2). */
int64_t fallback_entry_check(const struct paracell_pager_entry *e);
int64_t fallback_entry_madvise(struct paracell_cell *cell,
			       const struct paracell_pager_entry *e);
int fallback_advice(uint32_t op);

/* pmadvise.c */
int pmadvise_ready(struct paracell_cell *cell);
unsigned int pmadvise_run(struct paracell_cell *cell,
			  struct paracell_pager_entry *entries,
			  unsigned int first, unsigned int count);
void pmadvise_close(struct paracell_cell *cell);

#endif
