/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * ParaCell host module ABI: /dev/paracell and cell file descriptors.
 *
 * Rules for every struct here: fixed size, naturally aligned, explicit
 * padding, and every reserved field and unknown flag bit must be zero or the
 * ioctl fails with EINVAL. New fields take reserved space and bump
 * PARACELL_API_VERSION.
 */
#ifndef _UAPI_LINUX_PARACELL_H
#define _UAPI_LINUX_PARACELL_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define PARACELL_API_VERSION	1
#define PARACELL_DEVICE		"/dev/paracell"
#define PARACELL_IOC_MAGIC	0xCE

/* ---- ioctls on /dev/paracell ---- */

/* Returns PARACELL_API_VERSION as the ioctl's value. */
#define PARACELL_GET_API_VERSION	_IO(PARACELL_IOC_MAGIC, 0x00)

#define PARACELL_CELL_CLOEXEC	0x00000001U	/* cell fd gets O_CLOEXEC */
#define PARACELL_CELL_FLAGS	(PARACELL_CELL_CLOEXEC)

struct paracell_create_cell {
	__u32 flags;		/* PARACELL_CELL_* */
	__u32 reserved[3];	/* must be zero */
};

/* Creates a cell for the caller's mm; returns the new cell fd. */
#define PARACELL_CREATE_CELL \
	_IOW(PARACELL_IOC_MAGIC, 0x01, struct paracell_create_cell)

/* ---- ioctls on a cell fd ---- */

/*
 * The Pager. Each entry names a range [addr, addr + npages * 4096) of the
 * caller's own private anonymous memory:
 *   BIND    populates the range as a write fault would, so its first touches
 *           take no fault;
 *   UNBIND  drops its pages as MADV_DONTNEED does and returns them to the host.
 * Entries are independent and done in order. Each one's result is the number
 * of pages done (npages) or a negative errno; a bad entry never stops the
 * others:
 *   EINVAL  unknown op, non-zero flags/reserved, unaligned addr, npages == 0,
 *           a range that wraps, or a mapping that is not private anonymous
 *           memory (shared, file-backed, VM_IO/VM_PFNMAP, hugetlb, locked
 *           for UNBIND);
 *   ENOMEM  a part of the range is not mapped, or lies outside user space;
 *   EFAULT  BIND could not populate a page (e.g. PROT_NONE);
 *   EINTR   a fatal signal (the memory cgroup's OOM killer) stopped BIND.
 * An entry whose range is not wholly eligible is not touched at all.
 *
 * The ioctl returns 0 once every entry has its result, or fails as a whole
 * (nothing done) with EINVAL for non-zero batch flags/reserved, E2BIG for
 * count > PARACELL_PAGER_MAX_ENTRIES, EFAULT for an unreadable vector, and
 * EOPNOTSUPP for an UNBIND on a kernel the module has no unbind route for
 * (libparacell then falls back). If the results cannot be written back, the
 * work is done and the ioctl fails with EFAULT.
 */
#define PARACELL_PAGER_BIND		1
#define PARACELL_PAGER_UNBIND		2
#define PARACELL_PAGER_MAX_ENTRIES	4096

struct paracell_pager_entry {
	__u32 op;		/* PARACELL_PAGER_BIND or _UNBIND */
	__u32 flags;		/* must be zero */
	__u64 addr;		/* page aligned */
	__u64 npages;		/* 4 KiB pages */
	__s64 result;		/* out: pages done, or -errno */
};

struct paracell_pager_batch {
	__u64 entries;		/* user pointer to struct paracell_pager_entry[] */
	__u32 count;		/* number of entries */
	__u32 flags;		/* must be zero */
	__u64 reserved[2];	/* must be zero */
};

#define PARACELL_PAGER_BATCH \
	_IOW(PARACELL_IOC_MAGIC, 0x10, struct paracell_pager_batch)

struct paracell_cell_stats {
	__u64 batches;		/* PAGER_BATCH calls that reached the entries */
	__u64 entries;		/* entries processed */
	__u64 pages_bound;
	__u64 pages_unbound;
	__u64 errors;		/* entries that failed */
	__u64 reserved[11];	/* zero; room for later counters */
};

#define PARACELL_CELL_STATS \
	_IOR(PARACELL_IOC_MAGIC, 0x11, struct paracell_cell_stats)

#endif /* _UAPI_LINUX_PARACELL_H */
