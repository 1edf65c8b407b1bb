// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cell objects and their file descriptors.
 *
 * A cell is refcounted: the cell file holds one reference from creation
 * until its release, and the cell is freed when the last reference goes.
 * The anon-inode file pins the module, so the module cannot unload while a
 * cell file is open.
 */
#include <linux/anon_inodes.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

static void paracell_cell_free(struct kref *ref)
{
	struct paracell_cell *cell = container_of(ref, struct paracell_cell, ref);

	paracell_xgate_release(cell);
	kfree(cell);
	atomic_dec(&paracell_live_cells);
}

void paracell_cell_get(struct paracell_cell *cell)
{
	kref_get(&cell->ref);
}

void paracell_cell_put(struct paracell_cell *cell)
{
	kref_put(&cell->ref, paracell_cell_free);
}

static long paracell_cell_stats(struct paracell_cell *cell, void __user *argp)
{
	struct paracell_cell_stats st;

	memset(&st, 0, sizeof(st));
	st.batches = atomic64_read(&cell->batches);
	st.entries = atomic64_read(&cell->entries);
	st.pages_bound = atomic64_read(&cell->pages_bound);
	st.pages_unbound = atomic64_read(&cell->pages_unbound);
	st.errors = atomic64_read(&cell->errors);
	st.seals = atomic64_read(&cell->seals);
	st.sealed_bytes = atomic64_read(&cell->sealed_bytes);
	st.seal_refusals = atomic64_read(&cell->seal_refusals);
	st.seals_shared = atomic64_read(&cell->seals_shared);
	st.shared_bytes = atomic64_read(&cell->shared_bytes);
	st.seals_found = atomic64_read(&cell->seals_found);
	st.found_bytes = atomic64_read(&cell->found_bytes);
	if (copy_to_user(argp, &st, sizeof(st)))
		return -EFAULT;
	return 0;
}

static long paracell_cell_ioctl(struct file *file, unsigned int cmd,
				unsigned long arg)
{
	struct paracell_cell *cell = file->private_data;
	void __user *argp = (void __user *)arg;
	int ret;

	/* The domain check comes before anything else, unknown ioctls too. */
	ret = paracell_xgate_check(cell);
	if (ret)
		return ret;
	switch (cmd) {
	case PARACELL_PAGER_BATCH:
		return paracell_pager_batch(cell, argp);
	case PARACELL_CELL_STATS:
		return paracell_cell_stats(cell, argp);
	case PARACELL_SET_XGATE:
		return paracell_set_xgate(cell, argp);
	case PARACELL_SEAL:
		return paracell_seal(cell, argp);
	case PARACELL_SEAL_FILE:
		return paracell_seal_file(cell, argp);
	case PARACELL_SEAL_LOOKUP:
		return paracell_seal_lookup(cell, argp);
	default:
		return -ENOTTY;
	}
}

static int paracell_cell_release(struct inode *inode, struct file *file)
{
	/* No ioctl runs now: the held miss goes with the cell fd. */
	paracell_seal_cell_release(file->private_data);
	paracell_cell_put(file->private_data);
	return 0;
}

static const struct file_operations paracell_cell_fops = {
	.owner		= THIS_MODULE,
	.release	= paracell_cell_release,
	.unlocked_ioctl	= paracell_cell_ioctl,
	.compat_ioctl	= compat_ptr_ioctl,
	.llseek		= noop_llseek,
};

int paracell_cell_create(const struct paracell_create_cell *req)
{
	struct paracell_cell *cell;
	int flags = O_RDWR;
	int fd;

	if (req->flags & PARACELL_CELL_CLOEXEC)
		flags |= O_CLOEXEC;

	cell = kzalloc(sizeof(*cell), GFP_KERNEL_ACCOUNT);
	if (!cell)
		return -ENOMEM;
	kref_init(&cell->ref);
	mutex_init(&cell->lock);
	mutex_init(&cell->seal_lock);
	INIT_LIST_HEAD(&cell->xgate_node);
	atomic_inc(&paracell_live_cells);

	fd = anon_inode_getfd("[paracell-cell]", &paracell_cell_fops, cell,
			      flags);
	if (fd < 0)
		goto err_put;
	return fd;

err_put:
	paracell_cell_put(cell);
	return fd;
}
