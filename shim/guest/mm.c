// SPDX-License-Identifier: Apache-2.0
/*
 * The program's address space, owned by ck (DESIGN.md section 5).
 *
 * ck records every mapping in a sorted region table: its own (R_CK: image,
 * K and K2 memory, altstacks, vDSO) and the program's. Memory syscalls are
 * emulated on anonymous memory with W^X: nothing touching an R_CK range is
 * allowed, PROT_EXEC only ever comes from a seal (file code is copied,
 * scanned and sealed), private file mappings are copies. The table also
 * lets ck read and write program memory only where the program has that
 * right, so no program pointer can make ck touch its own memory.
 *
 * Pager policy: MAP_POPULATE, brk growth (its first BRK_BIND bytes: a
 * larger growth is a reservation, and binding all of it would commit
 * memory the program may never touch) and the top of stacks are bound in
 * one batch per syscall; other mappings are left to faults; brk shrink
 * and MADV_DONTNEED unbind at once.
 */
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>

#include "ck.h"

#define CK_MAX_REGIONS	4096
#define BRK_MAX		(1ULL << 30)
#define STACK_BIND	(64 * 1024UL)
#define BRK_BIND	(64ULL << 20)
#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)
#define CK_USER_TOP	((1ULL << 47) - CK_PAGE)	/* TASK_SIZE, 4-level paging */

struct region {
	uint64_t start, end;
	int prot;
	enum ck_kind kind;
};

static struct region regions[CK_MAX_REGIONS];
static unsigned int nregions;
static uint64_t brk_start, brk_cur;

/* Removes [start, end) from the table, splitting regions at the edges. */
void ck_mm_remove(uint64_t start, uint64_t end)
{
	unsigned int i, j;

	for (i = 0; i < nregions; i++) {
		struct region *r = &regions[i];

		if (r->end <= start || r->start >= end)
			continue;
		if (r->start < start && r->end > end) {
			if (nregions == CK_MAX_REGIONS)
				ck_die(134, "region table full");
			memmove(r + 1, r, (nregions - i) * sizeof(*r));
			nregions++;
			r->end = start;
			r[1].start = end;
			return;
		}
		if (r->start < start) {
			r->end = start;
		} else if (r->end > end) {
			r->start = end;
		} else {
			for (j = i; j + 1 < nregions; j++)
				regions[j] = regions[j + 1];
			nregions--;
			i--;
		}
	}
}

/*
 * Adjacent (a just below b) program records with the same prot and kind.
 * ck's own records stay apart: ck_mm_region_of() finds the start-up
 * stack as the one line of /proc/self/maps it was.
 */
static int same(const struct region *a, const struct region *b)
{
	return a->end == b->start && a->prot == b->prot &&
	       a->kind == b->kind && a->kind != R_CK;
}

/* Removes record i, whose range the record below it takes up to end. */
static void drop(unsigned int i, uint64_t end)
{
	regions[i - 1].end = end;
	memmove(&regions[i], &regions[i + 1],
		(nregions - i - 1) * sizeof(regions[0]));
	nregions--;
}

int ck_mm_add(uint64_t start, uint64_t end, int prot, enum ck_kind kind)
{
	unsigned int i;

	ck_mm_remove(start, end);
	if (nregions == CK_MAX_REGIONS)
		return -ENOMEM;
	for (i = 0; i < nregions && regions[i].start < start; i++)
		;
	memmove(&regions[i + 1], &regions[i], (nregions - i) * sizeof(regions[0]));
	regions[i] = (struct region){ start, end, prot, kind };
	nregions++;
	/* One record for neighbours alike, as the kernel merges its VMAs. */
	if (i + 1 < nregions && same(&regions[i], &regions[i + 1]))
		drop(i + 1, regions[i + 1].end);
	if (i > 0 && same(&regions[i - 1], &regions[i]))
		drop(i, regions[i].end);
	return 0;
}

int ck_mm_overlaps_ck(uint64_t start, uint64_t end)
{
	unsigned int i;

	if (ck_mutant(CK_RANGES))
		return 0;
	for (i = 0; i < nregions; i++)
		if (regions[i].kind == R_CK && regions[i].start < end &&
		    regions[i].end > start)
			return 1;
	return 0;
}

/*
 * The kind shared by all of [start, end), or R_FREE if mixed or partly
 * unmapped; but R_CODE if sealed code lies anywhere in it, so that code's
 * rules (never writable, never moved) cover a range that mixes it in.
 */
static enum ck_kind kind_of(uint64_t start, uint64_t end)
{
	enum ck_kind kind = R_FREE;
	uint64_t at = start;
	int mixed = 0, code = 0;
	unsigned int i;

	for (i = 0; i < nregions; i++) {
		if (regions[i].end <= start || regions[i].start >= end)
			continue;
		code |= regions[i].kind == R_CODE;
		if (regions[i].start > at ||
		    (kind != R_FREE && regions[i].kind != kind))
			mixed = 1;
		kind = regions[i].kind;
		at = regions[i].end;
	}
	if (code)
		return R_CODE;
	return mixed || at < end ? R_FREE : kind;
}

static void set_prot(uint64_t start, uint64_t end, int prot)
{
	unsigned int i;

	for (i = 0; i < nregions; i++) {
		struct region r = regions[i];

		if (r.end <= start || r.start >= end || r.prot == prot)
			continue;
		if (r.start < start)
			ck_mm_add(r.start, start, r.prot, r.kind);
		if (r.end > end)
			ck_mm_add(end, r.end, r.prot, r.kind);
		ck_mm_add(r.start > start ? r.start : start,
			  r.end < end ? r.end : end, prot, r.kind);
		i = 0;
	}
}

int ck_mm_region_of(uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	unsigned int i;

	for (i = 0; i < nregions; i++) {
		if (regions[i].start <= addr && addr < regions[i].end) {
			*lo = regions[i].start;
			*hi = regions[i].end;
			return 0;
		}
	}
	return -ENOENT;
}

int ck_user_ok(uint64_t p, uint64_t len, int prot)
{
	uint64_t at = p, end = p + len;
	unsigned int i;

	if (end < p)
		return 0;
	for (i = 0; i < nregions && at < end; i++) {
		/* x86 page tables have no write-only: writable reads too */
		int have = regions[i].prot |
			   (regions[i].prot & PROT_WRITE ? PROT_READ : 0);

		if (regions[i].end <= at)
			continue;
		/* These mutants take ck's ranges for the program's. */
		if (regions[i].start > at ||
		    (regions[i].kind == R_CK ?
		     !(ck_mutant(USER_PKRU) || ck_mutant(USER_OK)) :
		     (have & prot) != prot))
			return 0;
		at = regions[i].end;
	}
	return at >= end;
}

/*
 * Program memory is touched only through ck_user_copy (the user PKRU,
 * plus the bounce buffer), after the range check; the USER_PKRU mutant
 * copies in the ck domain instead.
 */
static void user_copy(void *dst, const void *src, size_t len, int to_user)
{
	size_t n;

	for (; len; len -= n) {
		n = len < CK_BOUNCE_SIZE ? len : CK_BOUNCE_SIZE;
		if (ck_mutant(USER_PKRU))
			memcpy(dst, src, n);
		else
			ck_user_copy(dst, src, n, to_user);
		dst = (char *)dst + n;
		src = (const char *)src + n;
	}
}

int ck_copy_from_user(void *dst, uint64_t src, size_t len)
{
	if (!ck_user_ok(src, len, PROT_READ))
		return -EFAULT;
	user_copy(dst, (const void *)src, len, 0);
	return 0;
}

int ck_copy_to_user(uint64_t dst, const void *src, size_t len)
{
	if (!ck_user_ok(dst, len, PROT_WRITE))
		return -EFAULT;
	user_copy((void *)dst, src, len, 1);
	return 0;
}

/* The maps line [p, end): its range and "rwx" as PROT_ bits; 0 if none. */
static int maps_line(const char *p, const char *end, uint64_t *lo,
		     uint64_t *hi, int *prot)
{
	uint64_t *v = lo;

	*lo = *hi = 0;
	for (; p < end && *p != ' '; p++) {
		if (*p == '-')
			v = hi;
		else
			*v = *v * 16 + (uint64_t)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
	}
	if (end - p < 4)
		return 0;
	*prot = (p[1] == 'r' ? PROT_READ : 0) | (p[2] == 'w' ? PROT_WRITE : 0) |
		(p[3] == 'x' ? PROT_EXEC : 0);
	return *hi > *lo;
}

/*
 * Calls fn for each line of /proc/self/maps, read in pieces: the file can
 * be far larger than any buffer of ck's. A line longer than the buffer (a
 * path near PATH_MAX) is skipped. Returns 0, or -errno if it cannot open
 * the file.
 */
static int maps_each(void (*fn)(uint64_t lo, uint64_t hi, int prot,
				void *ctx), void *ctx)
{
	static char buf[8192];
	uint64_t lo, hi;
	long fd, n, have = 0;
	int prot, skip = 0;
	char *line, *nl;

	fd = ck_sys4(__NR_openat, -100, "/proc/self/maps", O_RDONLY, 0);
	if (fd < 0)
		return (int)fd;
	while ((n = ck_sys3(__NR_read, fd, buf + have,
			    (long)sizeof(buf) - have)) > 0) {
		have += n;
		for (line = buf; ; line = nl + 1) {
			for (nl = line; nl < buf + have && *nl != '\n'; nl++)
				;
			if (nl == buf + have)
				break;
			if (skip)	/* the rest of a line too long for buf */
				skip = 0;
			else if (maps_line(line, nl, &lo, &hi, &prot))
				fn(lo, hi, prot, ctx);
		}
		have -= line - buf;
		memmove(buf, line, (size_t)have);
		if (have == (long)sizeof(buf)) {
			have = 0;
			skip = 1;
		}
	}
	ck_sys1(__NR_close, fd);
	return 0;
}

static void init_one(uint64_t lo, uint64_t hi, int prot, void *ctx)
{
	(void)prot;
	(void)ctx;
	if (hi < (1ULL << 47))	/* not the vsyscall page */
		ck_mm_add(lo, hi, PROT_READ, R_CK);
}

/* Parses /proc/self/maps: everything there before the program is ck's. */
int ck_mm_init(void)
{
	return maps_each(init_one, 0);
}

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

static void bind(uint64_t start, uint64_t len)
{
	if (len)
		ck_pager_add(PARACELL_PAGER_BIND, start, len / CK_PAGE);
}

/*
 * A MAP_FIXED the host refused may already have unmapped what was there
 * (the kernel unmaps before a file's ->mmap can fail, e.g. a socket's
 * ENODEV): if any of the range is gone, forget its records, so that ck's
 * copies into it answer EFAULT, as Linux does, instead of faulting on
 * memory ck believes is there. (Forgetting a part that is still mapped
 * only makes ck refuse more.)
 */
static int replaces(int flags)
{
	/* The kernel takes MAP_FIXED_NOREPLACE over MAP_FIXED. */
	return (flags & MAP_FIXED) && !(flags & MAP_FIXED_NOREPLACE);
}

static void fixed_map_failed(uint64_t addr, uint64_t len)
{
	if (ck_sys3(__NR_madvise, addr, len, MADV_NORMAL) == -ENOMEM)
		ck_mm_remove(addr, addr + len);
}

/*
 * Linux checks that the fd can be mapped (open for reading: EACCES; a
 * file type with mmap: ENODEV for a directory, pipe, socket, /dev/null;
 * the offset in range: EOVERFLOW) before it touches the address space.
 * ck's copies would put their memory over a MAP_FIXED range first and
 * fail after, so ck asks the host the same question first: a read-only
 * mapping of the file, dropped at once.
 */
static long mappable(long fd, uint64_t len, long off)
{
	long p = ck_sys6(__NR_mmap, 0, (long)len, PROT_READ, MAP_PRIVATE, fd,
			 off);

	if (IS_ERR_VAL(p))
		return p;
	ck_sys2(__NR_munmap, p, (long)len);
	return 0;
}

/* A private file mapping, as a copy: anonymous memory filled with pread. */
static long map_file_copy(uint64_t addr, uint64_t len, int prot, int flags,
			  long fd, long off)
{
	long p, n;
	uint64_t done = 0;

	p = mappable(fd, len, off);
	if (p)
		return p;
	p = ck_sys6(__NR_mmap, (long)addr, (long)len, PROT_READ | PROT_WRITE,
		    (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) | MAP_PRIVATE |
		    MAP_ANONYMOUS, -1, 0);
	if (IS_ERR_VAL(p)) {
		if (replaces(flags))
			fixed_map_failed(addr, len);
		return p;
	}
	ck_mm_add((uint64_t)p, (uint64_t)p + len, PROT_READ | PROT_WRITE, R_ANON);
	while (done < len) {
		n = ck_sys_user(__NR_pread64, fd, p + (long)done,
				(long)(len - done), off + (long)done, 0, 0);
		if (n == -EINTR)
			continue;
		if (n < 0) {
			ck_sys2(__NR_munmap, p, len);
			ck_mm_remove((uint64_t)p, (uint64_t)p + len);
			return n;
		}
		if (n == 0)
			break;
		done += (uint64_t)n;
	}
	if (prot != (PROT_READ | PROT_WRITE)) {
		ck_sys3(__NR_mprotect, p, len, prot);
		set_prot((uint64_t)p, (uint64_t)p + len, prot);
	}
	return p;
}

/* PROT_EXEC from a file: read the bytes, seal them, map the seal. */
static long map_file_code(uint64_t addr, uint64_t len, int flags, long fd,
			  long off)
{
	uint64_t hit_off;
	unsigned int kind;
	long p, ret, n;
	char *buf;

	ret = mappable(fd, len, off);
	if (!ret)
		ret = ck_noexec(fd);
	if (ret)
		return ret;
	buf = ck_kalloc(len);
	if (!buf)
		return -ENOMEM;
	n = ck_sys4(__NR_pread64, fd, buf, len, off);
	if (n >= 0 && replaces(flags)) {
		/*
		 * Straight over what is there: a refused seal (a forbidden
		 * pattern) then leaves it as it was.
		 */
		p = ck_seal_map(addr, buf, len, &hit_off, &kind);
		if (p)
			fixed_map_failed(addr, len);
		else
			p = (long)addr;
	} else {
		/* A PROT_NONE reservation gives the address (or EEXIST). */
		p = n < 0 ? n : ck_sys6(__NR_mmap, (long)addr, (long)len,
					PROT_NONE, (flags & MAP_FIXED_NOREPLACE) |
					MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (!IS_ERR_VAL(p)) {
			ret = ck_seal_map((uint64_t)p, buf, len, &hit_off,
					  &kind);
			if (ret) {
				ck_sys2(__NR_munmap, p, len);
				p = ret;
			}
		}
	}
	ck_sys2(__NR_munmap, buf, len);
	ck_mm_remove((uint64_t)buf, (uint64_t)buf + len);
	return p;
}

long ck_sys_mmap(const long *a)
{
	uint64_t addr = (uint64_t)a[0], len = CK_ALIGN_UP((uint64_t)a[1], CK_PAGE);
	int prot = (int)a[2], flags = (int)a[3], type = flags & MAP_TYPE;
	int fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	long fd = (int)a[4], off = a[5], p;

	if (a[1] && len < (uint64_t)a[1])	/* rounds past 2^64 */
		return -ENOMEM;
	if (!a[1] || (off & (long)(CK_PAGE - 1)))
		return -EINVAL;
	prot &= PROT_ALL;	/* the kernel ignores every other bit */
	if (flags & MAP_GROWSDOWN)
		return -EINVAL;
	if (fixed && (addr & (CK_PAGE - 1)))
		return -EINVAL;
	if (fixed && ck_mm_overlaps_ck(addr, addr + len))
		return -EPERM;
	if (!(flags & MAP_ANONYMOUS) && CK_IS_CK_FD(fd) && !ck_mutant(FD_HIDE))
		return -EBADF;
	if ((prot & PROT_EXEC) && ck_mutant(WX))
		return ck_sys6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, off);
	if (prot & PROT_EXEC) {
		if ((flags & MAP_ANONYMOUS) || type != MAP_PRIVATE ||
		    (prot & PROT_WRITE))
			return -EACCES;
		return map_file_code(addr, len, flags, fd, off);
	}
	if (!(flags & MAP_ANONYMOUS) && type == MAP_PRIVATE)
		return map_file_copy(addr, len, prot, flags, fd, off);
	if (type == MAP_PRIVATE)
		flags &= ~MAP_POPULATE;	/* the Pager binds it instead */
	p = ck_sys6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, off);
	if (IS_ERR_VAL(p)) {
		if (replaces(flags))
			fixed_map_failed(addr, len);
		return p;
	}
	if (ck_mm_overlaps_ck((uint64_t)p, (uint64_t)p + len))
		ck_die(134, "host mmap returned ck's memory");
	ck_mm_add((uint64_t)p, (uint64_t)p + len, prot,
		  type == MAP_PRIVATE ? R_ANON : R_SHARED);
	if (type == MAP_PRIVATE && (flags & MAP_ANONYMOUS)) {
		if (a[3] & MAP_POPULATE)
			bind((uint64_t)p, len);
		else if ((flags & MAP_STACK) && (prot & PROT_WRITE))
			bind((uint64_t)p + len - (len < STACK_BIND ? len : STACK_BIND),
			     len < STACK_BIND ? len : STACK_BIND);
	}
	return p;
}

long ck_sys_munmap(const long *a)
{
	uint64_t addr = (uint64_t)a[0], len = CK_ALIGN_UP((uint64_t)a[1], CK_PAGE);
	long ret;

	if ((addr & (CK_PAGE - 1)) || !len || len > CK_USER_TOP ||
	    addr > CK_USER_TOP - len)
		return -EINVAL;
	if (ck_mm_overlaps_ck(addr, addr + len))
		return -EPERM;
	ret = ck_sys2(__NR_munmap, addr, len);
	if (!ret)
		ck_mm_remove(addr, addr + len);
	return ret;
}

struct resync {
	uint64_t at, end;
	int prot;
};

static void resync_one(uint64_t lo, uint64_t hi, int prot, void *ctx)
{
	struct resync *r = ctx;

	if (hi <= r->at || lo >= r->end)
		return;
	if (lo > r->at)
		ck_mm_remove(r->at, lo);
	lo = lo > r->at ? lo : r->at;
	hi = hi < r->end ? hi : r->end;
	if (prot == r->prot)
		set_prot(lo, hi, prot);
	r->at = hi;
}

/*
 * After an mprotect that failed part-way (the kernel changes the mappings
 * up to a hole, ENOMEM, or up to one it refuses, EACCES, and keeps the
 * change): [start, end) as /proc/self/maps now has it. Pieces that have
 * prot get it in the records, holes are forgotten, the rest is as it was.
 * If the maps cannot be read, all of it is forgotten (ck refuses more).
 */
#define RESYNC_HOLES	(-1)	/* a prot no mapping has: holes only */

static void resync_prot(uint64_t start, uint64_t end, int prot)
{
	struct resync r = { start, end, prot };

	if (maps_each(resync_one, &r))
		r.at = start;
	if (r.at < end)
		ck_mm_remove(r.at, end);
}

long ck_sys_mprotect(const long *a)
{
	uint64_t addr = (uint64_t)a[0], len = CK_ALIGN_UP((uint64_t)a[1], CK_PAGE);
	int prot = (int)a[2];
	enum ck_kind kind;
	long ret;

	/*
	 * The kernel's order: the grows bits, alignment, length 0 (done),
	 * wrap, then the bits it knows (PROT_SEM is accepted and ignored; a
	 * grows bit needs a VM_GROWSDOWN mapping, and ck makes none).
	 */
	if ((prot & PROT_GROWSDOWN) && (prot & PROT_GROWSUP))
		return -EINVAL;
	if (addr & (CK_PAGE - 1))
		return -EINVAL;
	if (!a[1])
		return 0;
	if (len < (uint64_t)a[1] || addr + len <= addr)
		return -ENOMEM;
	if (prot & ~(PROT_ALL | PROT_SEM))
		return -EINVAL;
	prot &= PROT_ALL;
	if (ck_mm_overlaps_ck(addr, addr + len))
		return -EPERM;
	if (ck_mutant(WX))
		return ck_sys3(__NR_mprotect, addr, len, prot);
	kind = kind_of(addr, addr + len);
	if (kind == R_CODE) {
		/*
		 * Sealed code: never writable; exec may only stay or go (the
		 * host filter never lets mprotect add it back: map it again).
		 */
		if (prot & PROT_WRITE)
			return -EACCES;
		if (prot & PROT_EXEC)
			return ck_user_ok(addr, len, PROT_EXEC) ? 0 : -EACCES;
	} else if (prot & PROT_EXEC) {
		return -EACCES;
	}
	ret = ck_sys3(__NR_mprotect, addr, len, prot);
	if (!ret)
		set_prot(addr, addr + len, prot);
	else if (ret == -ENOMEM || ret == -EACCES)
		resync_prot(addr, addr + len, prot);
	return ret;
}

long ck_sys_mremap(const long *a)
{
	uint64_t old = (uint64_t)a[0], olen = CK_ALIGN_UP((uint64_t)a[1], CK_PAGE);
	uint64_t nlen = CK_ALIGN_UP((uint64_t)a[2], CK_PAGE), dst = (uint64_t)a[4];
	int flags = (int)a[3];
	enum ck_kind kind;
	unsigned int i;
	int prot = 0;
	long p;

	if (ck_mm_overlaps_ck(old, old + (olen ? olen : CK_PAGE)))
		return -EPERM;
	if ((flags & MREMAP_FIXED) && ck_mm_overlaps_ck(dst, dst + nlen))
		return -EPERM;
	/*
	 * old_len 0 asks for a second mapping of the same pages: Linux makes
	 * one of a shared mapping only (EINVAL for private ones, EFAULT over
	 * a hole), and sealed code stays where it was sealed.
	 */
	kind = kind_of(old, old + (olen ? olen : CK_PAGE));
	if (kind == R_CODE || kind == R_BRK)
		return -EPERM;
	if (!olen && kind != R_SHARED)
		return kind == R_FREE ? -EFAULT : -EINVAL;
	for (i = 0; i < nregions; i++)
		if (regions[i].start <= old && regions[i].end > old)
			prot = regions[i].prot;
	p = ck_sys5(__NR_mremap, old, olen, nlen, flags, dst);
	if (IS_ERR_VAL(p)) {
		/*
		 * A move to a fixed place unmaps the destination (and a shrink
		 * the old tail) before it can still fail: forget what is gone.
		 */
		if (flags & MREMAP_FIXED) {
			resync_prot(dst, dst + nlen, RESYNC_HOLES);
			resync_prot(old, old + olen, RESYNC_HOLES);
		}
		return p;
	}
	if ((uint64_t)p == old && nlen <= olen) {
		/* Shrunk in place: only the tail went (over holes too). */
		ck_mm_remove(old + nlen, old + olen);
		return p;
	}
	if (!(flags & MREMAP_DONTUNMAP))
		ck_mm_remove(old, old + olen);
	ck_mm_add((uint64_t)p, (uint64_t)p + nlen, prot,
		  kind == R_FREE ? R_ANON : kind);
	return p;
}

/*
 * msync and mincore: the program's memory only; over ck's ranges (or a
 * range that wraps) they answer as over a hole: -ENOMEM, else 0. The
 * caller forwards them; mincore's vector is then written by the kernel
 * under the user PKRU, as for any forwarded call.
 */
long ck_mm_host_range(const long *a)
{
	uint64_t addr = (uint64_t)a[0], len = CK_ALIGN_UP((uint64_t)a[1], CK_PAGE);

	if (len < (uint64_t)a[1] || addr + len < addr ||
	    ck_mm_overlaps_ck(addr, addr + len))
		return -ENOMEM;
	return 0;
}

long ck_sys_madvise(const long *a)
{
	uint64_t addr = (uint64_t)a[0], len = CK_ALIGN_UP((uint64_t)a[1], CK_PAGE);
	enum ck_kind kind;
	int advice = (int)a[2];

	if ((addr & (CK_PAGE - 1)) || len < (uint64_t)a[1])
		return -EINVAL;
	if (!len)	/* touches nothing: the host checks the advice */
		return ck_sys3(__NR_madvise, addr, 0, advice);
	if (ck_mm_overlaps_ck(addr, addr + len))
		return -EPERM;
	kind = kind_of(addr, addr + len);
	if (advice == MADV_DONTNEED &&
	    (kind == R_ANON || kind == R_BRK || kind == R_STACK)) {
		ck_pager_add(PARACELL_PAGER_UNBIND, addr, len / CK_PAGE);
		ck_pager_flush();
		return 0;
	}
	return ck_sys3(__NR_madvise, addr, len, advice);
}

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
	brk_start = brk_cur = start;
	return 0;
}

long ck_sys_brk(const long *a)
{
	uint64_t want = (uint64_t)a[0], old_pg, new_pg;

	if (want < brk_start || want > brk_start + BRK_MAX)
		return (long)brk_cur;
	old_pg = CK_ALIGN_UP(brk_cur, CK_PAGE);
	new_pg = CK_ALIGN_UP(want, CK_PAGE);
	/* The program may unmap the reservation; ck may map there since. */
	if (ck_mm_overlaps_ck(old_pg < new_pg ? old_pg : new_pg,
			      old_pg < new_pg ? new_pg : old_pg))
		return (long)brk_cur;
	if (new_pg > old_pg) {
		/* Not over what the program mapped there since: Linux refuses. */
		if (kind_of(old_pg, new_pg) != R_BRK)
			return (long)brk_cur;
		if (ck_sys3(__NR_mprotect, old_pg, new_pg - old_pg,
			    PROT_READ | PROT_WRITE))
			return (long)brk_cur;
		set_prot(old_pg, new_pg, PROT_READ | PROT_WRITE);
		bind(old_pg, new_pg - old_pg < BRK_BIND ? new_pg - old_pg :
		     BRK_BIND);
	} else if (new_pg < old_pg) {
		ck_pager_add(PARACELL_PAGER_UNBIND, new_pg,
			     (old_pg - new_pg) / CK_PAGE);
		ck_pager_flush();
		ck_sys3(__NR_mprotect, new_pg, old_pg - new_pg, PROT_NONE);
		set_prot(new_pg, old_pg, PROT_NONE);
	}
	brk_cur = want;
	return (long)brk_cur;
}
