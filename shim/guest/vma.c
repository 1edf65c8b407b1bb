// SPDX-License-Identifier: Apache-2.0
/*
 * The region table (DESIGN.md section 5): ck records every mapping of the
 * address space, sorted: its own (R_CK: image, K and K2 memory, altstacks,
 * vDSO) and the program's, with prot and kind, as the kernel would merge
 * its VMAs. Memory syscalls refuse what touches R_CK ranges; ck_user_ok
 * lets ck read and write program memory only where the program has that
 * right, so no program pointer can make ck touch its own memory.
 */
#include <linux/errno.h>
#include <linux/mman.h>

#include "ck.h"


/* Removes [start, end) from the table, splitting regions at the edges. */
void ck_mm_remove(uint64_t start, uint64_t end)
{
	struct ck_proc *p = &ck_proc;
	unsigned int i, j;

	for (i = 0; i < p->nregions; i++) {
		struct ck_region *r = &p->regions[i];

		if (r->end <= start || r->start >= end)
			continue;
		if (r->start < start && r->end > end) {
			if (p->nregions == CK_MAX_REGIONS)
				ck_die(134, "region table full");
			memmove(r + 1, r, (p->nregions - i) * sizeof(*r));
			p->nregions++;
			r->end = start;
			r[1].start = end;
			return;
		}
		if (r->start < start) {
			r->end = start;
		} else if (r->end > end) {
			r->start = end;
		} else {
			for (j = i; j + 1 < p->nregions; j++)
				p->regions[j] = p->regions[j + 1];
			p->nregions--;
			i--;
		}
	}
}

/*
 * Adjacent (a just below b) program records with the same prot and kind.
 * ck's own records stay apart: ck_mm_region_of() finds the start-up
 * stack as the one line of /proc/self/maps it was.
 */
static int same(const struct ck_region *a, const struct ck_region *b)
{
	return a->end == b->start && a->prot == b->prot &&
	       a->kind == b->kind && a->kind != R_CK;
}

/* Removes record i, whose range the record below it takes up to end. */
static void drop(unsigned int i, uint64_t end)
{
	struct ck_proc *p = &ck_proc;
	p->regions[i - 1].end = end;
	memmove(&p->regions[i], &p->regions[i + 1],
		(p->nregions - i - 1) * sizeof(p->regions[0]));
	p->nregions--;
}

int ck_mm_add(uint64_t start, uint64_t end, int prot, enum ck_kind kind)
{
	struct ck_proc *p = &ck_proc;
	unsigned int i;

	ck_mm_remove(start, end);
	if (p->nregions == CK_MAX_REGIONS)
		return -ENOMEM;
	for (i = 0; i < p->nregions && p->regions[i].start < start; i++)
		;
	memmove(&p->regions[i + 1], &p->regions[i],
		(p->nregions - i) * sizeof(p->regions[0]));
	p->regions[i] = (struct ck_region){ start, end, prot, kind };
	p->nregions++;
	/* One record for neighbours alike, as the kernel merges its VMAs. */
	if (i + 1 < p->nregions && same(&p->regions[i], &p->regions[i + 1]))
		drop(i + 1, p->regions[i + 1].end);
	if (i > 0 && same(&p->regions[i - 1], &p->regions[i]))
		drop(i, p->regions[i].end);
	return 0;
}

int ck_mm_overlaps_ck(uint64_t start, uint64_t end)
{
	struct ck_proc *p = &ck_proc;
	unsigned int i;

	if (ck_mutant(CK_RANGES))
		return 0;
	for (i = 0; i < p->nregions; i++)
		if (p->regions[i].kind == R_CK && p->regions[i].start < end &&
		    p->regions[i].end > start)
			return 1;
	return 0;
}

/*
 * The kind shared by all of [start, end), or R_FREE if mixed or partly
 * unmapped; but R_CODE if sealed code lies anywhere in it, so that code's
 * rules (never writable, never moved) cover a range that mixes it in, and
 * else R_JIT if JIT code does (never moved; writable only unsealed).
 */
enum ck_kind ck_mm_kind_of(uint64_t start, uint64_t end)
{
	struct ck_proc *p = &ck_proc;
	enum ck_kind kind = R_FREE;
	uint64_t at = start;
	int mixed = 0, code = 0, jit = 0;
	unsigned int i;

	for (i = 0; i < p->nregions; i++) {
		if (p->regions[i].end <= start || p->regions[i].start >= end)
			continue;
		code |= p->regions[i].kind == R_CODE;
		jit |= p->regions[i].kind == R_JIT;
		if (p->regions[i].start > at ||
		    (kind != R_FREE && p->regions[i].kind != kind))
			mixed = 1;
		kind = p->regions[i].kind;
		at = p->regions[i].end;
	}
	if (code)
		return R_CODE;
	if (jit)
		return R_JIT;
	return mixed || at < end ? R_FREE : kind;
}

void ck_mm_set_prot(uint64_t start, uint64_t end, int prot)
{
	struct ck_proc *p = &ck_proc;
	unsigned int i;

	for (i = 0; i < p->nregions; i++) {
		struct ck_region r = p->regions[i];

		if (r.end <= start || r.start >= end || r.prot == prot)
			continue;
		if (r.start < start)
			ck_mm_add(r.start, start, r.prot, r.kind);
		if (r.end > end)
			ck_mm_add(end, r.end, r.prot, r.kind);
		ck_mm_add(r.start > start ? r.start : start,
			  r.end < end ? r.end : end, prot, r.kind);
		i = 0;
	}
}

int ck_mm_region_of(uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	struct ck_proc *p = &ck_proc;
	unsigned int i;

	for (i = 0; i < p->nregions; i++) {
		if (p->regions[i].start <= addr && addr < p->regions[i].end) {
			*lo = p->regions[i].start;
			*hi = p->regions[i].end;
			return 0;
		}
	}
	return -ENOENT;
}

/* The prot of the record holding addr (0 if none). */
int ck_mm_prot_at(uint64_t addr)
{
	struct ck_proc *p = &ck_proc;
	unsigned int i;
	int prot = 0;

	for (i = 0; i < p->nregions; i++)
		if (p->regions[i].start <= addr && p->regions[i].end > addr)
			prot = p->regions[i].prot;
	return prot;
}

static int user_ok(uint64_t addr, uint64_t len, int prot)
{
	struct ck_proc *p = &ck_proc;
	uint64_t at = addr, end = addr + len;
	unsigned int i;

	if (end < addr)
		return 0;
	for (i = 0; i < p->nregions && at < end; i++) {
		/* x86 page tables have no write-only: writable reads too */
		int have = p->regions[i].prot |
			   (p->regions[i].prot & PROT_WRITE ? PROT_READ : 0);

		if (p->regions[i].end <= at)
			continue;
		/* These mutants take ck's ranges for the program's. */
		if (p->regions[i].start > at ||
		    (p->regions[i].kind == R_CK ?
		     !(ck_mutant(USER_PKRU) || ck_mutant(USER_OK)) :
		     (have & prot) != prot))
			return 0;
		at = p->regions[i].end;
	}
	return at >= end;
}

int ck_user_ok(uint64_t addr, uint64_t len, int prot)
{
	int ok;

	ck_proc_lock();
	ok = user_ok(addr, len, prot);
	ck_proc_unlock();
	return ok;
}
