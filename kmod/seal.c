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
 *
 * Shared pages: identical code sealed again in the same pid namespace (the
 * processes of one container) gets the pages of the seal made first. The
 * key is the SHA-256 the module computes over its own scanned copy, and a
 * match is compared byte for byte before it is taken; so nothing the
 * caller says decides what is shared, and a container never learns what
 * another one runs. The pages object is counted (one reference per seal
 * fd) and leaves the table under paracell_seal_mutex when the last goes.
 */
#include <crypto/sha2.h>
#include <linux/anon_inodes.h>
#include <linux/fcntl.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#include <paracell/scan.h>

#include "compat.h"
#include "internal.h"
#include "seal.h"

#define PARACELL_SEAL_SCAN_SLICE	SZ_1M

#define PARACELL_SEAL_HASH_BITS		8

struct paracell_seal_obj {
	struct paracell_cell *cell;	/* counted reference */
	struct paracell_seal_pages *sp;	/* counted reference */
};

static DEFINE_HASHTABLE(paracell_seal_table, PARACELL_SEAL_HASH_BITS);
/*
 * Guards paracell_seal_table, every sp->node and sp->src (set once, under
 * it), and sealfile.c's table of file records.
 */
DEFINE_MUTEX(paracell_seal_mutex);

static void paracell_seal_pages_free(struct paracell_seal_pages *sp)
{
	unsigned long i;

	for (i = 0; i < sp->npages; i++)
		if (sp->pages[i])
			__free_page(sp->pages[i]);
	kvfree(sp->pages);
	if (sp->ns)
		put_pid_ns(sp->ns);
	if (sp->src)
		paracell_seal_src_free(sp->src);
	kfree(sp);
}

/* The last seal fd of these pages went: called with the mutex held. */
static void paracell_seal_pages_release(struct kref *ref)
{
	struct paracell_seal_pages *sp =
		container_of(ref, struct paracell_seal_pages, ref);

	hash_del(&sp->node);
	if (sp->src)
		paracell_seal_src_unlink(sp->src);
	mutex_unlock(&paracell_seal_mutex);
	paracell_seal_pages_free(sp);
}

void paracell_seal_pages_put(struct paracell_seal_pages *sp)
{
	kref_put_mutex(&sp->ref, paracell_seal_pages_release,
		       &paracell_seal_mutex);
}

static void paracell_seal_free(struct paracell_seal_obj *seal)
{
	if (seal->sp)
		paracell_seal_pages_put(seal->sp);
	if (seal->cell)
		paracell_cell_put(seal->cell);
	kfree(seal);
}

static vm_fault_t paracell_seal_fault(struct vm_fault *vmf)
{
	struct paracell_seal_obj *seal = vmf->vma->vm_file->private_data;

	if (vmf->pgoff >= seal->sp->npages)
		return VM_FAULT_SIGBUS;
	vmf->page = seal->sp->pages[vmf->pgoff];
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
	if (vma->vm_pgoff >= seal->sp->npages ||
	    vma_pages(vma) > seal->sp->npages - vma->vm_pgoff)
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

/*
 * Copies len bytes from ubuf into fresh zeroed pages, scans them and
 * hashes what it scanned.
 */
static int paracell_seal_fill(struct paracell_seal_pages *sp,
			      const void __user *ubuf, size_t len,
			      struct paracell_scan_hit *hit)
{
	size_t size = sp->npages << PAGE_SHIFT;
	unsigned long i;
	void *code;
	int ret = 0;

	for (i = 0; i < sp->npages; i++) {
		sp->pages[i] = alloc_page(GFP_KERNEL_ACCOUNT | __GFP_ZERO);
		if (!sp->pages[i])
			return -ENOMEM;
	}
	code = vmap(sp->pages, sp->npages, VM_MAP, PAGE_KERNEL);
	if (!code)
		return -ENOMEM;
	if (copy_from_user(code, ubuf, len))
		ret = -EFAULT;
	else if (!paracell_mutant(SEAL_SCAN) &&
		 paracell_seal_scan(code, size, hit))
		ret = -EPERM;
	else
		sha256(code, size, sp->digest);
	vunmap(code);
	return ret;
}

static bool paracell_seal_pages_equal(const struct paracell_seal_pages *a,
				      const struct paracell_seal_pages *b)
{
	unsigned long i;
	bool same = true;

	if ((a->ns != b->ns && !paracell_mutant(SEAL_SHARE_NS)) ||
	    a->npages != b->npages ||
	    memcmp(a->digest, b->digest, sizeof(a->digest)))
		return false;
	for (i = 0; same && i < a->npages; i++) {
		void *pa = kmap_local_page(a->pages[i]);
		void *pb = kmap_local_page(b->pages[i]);

		same = !memcmp(pa, pb, PAGE_SIZE);
		kunmap_local(pb);
		kunmap_local(pa);
	}
	return same;
}

/*
 * The table's pages equal to the scanned sp (a new reference), sp then
 * being freed; or sp itself, entered in the table. *shared says which.
 */
static struct paracell_seal_pages *
paracell_seal_share(struct paracell_seal_pages *sp, bool *shared)
{
	struct paracell_seal_pages *old;
	u32 key;

	memcpy(&key, sp->digest, sizeof(key));
	mutex_lock(&paracell_seal_mutex);
	hash_for_each_possible(paracell_seal_table, old, node, key) {
		if (paracell_seal_pages_equal(old, sp) &&
		    kref_get_unless_zero(&old->ref)) {
			mutex_unlock(&paracell_seal_mutex);
			paracell_seal_pages_free(sp);
			*shared = true;
			return old;
		}
	}
	hash_add(paracell_seal_table, &sp->node, key);
	mutex_unlock(&paracell_seal_mutex);
	*shared = false;
	return sp;
}

/*
 * Copies len bytes from ubuf into pages of the module's own, scans and
 * hashes them, and gives them (a reference) in *spp: the pages of an
 * equal seal in the caller's pid namespace if there is one (*shared).
 * -EPERM on a hit, its kind and offset in *hit_kind and *hit_offset,
 * counted as a refusal.
 */
int paracell_seal_pages_new(struct paracell_cell *cell, u64 ubuf, u64 len,
			    u32 *hit_kind, u64 *hit_offset,
			    struct paracell_seal_pages **spp, bool *shared)
{
	struct paracell_scan_hit hit = { 0, PARACELL_SCAN_NONE };
	struct paracell_seal_pages *sp;
	int ret;

	if (!len || len > PARACELL_SEAL_MAX_BYTES)
		return -EINVAL;
	sp = kzalloc(sizeof(*sp), GFP_KERNEL_ACCOUNT);
	if (!sp)
		return -ENOMEM;
	kref_init(&sp->ref);
	INIT_HLIST_NODE(&sp->node);
	sp->npages = DIV_ROUND_UP(len, PAGE_SIZE);
	sp->pages = kvcalloc(sp->npages, sizeof(*sp->pages),
			     GFP_KERNEL_ACCOUNT);
	if (!sp->pages) {
		ret = -ENOMEM;
		goto err_pages;
	}
	ret = paracell_seal_fill(sp, u64_to_user_ptr(ubuf), len, &hit);
	if (ret == -EPERM) {
		atomic64_inc(&cell->seal_refusals);
		*hit_kind = hit.kind;
		*hit_offset = hit.offset;
	}
	if (ret)
		goto err_pages;
	sp->ns = get_pid_ns(task_active_pid_ns(current));
	*spp = paracell_seal_share(sp, shared);
	return 0;

err_pages:
	paracell_seal_pages_free(sp);
	return ret;
}

/*
 * A new seal fd (O_RDONLY, O_CLOEXEC) on sp's pages, taking over the
 * caller's reference to them (dropped on failure), counted in the cell's
 * stats as len bytes.
 */
int paracell_seal_fd(struct paracell_cell *cell,
		     struct paracell_seal_pages *sp, u64 len, bool shared)
{
	struct paracell_seal_obj *seal;
	int fd;

	seal = kzalloc(sizeof(*seal), GFP_KERNEL_ACCOUNT);
	if (!seal) {
		paracell_seal_pages_put(sp);
		return -ENOMEM;
	}
	seal->sp = sp;
	paracell_cell_get(cell);
	seal->cell = cell;
	fd = anon_inode_getfd("[paracell-seal]", &paracell_seal_fops, seal,
			      O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		paracell_seal_free(seal);
		return fd;
	}
	atomic64_inc(&cell->seals);
	atomic64_add(len, &cell->sealed_bytes);
	if (shared) {
		atomic64_inc(&cell->seals_shared);
		atomic64_add(len, &cell->shared_bytes);
	}
	return fd;
}

long paracell_seal(struct paracell_cell *cell,
		   struct paracell_seal __user *uarg)
{
	struct paracell_seal_pages *sp;
	struct paracell_seal req;
	bool shared;
	int ret;

	if (copy_from_user(&req, uarg, sizeof(req)))
		return -EFAULT;
	if (req.flags || req.hit_kind || req.hit_offset || req.reserved[0] ||
	    req.reserved[1])
		return -EINVAL;
	ret = paracell_seal_pages_new(cell, req.buf, req.len, &req.hit_kind,
				      &req.hit_offset, &sp, &shared);
	if (ret == -EPERM && copy_to_user(uarg, &req, sizeof(req)))
		ret = -EFAULT;
	if (ret)
		return ret;
	return paracell_seal_fd(cell, sp, req.len, shared);
}
