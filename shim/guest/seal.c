// SPDX-License-Identifier: Apache-2.0
/*
 * Sealed code for the program: the only executable memory it gets. On the
 * module, PARACELL_SEAL scans a private copy and returns a seal fd; on the
 * fallback ck scans and seals a memfd itself. Either way the seal is
 * mapped MAP_SHARED through CK_FD_SEAL, the one fd the host filter lets be
 * mapped with PROT_EXEC, and never MAP_PRIVATE (DESIGN.md section 3).
 */
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/memfd.h>
#include <linux/mman.h>
#include <asm/statfs.h>

#include <paracell/scan.h>

#include "ck.h"

/*
 * The fallback seals the very bytes it scanned, ck's copy in K, never
 * the file again: the SEAL_REREAD mutant reads the file anew after the
 * scan (what another process wrote meanwhile gets sealed unscanned).
 */
static long fallback_seal(struct ck_code *c, int scan,
			  struct paracell_scan_hit *hit)
{
	const long seals = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW |
			   F_SEAL_SEAL;
	const char *code = (const char *)c->buf;
	size_t done = 0, len = c->len;
	long fd, n, ret = 0;

	if (scan && paracell_scan_seal(code, len, CK_PAGE, hit))
		return -EPERM;
	if (ck_mutant(SEAL_REREAD) && c->fd >= 0 &&
	    ck_sys4(__NR_pread64, c->fd, c->buf, len, c->off) < 0)
		return -EIO;
	fd = ck_sys2(__NR_memfd_create, "ck-seal",
		     MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0)
		return fd;
	while (!ret && done < len) {
		n = ck_sys3(__NR_write, fd, code + done, len - done);
		if (n <= 0)
			ret = n < 0 ? n : -EIO;
		else
			done += (size_t)n;
	}
	if (!ret)
		ret = ck_sys3(__NR_fcntl, fd, F_ADD_SEALS, seals);
	if (ret) {
		ck_sys1(__NR_close, fd);
		return ret;
	}
	return fd;
}

/*
 * The seal reaches CK_FD_SEAL through a number the program can name (the
 * lowest free one, then dup3): another thread may close that number and
 * open a file of its own on it in between. So what is on CK_FD_SEAL
 * afterwards, which the program cannot name, is checked before it is
 * mapped. The module's seal is an anonymous inode (a memfd or a file is
 * not, and the program can make no other mappable one: io_uring, perf and
 * bpf are denied); the fallback's memfd must be sealed against writes
 * and hold exactly the bytes ck scanned, nothing more.
 */
#define CK_ANON_INODE_FS_MAGIC	0x09041934

static long seal_on_slot_is_ours(int module, const void *code, size_t len)
{
	const long want = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW;
	char buf[32768];	/* on the K stack (256 KiB) */
	struct statfs fs;
	size_t off, n;
	long r;

	if (module)
		return !ck_sys2(__NR_fstatfs, CK_FD_SEAL, &fs) &&
		       fs.f_type == CK_ANON_INODE_FS_MAGIC ? 0 : -EPERM;
	r = ck_sys2(__NR_fcntl, CK_FD_SEAL, F_GET_SEALS);
	if (r < 0 || (r & want) != want)
		return -EPERM;
	for (off = 0; off <= len; off += n) {
		n = len - off < sizeof(buf) ? len - off : sizeof(buf);
		r = ck_sys4(__NR_pread64, CK_FD_SEAL, buf, n ? n : 1, off);
		if (n ? r != (long)n || memcmp(buf, (const char *)code + off, n)
		      : r != 0)
			return -EPERM;
		if (!n)
			break;
	}
	return 0;
}

long ck_seal_map(struct ck_code *c, enum ck_kind kind, uint64_t *hit_off,
		 unsigned int *hit_kind)
{
	const void *code = c->buf;
	uint64_t addr = c->addr;
	size_t len = c->len;
	struct paracell_scan_hit hit = { 0, PARACELL_SCAN_NONE };
	struct paracell_seal req = {
		.buf = (uint64_t)(uintptr_t)code, .len = len,
	};
	uint64_t maplen = CK_ALIGN_UP(len, CK_PAGE);
	long fd, p;
	int scan = !ck_mutant(LOAD_SCAN) && !ck_mutant(DETOUR_KEEP) &&
		   !(kind == R_JIT && ck_mutant(JIT_SCAN));
	int module = ck_env.cell_fd >= 0 && scan && !ck_mutant(SEAL_REREAD);

	/* A MAP_FIXED over ck's text or data would hand it to the program. */
	*hit_kind = PARACELL_SCAN_NONE;
	if (ck_mm_overlaps_ck(addr, addr + maplen))
		return -EPERM;
	/*
	 * The last seal (or the slot's memfd) goes first: the new seal needs
	 * a free number, and the program may hold every other one up to its
	 * limit. Another thread may take the number the seal gets before
	 * it reaches the slot: seal_on_slot_is_ours checks what did.
	 */
	ck_sys1(__NR_close, CK_FD_SEAL);
	if (c->found) {		/* sealrec.c: the module's pages, found */
		fd = c->found_fd;
		module = 1;
	} else if (module && c->record) {	/* sealed and recorded */
		fd = ck_sealrec_store(c, &hit);
	} else if (module) {
		fd = ck_sys3(__NR_ioctl, ck_env.cell_fd, PARACELL_SEAL, &req);
		hit.offset = req.hit_offset;
		hit.kind = req.hit_kind;
	} else {
		fd = fallback_seal(c, scan, &hit);
	}
	if (fd < 0) {
		*hit_off = hit.offset;
		*hit_kind = hit.kind;
		goto out;
	}
	if (fd != CK_FD_SEAL) {
		p = ck_sys3(__NR_dup3, fd, CK_FD_SEAL, O_CLOEXEC);
		ck_sys1(__NR_close, fd);
		fd = p;
		if (p < 0)
			goto out;
	}
	/* The seal stays on CK_FD_SEAL until the next: the slot stays ck's. */
	ck_learn_own_file(CK_FD_SEAL);
	p = seal_on_slot_is_ours(module, code, len);
	if (p)
		return p;
	p = ck_sys6(__NR_mmap, (long)addr, (long)maplen, PROT_READ | PROT_EXEC,
		    MAP_SHARED | MAP_FIXED, CK_FD_SEAL, 0);
	if (IS_ERR_VAL(p))
		return p;
	ck_mm_add(addr, addr + maplen, PROT_READ | PROT_EXEC, kind);
	return 0;
out:
	ck_hold_fd_slot(CK_FD_SEAL);
	ck_learn_own_file(CK_FD_SEAL);	/* whatever holds the slot now */
	return fd;
}

/*
 * Nothing on a noexec mount runs natively (execve: EACCES, mmap with
 * PROT_EXEC: EPERM). ck reads and seals what it runs, so it asks the
 * mount: -EPERM for a file there.
 */
#define CK_ST_NOEXEC	0x0008

long ck_noexec(long fd)
{
	struct statfs fs;
	long ret;

	if (ck_mutant(NOEXEC))
		return 0;
	ret = ck_sys2(__NR_fstatfs, fd, &fs);
	if (ret)
		return ret;
	return (fs.f_flags & CK_ST_NOEXEC) ? -EPERM : 0;
}

static int count_hit(void *ctx, size_t off, unsigned int kind)
{
	(void)off;
	(void)kind;
	++*(unsigned int *)ctx;
	return 0;
}

unsigned int ck_scan_count(const uint8_t *buf, size_t len, size_t lo,
			   size_t hi)
{
	unsigned int n = 0;

	paracell_scan_range(buf, len, lo, hi, 0, count_hit, &n);
	return n;
}
