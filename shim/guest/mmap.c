// SPDX-License-Identifier: Apache-2.0
/*
 * The program's memory syscalls (DESIGN.md section 5): mmap, munmap,
 * mprotect, mremap, madvise, msync and mincore, emulated on anonymous
 * memory with W^X: nothing touching ck's ranges, PROT_EXEC only ever from
 * a seal (file code is read, scanned and sealed: seal.c; anonymous memory
 * asked PROT_EXEC is sealed in place as JIT code: jit.c). A private file
 * mapping without PROT_EXEC is the host's (R_FILE): its pages stay the
 * page cache's, shared as natively, never executable (mprotect adding
 * PROT_EXEC seals a copy, jit.c). Until 2026-12-07 ck mapped them as
 * anonymous copies filled with pread, which cost every process its own
 * copy of each library's read-only data (tests/bench/code-mem.bench: 100
 * bash processes held 185 MB of Anonymous: against 26 MB natively).
 * Pager policy (pager.c): MAP_POPULATE, the top of
 * MAP_STACK mappings and the head of other writable anonymous ones, as
 * much as the policy says, are bound in one batch per syscall, the rest
 * left to faults; MADV_DONTNEED unbinds at once (brk: brk.c).
 */
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>

#include "ck.h"

#define PROT_ALL	(PROT_READ | PROT_WRITE | PROT_EXEC)
#define CK_USER_TOP	((1ULL << 47) - CK_PAGE)	/* TASK_SIZE, 4-level paging */

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

/*
 * PROT_EXEC from a file: read the bytes, seal them (sites.c: rewritten at
 * real XRSTOR/WRPKRU sites), map the seal.
 */
static long map_file_code(uint64_t addr, uint64_t len, int flags, long fd,
			  long off)
{
	struct ck_code c = { .fd = fd, .off = (uint64_t)off, .len = len };
	int fixed = replaces(flags);
	long p, ret, n;

	ret = mappable(fd, len, off);
	if (!ret)
		ret = ck_noexec(fd);
	if (ret)
		return ret;
	/*
	 * Straight over what is there (a refused seal, a forbidden pattern,
	 * then leaves it as it was), or a PROT_NONE reservation gives the
	 * address (or EEXIST).
	 */
	p = fixed ? (long)addr :
	    ck_sys6(__NR_mmap, (long)addr, (long)len, PROT_NONE,
		    (flags & MAP_FIXED_NOREPLACE) | MAP_PRIVATE | MAP_ANONYMOUS,
		    -1, 0);
	if (IS_ERR_VAL(p))
		return p;
	c.addr = (uint64_t)p;
	ret = ck_code_found(&c);	/* sealrec.c: sealed before, found */
	if (!ret) {
		c.buf = ck_kalloc(len);
		n = c.buf ? ck_sys4(__NR_pread64, fd, c.buf, len, off) :
			    -ENOMEM;
		ret = n < 0 ? n : ck_code_seal(&c);
		if (c.buf) {
			ck_sys2(__NR_munmap, c.buf, len);
			ck_mm_remove((uint64_t)c.buf, (uint64_t)c.buf + len);
		}
	}
	ck_scratch_release();	/* the seal pass's, under ck_proc's lock */
	if (ret < 0 && fixed)
		fixed_map_failed(addr, len);
	else if (ret < 0)
		ck_sys2(__NR_munmap, p, len);
	return ret < 0 ? ret : p;
}

/*
 * Anonymous PROT_EXEC (without PROT_WRITE): readable zeros, sealed as JIT
 * code (jit.c), so that a later PROT_WRITE unseals it as any JIT page.
 */
static long map_jit_zeros(struct ck_task *t, const long *a, uint64_t len)
{
	const long b[6] = { a[0], a[1], PROT_READ, a[3], a[4], a[5] };
	long p = ck_sys_mmap(t, b), ret;

	if (IS_ERR_VAL(p))
		return p;
	ret = ck_jit_seal((uint64_t)p, len);
	if (ret) {
		ck_sys2(__NR_munmap, p, (long)len);
		ck_mm_remove((uint64_t)p, (uint64_t)p + len);
		return ret;
	}
	return p;
}

long ck_sys_mmap(struct ck_task *t, const long *a)
{
	uint64_t addr = (uint64_t)a[0], len = CK_ALIGN_UP((uint64_t)a[1], CK_PAGE);
	int prot = (int)a[2], flags = (int)a[3], type = flags & MAP_TYPE;
	int fixed = flags & (MAP_FIXED | MAP_FIXED_NOREPLACE);
	long fd = (int)a[4], off = a[5], p;

	(void)t;
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
		return ck_refuse(-EPERM);
	if (!(flags & MAP_ANONYMOUS) && ck_fd_hidden(fd))
		return -EBADF;
	if ((prot & PROT_EXEC) && ck_mutant(WX))
		return ck_sys6(__NR_mmap, (long)addr, (long)len, prot, flags, fd, off);
	if (prot & PROT_EXEC) {
		if (type != MAP_PRIVATE || (prot & PROT_WRITE))
			return -EACCES;
		if (flags & MAP_ANONYMOUS)
			return map_jit_zeros(t, a, len);
		return map_file_code(addr, len, flags, fd, off);
	}
	if (type == MAP_PRIVATE && (flags & MAP_ANONYMOUS))
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
		  type != MAP_PRIVATE ? R_SHARED :
		  (flags & MAP_ANONYMOUS) ? R_ANON : R_FILE);
	if (type == MAP_PRIVATE && (flags & MAP_ANONYMOUS)) {
		if (a[3] & MAP_POPULATE)
			ck_pager_bind((uint64_t)p, len);
		else if ((flags & MAP_STACK) && (prot & PROT_WRITE))
			ck_pager_bind((uint64_t)p + len -
				      ck_pager_bind_len(CK_BIND_STACK, len),
				      ck_pager_bind_len(CK_BIND_STACK, len));
		else if (prot & PROT_WRITE)
			ck_pager_bind((uint64_t)p,
				      ck_pager_bind_len(CK_BIND_MMAP, len));
	}
	return p;
}

long ck_sys_munmap(struct ck_task *t, const long *a)
{
	uint64_t addr = (uint64_t)a[0], len = CK_ALIGN_UP((uint64_t)a[1], CK_PAGE);
	long ret;

	(void)t;
	if ((addr & (CK_PAGE - 1)) || !len || len > CK_USER_TOP ||
	    addr > CK_USER_TOP - len)
		return -EINVAL;
	if (ck_mm_overlaps_ck(addr, addr + len))
		return ck_refuse(-EPERM);
	ret = ck_sys2(__NR_munmap, addr, len);
	if (!ret) {
		ck_mm_remove(addr, addr + len);
		ck_sites_drop(addr, addr + len);
	}
	return ret;
}

long ck_sys_mprotect(struct ck_task *t, const long *a)
{
	uint64_t addr = (uint64_t)a[0], len = CK_ALIGN_UP((uint64_t)a[1], CK_PAGE);
	int prot = (int)a[2];
	enum ck_kind kind;
	long ret;

	(void)t;
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
		return ck_refuse(-EPERM);
	if (ck_mutant(WX))
		return ck_sys3(__NR_mprotect, addr, len, prot);
	kind = ck_mm_kind_of(addr, addr + len);
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
		/* Anonymous memory the program wrote: JIT code (jit.c). */
		return prot & PROT_WRITE ? -EACCES : ck_jit_seal(addr, len);
	} else if (kind == R_JIT && (prot & PROT_WRITE)) {
		/* W^X flipped back: the program writes its code again. */
		ret = ck_jit_unseal(addr, addr + len);
		if (ret)
			return ret;
	}
	ret = ck_sys3(__NR_mprotect, addr, len, prot);
	if (!ret)
		ck_mm_set_prot(addr, addr + len, prot);
	else if (ret == -ENOMEM || ret == -EACCES)
		ck_mm_resync(addr, addr + len, prot);
	return ret;
}

long ck_sys_mremap(struct ck_task *t, const long *a)
{
	uint64_t old = (uint64_t)a[0], olen = CK_ALIGN_UP((uint64_t)a[1], CK_PAGE);
	uint64_t nlen = CK_ALIGN_UP((uint64_t)a[2], CK_PAGE), dst = (uint64_t)a[4];
	int flags = (int)a[3];
	enum ck_kind kind;
	int prot;
	long p;

	(void)t;
	if (ck_mm_overlaps_ck(old, old + (olen ? olen : CK_PAGE)))
		return ck_refuse(-EPERM);
	if ((flags & MREMAP_FIXED) && ck_mm_overlaps_ck(dst, dst + nlen))
		return ck_refuse(-EPERM);
	/*
	 * old_len 0 asks for a second mapping of the same pages: Linux makes
	 * one of a shared mapping only (EINVAL for private ones, EFAULT over
	 * a hole), and sealed code stays where it was sealed.
	 */
	kind = ck_mm_kind_of(old, old + (olen ? olen : CK_PAGE));
	if (kind == R_CODE || kind == R_JIT || kind == R_BRK)
		return ck_refuse(-EPERM);
	if (!olen && kind != R_SHARED)
		return kind == R_FREE ? -EFAULT : -EINVAL;
	prot = ck_mm_prot_at(old);
	p = ck_sys5(__NR_mremap, old, olen, nlen, flags, dst);
	if (IS_ERR_VAL(p)) {
		/*
		 * A move to a fixed place unmaps the destination (and a shrink
		 * the old tail) before it can still fail: forget what is gone.
		 */
		if (flags & MREMAP_FIXED) {
			ck_mm_resync(dst, dst + nlen, CK_RESYNC_HOLES);
			ck_mm_resync(old, old + olen, CK_RESYNC_HOLES);
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

long ck_sys_madvise(struct ck_task *t, const long *a)
{
	uint64_t addr = (uint64_t)a[0], len = CK_ALIGN_UP((uint64_t)a[1], CK_PAGE);
	enum ck_kind kind;
	int advice = (int)a[2];

	(void)t;
	if ((addr & (CK_PAGE - 1)) || len < (uint64_t)a[1])
		return -EINVAL;
	if (!len)	/* touches nothing: the host checks the advice */
		return ck_sys3(__NR_madvise, addr, 0, advice);
	if (ck_mm_overlaps_ck(addr, addr + len))
		return ck_refuse(-EPERM);
	kind = ck_mm_kind_of(addr, addr + len);
	if (advice == MADV_DONTNEED &&
	    (kind == R_ANON || kind == R_BRK || kind == R_STACK)) {
		ck_pager_add(PARACELL_PAGER_UNBIND, addr, len / CK_PAGE);
		ck_pager_flush();
		return 0;
	}
	return ck_sys3(__NR_madvise, addr, len, advice);
}

long ck_sys_msync(struct ck_task *t, const long *a)
{
	long ret = ck_mm_host_range(a);

	(void)t;
	return ret ? ret : ck_forward_args(a, __NR_msync);
}

long ck_sys_mincore(struct ck_task *t, const long *a)
{
	long ret = ck_mm_host_range(a);

	(void)t;
	return ret ? ret : ck_forward_args(a, __NR_mincore);
}
