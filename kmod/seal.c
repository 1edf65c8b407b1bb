// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sealed code: the only memory untrusted code may execute.
 *
 * PARACELL_SEAL copies the caller's bytes into pages the module owns, scans
 * that private copy (so the caller cannot change it after the scan) and
 * hands back a read-only seal fd. Its pages are never mapped writable: only
 * MAP_SHARED mappings without write are allowed, VM_MAYWRITE is cleared so
 * mprotect() cannot add write, and GUP's forced writes (/proc/pid/mem,
 * ptrace) refuse a shared mapping without VM_MAYWRITE.
 *
 * Lifetime: the seal fd's file owns the seal object. Each mapping holds the
 * file, so the pages outlive a closed fd, and a fork child's mapping
 * refaults the same pages. The seal holds a reference on its cell so the
 * cell's counters can record refused mappings.
 */
#include <linux/anon_inodes.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <paracell/scan.h>

#include "compat.h"
#include "internal.h"

#define PARACELL_SEAL_SCAN_SLICE	SZ_1M

struct paracell_seal_obj {
	struct paracell_cell *cell;	/* counted reference */
	struct page **pages;
	unsigned long npages;
};

static void paracell_seal_free(struct paracell_seal_obj *seal)
{
	unsigned long i;

	for (i = 0; i < seal->npages; i++)
		if (seal->pages[i])
			__free_page(seal->pages[i]);
	kvfree(seal->pages);
	if (seal->cell)
		paracell_cell_put(seal->cell);
	kfree(seal);
}

static vm_fault_t paracell_seal_fault(struct vm_fault *vmf)
{
	struct paracell_seal_obj *seal = vmf->vma->vm_file->private_data;

	if (vmf->pgoff >= seal->npages)
		return VM_FAULT_SIGBUS;
	vmf->page = seal->pages[vmf->pgoff];
	get_page(vmf->page);
	return 0;
}

static const struct vm_operations_struct paracell_seal_vm_ops = {
	.fault = paracell_seal_fault,
};

static int paracell_seal_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct paracell_seal_obj *seal = file->private_data;

	/*
	 * The fd is O_RDONLY, so mmap() already refused PROT_WRITE with
	 * MAP_SHARED and cleared VM_SHARED/VM_MAYWRITE; MAP_PRIVATE would
	 * still allow copy-on-write copies of the code, so refuse it.
	 */
	if ((!(vma->vm_flags & VM_MAYSHARE) && !paracell_mutant(SEAL_PRIVATE)) ||
	    (vma->vm_flags & VM_WRITE)) {
		atomic64_inc(&seal->cell->seal_refusals);
		return -EPERM;
	}
	if (vma->vm_pgoff >= seal->npages ||
	    vma_pages(vma) > seal->npages - vma->vm_pgoff)
		return -EINVAL;
	if (paracell_mutant(SEAL_MAYWRITE))
		paracell_vm_flags_mod(vma, VM_DONTEXPAND | VM_DONTDUMP | VM_MAYWRITE, 0);
	else
		paracell_vm_flags_mod(vma, VM_DONTEXPAND | VM_DONTDUMP, VM_MAYWRITE);
	vma->vm_ops = &paracell_seal_vm_ops;
	return 0;
}

static int paracell_seal_release(struct inode *inode, struct file *file)
{
	paracell_seal_free(file->private_data);
	return 0;
}

static const struct file_operations paracell_seal_fops = {
	.owner		= THIS_MODULE,
	.mmap		= paracell_seal_mmap,
	.release	= paracell_seal_release,
	.llseek		= noop_llseek,
};

/* Scans the page-padded copy in slices; true on a hit, stored in *hit. */
static bool paracell_seal_scan(const void *code, size_t size,
			       struct paracell_scan_hit *hit)
{
	size_t from, to;

	for (from = 0; from < size; from = to) {
		to = min(size, from + PARACELL_SEAL_SCAN_SLICE);
		if (paracell_scan_range(code, size, from, to,
					PARACELL_SCAN_REPORT_PARTIAL,
					paracell_scan_stop_first, hit))
			return true;
		cond_resched();
	}
	return false;
}

/* Copies len bytes from ubuf into fresh zeroed pages and scans them. */
static int paracell_seal_fill(struct paracell_seal_obj *seal,
			      const void __user *ubuf, size_t len,
			      struct paracell_scan_hit *hit)
{
	size_t size = seal->npages << PAGE_SHIFT;
	unsigned long i;
	void *code;
	int ret = 0;

	for (i = 0; i < seal->npages; i++) {
		seal->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!seal->pages[i])
			return -ENOMEM;
	}
	code = vmap(seal->pages, seal->npages, VM_MAP, PAGE_KERNEL);
	if (!code)
		return -ENOMEM;
	if (copy_from_user(code, ubuf, len))
		ret = -EFAULT;
	else if (!paracell_mutant(SEAL_SCAN) &&
		 paracell_seal_scan(code, size, hit))
		ret = -EPERM;
	vunmap(code);
	return ret;
}

long paracell_seal(struct paracell_cell *cell,
		   struct paracell_seal __user *uarg)
{
	struct paracell_scan_hit hit = { 0, PARACELL_SCAN_NONE };
	struct paracell_seal_obj *seal;
	struct paracell_seal req;
	int fd;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.hit_kind || req.hit_offset || req.reserved[0] ||
	    req.reserved[1])
		return -EINVAL;
	if (!req.len || req.len > PARACELL_SEAL_MAX_BYTES)
		return -EINVAL;

	seal = kzalloc(sizeof(*seal), GFP_KERNEL_ACCOUNT);
	if (!seal)
		return -ENOMEM;
	seal->npages = DIV_ROUND_UP(req.len, PAGE_SIZE);
	seal->pages = kvcalloc(seal->npages, sizeof(*seal->pages),
			       GFP_KERNEL_ACCOUNT);
	if (!seal->pages) {
		fd = -ENOMEM;
		goto err_free;
	}
	fd = paracell_seal_fill(seal, u64_to_user_ptr(req.buf), req.len, &hit);
	if (fd == -EPERM) {
		atomic64_inc(&cell->seal_refusals);
		req.hit_kind = hit.kind;
		req.hit_offset = hit.offset;
		if (copy_to_user(uarg, &req, sizeof(req)))
			fd = -EFAULT;
	}
	if (fd)
		goto err_free;

	paracell_cell_get(cell);
	seal->cell = cell;
	fd = anon_inode_getfd("[paracell-seal]", &paracell_seal_fops, seal,
			      O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto err_free;
	atomic64_inc(&cell->seals);
	atomic64_add(req.len, &cell->sealed_bytes);
	return fd;

err_free:
	paracell_seal_free(seal);
	return fd;
}
