// SPDX-License-Identifier: GPL-2.0-only
/*
 * The XGate descriptor and the domain check on every cell ioctl
 * (DESIGN.md section 3).
 *
 * Once a cell has its descriptor, only the mm that set it, running with
 * PKRU == pkru_ck (the container kernel's domain), may use it. The kernel
 * keeps the user's PKRU in the register during a syscall (and restores it on
 * context switch), so read_pkru() here is the caller's live value. An mm
 * with an XGate cell may use no other cell and create none: otherwise the
 * program could make a cell of its own and unbind the container kernel's
 * memory.
 */
#include <linux/pkeys.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/uaccess.h>
#include <asm/pkru.h>

#include "internal.h"

/* Guards paracell_xgate_cells: the cells with a descriptor, one per mm. */
static DEFINE_MUTEX(paracell_xgate_lock);
static LIST_HEAD(paracell_xgate_cells);
/*
 * How many cells are on that list; changed under paracell_xgate_lock, read
 * without it so that the ioctls of cells without a descriptor skip the
 * lock and the walk while no cell has one.
 */
static atomic_t paracell_nr_xgate = ATOMIC_INIT(0);

static bool paracell_mm_has_xgate_locked(struct mm_struct *mm)
{
	struct paracell_cell *c;

	lockdep_assert_held(&paracell_xgate_lock);
	list_for_each_entry(c, &paracell_xgate_cells, xgate_node)
		if (c->owner == mm)
			return true;
	return false;
}

bool paracell_mm_has_xgate(struct mm_struct *mm)
{
	bool ret;

	if (!atomic_read(&paracell_nr_xgate))
		return false;
	mutex_lock(&paracell_xgate_lock);
	ret = paracell_mm_has_xgate_locked(mm);
	mutex_unlock(&paracell_xgate_lock);
	return ret;
}

/* Called first by every cell ioctl: 0, or -EPERM. */
int paracell_xgate_check(struct paracell_cell *cell)
{
	/* Pairs with the release in paracell_set_xgate(): fields are set. */
	if (smp_load_acquire(&cell->xgate_set)) {
		if (current->mm != cell->owner && !paracell_mutant(OWNER))
			return -EPERM;
		if (read_pkru() != cell->pkru_ck && !paracell_mutant(PKRU))
			return -EPERM;
		return 0;
	}
	if (current->mm && paracell_mm_has_xgate(current->mm) &&
	    !paracell_mutant(SECOND_CELL))
		return -EPERM;
	return 0;
}

/* True if pkey is one of the container kernel's; only with a descriptor. */
bool paracell_xgate_pkey(const struct paracell_cell *cell, int pkey)
{
	/* Pairs with the release in paracell_set_xgate(). */
	return smp_load_acquire(&cell->xgate_set) && !paracell_mutant(PAGER_PKEY) &&
	       (pkey == cell->pkey_k || pkey == cell->pkey_k2);
}

static int paracell_xgate_valid(const struct paracell_xgate *x)
{
	struct mm_struct *mm = current->mm;
	bool ok;

	if (x->flags || x->reserved[0] || x->reserved[1])
		return -EINVAL;
	if (!cpu_feature_enabled(X86_FEATURE_OSPKE))
		return -EOPNOTSUPP;
	if (x->pkey_k <= 0 || x->pkey_k2 <= 0 || x->pkey_k == x->pkey_k2 ||
	    x->pkey_k >= arch_max_pkey() || x->pkey_k2 >= arch_max_pkey())
		return -EINVAL;
	/* pkey_alloc() changes the allocation map under mmap_lock. */
	if (mmap_read_lock_killable(mm))
		return -EINTR;
	ok = (mm_pkey_is_allocated(mm, x->pkey_k) &&
	      mm_pkey_is_allocated(mm, x->pkey_k2)) ||
	     paracell_mutant(XGATE_KEYS);
	mmap_read_unlock(mm);
	return ok ? 0 : -EINVAL;
}

long paracell_set_xgate(struct paracell_cell *cell,
			struct paracell_xgate __user *uarg)
{
	struct mm_struct *mm = current->mm;
	struct paracell_xgate x;
	long ret;

	if (!mm)
		return -EINVAL;
	if (copy_from_user(&x, uarg, sizeof(x)))
		return -EFAULT;
	ret = paracell_xgate_valid(&x);
	if (ret)
		return ret;

	mutex_lock(&cell->lock);
	ret = -EBUSY;
	if (cell->xgate_set)
		goto out_cell;
	mutex_lock(&paracell_xgate_lock);
	if (paracell_mm_has_xgate_locked(mm))
		goto out_list;
	cell->pkey_k = x.pkey_k;
	cell->pkey_k2 = x.pkey_k2;
	cell->pkru_ck = x.pkru_ck;
	mmgrab(mm);
	cell->owner = mm;
	list_add(&cell->xgate_node, &paracell_xgate_cells);
	atomic_inc(&paracell_nr_xgate);
	/* Publish: readers that see xgate_set see every field above. */
	smp_store_release(&cell->xgate_set, true);
	ret = 0;
out_list:
	mutex_unlock(&paracell_xgate_lock);
out_cell:
	mutex_unlock(&cell->lock);
	return ret;
}

/* From the cell's release: no other user of the cell is left. */
void paracell_xgate_release(struct paracell_cell *cell)
{
	if (!cell->xgate_set)
		return;
	mutex_lock(&paracell_xgate_lock);
	list_del(&cell->xgate_node);
	atomic_dec(&paracell_nr_xgate);
	mutex_unlock(&paracell_xgate_lock);
	mmdrop(cell->owner);
}
