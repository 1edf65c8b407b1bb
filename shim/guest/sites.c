// SPDX-License-Identifier: Apache-2.0
/*
 * One path for all code the program gets (DESIGN.md section 3, "The module
 * enforces, ck rewrites"): the program's and its interpreter's executable
 * segments (loader.c) and every PROT_EXEC file mapping (mmap.c: ld.so
 * loading libraries) come here as bytes ck read into K memory.
 *
 * Each forbidden pattern is classified (unwind.c). Kind 1, a real XRSTOR
 * or WRPKRU at an instruction start, is rewritten in ck's copy: the
 * instruction's bytes become `int $0x80` (CD 80) and INT3s. Under Syscall
 * User Dispatch an int $0x80 from the program never reaches the host's
 * syscall table nor its filter: it arrives at ck's gate as a SIGSYS with
 * the i386 arch, every register as it was (nothing is clobbered, unlike
 * `syscall`'s RCX and R11, so no liveness proof is needed per site), and
 * trap.c hands it here: if its address is a site ck rewrote, ck emulates
 * the instruction (siteemu.c) and resumes after it; any other int $0x80
 * still gets ENOSYS. A jump into the INT3s of a site traps (SIGTRAP, the
 * process dies).
 *
 * Kind 3, a pattern no function's range holds, is taken as data (what is
 * not proven code must never run): if no function's range meets its page
 * (or pages), the page is data only, as libcrypto's ecp_nistz256 table
 * is: the seal gets INT3s there, and the file's bytes are mapped over it
 * read-only, not executable (the region table has them as plain memory,
 * so mprotect can never add PROT_EXEC). Reads see the table; a jump there
 * faults. Kind 2, a pattern inside an instruction the decode reaches, is
 * detoured through a trampoline (detour.c). A kind 2 no detour covers, a
 * kind 3 on a page that holds code, a kind 1 WRFSBASE or WRGSBASE (not
 * emulated) and a file without an unwind table refuse the code, naming
 * the file and offset.
 *
 * Nothing here is the wall: the module (or the fallback) scans the bytes
 * as rewritten, and junctions are covered by the seal's own rule (a seal
 * whose last page ends in 0F, 0F 01 or 0F AE is refused, so no pattern
 * can span two seals).
 */
#include <linux/errno.h>
#include <linux/mman.h>

#include <paracell/scan.h>

#include "ck.h"
#include "unwind.h"

#define CK_INT80	0xcd
#define CK_INT3		0xcc
#define MAX_HITS	64

struct ck_site ck_sites[CK_MAX_SITES];

/*
 * The unwind table is read in many small pieces (a binary search of
 * .eh_frame_hdr per site, then the FDE): one pread each cost a bash exec
 * 8,000 host syscalls once the direct gate looked up every syscall site.
 * Reads go through WAYS windows of WIN bytes of the file, the least
 * recently used refilled; a read over half a window goes to the file.
 * One seal pass at a time uses them (under ck_proc's lock, as the pass),
 * and the pass gives the pages back at its end: madvise needs a page-
 * aligned start, so the windows are page-aligned (unaligned, the call
 * failed with EINVAL and ck kept 40 KiB of windows a process).
 */
#define WIN	16384
#define WAYS	4

static struct file_cache {
	long fd;
	int used;
	unsigned int clock, age[WAYS];
	uint64_t off[WAYS];
	size_t len[WAYS];	/* 0: empty */
	uint8_t buf[WAYS][WIN] __attribute__((aligned(4096)));
} fc CK_SCRATCH;	/* the pass's (ck.h) */

/* Up to n bytes at off (fewer at the end of the file), or -1. */
static long pread_upto(long fd, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;
	long r;

	while (done < n) {
		r = ck_sys4(__NR_pread64, fd, (char *)buf + done, n - done,
			    off + done);
		if (r == -EINTR)
			continue;
		if (r < 0)
			return -1;
		if (!r)
			break;
		done += (size_t)r;
	}
	return (long)done;
}

static long file_read(void *ctx, uint64_t off, void *buf, size_t n)
{
	struct file_cache *f = ctx;
	unsigned int i, w = 0;
	long got;

	for (i = 0; i < WAYS; i++) {
		if (f->len[i] && off >= f->off[i] &&
		    off - f->off[i] <= f->len[i] &&
		    n <= f->len[i] - (off - f->off[i])) {
			memcpy(buf, f->buf[i] + (off - f->off[i]), n);
			f->age[i] = ++f->clock;
			return 0;
		}
	}
	if (n > WIN / 2)
		return pread_upto(f->fd, buf, n, off) == (long)n ? 0 : -1;
	for (i = 1; i < WAYS; i++)
		if (f->age[i] < f->age[w])
			w = i;
	f->used = 1;
	f->off[w] = CK_ALIGN_DOWN(off, CK_PAGE);	/* off + n fits in WIN */
	got = pread_upto(f->fd, f->buf[w], WIN, f->off[w]);
	f->len[w] = got < 0 ? 0 : (size_t)got;
	f->age[w] = ++f->clock;
	if (got < 0 || off + n > f->off[w] + (uint64_t)got)
		return -1;
	memcpy(buf, f->buf[w] + (off - f->off[w]), n);
	return 0;
}

static struct file_cache *cache_open(long fd)
{
	memset(fc.len, 0, sizeof(fc.len));
	memset(fc.age, 0, sizeof(fc.age));
	fc.fd = fd;
	return &fc;
}

static void cache_close(void)
{
	if (fc.used)
		ck_sys3(__NR_madvise, (long)fc.buf, sizeof(fc.buf),
			MADV_DONTNEED);
	fc.used = 0;
}

struct hits {
	struct paracell_scan_hit h[MAX_HITS];
	unsigned int n;
};

static int collect(void *ctx, size_t offset, unsigned int kind)
{
	struct hits *hs = ctx;

	if (hs->n == MAX_HITS)
		return 1;
	hs->h[hs->n].offset = offset;
	hs->h[hs->n].kind = kind;
	hs->n++;
	return 0;
}

static const char *site_kind_name(int k)
{
	switch (k) {
	case CK_SITE_INSIDE:
		return "inside another instruction (kind 2)";
	case CK_SITE_NOCODE:
		return "in no function's code: data or code without unwind "
		       "entries (kind 3)";
	case -1:
		return "in no function's code (kind 3), on a page that holds "
		       "code";
	default:
		return "an instruction ck does not emulate";
	}
}

static void say_refused(const struct ck_code *c, size_t off, unsigned int kind,
			const char *why)
{
	char name[256], fdp[32];
	const char *path = c->path;
	long n;

	if (!path) {	/* the file ld.so mapped: its fd's link names it */
		ck_fd_path(fdp, c->fd);
		n = ck_sys4(__NR_readlinkat, -100, fdp, name, sizeof(name) - 1);
		name[n > 0 ? n : 0] = 0;
		path = n > 0 ? name : "(file)";
	}
	ck_dprintf(2, "ck: %s: forbidden instruction (%s) at file offset "
		   "0x%lx: %s: refusing to run it\n", path,
		   paracell_scan_kind_name(kind), (unsigned long)(c->off + off),
		   why);
}

/* Forgets the sites in [lo, hi): the code there is gone or replaced. */
void ck_sites_drop(uint64_t lo, uint64_t hi)
{
	unsigned int i;

	for (i = 0; i < CK_MAX_SITES; i++)
		if (ck_sites[i].addr >= lo && ck_sites[i].addr < hi)
			ck_sites[i].addr = 0;
	ck_direct_drop(lo, hi);
	ck_detour_drop(lo, hi);
}

static int site_add(const struct ck_site *s)
{
	unsigned int i;

	for (i = 0; i < CK_MAX_SITES; i++)
		if (!ck_sites[i].addr) {
			ck_sites[i] = *s;
			return 0;
		}
	return -ENOMEM;
}

const struct ck_site *ck_site_at(uint64_t addr)
{
	unsigned int i;

	for (i = 0; addr && i < CK_MAX_SITES; i++)
		if (ck_sites[i].addr == addr)
			return &ck_sites[i];
	return 0;
}

/*
 * Rewrites every kind-1 site of c->buf into a trap, recording it in
 * sites (at most max); -EPERM (message printed) on any other pattern.
 */
#define rw ck_code_notes

static int is_data(const struct rw *r, size_t pg)
{
	unsigned int i;

	for (i = 0; i < r->ndata; i++)
		if (r->data[i] == pg)
			return 1;
	return 0;
}

/*
 * A kind-3 pattern at buf[hit]: its page, and the next if the pattern
 * runs into it, become data pages if no function's range meets them.
 */
static int data_pages(struct ck_code *c, const struct ck_elfview *v,
		      struct rw *r, size_t hit)
{
	size_t lo = CK_ALIGN_DOWN(hit, CK_PAGE), pg;
	size_t hi = CK_ALIGN_UP(hit + 3 < c->len ? hit + 3 : c->len, CK_PAGE);
	int64_t va = ck_elfview_vaddr(v, c->off + lo);

	if (va < 0 || c->len < hi ||
	    !ck_elfview_data_only(v, (uint64_t)va, (uint64_t)va + (hi - lo)))
		return -1;
	for (pg = lo; pg < hi; pg += CK_PAGE) {
		if (is_data(r, pg))
			continue;
		if (r->ndata == CK_MAX_DATA)
			return -1;
		r->data[r->ndata++] = pg;
		memset(c->buf + pg, CK_INT3, CK_PAGE);
	}
	return 0;
}

/*
 * The kind-2 sites planned: detoured (their seal then unrecorded: its
 * notes cannot rebuild the trampolines), or the file refused at the first
 * one no trampoline covers.
 */
static long detour(struct ck_code *c, const struct hits *hs)
{
	size_t hit = 0;
	unsigned int i, kind = 0;
	long ret = ck_detour_build(c, &hit);

	if (!ret)
		return 0;
	for (i = 0; i < hs->n; i++)
		if (hs->h[i].offset == hit)
			kind = hs->h[i].kind;
	say_refused(c, hit, kind, "inside another instruction (kind 2), "
		    "which no detour covers");
	c->refused = 1;
	return -EPERM;
}

static long rewrite(struct ck_code *c, struct rw *r, struct file_cache *f)
{
	struct ck_elfview v = { .read = file_read, .ctx = f };
	struct hits hs = { .n = 0 };
	struct ck_insn in;
	unsigned int i;
	size_t start;
	int k, loaded = 0;

	r->nsites = r->ndata = 0;
	ck_detour_commit(c, 0);		/* no plan left from a refused seal */
	paracell_scan_each(c->buf, c->len, 0, collect, &hs);
	for (i = 0; i < hs.n; i++) {
		if (!loaded && ck_elfview_init(&v))
			v.fdes = v.nloads = 0;
		loaded = 1;
		if (is_data(r, CK_ALIGN_DOWN(hs.h[i].offset, CK_PAGE)))
			continue;	/* INT3s now */
		k = ck_site_classify(&v, c->buf, c->len, c->off,
				     hs.h[i].offset, &start, &in);
		if (k == CK_SITE_INSN && in.kind != CK_KIND_XRSTOR &&
		    in.kind != CK_KIND_WRPKRU)
			k = 0;
		if (k == CK_SITE_NOCODE && !data_pages(c, &v, r, hs.h[i].offset))
			continue;
		if (k == CK_SITE_NOCODE)
			k = -1;
		/* Kind 2 in a known instruction: detoured (detour.c). */
		if (k == CK_SITE_INSIDE && start != (size_t)-1 &&
		    !ck_detour_plan(c, hs.h[i].offset, start, &in))
			continue;
		if (k != CK_SITE_INSN || r->nsites == CK_SITES_PER_SEAL) {
			say_refused(c, hs.h[i].offset, hs.h[i].kind,
				    r->nsites == CK_SITES_PER_SEAL ?
				    "one site too many" : site_kind_name(k));
			c->refused = 1;
			return -EPERM;
		}
		r->sites[r->nsites].addr = c->addr + start;
		r->sites[r->nsites].len = in.len;
		memcpy(r->sites[r->nsites].bytes, c->buf + start, in.len);
		r->nsites++;
		c->buf[start] = CK_INT80;
		c->buf[start + 1] = 0x80;
		memset(c->buf + start + 2, CK_INT3, in.len - 2u);
	}
	if (hs.n == MAX_HITS) {	/* more than ck looks at: refuse */
		say_refused(c, hs.h[MAX_HITS - 1].offset,
			    hs.h[MAX_HITS - 1].kind, "one site too many");
		c->refused = 1;
		return -EPERM;
	}
	return detour(c, &hs);
}

/*
 * The file's own bytes of data page pg, read-only and not executable,
 * over the seal's INT3s (read under the user PKRU, as data segments are).
 */
static long map_data_page(const struct ck_code *c, size_t pg)
{
	uint64_t at = c->addr + pg;
	long a[3] = { (long)at, CK_PAGE, PROT_READ }, p, n;

	p = ck_map_user(at, CK_PAGE, R_ANON, 1);
	if (IS_ERR_VAL(p))
		return p;
	n = ck_sys_user(__NR_pread64, c->fd, (long)at, CK_PAGE,
			(long)(c->off + pg), 0, 0);
	if (n < 0)
		return n;
	return ck_sys_mprotect(ck_this_task(), a);
}

static void unmap_seal(const struct ck_code *c)
{
	uint64_t end = c->addr + CK_ALIGN_UP(c->len, CK_PAGE);

	ck_sys2(__NR_munmap, c->addr, end - c->addr);
	ck_mm_remove(c->addr, end);
	ck_sites_drop(c->addr, end);
}

/*
 * A seal's notes for its record (sealrec.c): its sites and data pages
 * relative to the mapping; the direct sites are stubs.c's to add.
 */
static void put_notes(const struct ck_code *c, const struct rw *r)
{
	unsigned int i;
	uint32_t off;

	ck_sealrec_count(CK_REC_SITES, r->nsites);
	ck_sealrec_count(CK_REC_DATA, r->ndata);
	for (i = 0; i < r->nsites; i++) {
		off = (uint32_t)(r->sites[i].addr - c->addr);
		ck_sealrec_put(&off, sizeof(off));
		ck_sealrec_put(&r->sites[i].len, 1);
		ck_sealrec_put(r->sites[i].bytes, sizeof(r->sites[i].bytes));
	}
	for (i = 0; i < r->ndata; i++) {
		off = (uint32_t)r->data[i];
		ck_sealrec_put(&off, sizeof(off));
	}
}

long ck_code_seal(struct ck_code *c)
{
	/* Under ck_proc's lock (mmap, loader); the pass's (ck.h). */
	static struct rw r CK_SCRATCH;
	struct file_cache *f = cache_open(c->fd);
	uint64_t hit = 0;
	unsigned int kind = 0;
	long ret = 0;

	c->refused = c->detoured = 0;
	r.nsites = r.ndata = 0;
	if (!ck_mutant(LOAD_SCAN))
		ret = rewrite(c, &r, f);
	if (!ret) {
		struct ck_elfview v = { .read = file_read, .ctx = f };

		if (c->detoured)
			c->record = 0;
		if (c->record) {
			ck_sealrec_begin(c);
			put_notes(c, &r);
		}
		if (!ck_elfview_init(&v))
			ck_direct_rewrite(c, &v);
		ret = ck_seal_map(c, R_CODE, &hit, &kind);
		if (ret) {
			ck_direct_commit(c, 0);
			ck_detour_commit(c, 0);
		}
	}
	cache_close();	/* after the rewrite or its failure: once */
	if (ret == -EPERM && kind) {
		/* What the rewrite left, or a pattern cut off at the end. */
		say_refused(c, hit, kind, kind == PARACELL_SCAN_PARTIAL ?
			    "cut off at the end, where the next code could "
			    "complete it" : "refused by the seal");
		c->refused = 1;
	}
	if (ret)
		return ret;
	CK_COUNT(sealed, CK_ALIGN_UP(c->len, CK_PAGE));
	return ck_code_install(c, &r);
}

/*
 * c is sealed and mapped (its stub area pending in stubs.c): its sites
 * and data pages join it, or nothing stays mapped.
 */
long ck_code_install(const struct ck_code *c, const struct rw *r)
{
	unsigned int i;
	long ret = 0;

	ck_sites_drop(c->addr, c->addr + CK_ALIGN_UP(c->len, CK_PAGE));
	ck_direct_commit(c, 1);
	ck_detour_commit(c, 1);
	for (i = 0; !ret && i < r->ndata; i++)
		ret = map_data_page(c, r->data[i]);
	for (i = 0; !ret && i < r->nsites; i++)
		if (site_add(&r->sites[i])) {
			ck_dprintf(2, "ck: more than %u rewritten sites in "
				   "the process\n", CK_MAX_SITES);
			ret = -ENOMEM;
		}
	if (ret)
		unmap_seal(c);	/* a site ck cannot serve must not run */
	return ret;
}
