// SPDX-License-Identifier: Apache-2.0
/*
 * The direct gate's rewritten sites (docs/xgate.md, "The direct gate"):
 * in code ck seals, a `syscall` (0F 05) whose arithmetic flags the
 * decoder proves dead after it, preceded by a span of at most SPAN whole
 * instructions that can run anywhere (no branch, no RIP-relative operand,
 * nothing that changes control) and whose first, R, has 5 bytes or more:
 * glibc's `mov $N, %eax; syscall`, musl's `mov $N, %eax; mov %r10, %rdx;
 * syscall` or its generic `mov %rdi, %rax; ...; syscall`. R becomes
 * `jmp stub` (E9 rel32, INT3s for the rest of R); everything after R
 * stays, the syscall too, so a jump to any of it (or to a syscall ck did
 * not rewrite) meets the trap path. Each stub, in a sealed area ck maps
 * within reach:
 *
 *   <a copy of the span's bytes>  R and what follows it, up to the syscall
 *   cmpb $0, %gs:T_DIRECT         this thread may take the direct gate
 *   je   1f
 *   movl $i, %ecx                 the site's index in ck_dsites (K)
 *   jmpq *entry(%rip)             ck_direct_entry (the area's first 8 bytes)
 * 1:jmp  syscall                  else the original syscall: the trap path
 *
 * It runs in the user domain and changes nothing the syscall would not
 * (RCX, and the flags: dead by the proof). The number is EAX, untrusted as
 * on the trap path; the index names the site, which gives the return
 * address: nothing else is taken from the program. A signal that finds
 * RIP in a stub is delivered as if at the original instruction that byte
 * copies, or at the syscall (ck_stub_site): the program sees only its own
 * code.
 */
#include <linux/errno.h>
#include <linux/mman.h>

#include <paracell/scan.h>

#include "ck.h"
#include "unwind.h"

#define STUB		64	/* bytes per stub; the area starts with entry */
#define TAIL		27	/* the stub's bytes after the copy */
#define SPAN		4	/* instructions copied at most */
#define FLAG_STEPS	16	/* instructions the flags proof looks at */

struct ck_dsite ck_dsites[CK_MAX_DSITES];
static unsigned int ndsites;	/* indices handed out (never reused) */

/* The stub areas: [lo, hi), the index of their first stub. */
static struct {
	uint64_t lo, hi;
	uint32_t first;
} areas[CK_MAX_STUB_AREAS];

/*
 * One seal's candidates, then its patched sites, and its stub area until
 * the seal is mapped (under ck_proc's lock, as sealing is).
 */
static struct {
	uint32_t r, s;		/* R's offset, the syscall's */
	uint8_t rlen;
} cand[CK_DSITES_PER_SEAL] CK_SCRATCH;	/* the pass's (ck.h) */
static struct {
	uint64_t at, len;
	unsigned int slot, n;
} pend CK_SCRATCH;

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/*
 * The flags after the instruction at buf[o] are dead: on the fall-through
 * path a write of all six comes before any read, or a ret, a call or a
 * jump out of the function (a tail call): no flags pass a call in the ABI.
 * Followed through relative jumps inside the function ([lo, hi) of buf),
 * at most FLAG_STEPS instructions. Anything unknown counts as a read.
 */
static int flags_dead(const uint8_t *buf, size_t lo, size_t hi, size_t o)
{
	struct ck_insn in;
	unsigned int i;
	int n;

	for (i = 0; i < FLAG_STEPS && o >= lo && o < hi; i++) {
		n = ck_decode(buf, hi, o, &in);
		if (n <= 0)
			return 0;
		if (in.kind == CK_KIND_JMP) {
			/* Out of the function: a tail call, as a call. */
			if (in.target < (int64_t)lo || in.target >= (int64_t)hi)
				return 1;
			o = (size_t)in.target;
			continue;
		}
		switch (ck_insn_flags(&in)) {
		case CK_FLAGS_WRITE:
		case CK_FLAGS_RET:
			return 1;
		case CK_FLAGS_NONE:
			o += (size_t)n;
			continue;
		default:
			return 0;
		}
	}
	return 0;
}

/*
 * A file without an .eh_frame_hdr (static programs linked without
 * --eh-frame-hdr: Debian's busybox-static, static glibc programs): the
 * function ranges of its .eh_frame, sorted once per seal for is_site's
 * lookups (a walk of the section per site would read it again for each).
 * More FDEs than this: no sites rewritten in that file.
 */
#define FRAMES_MAX	8192
static struct ck_fde_range frames[FRAMES_MAX] CK_SCRATCH;

/* The function range is_site found last (this seal's: reset per seal). */
static struct {
	uint64_t lo, hi;
} fde CK_SCRATCH;

/* An instruction that runs the same at any address and falls through. */
static int copyable(const struct ck_insn *in)
{
	unsigned int reg = (in->modrm >> 3) & 7;
	uint8_t op = in->opcode;

	if ((in->flags & (CK_INSN_RIPREL | CK_INSN_REL)) ||
	    in->kind != CK_KIND_OTHER)
		return 0;
	if (in->enc != CK_ENC_LEGACY)
		return 1;
	if (in->map == CK_MAP_0F)	/* sysenter, sysexit, sysret, ud2 */
		return op != 0x07 && op != 0x34 && op != 0x35 && op != 0x0b &&
		       op != 0xb9 && op != 0xff;
	if (in->map != CK_MAP_ONE)
		return 1;
	if ((op >= 0xc2 && op <= 0xc3) || (op >= 0xca && op <= 0xcf) ||
	    (op >= 0xe0 && op <= 0xef) || op == 0xf4 || op == 0x9a ||
	    op == 0xea || op == 0xd6 || op == 0xf1)
		return 0;	/* ret, int, iret, loop, in/out, hlt, far */
	if (op == 0xff && reg >= 2 && reg <= 5)
		return 0;	/* indirect call and jmp */
	return 1;
}

/*
 * The syscall at buf[s] is a site (see the top): decoding its function
 * from its first byte (the unwind table's), s is an instruction start,
 * the span [*r, s) qualifies, and the flags are dead after the syscall.
 */
static int is_site(const struct ck_code *c, const struct ck_elfview *v,
		   size_t s, size_t *r, size_t *rlen)
{
	int64_t va = ck_elfview_vaddr(v, c->off + s);
	int64_t base = ck_elfview_vaddr(v, c->off);
	size_t o, flo, fhi, at[SPAN];
	uint8_t len[SPAN];
	uint64_t lo, hi;
	struct ck_insn in;
	unsigned int k = 0, i;
	int n;

	if (va < 0 || base < 0)
		return 0;
	/* The last function's range first: the table is read from the file. */
	if ((uint64_t)va >= fde.lo && (uint64_t)va < fde.hi) {
		lo = fde.lo;
		hi = fde.hi;
	} else if (ck_elfview_fde(v, (uint64_t)va, &lo, &hi)) {
		return 0;
	}
	fde.lo = lo;
	fde.hi = hi;
	if (lo < (uint64_t)base || hi > (uint64_t)base + c->len)
		return 0;
	flo = (size_t)(lo - (uint64_t)base);
	fhi = (size_t)(hi - (uint64_t)base);
	if (s + 2 > fhi || s < flo)
		return 0;
	/* The last SPAN instructions before s, nearest at (k - 1) % SPAN. */
	for (o = flo; o < s; o += (size_t)n) {
		n = ck_decode(c->buf, fhi, o, &in);
		if (n <= 0)
			return 0;
		at[k % SPAN] = o;
		len[k % SPAN] = copyable(&in) ? (uint8_t)n : 0;
		k++;
	}
	if (o != s || ck_decode(c->buf, fhi, s, &in) != 2 ||
	    in.kind != CK_KIND_SYSCALL || in.prefixes || in.rex ||
	    !flags_dead(c->buf, flo, fhi, s + 2))
		return 0;
	for (i = 1; i <= SPAN && i <= k; i++) {
		unsigned int j = (k - i) % SPAN;

		if (!len[j] || s - at[j] > STUB - TAIL)
			return 0;
		if (len[j] >= 5) {
			*r = at[j];
			*rlen = len[j];
			return 1;
		}
	}
	return 0;
}

/* A free range of len bytes below addr in the region table, or 0. */
uint64_t ck_hole_below(uint64_t addr, uint64_t len)
{
	const struct ck_proc *p = &ck_proc;
	uint64_t top = addr, at;
	unsigned int i = p->nregions;

	while (i && p->regions[i - 1].start >= addr)
		i--;
	for (;;) {
		uint64_t bottom = i ? p->regions[i - 1].end : 0x10000;

		if (top > bottom && top - bottom >= len + CK_PAGE) {
			at = top - len - CK_PAGE;	/* a guard page above */
			return addr - at < (1ULL << 31) - len ? at : 0;
		}
		if (!i)
			return 0;
		top = p->regions[--i].start;
		if (addr - top > (1ULL << 31))
			return 0;
	}
}

/* The forbidden patterns starting within 16 bytes of buf[lo, hi). */
static unsigned int window_hits(const uint8_t *buf, size_t len, size_t lo,
				size_t hi)
{
	lo = lo > 16 ? lo - 16 : 0;
	hi = hi + 16 < len ? hi + 16 : len;
	return ck_scan_count(buf, len, lo, hi);
}

/* Makes R at buf[r] `jmp stub` and INT3s; 0 if a pattern would form. */
static int patch(struct ck_code *c, size_t r, size_t rlen, uint64_t stub)
{
	unsigned int before = window_hits(c->buf, c->len, r, r + rlen);
	uint8_t old[CK_INSN_MAX];
	size_t i;

	memcpy(old, c->buf + r, rlen);
	c->buf[r] = 0xe9;
	put32(c->buf + r + 1, (uint32_t)(stub - (c->addr + r + 5)));
	memset(c->buf + r + 5, 0xcc, rlen - 5);
	/* No new WRPKRU/XRSTOR/WR*BASE, and no new syscall. */
	for (i = r ? r - 1 : 0; i < r + 5; i++)
		if (c->buf[i] == 0x0f && c->buf[i + 1] == 0x05)
			break;
	if (ck_mutant(DIRECT_SCAN) ||
	    (i == r + 5 && window_hits(c->buf, c->len, r, r + rlen) == before))
		return 1;
	memcpy(c->buf + r, old, rlen);
	return 0;
}

/* The stub of the span [r, s) of buf at stub (see the top). */
static void build(uint8_t *p, const uint8_t *span, size_t n, uint64_t area,
		  uint64_t stub, uint32_t idx, uint64_t sys)
{
	static const uint8_t cmp[9] = { 0x65, 0x80, 0x3c, 0x25, T_DIRECT };

	memcpy(p, span, n);
	p += n;
	stub += n;
	memcpy(p, cmp, sizeof(cmp));
	p[9] = 0x74;
	p[10] = 11;
	p[11] = 0xb9;
	put32(p + 12, idx);
	p[16] = 0xff;
	p[17] = 0x25;
	put32(p + 18, (uint32_t)(area - (stub + 22)));
	p[22] = 0xe9;
	put32(p + 23, (uint32_t)(sys - (stub + 27)));
}

static void unmap_area(uint64_t at, uint64_t len)
{
	ck_sys2(__NR_munmap, at, len);
	ck_mm_remove(at, at + len);
}

static void put_notes(const struct ck_code *c, uint64_t at, uint64_t len,
		      unsigned int k, const uint8_t *buf);

void ck_direct_rewrite(struct ck_code *c, const struct ck_elfview *file)
{
	struct ck_elfview sorted;
	const struct ck_elfview *v = file;
	uint64_t at, len, stub;
	unsigned int n = 0, j, k, slot;
	size_t s, r, rlen;
	uint8_t *buf;
	long p;
	int nf;

	pend.n = 0;
	fde.lo = fde.hi = 0;
	if (ck_env.no_direct)
		return;
	if (!file->fdes) {
		nf = ck_elfview_sort_frames(file, frames, FRAMES_MAX);
		if (nf <= 0)
			return;
		sorted = *file;
		sorted.ranges = frames;
		sorted.nranges = (uint32_t)nf;
		v = &sorted;
	}
	for (s = 1; s + 1 < c->len && n < CK_DSITES_PER_SEAL; s++)
		if (c->buf[s] == 0x0f && c->buf[s + 1] == 0x05 &&
		    is_site(c, v, s, &r, &rlen)) {
			cand[n].r = (uint32_t)r;
			cand[n].s = (uint32_t)s;
			cand[n++].rlen = (uint8_t)rlen;
		}
	for (slot = 0; slot < CK_MAX_STUB_AREAS && areas[slot].hi; slot++)
		;
	if (!n || slot == CK_MAX_STUB_AREAS || ndsites + n > CK_MAX_DSITES)
		return;
	len = CK_ALIGN_UP(STUB * (n + 1), CK_PAGE);
	at = ck_hole_below(c->addr, len);
	if (!at || c->addr + c->len - at >= (1ULL << 31))
		return;
	p = ck_sys6(__NR_mmap, (long)at, (long)len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (IS_ERR_VAL(p) || (uint64_t)p != at)
		return;
	buf = ck_kalloc(len);
	if (!buf) {
		ck_sys2(__NR_munmap, at, len);
		return;
	}
	memset(buf, 0xcc, len);		/* INT3 between and after the stubs */
	stub = (uint64_t)ck_direct_entry;
	memcpy(buf, &stub, 8);
	for (j = k = 0; j < n; j++) {
		r = cand[j].r;
		s = cand[j].s;
		stub = at + STUB * (k + 1);
		/* The span's bytes first: R's are gone once patched. */
		build(buf + STUB * (k + 1), c->buf + r, s - r, at, stub,
		      ndsites + k, c->addr + s);
		if (!patch(c, r, cand[j].rlen, stub))
			continue;
		cand[k++] = cand[j];	/* k <= j: the patched ones */
	}
	memset(buf + STUB * (k + 1), 0xcc, len - STUB * (k + 1));
	if (!k || ck_seal_map(&(struct ck_code){ .fd = -1, .addr = at,
						 .buf = buf, .len = len },
			      R_CODE, &(uint64_t){ 0 }, &(unsigned int){ 0 })) {
		for (j = 0; j < k; j++)	/* the original bytes back */
			memcpy(c->buf + cand[j].r, buf + STUB * (j + 1),
			       cand[j].rlen);
		unmap_area(at, len);
		k = 0;
	}
	if (k && c->record)
		put_notes(c, at, len, k, buf);
	unmap_area((uint64_t)buf, len);
	pend.at = at;
	pend.len = len;
	pend.slot = slot;
	pend.n = k;
}

/*
 * The notes a found seal's stub area is rebuilt from (ck_direct_replay):
 * its distance below the code and length, and per site R's offset and
 * length and the span's original bytes (R's are in the code no more).
 * The indices and ck_direct_entry are this process's, put in anew.
 */
static void put_notes(const struct ck_code *c, uint64_t at, uint64_t len,
		      unsigned int k, const uint8_t *buf)
{
	unsigned int j;
	uint8_t n[2];

	ck_sealrec_count(CK_REC_DSITES, k);
	ck_sealrec_count(CK_REC_DIST, c->addr - at);
	ck_sealrec_count(CK_REC_AREA, len);
	for (j = 0; j < k; j++) {
		n[0] = cand[j].rlen;
		n[1] = (uint8_t)(cand[j].s - cand[j].r);
		ck_sealrec_put(&cand[j].r, sizeof(cand[j].r));
		ck_sealrec_put(n, 2);
		ck_sealrec_put(buf + STUB * (j + 1), n[1]);
	}
}

long ck_direct_replay(const struct ck_code *c, uint64_t dist, uint64_t len,
		      unsigned int n, const uint8_t *rec, size_t rec_len)
{
	uint64_t at = c->addr - dist, stub;
	unsigned int j, slot;
	size_t o = 0;
	uint32_t r;
	uint8_t *buf;
	long p;

	pend.n = 0;
	for (slot = 0; slot < CK_MAX_STUB_AREAS && areas[slot].hi; slot++)
		;
	if (!n || n > CK_DSITES_PER_SEAL || slot == CK_MAX_STUB_AREAS ||
	    ndsites + n > CK_MAX_DSITES ||
	    len != CK_ALIGN_UP(STUB * (n + 1), CK_PAGE) || dist % CK_PAGE ||
	    dist < len || c->addr - 0x10000 < dist ||
	    c->addr + c->len - at >= (1ULL << 31))
		return -ENOSPC;
	p = ck_sys6(__NR_mmap, (long)at, (long)len, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (IS_ERR_VAL(p) || (uint64_t)p != at) {
		if (!IS_ERR_VAL(p))
			ck_sys2(__NR_munmap, p, (long)len);
		return -EEXIST;
	}
	buf = ck_kalloc(len);
	if (!buf) {
		ck_sys2(__NR_munmap, at, len);
		return -ENOMEM;
	}
	memset(buf, 0xcc, len);
	stub = (uint64_t)ck_direct_entry;
	memcpy(buf, &stub, 8);
	for (j = 0; j < n; j++) {
		if (rec_len - o < 6)
			break;
		memcpy(&r, rec + o, 4);
		cand[j].r = r;
		cand[j].rlen = rec[o + 4];
		cand[j].s = r + rec[o + 5];
		o += 6;
		if (rec[o - 1] > STUB - TAIL || rec_len - o < rec[o - 1] ||
		    cand[j].rlen < 5 || cand[j].rlen > rec[o - 1] ||
		    r >= c->len || c->len - r < rec[o - 1] + 2u)
			break;
		stub = at + STUB * (j + 1);
		build(buf + STUB * (j + 1), rec + o, rec[o - 1], at, stub,
		      ndsites + j, c->addr + cand[j].s);
		o += rec[o - 1];
	}
	p = j < n || o != rec_len ? -EINVAL :
	    ck_seal_map(&(struct ck_code){ .fd = -1, .addr = at, .buf = buf,
					   .len = len },
			R_CODE, &(uint64_t){ 0 }, &(unsigned int){ 0 });
	unmap_area((uint64_t)buf, len);
	if (p) {
		unmap_area(at, len);
		return p;
	}
	pend.at = at;
	pend.len = len;
	pend.slot = slot;
	pend.n = n;
	return 0;
}

void ck_direct_commit(const struct ck_code *c, int sealed)
{
	unsigned int j, k = pend.n;

	pend.n = 0;
	if (!k)
		return;
	if (!sealed) {
		unmap_area(pend.at, pend.len);
		return;
	}
	areas[pend.slot].lo = pend.at;
	areas[pend.slot].hi = pend.at + pend.len;
	areas[pend.slot].first = ndsites;
	for (j = 0; j < k; j++) {
		ck_dsites[ndsites + j].span = cand[j].s - cand[j].r;
		__atomic_store_n(&ck_dsites[ndsites + j].site,
				 c->addr + cand[j].r, __ATOMIC_RELEASE);
	}
	ndsites += k;
	CK_COUNT(direct_sites, k);
}

/* Forgets the sites and stub areas in [lo, hi): unmapped or replaced. */
void ck_direct_drop(uint64_t lo, uint64_t hi)
{
	unsigned int i;

	for (i = 0; i < ndsites; i++)
		if (ck_dsites[i].site >= lo && ck_dsites[i].site < hi)
			__atomic_store_n(&ck_dsites[i].site, 0,
					 __ATOMIC_RELEASE);
	for (i = 0; i < CK_MAX_STUB_AREAS; i++)
		if (areas[i].hi > lo && areas[i].lo < hi)
			areas[i].lo = areas[i].hi = 0;
}

uint64_t ck_stub_site(uint64_t rip, int *start)
{
	unsigned int i, idx;
	uint64_t off, site;

	for (i = 0; i < CK_MAX_STUB_AREAS; i++) {
		if (rip < areas[i].lo + STUB || rip >= areas[i].hi)
			continue;
		idx = areas[i].first + (unsigned int)((rip - areas[i].lo) / STUB) - 1;
		off = (rip - areas[i].lo) % STUB;
		if (idx >= ndsites || !(site = ck_dsites[idx].site))
			return 0;
		*start = off == 0;
		/* In the copy: the byte it copies; after it: the syscall. */
		return site + (off < ck_dsites[idx].span ? off :
			       ck_dsites[idx].span);
	}
	return ck_mutant(DETOUR_RIP) ? 0 : ck_detour_site(rip, start);
}
