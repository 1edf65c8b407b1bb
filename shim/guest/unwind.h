/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The kind of a forbidden pattern in a file's code, from the file's
 * unwind table (unwind.c). Freestanding: built into ck and on the host.
 */
#ifndef CK_UNWIND_H
#define CK_UNWIND_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#ifdef CK_H
#include "rt.h"
#else
#include <string.h>
#endif

enum ck_site_kind {
	CK_SITE_INSN = 1,	/* kind 1: a real instruction at its start */
	CK_SITE_INSIDE = 2,	/* kind 2: inside another instruction */
	CK_SITE_NOCODE = 3,	/* kind 3: no function's range holds it */
};

#define CK_ELFVIEW_LOADS	16

struct ck_load_span {
	uint64_t off, vaddr, filesz;
};

/* A function's [lo, hi), from its FDE. */
struct ck_fde_range {
	uint64_t lo, hi;
};

/* A file as ck reads it: PT_LOADs and the .eh_frame_hdr table. */
struct ck_elfview {
	/* Reads n bytes at file offset off: 0, or non-zero if it cannot. */
	long (*read)(void *ctx, uint64_t off, void *buf, size_t n);
	void *ctx;
	struct ck_load_span loads[CK_ELFVIEW_LOADS];
	unsigned int nloads;
	uint64_t hdr_va;	/* .eh_frame_hdr */
	uint32_t fdes;		/* entries in its table (0: none usable) */
	/*
	 * Without a table (static glibc programs: no PT_GNU_EH_FRAME), the
	 * .eh_frame section itself, found by the section headers and walked
	 * entry by entry (frame_len 0: none either, nothing is proven).
	 */
	uint64_t frame_va, frame_len;
	/*
	 * Or a table ck built from that section (ck_elfview_sort_frames,
	 * for the direct gate's many lookups): searched when nranges > 0.
	 */
	const struct ck_fde_range *ranges;
	uint32_t nranges;
};

/* Reads the headers: 0, or -1 if the file is no 64-bit ELF. */
int ck_elfview_init(struct ck_elfview *v);
/* The vaddr the file's byte at off is loaded at, or -1. */
int64_t ck_elfview_vaddr(const struct ck_elfview *v, uint64_t off);
/*
 * A file without a table but with its .eh_frame section: every FDE's range
 * into out (at most max), sorted by lo, in one walk of the section. The
 * count, or -1 if an entry cannot be read or there are more than max.
 * The caller then sets v->ranges and v->nranges.
 */
int ck_elfview_sort_frames(const struct ck_elfview *v,
			   struct ck_fde_range *out, uint32_t max);
/* The [lo, hi) range of the function (FDE) holding va: 0, else -1. */
int ck_elfview_fde(const struct ck_elfview *v, uint64_t va, uint64_t *lo,
		   uint64_t *hi);
/*
 * 1 if no function's range (FDE) meets [lo, hi): data only, as far as
 * the table says; 0 if one does, or there is no table.
 */
int ck_elfview_data_only(const struct ck_elfview *v, uint64_t lo,
			 uint64_t hi);
/*
 * The kind of the pattern at buf[hit]; buf (len bytes) holds the file's
 * bytes from offset boff. CK_SITE_INSN: the instruction is at buf[*start],
 * decoded in *insn; CK_SITE_INSIDE: the instruction holding the pattern's
 * first byte, decoded from its function's start, is at buf[*start] (in
 * *insn), or *start is (size_t)-1 if the decode did not reach it.
 */
int ck_site_classify(const struct ck_elfview *v, const uint8_t *buf,
		     size_t len, uint64_t boff, size_t hit, size_t *start,
		     struct ck_insn *insn);

#endif
