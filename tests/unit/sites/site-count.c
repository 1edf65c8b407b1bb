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

#include "unwind.h"

struct file {
	const uint8_t *p;
	size_t n;
};

static long rd(void *ctx, uint64_t off, void *buf, size_t n)
{
	const struct file *f = ctx;

	if (off > f->n || n > f->n - off)
		return -1;
	memcpy(buf, f->p + off, n);
	return 0;
}

/* What ck does with it (shim/guest/sites.c). */
static const char *handling(const struct ck_elfview *v, int k,
			    const struct ck_insn *in, uint64_t off)
{
	int64_t va = ck_elfview_vaddr(v, off);
	uint64_t lo = va & ~4095ULL, hi = ((va + 3 + 4095) & ~4095ULL);

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
		struct ck_elfview v = { .read = rd, .ctx = &f };
		struct stat st;
		const Elf64_Ehdr *eh;
		int fd = open(argv[i], O_RDONLY), seen[4] = { 0 }, k;
		unsigned int s;

		if (fd < 0 || fstat(fd, &st) || !S_ISREG(st.st_mode) ||
		    st.st_size < (off_t)sizeof(*eh)) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		f.n = (size_t)st.st_size;
		f.p = mmap(0, f.n, PROT_READ, MAP_PRIVATE, fd, 0);
		close(fd);
		if (f.p == MAP_FAILED)
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
						hits[h].offset));
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
