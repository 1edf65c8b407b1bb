// SPDX-License-Identifier: Apache-2.0
/*
 * site-count FILE...: every forbidden pattern in each file's executable
 * segments, with its kind as ck sees it (shim/guest/unwind.c), one line a
 * site ("FILE OFFSET PATTERN kindN"), then a summary of files per kind on
 * stderr. The numbers #14 asks for, from ck's own classifier.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/mman.h>
#include <unistd.h>
#include <elf.h>

#include <paracell/scan.h>

#include "elffile.h"
#include "reloc.h"
#include "unwind.h"


static int count_hit(void *ctx, size_t off, unsigned int kind)
{
	(void)off;
	(void)kind;
	++*(unsigned int *)ctx;
	return 0;
}

/*
 * A kind-2 site's detour as detour.c builds it: a trampoline in one of
 * the 128 slots of a page 64 KiB below the site (ck's is the first free
 * page below the code) that neither holds a pattern nor makes one at the
 * site; "detoured", or why not.
 */
static const char *detour(const uint8_t *buf, size_t len, size_t start,
			  const struct ck_insn *in, int64_t va)
{
	uint8_t site[CK_INSN_MAX + 4], t[CK_TRAMP_MAX];
	uint64_t from = (uint64_t)va, to;
	unsigned int slot, n;
	size_t lo = start >= 2 ? start - 2 : 0, end = start + in->len, hi;
	int r = 0;

	if (start == (size_t)-1 || in->len < 2 || va < 0 || end > len)
		return "refused";
	hi = end + 2 < len ? end + 2 : len;
	for (slot = 0; slot < 128; slot++) {
		to = (from & ~4095ULL) - 65536 + slot * 32;
		r = ck_reloc_tramp(buf + start, in, from, to, t);
		if (r == CK_RELOC_EBRANCH)
			return "refused-branch";
		if (r < 0)
			continue;
		n = 0;
		paracell_scan_each(t, (size_t)r, 0, count_hit, &n);
		memcpy(site, buf + lo, hi - lo);
		ck_reloc_site(site + (start - lo), in->len, from, to);
		paracell_scan_range(site, hi - lo, 0, end - lo, 0,
				    count_hit, &n);
		if (!n)
			return "detoured";
	}
	return r < 0 ? "refused-reach" : "refused-pattern";
}

/* What ck does with it (shim/guest/sites.c). */
static const char *handling(const struct ck_elfview *v, int k,
			    const struct ck_insn *in, uint64_t off,
			    const uint8_t *buf, size_t len, size_t start,
			    uint64_t boff)
{
	int64_t va = ck_elfview_vaddr(v, off);
	uint64_t lo = va & ~4095ULL, hi = ((va + 3 + 4095) & ~4095ULL);

	if (k == CK_SITE_INSIDE)
		return detour(buf, len, start, in,
			      start == (size_t)-1 ? -1 :
			      ck_elfview_vaddr(v, boff + start));

	if (k == CK_SITE_INSN)
		return in->kind == CK_KIND_XRSTOR || in->kind == CK_KIND_WRPKRU ?
		       "rewritten" : "refused";
	if (k == CK_SITE_NOCODE && va >= 0 && ck_elfview_data_only(v, lo, hi))
		return "data-page";
	return "refused";
}

int main(int argc, char **argv)
{
	unsigned long files[4] = { 0 }, sites[4] = { 0 }, elf = 0;
	int i;

	for (i = 1; i < argc; i++) {
		struct file f;
		struct ck_elfview v = { .read = file_read, .ctx = &f };
		const Elf64_Ehdr *eh;
		int seen[4] = { 0 }, k;
		unsigned int s;

		if (file_map(argv[i], sizeof(*eh), &f))
			continue;
		eh = (const void *)f.p;
		if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
		    eh->e_ident[EI_CLASS] != ELFCLASS64 ||
		    eh->e_machine != EM_X86_64 || ck_elfview_init(&v) ||
		    eh->e_phoff + (uint64_t)eh->e_phnum * sizeof(Elf64_Phdr) > f.n) {
			munmap((void *)f.p, f.n);
			continue;
		}
		elf++;
		for (s = 0; s < eh->e_phnum; s++) {
			const Elf64_Phdr *ph = (const Elf64_Phdr *)(const void *)(f.p + eh->e_phoff) + s;
			struct paracell_scan_hit hits[64];
			size_t nh, h, start;
			struct ck_insn in;

			if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X) ||
			    ph->p_offset + ph->p_filesz > f.n)
				continue;
			nh = paracell_scan(f.p + ph->p_offset, ph->p_filesz, 0,
					   hits, 64);
			for (h = 0; h < nh && h < 64; h++) {
				k = ck_site_classify(&v, f.p + ph->p_offset,
						     ph->p_filesz, ph->p_offset,
						     hits[h].offset, &start, &in);
				printf("%s 0x%lx %s kind%d %s\n", argv[i],
				       (unsigned long)(ph->p_offset + hits[h].offset),
				       paracell_scan_kind_name(hits[h].kind), k,
				       handling(&v, k, &in, ph->p_offset +
						hits[h].offset,
						f.p + ph->p_offset,
						ph->p_filesz, start,
						ph->p_offset));
				sites[k]++;
				seen[k] = 1;
			}
		}
		for (k = 1; k < 4; k++)
			files[k] += (unsigned long)seen[k];
		munmap((void *)f.p, f.n);
	}
	fprintf(stderr, "%lu ELF files; files with kind 1: %lu (%lu sites), "
		"kind 2: %lu (%lu), kind 3: %lu (%lu)\n", elf, files[1],
		sites[1], files[2], sites[2], files[3], sites[3]);
	return 0;
}
