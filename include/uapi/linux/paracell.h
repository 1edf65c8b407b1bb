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

#define PARACELL_API_VERSION	2	/* 2: PARACELL_SEAL_FILE, _LOOKUP */
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
	__u64 seals;		/* seal fds made */
	__u64 sealed_bytes;	/* bytes in them */
	__u64 seal_refusals;	/* seals refused by the scanner, mmaps refused */
	__u64 seals_shared;	/* of seals, those given the pages of an equal one */
	__u64 shared_bytes;	/* bytes in them */
	__u64 seals_found;	/* of seals, those PARACELL_SEAL_LOOKUP found */
	__u64 found_bytes;	/* bytes in them */
	__u64 reserved[4];	/* zero; room for later counters */
};

#define PARACELL_CELL_STATS \
	_IOR(PARACELL_IOC_MAGIC, 0x11, struct paracell_cell_stats)

/*
 * The XGate descriptor (DESIGN.md section 3), set once per cell:
 *   pkey_k, pkey_k2  two distinct non-zero pkeys allocated in the caller's
 *                    mm (pkey_alloc), carried by all of ck's memory;
 *   pkru_ck          the PKRU value the container kernel runs with.
 * From then on every ioctl on the cell fails with EPERM unless the caller
 * is in the mm that set it and its live PKRU equals pkru_ck; Pager entries
 * over memory keyed K or K2 fail with EPERM; and that mm can have no other
 * cell (CREATE_CELL from it, and every ioctl on another cell from it, fail
 * with EPERM). Errors: EINVAL for bad keys, flags or reserved fields; EBUSY
 * if the cell already has a descriptor or the mm already has an XGate cell;
 * EOPNOTSUPP without OS support for protection keys.
 */
struct paracell_xgate {
	__s32 pkey_k;
	__s32 pkey_k2;
	__u32 pkru_ck;
	__u32 flags;		/* must be zero */
	__u64 reserved[2];	/* must be zero */
};

#define PARACELL_SET_XGATE \
	_IOW(PARACELL_IOC_MAGIC, 0x12, struct paracell_xgate)

/*
 * Sealed code. PARACELL_SEAL copies len bytes from buf into pages of the
 * module's own, scans that private copy (include/paracell/scan.h: WRPKRU,
 * XRSTOR, WRFSBASE/WRGSBASE at every offset; and a partial pattern at the
 * end of the page-padded copy, which could complete across a neighbouring
 * seal) and returns a seal fd (O_RDONLY, O_CLOEXEC). On a hit it fails with
 * EPERM and reports the first hit's offset and kind.
 *
 * A seal fd maps only MAP_SHARED without PROT_WRITE (PROT_READ, optionally
 * PROT_EXEC); MAP_PRIVATE, PROT_WRITE and a later mprotect adding write are
 * refused, and so are writes through /proc/<pid>/mem or ptrace. A mapping
 * keeps its pages after the fd is closed, and fork inherits it. Equal
 * bytes sealed in the same pid namespace share one set of pages (the
 * module's own SHA-256 of its scanned copy, then a byte compare), counted
 * in seals_shared and shared_bytes.
 */
#define PARACELL_SEAL_MAX_BYTES	(256U << 20)

struct paracell_seal {
	__u64 buf;		/* user pointer to the code */
	__u64 len;		/* 1 .. PARACELL_SEAL_MAX_BYTES */
	__u32 flags;		/* must be zero */
	__u32 hit_kind;		/* out: enum paracell_scan_kind on EPERM */
	__u64 hit_offset;	/* out: offset of the pattern's 0F on EPERM */
	__u64 reserved[2];	/* must be zero */
};

#define PARACELL_SEAL \
	_IOWR(PARACELL_IOC_MAGIC, 0x13, struct paracell_seal)

/*
 * Sealed code found again by the file it came from (API version 2;
 * docs/sealed-code.md, "Seals found by their file"). Both ioctls take the
 * same struct; size must be sizeof(struct paracell_seal_file).
 *
 * PARACELL_SEAL_LOOKUP asks for the seal of len bytes of the file open on
 * fd, from its page-aligned offset, as the caller rewrote them under its
 * options (variant, compared as bytes, never read). It returns a new seal
 * fd (as PARACELL_SEAL's) holding the pages of an earlier seal, and the
 * blob the caller stored with it, if one exists in the caller's pid
 * namespace for the same file (the module's reference to it: the inode
 * cannot be reused meanwhile), offset, len and variant, the file's stat
 * (device, inode, size, ctime, mtime; and i_version where the fs keeps it)
 * is the one it had when the seal was stored, and nothing can have written
 * the file since without changing that (see below). buf must be zero.
 * Errors: ENOENT (a miss: status says whether a PARACELL_SEAL_FILE may
 * store the seal the caller makes now), ENOSPC (a hit whose blob is
 * longer than blob_len: blob_len says how long), EINVAL, EBADF.
 *
 * A miss with status PARACELL_SEAL_FILE_STORABLE holds, for the cell, the
 * file's stat and denies shared writable mappings of it (memfd's
 * F_SEAL_WRITE mechanism: mmap MAP_SHARED of a writable fd of it fails
 * with EPERM) until the next SEAL_LOOKUP or SEAL_FILE on the cell, or its
 * close. A file is storable if it is a regular file, has no shared
 * writable mapping, and its ctime is at least one second old (a change in
 * the same clock tick could keep it: git's racy-timestamp rule).
 *
 * PARACELL_SEAL_FILE seals buf as PARACELL_SEAL does (same checks,
 * errors, hit_kind and hit_offset) and, if the cell's held miss was for
 * this file, offset, len and variant and the file's stat has not changed
 * since, records the seal for later lookups with blob_len bytes of blob
 * (at most PARACELL_SEAL_BLOB_MAX) and sets status to
 * PARACELL_SEAL_FILE_STORED. The record lives as long as the seal's pages
 * (the last seal fd and mapping of them) and keeps shared writable
 * mappings of the file denied meanwhile. Pages that already hold a record
 * keep it: for the same file and key it takes the new stat (the file was
 * touched, its bytes the same), for another file nothing is recorded.
 */
#define PARACELL_SEAL_BLOB_MAX		(64U << 10)

#define PARACELL_SEAL_FILE_STORABLE	1	/* status: miss, may store */
#define PARACELL_SEAL_FILE_STORED	2	/* status: recorded */

struct paracell_seal_file {
	__u32 size;		/* sizeof(struct paracell_seal_file) */
	__u32 flags;		/* must be zero */
	__s32 fd;		/* the file, open for reading */
	__u32 blob_len;		/* SEAL_FILE: bytes; LOOKUP: room, out: bytes */
	__u64 offset;		/* of the code in the file, page aligned */
	__u64 len;		/* 1 .. PARACELL_SEAL_MAX_BYTES */
	__u64 variant[4];	/* the caller's rewrite options: part of the key */
	__u64 blob;		/* user pointer: the caller's notes */
	__u64 buf;		/* SEAL_FILE: user pointer to the code; LOOKUP: 0 */
	__u64 hit_offset;	/* out (SEAL_FILE): as PARACELL_SEAL's; in: 0 */
	__u32 hit_kind;		/* out (SEAL_FILE): as PARACELL_SEAL's; in: 0 */
	__u32 status;		/* out: PARACELL_SEAL_FILE_*; in: 0 */
	__u64 reserved[4];	/* must be zero */
};

#define PARACELL_SEAL_FILE \
	_IOWR(PARACELL_IOC_MAGIC, 0x14, struct paracell_seal_file)
#define PARACELL_SEAL_LOOKUP \
	_IOWR(PARACELL_IOC_MAGIC, 0x15, struct paracell_seal_file)

#endif /* _UAPI_LINUX_PARACELL_H */
