// SPDX-License-Identifier: GPL-2.0-only
/*
 * Sealed code found again by the file it came from: PARACELL_SEAL_LOOKUP
 * and PARACELL_SEAL_FILE (docs/sealed-code.md, "Seals found by their
 * file").
 *
 * ck seals each executable part of a file after reading and rewriting it.
 * With these ioctls it first asks whether the pages of that part, as it
 * rewrote them under the same options, are still sealed in its pid
 * namespace; only on a miss does it read the file, and it then stores its
 * seal for the next exec.
 *
 * The key is what the module finds itself, never what the caller says
 * about the file: the inode holding the file's data (d_real_inode, the
 * layer's inode under overlayfs), kept from being freed and reused by a
 * reference to the file; what stat shows of it (device, inode number,
 * size, ctime, mtime) and its i_version where the filesystem keeps one;
 * and the caller's pid namespace. The caller's part of the key (offset,
 * len, variant) only tells its own seals of the file apart. A seal whose
 * file has changed must never come back, so:
 *  - from the miss to the store (the caller reading the file) and for the
 *    record's life, no shared writable mapping of the file can be made
 *    (mapping_deny_writable, as memfd's F_SEAL_WRITE; a miss or a store
 *    while one exists does not record), since writes through one need not
 *    change ctime; every other write does;
 *  - the store compares the stat with the one taken at the miss, and a
 *    lookup compares it with the record's;
 *  - a write in the same clock tick as the file's last change may keep
 *    its ctime, so a file changed less than a second ago is not recorded
 *    (git's racy timestamps).
 *
 * Lifetime: a record belongs to one sealed pages object (sp->src) and goes
 * with it; it keeps no pages alive. A miss that may be stored is held by
 * the cell (cell->seal_pending) until its next SEAL_FILE or SEAL_LOOKUP,
 * or its release.
 */
#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/iversion.h>
#include <linux/mm.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stat.h>
#include <linux/timekeeping.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "seal.h"

#define PARACELL_SEAL_FILE_HASH_BITS	8

/* What stat shows of the file, and its i_version (0 if it keeps none). */
struct paracell_seal_stamp {
	dev_t dev;
	u64 ino;
	loff_t size;
	struct timespec64 ctime;
	struct timespec64 mtime;
	u64 version;
};

/* A file's sealed code: a held miss, then a record. */
struct paracell_seal_src {
	struct hlist_node node;		/* in paracell_seal_files once stored */
	struct paracell_seal_pages *sp;	/* the pages it belongs to */
	struct file *file;		/* counted: pins the inode */
	struct inode *real;		/* its data */
	/* Shared writable mappings denied: the file's and its data's. */
	struct address_space *denied[2];
	struct pid_namespace *ns;	/* counted */
	struct paracell_seal_stamp stamp;
	u64 offset;
	u64 len;
	u64 variant[4];
	void *blob;			/* the caller's notes, blob_len bytes */
	u32 blob_len;
};

/* Records by inode; guarded by paracell_seal_mutex, as sp->src is. */
static DEFINE_HASHTABLE(paracell_seal_files, PARACELL_SEAL_FILE_HASH_BITS);

static int paracell_seal_stamp(struct file *file, struct inode *real,
			       struct paracell_seal_stamp *st)
{
	struct kstat ks;
	int ret;

	ret = vfs_getattr(&file->f_path, &ks, STATX_BASIC_STATS,
			  AT_STATX_SYNC_AS_STAT);
	if (ret)
		return ret;
	memset(st, 0, sizeof(*st));
	st->dev = ks.dev;
	st->ino = ks.ino;
	st->size = ks.size;
	st->ctime = ks.ctime;
	st->mtime = ks.mtime;
	if (IS_I_VERSION(real))
		st->version = inode_query_iversion(real);
	return 0;
}

static bool paracell_seal_stamp_equal(const struct paracell_seal_stamp *a,
				      const struct paracell_seal_stamp *b)
{
	if (paracell_mutant(SEAL_LOOKUP_STAMP))
		return true;
	return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
	       timespec64_equal(&a->ctime, &b->ctime) &&
	       timespec64_equal(&a->mtime, &b->mtime) &&
	       a->version == b->version;
}

static bool paracell_seal_src_matches(const struct paracell_seal_src *src,
				      const struct inode *real,
				      const struct pid_namespace *ns,
				      const struct paracell_seal_file *req)
{
	return src->real == real && src->ns == ns &&
	       src->offset == req->offset && src->len == req->len &&
	       !memcmp(src->variant, req->variant, sizeof(src->variant));
}

void paracell_seal_src_unlink(struct paracell_seal_src *src)
{
	lockdep_assert_held(&paracell_seal_mutex);
	hash_del(&src->node);
}

void paracell_seal_src_free(struct paracell_seal_src *src)
{
	if (!src)
		return;
	mapping_allow_writable(src->denied[0]);
	if (src->denied[1])
		mapping_allow_writable(src->denied[1]);
	fput(src->file);
	put_pid_ns(src->ns);
	kvfree(src->blob);
	kfree(src);
}

/*
 * A held miss for the file, if it may be recorded: a regular file with no
 * shared writable mapping (none can be made from now on), whose ctime is
 * a second old or more. NULL if not.
 */
static struct paracell_seal_src *
paracell_seal_src_new(struct file *file, struct inode *real,
		      const struct paracell_seal_stamp *st,
		      const struct paracell_seal_file *req)
{
	struct paracell_seal_src *src;
	struct timespec64 now;

	ktime_get_coarse_real_ts64(&now);
	now.tv_sec--;
	if (timespec64_compare(&st->ctime, &now) > 0)
		return NULL;
	src = kzalloc(sizeof(*src), GFP_KERNEL_ACCOUNT);
	if (!src)
		return NULL;
	/* overlayfs counts writable mappings on its file, maps the layer's */
	src->denied[0] = file->f_mapping;
	if (real->i_mapping != file->f_mapping)
		src->denied[1] = real->i_mapping;
	if (mapping_deny_writable(src->denied[0]))
		goto err_free;
	if (src->denied[1] && mapping_deny_writable(src->denied[1]))
		goto err_allow;
	INIT_HLIST_NODE(&src->node);
	src->file = get_file(file);
	src->real = real;
	src->ns = get_pid_ns(task_active_pid_ns(current));
	src->stamp = *st;
	src->offset = req->offset;
	src->len = req->len;
	memcpy(src->variant, req->variant, sizeof(src->variant));
	return src;

err_allow:
	mapping_allow_writable(src->denied[0]);
err_free:
	kfree(src);
	return NULL;
}

/* The cell's held miss, now the caller's (or NULL). */
static struct paracell_seal_src *
paracell_seal_pending_take(struct paracell_cell *cell)
{
	struct paracell_seal_src *src;

	mutex_lock(&cell->seal_lock);
	src = cell->seal_pending;
	cell->seal_pending = NULL;
	mutex_unlock(&cell->seal_lock);
	return src;
}

static void paracell_seal_pending_hold(struct paracell_cell *cell,
				       struct paracell_seal_src *src)
{
	struct paracell_seal_src *old;

	mutex_lock(&cell->seal_lock);
	old = cell->seal_pending;
	cell->seal_pending = src;
	mutex_unlock(&cell->seal_lock);
	paracell_seal_src_free(old);
}

/* The cell goes: so does the miss it held. */
void paracell_seal_cell_release(struct paracell_cell *cell)
{
	paracell_seal_src_free(cell->seal_pending);
	cell->seal_pending = NULL;
}

static int paracell_seal_file_args(struct paracell_seal_file *req,
				   const void __user *uarg, bool lookup)
{
	if (copy_from_user(req, uarg, sizeof(*req)))
		return -EFAULT;
	if (req->size != sizeof(*req) || req->flags || req->hit_offset ||
	    req->hit_kind || req->status || req->reserved[0] ||
	    req->reserved[1] || req->reserved[2] || req->reserved[3])
		return -EINVAL;
	if (!req->len || req->len > PARACELL_SEAL_MAX_BYTES ||
	    !PAGE_ALIGNED(req->offset) ||
	    req->blob_len > PARACELL_SEAL_BLOB_MAX || (lookup && req->buf))
		return -EINVAL;
	return 0;
}

/* The file behind fd, open for reading, and the inode of its data. */
static int paracell_seal_file_get(struct fd f, struct inode **real)
{
	if (!f.file || !(f.file->f_mode & FMODE_READ))
		return -EBADF;
	*real = d_real_inode(f.file->f_path.dentry);
	return S_ISREG((*real)->i_mode) ? 0 : -EINVAL;
}

/* A new reference to the recorded pages for req, or NULL. */
static struct paracell_seal_src *
paracell_seal_find(const struct inode *real,
		   const struct paracell_seal_stamp *st,
		   const struct paracell_seal_file *req)
{
	struct pid_namespace *ns = task_active_pid_ns(current);
	struct paracell_seal_src *src;

	mutex_lock(&paracell_seal_mutex);
	hash_for_each_possible(paracell_seal_files, src, node,
			       (unsigned long)real) {
		if (paracell_seal_src_matches(src, real, ns, req) &&
		    paracell_seal_stamp_equal(&src->stamp, st) &&
		    kref_get_unless_zero(&src->sp->ref)) {
			mutex_unlock(&paracell_seal_mutex);
			return src;
		}
	}
	mutex_unlock(&paracell_seal_mutex);
	return NULL;
}

long paracell_seal_lookup(struct paracell_cell *cell,
			  struct paracell_seal_file __user *uarg)
{
	struct paracell_seal_src *src;
	struct paracell_seal_stamp st;
	struct paracell_seal_file req;
	struct inode *real;
	struct fd f;
	int ret;

	ret = paracell_seal_file_args(&req, uarg, true);
	if (ret)
		return ret;
	paracell_seal_src_free(paracell_seal_pending_take(cell));
	f = fdget(req.fd);
	ret = paracell_seal_file_get(f, &real);
	if (!ret)
		ret = paracell_seal_stamp(f.file, real, &st);
	if (ret)
		goto out;
	src = paracell_seal_find(real, &st, &req);
	if (!src) {
		/* A miss: hold it if the seal made now may be recorded. */
		src = paracell_seal_src_new(f.file, real, &st, &req);
		req.status = src ? PARACELL_SEAL_FILE_STORABLE : 0;
		ret = -ENOENT;
		if (copy_to_user(uarg, &req, sizeof(req))) {
			paracell_seal_src_free(src);
			ret = -EFAULT;
		} else if (src) {
			paracell_seal_pending_hold(cell, src);
		}
		goto out;
	}
	/* A hit: src lives as long as the reference to its pages. */
	if (req.blob_len < src->blob_len) {
		req.blob_len = src->blob_len;
		ret = copy_to_user(uarg, &req, sizeof(req)) ? -EFAULT : -ENOSPC;
		goto out_put;
	}
	req.blob_len = src->blob_len;
	if (copy_to_user(u64_to_user_ptr(req.blob), src->blob,
			 src->blob_len) ||
	    copy_to_user(uarg, &req, sizeof(req))) {
		ret = -EFAULT;
		goto out_put;
	}
	ret = paracell_seal_fd(cell, src->sp, req.len, true);
	if (ret >= 0) {
		atomic64_inc(&cell->seals_found);
		atomic64_add(req.len, &cell->found_bytes);
	}
	goto out;

out_put:
	paracell_seal_pages_put(src->sp);
out:
	fdput(f);
	return ret;
}

/*
 * Makes src sp's record if sp has none (true, src taken). If sp has one
 * for the same file and key, the file changed without changing these
 * bytes: that record takes src's stat (true, src left to the caller).
 */
static bool paracell_seal_record(struct paracell_seal_pages *sp,
				 struct paracell_seal_src *src, bool *taken)
{
	struct paracell_seal_file key = {
		.offset = src->offset, .len = src->len,
	};
	bool stored = false;

	memcpy(key.variant, src->variant, sizeof(key.variant));
	*taken = false;
	mutex_lock(&paracell_seal_mutex);
	if (!sp->src) {
		src->sp = sp;
		sp->src = src;
		hash_add(paracell_seal_files, &src->node,
			 (unsigned long)src->real);
		stored = true;
		*taken = true;
	} else if (paracell_seal_src_matches(sp->src, src->real, src->ns,
					     &key)) {
		sp->src->stamp = src->stamp;
		stored = true;
	}
	mutex_unlock(&paracell_seal_mutex);
	return stored;
}

long paracell_seal_file(struct paracell_cell *cell,
			struct paracell_seal_file __user *uarg)
{
	struct paracell_seal_src *held;
	struct paracell_seal_pages *sp;
	struct paracell_seal_stamp st;
	struct paracell_seal_file req;
	struct inode *real;
	void *blob = NULL;
	bool shared;
	struct fd f;
	int ret;

	ret = paracell_seal_file_args(&req, uarg, false);
	if (ret)
		return ret;
	held = paracell_seal_pending_take(cell);
	f = fdget(req.fd);
	ret = paracell_seal_file_get(f, &real);
	if (ret)
		goto out;
	if (req.blob_len) {
		blob = kvmalloc(req.blob_len, GFP_KERNEL_ACCOUNT);
		ret = -ENOMEM;
		if (!blob)
			goto out;
		ret = -EFAULT;
		if (copy_from_user(blob, u64_to_user_ptr(req.blob),
				   req.blob_len))
			goto out;
	}
	ret = paracell_seal_pages_new(cell, req.buf, req.len, &req.hit_kind,
				      &req.hit_offset, &sp, &shared);
	if (ret == -EPERM && copy_to_user(uarg, &req, sizeof(req)))
		ret = -EFAULT;
	if (ret)
		goto out;
	/* Recorded only as the held miss saw the file, unchanged since. */
	if (held && paracell_seal_src_matches(held, real, sp->ns, &req) &&
	    !paracell_seal_stamp(f.file, real, &st) &&
	    paracell_seal_stamp_equal(&held->stamp, &st)) {
		bool taken;

		held->blob = blob;
		held->blob_len = req.blob_len;
		if (paracell_seal_record(sp, held, &taken))
			req.status = PARACELL_SEAL_FILE_STORED;
		if (taken) {
			held = NULL;
			blob = NULL;
		} else {
			held->blob = NULL;
		}
	}
	if (copy_to_user(uarg, &req, sizeof(req))) {
		paracell_seal_pages_put(sp);
		ret = -EFAULT;
		goto out;
	}
	ret = paracell_seal_fd(cell, sp, req.len, shared);
out:
	fdput(f);
	kvfree(blob);
	paracell_seal_src_free(held);
	return ret;
}
