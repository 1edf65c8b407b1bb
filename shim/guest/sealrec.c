// SPDX-License-Identifier: Apache-2.0
/*
 * Seals found by their file (docs/sealed-code.md): before ck reads a
 * file's code it asks the module (PARACELL_SEAL_LOOKUP) for the seal an
 * earlier ck recorded for the same file, offset, len and variant. Found,
 * the seal is mapped without reading, decoding, rewriting or copying, and
 * what ck keeps beside the sealed bytes is rebuilt from the notes stored
 * with it: the kind-1 sites and data pages (sites.c), the direct gate's
 * stub area at the same distance below the code (stubs.c). Missed, ck
 * does the work as before and seals with PARACELL_SEAL_FILE, which
 * records the seal with the notes if the file did not change meanwhile.
 *
 * The key's file part is the module's (the inode it holds, its stat):
 * nothing ck says decides which file a seal is found for. The variant is
 * ck's and names everything that changes the sealed bytes or the notes:
 * ck's build (CK_BUILD_ID, a hash of its sources), its mutant mask,
 * --no-direct, and how many bytes of the file were read (the loader reads
 * a segment's p_filesz and zero-fills the rest of its last page; mmap
 * reads whole pages). The notes are ck's own and checked as they are
 * read: a wrong note can only break the program, never run a byte the
 * module did not scan (a site is emulated only at an int $0x80 there).
 *
 * The fallback (no cell fd) has no records: nothing changes there.
 */
#include <linux/errno.h>

#include <paracell/scan.h>

#include "ck.h"

#ifndef CK_BUILD_ID_HI
#define CK_BUILD_ID_HI	0
#define CK_BUILD_ID_LO	0
#endif
#ifdef CK_MUTANT_MASK
#define MUTANTS	((uint64_t)(CK_MUTANT_MASK))
#else
#define MUTANTS	0ULL
#endif

#define NOTES_MAGIC	0x31736b63u	/* "cks1" */

/* The notes' head; then sites, data pages and direct sites (see below). */
struct head {
	uint32_t magic;
	uint32_t n[3];		/* CK_REC_SITES, _DATA, _DSITES */
	uint64_t dist, area;	/* CK_REC_DIST, _AREA */
};

/* One seal's notes at a time (under ck_proc's lock, as sealing is). */
static struct {
	struct head h;
	size_t len;		/* bytes after the head */
	int over;		/* too long: the seal is not recorded */
	uint8_t buf[PARACELL_SEAL_BLOB_MAX];
} notes CK_SCRATCH;	/* the pass's (ck.h) */

static int usable(const struct ck_code *c)
{
	return ck_env.cell_fd >= 0 && c->fd >= 0 && !ck_mutant(LOAD_SCAN) &&
	       !ck_mutant(SEAL_REREAD);
}

/*
 * The mutant SEAL_VARIANT leaves out what ck read and its options: the
 * loader's seal of a segment (zeros after p_filesz) is then found for an
 * mmap of the same pages (the file's bytes there).
 */
static void variant(const struct ck_code *c, __u64 v[4])
{
	v[0] = CK_BUILD_ID_HI;
	v[1] = CK_BUILD_ID_LO;
	v[2] = MUTANTS;
	v[3] = (c->fill ? c->fill : 1ULL << 40) |
	       (uint64_t)!!ck_env.no_direct << 63;
	if (ck_mutant(SEAL_VARIANT))
		v[3] = 0;
}

void ck_sealrec_begin(const struct ck_code *c)
{
	(void)c;
	memset(&notes.h, 0, sizeof(notes.h));
	notes.h.magic = NOTES_MAGIC;
	notes.len = sizeof(notes.h);
	notes.over = 0;
}

void ck_sealrec_put(const void *p, size_t n)
{
	if (notes.over || sizeof(notes.buf) - notes.len < n) {
		notes.over = 1;
		return;
	}
	memcpy(notes.buf + notes.len, p, n);
	notes.len += n;
}

void ck_sealrec_count(unsigned int what, uint64_t n)
{
	if (what < CK_REC_DIST)
		notes.h.n[what] = (uint32_t)n;
	else if (what == CK_REC_DIST)
		notes.h.dist = n;
	else
		notes.h.area = n;
}

/* ck_seal_map's seal of c->buf, recorded with the notes if they fit. */
long ck_sealrec_store(const struct ck_code *c, struct paracell_scan_hit *hit)
{
	struct paracell_seal_file req = {
		.size = sizeof(req), .fd = (int)c->fd, .offset = c->off,
		.len = c->len, .buf = (uint64_t)(uintptr_t)c->buf,
	};
	struct paracell_seal plain = {
		.buf = (uint64_t)(uintptr_t)c->buf, .len = c->len,
	};
	long fd;

	if (notes.over) {
		fd = ck_sys3(__NR_ioctl, ck_env.cell_fd, PARACELL_SEAL, &plain);
		hit->offset = plain.hit_offset;
		hit->kind = plain.hit_kind;
		return fd;
	}
	memcpy(notes.buf, &notes.h, sizeof(notes.h));
	variant(c, req.variant);
	req.blob = (uint64_t)(uintptr_t)notes.buf;
	req.blob_len = (uint32_t)notes.len;
	fd = ck_sys3(__NR_ioctl, ck_env.cell_fd, PARACELL_SEAL_FILE, &req);
	hit->offset = req.hit_offset;
	hit->kind = req.hit_kind;
	if (fd >= 0 && req.status == PARACELL_SEAL_FILE_STORED)
		CK_COUNT(seal_records, 1);
	return fd;
}

/* The sites and data pages of the notes at p (n bytes), checked; or -1. */
static long read_notes(const struct ck_code *c, const struct head *h,
		       const uint8_t *p, size_t n, struct ck_code_notes *out)
{
	size_t need = (size_t)h->n[0] * 20 + (size_t)h->n[1] * 4, o = 0;
	unsigned int i;
	uint32_t off;

	if (h->magic != NOTES_MAGIC || h->n[0] > CK_SITES_PER_SEAL ||
	    h->n[1] > CK_MAX_DATA || n < need || (!h->n[2] && n != need))
		return -1;
	out->nsites = h->n[0];
	out->ndata = h->n[1];
	for (i = 0; i < out->nsites; i++, o += 20) {
		struct ck_site *s = &out->sites[i];

		memcpy(&off, p + o, 4);
		s->len = p[o + 4];
		memcpy(s->bytes, p + o + 5, sizeof(s->bytes));
		if (s->len < 2 || s->len > sizeof(s->bytes) ||
		    off >= c->len || c->len - off < s->len)
			return -1;
		s->addr = c->addr + off;
	}
	for (i = 0; i < out->ndata; i++, o += 4) {
		memcpy(&off, p + o, 4);
		if (off % CK_PAGE || off >= c->len)
			return -1;
		out->data[i] = off;
	}
	return (long)o;
}

long ck_code_found(struct ck_code *c)
{
	static struct ck_code_notes n CK_SCRATCH;	/* ck_proc's lock; the pass's */
	struct paracell_seal_file req = {
		.size = sizeof(req), .fd = (int)c->fd, .offset = c->off,
		.len = c->len, .blob = (uint64_t)(uintptr_t)notes.buf,
		.blob_len = sizeof(notes.buf),
	};
	struct head h;
	uint64_t hit = 0;
	unsigned int kind = 0;
	long fd, o, ret;

	c->record = c->found = 0;
	if (!usable(c) ||
	    ck_mm_overlaps_ck(c->addr, c->addr + CK_ALIGN_UP(c->len, CK_PAGE)))
		return 0;	/* ck_seal_map refuses the latter */
	variant(c, req.variant);
	fd = ck_sys3(__NR_ioctl, ck_env.cell_fd, PARACELL_SEAL_LOOKUP, &req);
	if (fd < 0) {
		c->record = fd == -ENOENT &&
			    req.status == PARACELL_SEAL_FILE_STORABLE;
		return 0;
	}
	/* Found: the notes say what ck keeps beside the pages. */
	ret = -EINVAL;
	if (req.blob_len >= sizeof(h)) {
		memcpy(&h, notes.buf, sizeof(h));
		o = read_notes(c, &h, notes.buf + sizeof(h),
			       req.blob_len - sizeof(h), &n);
		if (o >= 0 && h.n[2])
			ret = ck_direct_replay(c, h.dist, h.area, h.n[2],
					       notes.buf + sizeof(h) + o,
					       req.blob_len - sizeof(h) -
					       (size_t)o);
		else if (o >= 0)
			ret = 0;
	}
	if (ret) {	/* not usable here: ck does the work, unrecorded */
		ck_sys1(__NR_close, fd);
		return 0;
	}
	c->found = 1;
	c->found_fd = fd;
	ret = ck_seal_map(c, R_CODE, &hit, &kind);
	c->found = 0;
	if (ret) {
		ck_direct_commit(c, 0);
		return 0;
	}
	CK_COUNT(seal_hits, 1);
	CK_COUNT(found_bytes, CK_ALIGN_UP(c->len, CK_PAGE));
	ret = ck_code_install(c, &n);
	return ret ? ret : 1;
}
