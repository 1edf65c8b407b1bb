// SPDX-License-Identifier: GPL-2.0-only
/*
 * The Pager: batched BIND and UNBIND of the caller's private anonymous
 * memory (DESIGN.md section 3).
 *
 * BIND faults the range in as a write fault would (get_user_pages with
 * FOLL_WRITE and no page array), so the first touches take no fault; the
 * pages stay ordinary anonymous pages, charged to the caller's memory
 * cgroup. UNBIND zaps them as MADV_DONTNEED does. Each entry is checked as a
 * whole under mmap_lock before anything is done, so an ineligible entry is
 * never half-done, and no entry can stop or hide another.
 */
#include <linux/mm.h>
#include <linux/pkeys.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "internal.h"

static bool paracell_vma_eligible(struct vm_area_struct *vma, u32 op)
{
	if (!vma_is_anonymous(vma))
		return false;
	if (vma->vm_flags & (VM_SHARED | VM_IO | VM_PFNMAP | VM_MIXEDMAP |
			     VM_HUGETLB))
		return false;
	if (op == PARACELL_PAGER_UNBIND && (vma->vm_flags & VM_LOCKED))
		return false;
	return true;
}

/*
 * Caller holds mmap_lock. Returns 0 if [start, end) is wholly eligible:
 * -ENOMEM for a hole, -EPERM for the container kernel's own memory (pkey K
 * or K2: an UNBIND there would refault it as zeros), -EINVAL for a mapping
 * of the wrong kind.
 */
static int paracell_range_check(struct paracell_cell *cell,
				struct mm_struct *mm, unsigned long start,
				unsigned long end, u32 op)
{
	unsigned long addr = start;
	struct vm_area_struct *vma;

	while (addr < end) {
		vma = find_vma(mm, addr);
		if (!vma || vma->vm_start > addr)
			return -ENOMEM;
		if (paracell_xgate_pkey(cell, vma_pkey(vma)))
			return -EPERM;
		if (!paracell_vma_eligible(vma, op))
			return -EINVAL;
		addr = vma->vm_end;
	}
	return 0;
}

/* Caller holds mmap_lock for reading. */
static int paracell_bind(unsigned long start, unsigned long npages)
{
	long done;

	while (npages) {
		if (fatal_signal_pending(current))
			return -EINTR;
		done = paracell_gup_write(start, npages);
		if (done < 0)
			return done;
		if (done == 0)
			return -EFAULT;
		start += done << PAGE_SHIFT;
		npages -= done;
	}
	return 0;
}

/* Caller holds mmap_lock for reading and has checked the whole range. */
static int paracell_unbind(struct mm_struct *mm, unsigned long start,
			   unsigned long end)
{
	struct vm_area_struct *vma;
	unsigned long addr = start;
	unsigned long seg_end;

	while (addr < end) {
		vma = find_vma(mm, addr);
		if (WARN_ON_ONCE(!vma || vma->vm_start > addr))
			return -ENOMEM;
		seg_end = min(end, vma->vm_end);
		paracell_zap(vma, addr, seg_end - addr);
		addr = seg_end;
	}
	return 0;
}

/* Returns the pages done, or -errno; never affects other entries. */
static long paracell_pager_entry(struct paracell_cell *cell,
				 const struct paracell_pager_entry *e)
{
	struct mm_struct *mm = current->mm;
	unsigned long start, end;
	int ret;

	if (e->flags)
		return -EINVAL;
	if (e->op != PARACELL_PAGER_BIND && e->op != PARACELL_PAGER_UNBIND)
		return -EINVAL;
	if (!e->npages || offset_in_page(e->addr))
		return -EINVAL;
	if (e->npages > (U64_MAX >> PAGE_SHIFT) ||
	    e->addr + (e->npages << PAGE_SHIFT) < e->addr)
		return -EINVAL;
	if (e->addr >= TASK_SIZE || e->npages > (TASK_SIZE - e->addr) >> PAGE_SHIFT)
		return -ENOMEM;

	start = e->addr;
	end = start + (e->npages << PAGE_SHIFT);
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	ret = paracell_range_check(cell, mm, start, end, e->op);
	if (ret)
		goto out_unlock;
	if (e->op == PARACELL_PAGER_BIND)
		ret = paracell_bind(start, e->npages);
	else
		ret = paracell_unbind(mm, start, end);
out_unlock:
	mmap_read_unlock(mm);
	return ret ? ret : (long)e->npages;
}

static void paracell_account(struct paracell_cell *cell,
			     const struct paracell_pager_entry *e)
{
	atomic64_inc(&cell->entries);
	if (e->result < 0)
		atomic64_inc(&cell->errors);
	else if (e->op == PARACELL_PAGER_BIND)
		atomic64_add(e->result, &cell->pages_bound);
	else
		atomic64_add(e->result, &cell->pages_unbound);
}

static bool paracell_batch_unsupported(const struct paracell_pager_entry *ents,
				       u32 count)
{
	u32 i;

	if (PARACELL_HAVE_UNBIND)
		return false;
	for (i = 0; i < count; i++)
		if (ents[i].op == PARACELL_PAGER_UNBIND)
			return true;
	return false;
}

long paracell_pager_batch(struct paracell_cell *cell,
			  struct paracell_pager_batch __user *ubatch)
{
	struct paracell_pager_entry __user *uents;
	struct paracell_pager_entry *ents;
	struct paracell_pager_batch b;
	long ret = 0;
	u32 i;

	if (!current->mm)
		return -EINVAL;
	if (copy_from_user(&b, ubatch, sizeof(b)))
		return -EFAULT;
	if (b.flags || b.reserved[0] || b.reserved[1])
		return -EINVAL;
	if (b.count > PARACELL_PAGER_MAX_ENTRIES)
		return -E2BIG;
	if (!b.count)
		return 0;

	uents = u64_to_user_ptr(b.entries);
	ents = kvmalloc_array(b.count, sizeof(*ents), GFP_KERNEL);
	if (!ents)
		return -ENOMEM;
	if (copy_from_user(ents, uents, array_size(b.count, sizeof(*ents)))) {
		ret = -EFAULT;
		goto out_free;
	}
	if (paracell_batch_unsupported(ents, b.count)) {
		ret = -EOPNOTSUPP;
		goto out_free;
	}

	atomic64_inc(&cell->batches);
	for (i = 0; i < b.count; i++) {
		ents[i].result = paracell_pager_entry(cell, &ents[i]);
		paracell_account(cell, &ents[i]);
		cond_resched();
	}
	for (i = 0; i < b.count; i++) {
		if (put_user(ents[i].result, &uents[i].result)) {
			ret = -EFAULT;
			break;
		}
	}
out_free:
	kvfree(ents);
	return ret;
}
