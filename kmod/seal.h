/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Sealed pages, shared between seal.c (sealing, sharing equal bytes) and
 * sealfile.c (finding a file's seal again).
 */
#ifndef PARACELL_SEAL_H
#define PARACELL_SEAL_H

#include <crypto/sha2.h>
#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <paracell/scan.h>

struct paracell_cell;
struct paracell_seal_src;

/* Sealed pages, shared by the seal fds of the same bytes in one pid ns. */
struct paracell_seal_pages {
	struct kref ref;		/* one per seal fd, one per lookup */
	struct hlist_node node;		/* in the table once scanned */
	struct pid_namespace *ns;	/* counted reference */
	u8 digest[SHA256_DIGEST_SIZE];
	struct page **pages;
	unsigned long npages;
	struct paracell_seal_src *src;	/* the file they were sealed from */
};

extern struct mutex paracell_seal_mutex;

int paracell_seal_pages_new(struct paracell_cell *cell, u64 ubuf, u64 len,
			    u32 *hit_kind, u64 *hit_offset,
			    struct paracell_seal_pages **spp, bool *shared);
void paracell_seal_pages_put(struct paracell_seal_pages *sp);
int paracell_seal_fd(struct paracell_cell *cell,
		     struct paracell_seal_pages *sp, u64 len, bool shared);

/* sealfile.c: a file record leaves its table (mutex held), then is freed. */
void paracell_seal_src_unlink(struct paracell_seal_src *src);
void paracell_seal_src_free(struct paracell_seal_src *src);

#endif /* PARACELL_SEAL_H */
