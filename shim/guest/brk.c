// SPDX-License-Identifier: Apache-2.0
/*
 * brk, emulated in a 1 GiB reservation right after the program's data.
 * Pager policy: growth is bound at once, as much of it as the policy's
 * brk:N pages (8 by default, pager.c: the rest of a growth is left to
 * faults, since a program may never touch all it reserves); a shrink
 * unbinds at once.
 */
#include <linux/mman.h>

#include "ck.h"

#define BRK_MAX		(1ULL << 30)

int ck_brk_init(uint64_t start)
{
	long p;

	start = CK_ALIGN_UP(start, CK_PAGE);
	p = ck_sys6(__NR_mmap, (long)start, (long)BRK_MAX, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE |
		    MAP_FIXED_NOREPLACE, -1, 0);
	if (IS_ERR_VAL(p))
		return (int)p;
	ck_sys3(__NR_madvise, p, BRK_MAX, MADV_NOHUGEPAGE);
	ck_mm_add(start, start + BRK_MAX, PROT_NONE, R_BRK);
	ck_proc.brk_start = ck_proc.brk_cur = start;
	return 0;
}

long ck_sys_brk(struct ck_task *t, const long *a)
{
	uint64_t want = (uint64_t)a[0], old_pg, new_pg;

	(void)t;
	if (want < ck_proc.brk_start || want > ck_proc.brk_start + BRK_MAX)
		return (long)ck_proc.brk_cur;
	old_pg = CK_ALIGN_UP(ck_proc.brk_cur, CK_PAGE);
	new_pg = CK_ALIGN_UP(want, CK_PAGE);
	/* The program may unmap the reservation; ck may map there since. */
	if (ck_mm_overlaps_ck(old_pg < new_pg ? old_pg : new_pg,
			      old_pg < new_pg ? new_pg : old_pg))
		return (long)ck_proc.brk_cur;
	if (new_pg > old_pg) {
		/* Not over what the program mapped there since: Linux refuses. */
		if (ck_mm_kind_of(old_pg, new_pg) != R_BRK)
			return (long)ck_proc.brk_cur;
		if (ck_sys3(__NR_mprotect, old_pg, new_pg - old_pg,
			    PROT_READ | PROT_WRITE))
			return (long)ck_proc.brk_cur;
		ck_mm_set_prot(old_pg, new_pg, PROT_READ | PROT_WRITE);
		ck_pager_bind(old_pg, ck_pager_bind_len(CK_BIND_BRK,
							new_pg - old_pg));
	} else if (new_pg < old_pg) {
		ck_pager_add(PARACELL_PAGER_UNBIND, new_pg,
			     (old_pg - new_pg) / CK_PAGE);
		ck_pager_flush();
		ck_sys3(__NR_mprotect, new_pg, old_pg - new_pg, PROT_NONE);
		ck_mm_set_prot(new_pg, old_pg, PROT_NONE);
	}
	ck_proc.brk_cur = want;
	return (long)ck_proc.brk_cur;
}
