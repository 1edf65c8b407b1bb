// SPDX-License-Identifier: Apache-2.0
/*
 * Memory for ck itself (K, K2 or KB: keyed, recorded as ck's, left out
 * of core dumps) and anonymous memory ck maps for the program (its stack,
 * data, altstacks), recorded in the region table; and ck's scratch
 * given back.
 */
#include <linux/errno.h>
#include <linux/mman.h>

#include "ck.h"

void *ck_kalloc(size_t len)
{
	return ck_kalloc_key(len, CK_PKEY_K);
}

int ck_no_dump(uint64_t start, uint64_t len)
{
	if (ck_mutant(DUMP))
		return 0;
	return (int)ck_sys3(__NR_madvise, start, len, MADV_DONTDUMP);
}

void *ck_kalloc_key(size_t len, int pkey)
{
	long p;

	len = CK_ALIGN_UP(len, CK_PAGE);
	p = ck_sys6(__NR_mmap, 0, (long)len, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (IS_ERR_VAL(p))
		return 0;
	/*
	 * Out of core dumps, as ck's data is; and recorded, or the range
	 * checks would not know it is ck's.
	 */
	if (ck_sys4(__NR_pkey_mprotect, p, len, PROT_READ | PROT_WRITE,
		    pkey) ||
	    ck_no_dump((uint64_t)p, len) ||
	    ck_mm_add((uint64_t)p, (uint64_t)p + len, PROT_READ | PROT_WRITE,
		      R_CK)) {
		ck_sys2(__NR_munmap, p, len);
		return 0;
	}
	return (void *)p;
}

long ck_map_user(uint64_t addr, uint64_t len, enum ck_kind kind, int fixed)
{
	int flags = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
	long p;

	len = CK_ALIGN_UP(len, CK_PAGE);
	if (fixed) {
		if (ck_mm_overlaps_ck(addr, addr + len))
			return -EPERM;
		flags |= MAP_FIXED;
	}
	p = ck_sys6(__NR_mmap, (long)addr, (long)len, PROT_READ | PROT_WRITE,
		    flags, -1, 0);
	if (IS_ERR_VAL(p))
		return p;
	ck_sys3(__NR_madvise, p, len, MADV_NOHUGEPAGE);
	ck_mm_add((uint64_t)p, (uint64_t)p + len, PROT_READ | PROT_WRITE, kind);
	return p;
}

/* scratch.ld's bounds: whole pages holding only CK_SCRATCH statics. */
extern char ck_scratch_lo[], ck_scratch_hi[];

void ck_scratch_release(void)
{
	uint64_t lo = (uint64_t)ck_scratch_lo, hi = (uint64_t)ck_scratch_hi;

	if (hi > lo)
		ck_sys3(__NR_madvise, (long)lo, (long)(hi - lo), MADV_DONTNEED);
}
