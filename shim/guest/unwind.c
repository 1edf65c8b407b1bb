// SPDX-License-Identifier: Apache-2.0
/*
 * Where a forbidden byte pattern sits in a file's code (DESIGN.md section
 * 3, "The module enforces, ck rewrites"): ck tells the three kinds apart
 * from the file's own unwind table, .eh_frame_hdr (PT_GNU_EH_FRAME), which
 * every x86-64 compiler and assembler function with CFI has an entry in:
 *
 *   CK_SITE_INSN    kind 1: inside a function's range (its FDE), and the
 *                   linear decode from the function's first byte reaches
 *                   the pattern as an instruction's own opcode (after its
 *                   prefixes): a real XRSTOR/WRPKRU/WR*SBASE;
 *   CK_SITE_INSIDE  kind 2: inside a function's range, but within another
 *                   instruction (a displacement, an immediate, or across
 *                   two), or where the decode fails;
 *   CK_SITE_NOCODE  kind 3: no FDE covers it: data in an executable
 *                   segment, or code without unwind entries. Not proven
 *                   code, so never treated as an instruction.
 *
 * Symbols are not used: stripped libraries have none for their local
 * functions, and the last wave found that a linear walk from a symbol
 * start runs into libcrypto's data (ecp_nistz256's table follows a
 * function without a symbol of its own); an FDE's range ends where the
 * function's code does.
 *
 * Nothing here is trusted for safety: the bytes ck seals are scanned again
 * by the module after any rewrite, and a rewritten site's emulation is
 * safe from any state. A lying unwind table can only make ck refuse, or
 * break the program that lies. Every read is bounds-checked; the file is
 * read through a callback (ck: pread; the host tool: its own reader).
 * Freestanding: built into ck and into tools on the host.
 */
#include "unwind.h"

#define PT_LOAD_		1
#define PT_GNU_EH_FRAME_	0x6474e550U
#define DW_EH_PE_OMIT		0xff

static int rd(const struct ck_elfview *v, uint64_t off, void *buf, size_t n)
{
	return v->read(v->ctx, off, buf, n) ? -1 : 0;
}

/* The file offset of vaddr (n bytes from it in one PT_LOAD), or -1. */
static int64_t v2off(const struct ck_elfview *v, uint64_t va, uint64_t n)
{
	unsigned int i;

	for (i = 0; i < v->nloads; i++) {
		const struct ck_load_span *l = &v->loads[i];

		if (va >= l->vaddr && va - l->vaddr < l->filesz &&
		    n <= l->filesz - (va - l->vaddr))
			return (int64_t)(l->off + (va - l->vaddr));
	}
	return -1;
}

static int rdv(const struct ck_elfview *v, uint64_t va, void *buf, size_t n)
{
	int64_t off = v2off(v, va, n);

	return off < 0 ? -1 : rd(v, (uint64_t)off, buf, n);
}

/* Up to n bytes at vaddr va, as many as its PT_LOAD holds; the rest 0. */
static int rdv_upto(const struct ck_elfview *v, uint64_t va, void *buf,
		    size_t n)
{
	unsigned int i;

	memset(buf, 0, n);
	for (i = 0; i < v->nloads; i++) {
		const struct ck_load_span *l = &v->loads[i];
		uint64_t left = l->filesz - (va - l->vaddr);

		if (va >= l->vaddr && va - l->vaddr < l->filesz)
			return rd(v, l->off + (va - l->vaddr), buf,
				  left < n ? (size_t)left : n);
	}
	return -1;
}

int64_t ck_elfview_vaddr(const struct ck_elfview *v, uint64_t off)
{
	unsigned int i;

	for (i = 0; i < v->nloads; i++) {
		const struct ck_load_span *l = &v->loads[i];

		if (off >= l->off && off - l->off < l->filesz)
			return (int64_t)(l->vaddr + (off - l->off));
	}
	return -1;
}

/*
 * A file without a usable .eh_frame_hdr (static glibc programs are linked
 * without one): its .eh_frame section, by the section headers, if it lies
 * in a PT_LOAD. Section headers are not loaded and `strip` keeps them; a
 * file without them has nothing proven.
 */
static void frame_section(struct ck_elfview *v, const uint8_t *eh)
{
	uint8_t sh[64], name[10];
	uint64_t shoff, stroff, addr, size;
	uint32_t nm, type;
	uint16_t shentsize, shnum, shstrndx, i;

	memcpy(&shoff, eh + 40, 8);
	memcpy(&shentsize, eh + 58, 2);
	memcpy(&shnum, eh + 60, 2);
	memcpy(&shstrndx, eh + 62, 2);
	if (!shoff || shentsize != sizeof(sh) || shstrndx >= shnum ||
	    rd(v, shoff + (uint64_t)shstrndx * sizeof(sh), sh, sizeof(sh)))
		return;
	memcpy(&stroff, sh + 24, 8);
	for (i = 0; i < shnum; i++) {
		if (rd(v, shoff + (uint64_t)i * sizeof(sh), sh, sizeof(sh)))
			return;
		memcpy(&nm, sh, 4);
		memcpy(&type, sh + 4, 4);
		memcpy(&addr, sh + 16, 8);
		memcpy(&size, sh + 32, 8);
		if (type != 1 /* SHT_PROGBITS */ ||
		    rd(v, stroff + nm, name, sizeof(name)) ||
		    memcmp(name, ".eh_frame", sizeof(name)))
			continue;
		if (size && v2off(v, addr, size) >= 0) {
			v->frame_va = addr;
			v->frame_len = size;
		}
		return;
	}
}

int ck_elfview_init(struct ck_elfview *v)
{
	uint8_t eh[64], ph[56], hdr[12];
	uint64_t phoff, off, vaddr, filesz, eh_va = 0;
	uint32_t type;
	uint16_t phnum, phentsize, i;

	v->nloads = 0;
	v->fdes = 0;
	v->frame_va = v->frame_len = 0;
	if (rd(v, 0, eh, sizeof(eh)) || eh[0] != 0x7f || eh[1] != 'E' ||
	    eh[2] != 'L' || eh[3] != 'F' || eh[4] != 2 /* ELFCLASS64 */)
		return -1;
	memcpy(&phoff, eh + 32, 8);
	memcpy(&phentsize, eh + 54, 2);
	memcpy(&phnum, eh + 56, 2);
	if (phentsize != sizeof(ph))
		return -1;
	for (i = 0; i < phnum; i++) {
		if (rd(v, phoff + (uint64_t)i * sizeof(ph), ph, sizeof(ph)))
			return -1;
		memcpy(&type, ph, 4);
		memcpy(&off, ph + 8, 8);
		memcpy(&vaddr, ph + 16, 8);
		memcpy(&filesz, ph + 32, 8);
		if (type == PT_LOAD_ && v->nloads < CK_ELFVIEW_LOADS) {
			v->loads[v->nloads].off = off;
			v->loads[v->nloads].vaddr = vaddr;
			v->loads[v->nloads].filesz = filesz;
			v->nloads++;
		} else if (type == PT_GNU_EH_FRAME_) {
			eh_va = vaddr;
		}
	}
	/*
	 * version 1; eh_frame_ptr in any 4-byte form; fde_count udata4;
	 * table datarel|sdata4 (what GNU ld and lld write, with the table).
	 */
	if (eh_va && !rdv(v, eh_va, hdr, sizeof(hdr)) && hdr[0] == 1 &&
	    (hdr[1] & 0x0f) >= 0x03 && (hdr[1] & 0x0f) != 0x04 &&
	    hdr[2] == 0x03 && hdr[3] == 0x3b) {
		memcpy(&v->fdes, hdr + 8, 4);
		v->hdr_va = eh_va;
		if (v2off(v, eh_va + 12, (uint64_t)v->fdes * 8) < 0)
			v->fdes = 0;
	}
	if (!v->fdes)
		frame_section(v, eh);	/* none: every site CK_SITE_NOCODE */
	return 0;
}

static int uleb(const uint8_t *p, size_t n, size_t *i, uint64_t *out)
{
	unsigned int shift = 0;

	*out = 0;
	while (*i < n && shift < 64) {
		uint8_t b = p[(*i)++];

		*out |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
		shift += 7;
	}
	return -1;
}

/* A pointer in encoding enc at p[*i] (p's first byte at vaddr va). */
static int eh_ptr(const uint8_t *p, size_t n, size_t *i, uint8_t enc,
		  uint64_t va, uint64_t *out)
{
	uint64_t at = va + *i, x;
	int32_t s4;

	switch (enc & 0x0f) {
	case 0x03: case 0x0b:	/* udata4, sdata4 */
		if (*i + 4 > n)
			return -1;
		memcpy(&s4, p + *i, 4);
		x = (enc & 0x0f) == 0x0b ? (uint64_t)(int64_t)s4 : (uint32_t)s4;
		*i += 4;
		break;
	case 0x00: case 0x04: case 0x0c:	/* absptr, udata8, sdata8 */
		if (*i + 8 > n)
			return -1;
		memcpy(&x, p + *i, 8);
		*i += 8;
		break;
	default:
		return -1;
	}
	if ((enc & 0x70) == 0x10)	/* pcrel */
		x += at;
	else if (enc & 0x70)
		return -1;
	*out = x;
	return 0;
}

/* The 'R' encoding of the CIE at cie_va (0x1b if it has none: absptr). */
static int cie_enc(const struct ck_elfview *v, uint64_t cie_va, uint8_t *enc)
{
	uint8_t c[64];
	const char *aug;
	size_t i, a;
	uint64_t x;

	if (rdv(v, cie_va, c, 9) || rdv_upto(v, cie_va, c, sizeof(c)))
		return -1;
	if (c[4] | c[5] | c[6] | c[7])
		return -1;	/* not a CIE (id 0) */
	aug = (const char *)c + 9;
	for (i = 9; i < sizeof(c) && c[i]; i++)
		;
	if (i >= sizeof(c) || (aug[0] && aug[0] != 'z'))
		return -1;
	i++;
	if (uleb(c, sizeof(c), &i, &x) || uleb(c, sizeof(c), &i, &x))
		return -1;	/* code, data alignment factors */
	if (c[8] == 1)
		i++;		/* return register */
	else if (uleb(c, sizeof(c), &i, &x))
		return -1;
	*enc = 0;
	if (!aug[0])
		return 0;
	if (uleb(c, sizeof(c), &i, &x))	/* augmentation length */
		return -1;
	for (a = 1; aug[a] && i < sizeof(c); a++) {
		if (aug[a] == 'R') {
			*enc = c[i];
			return 0;
		} else if (aug[a] == 'L') {
			i++;
		} else if (aug[a] == 'P') {
			uint8_t penc = c[i++];

			if (eh_ptr(c, sizeof(c), &i, penc & 0x0f, 0, &x))
				return -1;
		} else if (aug[a] != 'S' && aug[a] != 'B') {
			return -1;
		}
	}
	return -1;
}

/* The index of the last table entry starting at or below va, or -1. */
static int64_t fde_index(const struct ck_elfview *v, uint64_t va)
{
	uint32_t l = 0, r = v->fdes, m;
	int32_t ent[2];

	if (!v->fdes)
		return -1;
	while (r - l > 1) {
		m = l + (r - l) / 2;
		if (rdv(v, v->hdr_va + 12 + (uint64_t)m * 8, ent, 8))
			return -1;
		if (v->hdr_va + (uint64_t)(int64_t)ent[0] <= va)
			l = m;
		else
			r = m;
	}
	if (rdv(v, v->hdr_va + 12 + (uint64_t)l * 8, ent, 8) ||
	    v->hdr_va + (uint64_t)(int64_t)ent[0] > va)
		return -1;
	return l;
}

/* The [lo, hi) range of table entry idx's FDE: 0, or -1. */
static int fde_range(const struct ck_elfview *v, uint32_t idx, uint64_t *lo,
		     uint64_t *hi)
{
	int32_t ent[2], cie_ptr;
	uint8_t f[32], enc;
	uint64_t fde_va, begin, range;
	size_t i = 8;

	if (rdv(v, v->hdr_va + 12 + (uint64_t)idx * 8, ent, 8))
		return -1;
	fde_va = v->hdr_va + (uint64_t)(int64_t)ent[1];
	if (rdv(v, fde_va, f, 8))
		return -1;
	memcpy(&cie_ptr, f + 4, 4);
	if (rdv_upto(v, fde_va, f, sizeof(f)))
		return -1;
	if (f[0] == 0xff && f[1] == 0xff && f[2] == 0xff && f[3] == 0xff)
		return -1;	/* 64-bit DWARF: never in .eh_frame */
	if (!cie_ptr || cie_enc(v, fde_va + 4 - (uint64_t)(int64_t)cie_ptr,
				&enc))
		return -1;
	if (eh_ptr(f, sizeof(f), &i, enc, fde_va, &begin) ||
	    eh_ptr(f, sizeof(f), &i, enc & 0x0f, 0, &range))
		return -1;
	*lo = begin;
	*hi = begin + range;
	return 0;
}

/*
 * The first FDE of the .eh_frame section (no table) whose range meets
 * [lo, hi), in [*flo, *fhi): 1; none does: 0; an entry ck cannot read:
 * -1 (then nothing is proven). Read through a window of the section.
 * With out: every FDE's range into out[*n] (at most max; more: -1), and
 * 0 at the section's end.
 */
static int frame_walk(const struct ck_elfview *v, uint64_t lo, uint64_t hi,
		      uint64_t *flo, uint64_t *fhi, struct ck_fde_range *out,
		      uint32_t max, uint32_t *n)
{
	uint8_t win[1024], enc = 0;
	uint64_t at = v->frame_va, end = v->frame_va + v->frame_len;
	uint64_t wva = 0, cie = 0, b, r;
	size_t wn = 0, i, lim;
	uint32_t len, id;

	while (end - at >= 8) {
		if (at < wva || at + 32 > wva + wn) {
			wn = end - at < sizeof(win) ? (size_t)(end - at) :
			     sizeof(win);
			if (rdv(v, at, win, wn))
				return -1;
			wva = at;
		}
		memcpy(&len, win + (at - wva), 4);
		memcpy(&id, win + (at - wva) + 4, 4);
		if (!len)
			return 0;	/* the terminator */
		if (len < 4 || len > end - at - 4)
			return -1;	/* 64-bit DWARF, or past the end */
		if (id) {		/* an FDE; 0 is a CIE */
			if (at + 4 - id != cie &&
			    cie_enc(v, at + 4 - id, &enc))
				return -1;
			cie = at + 4 - id;
			i = 8;
			lim = wva + wn - at < 4 + (uint64_t)len ?
			      (size_t)(wva + wn - at) : 4 + (size_t)len;
			if (eh_ptr(win + (at - wva), lim, &i, enc, at, &b) ||
			    eh_ptr(win + (at - wva), lim, &i, enc & 0x0f, 0, &r))
				return -1;
			if (out && r) {
				if (*n >= max)
					return -1;
				out[*n].lo = b;
				out[(*n)++].hi = b + r;
			} else if (r && b < hi && b + r > lo) {
				*flo = b;
				*fhi = b + r;
				return 1;
			}
		}
		at += 4 + (uint64_t)len;
	}
	return 0;
}

/* Heapsort by lo (freestanding: no qsort). */
static void sift(struct ck_fde_range *a, uint32_t i, uint32_t n)
{
	struct ck_fde_range t;
	uint32_t c;

	for (; (c = 2 * i + 1) < n; i = c) {
		if (c + 1 < n && a[c + 1].lo > a[c].lo)
			c++;
		if (a[i].lo >= a[c].lo)
			return;
		t = a[i];
		a[i] = a[c];
		a[c] = t;
	}
}

int ck_elfview_sort_frames(const struct ck_elfview *v,
			   struct ck_fde_range *out, uint32_t max)
{
	struct ck_fde_range t;
	uint32_t n = 0, i;
	uint64_t unused;

	if (!v->frame_len || max > INT32_MAX ||
	    frame_walk(v, 0, 0, &unused, &unused, out, max, &n))
		return -1;
	for (i = n / 2; i-- > 0;)
		sift(out, i, n);
	for (i = n; i-- > 1;) {
		t = out[0];
		out[0] = out[i];
		out[i] = t;
		sift(out, 0, i);
	}
	return (int)n;
}

/* In the sorted ranges: the last one starting at or below va. */
static int range_find(const struct ck_elfview *v, uint64_t va, uint64_t *lo,
		      uint64_t *hi)
{
	uint32_t l = 0, r = v->nranges, m;

	while (r - l > 1) {
		m = l + (r - l) / 2;
		if (v->ranges[m].lo <= va)
			l = m;
		else
			r = m;
	}
	if (v->ranges[l].lo > va || va >= v->ranges[l].hi)
		return -1;
	*lo = v->ranges[l].lo;
	*hi = v->ranges[l].hi;
	return 0;
}

int ck_elfview_fde(const struct ck_elfview *v, uint64_t va, uint64_t *lo,
		   uint64_t *hi)
{
	int64_t idx;

	if (v->nranges)
		return range_find(v, va, lo, hi);
	if (!v->fdes)
		return v->frame_len &&
		       frame_walk(v, va, va + 1, lo, hi, 0, 0, 0) == 1 ?
		       0 : -1;
	idx = fde_index(v, va);

	if (idx < 0 || fde_range(v, (uint32_t)idx, lo, hi) ||
	    va < *lo || va >= *hi)
		return -1;
	return 0;
}

int ck_elfview_data_only(const struct ck_elfview *v, uint64_t lo, uint64_t hi)
{
	uint64_t flo, fhi;
	int64_t idx;

	if (!v->fdes && v->frame_len && hi > lo)
		return frame_walk(v, lo, hi, &flo, &fhi, 0, 0, 0) == 0;
	if (!v->fdes || hi <= lo)
		return 0;	/* no table: nothing is proven */
	idx = fde_index(v, hi - 1);
	if (idx < 0)
		return 1;	/* every function starts above */
	if (fde_range(v, (uint32_t)idx, &flo, &fhi))
		return 0;
	return fhi <= lo;
}

static int forbidden(uint8_t kind)
{
	return kind == CK_KIND_WRPKRU || kind == CK_KIND_XRSTOR ||
	       kind == CK_KIND_WRFSBASE || kind == CK_KIND_WRGSBASE;
}

int ck_site_classify(const struct ck_elfview *v, const uint8_t *buf,
		     size_t len, uint64_t boff, size_t hit, size_t *start,
		     struct ck_insn *insn)
{
	int64_t va = ck_elfview_vaddr(v, boff + hit), fva;
	uint64_t lo, hi;
	size_t o;
	int n;

	*start = (size_t)-1;
	if (va < 0 || ck_elfview_fde(v, (uint64_t)va, &lo, &hi))
		return CK_SITE_NOCODE;
	/* The function's first byte, as an offset into buf. */
	fva = ck_elfview_vaddr(v, boff);
	if (fva < 0 || lo < (uint64_t)fva || lo - (uint64_t)fva > hit)
		return CK_SITE_INSIDE;	/* starts before what ck holds */
	for (o = (size_t)(lo - (uint64_t)fva); o <= hit; o += (size_t)n) {
		n = ck_decode(buf, len, o, insn);
		if (n <= 0)
			return CK_SITE_INSIDE;
		if (o + (size_t)n <= hit)
			continue;
		if (o + insn->opc_off == hit && forbidden(insn->kind) &&
		    !(insn->prefixes & (CK_PFX_SEG | CK_PFX_67)) &&
		    (uint64_t)va + (o + (size_t)n - hit) <= hi) {
			*start = o;
			return CK_SITE_INSN;
		}
		/* The instruction holding it, if it ends in the function. */
		if ((uint64_t)va + (o + (size_t)n - hit) <= hi)
			*start = o;
		return CK_SITE_INSIDE;
	}
	return CK_SITE_INSIDE;
}
