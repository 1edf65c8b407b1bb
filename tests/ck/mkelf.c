// SPDX-License-Identifier: Apache-2.0
/*
 * mkelf IN OUT MODE: writes OUT, a copy of the static or static-PIE ELF IN
 * with its program headers edited (the loader edge cases run-elf.sh runs):
 *   rwx     the writable PT_LOAD also executable (W+X: ck refuses it);
 *   phdr    a PT_PHDR (the existing one, else PT_GNU_STACK turned into
 *           one) whose p_vaddr is wrong; Linux takes AT_PHDR from the
 *           PT_LOAD that holds the headers, and so must ck;
 *   bigexec PT_GNU_STACK turned into an R+X PT_LOAD of 1 GiB of zeros
 *           (p_filesz 0), larger than a seal may be.
 * Runs on the build host. Exit 0, or 1 with a message.
 */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "mkelf: %s: %s%s%s\n", path, what,
		errno ? ": " : "", errno ? strerror(errno) : "");
	return 1;
}

static Elf64_Phdr *find(Elf64_Ehdr *eh, Elf64_Phdr *ph, uint32_t type,
			uint32_t flag)
{
	int i;

	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == type && (!flag || (ph[i].p_flags & flag)))
			return &ph[i];
	return NULL;
}

static int edit(Elf64_Ehdr *eh, Elf64_Phdr *ph, const char *mode)
{
	Elf64_Phdr *p;

	if (!strcmp(mode, "rwx")) {
		p = find(eh, ph, PT_LOAD, PF_W);
		if (!p)
			return -1;
		p->p_flags |= PF_X;
	} else if (!strcmp(mode, "phdr")) {
		p = find(eh, ph, PT_PHDR, 0);
		if (!p)
			p = find(eh, ph, PT_GNU_STACK, 0);
		if (!p)
			return -1;
		p->p_type = PT_PHDR;
		p->p_offset = eh->e_phoff;
		p->p_vaddr = p->p_paddr = 0xdead0000UL;
		p->p_filesz = p->p_memsz = eh->e_phnum * sizeof(Elf64_Phdr);
	} else if (!strcmp(mode, "bigexec")) {
		p = find(eh, ph, PT_GNU_STACK, 0);
		if (!p)
			return -1;
		p->p_type = PT_LOAD;
		p->p_flags = PF_R | PF_X;
		p->p_offset = 0;
		p->p_vaddr = p->p_paddr = 0x20000000000UL;
		p->p_filesz = 0;
		p->p_memsz = 1UL << 30;
		p->p_align = 4096;
	} else {
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	unsigned char *img;
	Elf64_Ehdr *eh;
	long size;
	FILE *f;

	if (argc != 4) {
		fprintf(stderr, "usage: mkelf IN OUT rwx|phdr|bigexec\n");
		return 2;
	}
	f = fopen(argv[1], "rb");
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET))
		return fail("cannot read", argv[1]);
	img = malloc(size);
	if (!img || fread(img, 1, size, f) != (size_t)size)
		return fail("cannot read", argv[1]);
	fclose(f);
	eh = (Elf64_Ehdr *)img;
	if ((size_t)size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_phoff + eh->e_phnum * sizeof(Elf64_Phdr) > (uint64_t)size)
		return fail("not an ELF file it can edit", argv[1]);
	errno = 0;
	if (edit(eh, (Elf64_Phdr *)(img + eh->e_phoff), argv[3]))
		return fail("no program header for that mode", argv[1]);
	f = fopen(argv[2], "wb");
	if (!f || fwrite(img, 1, size, f) != (size_t)size || fclose(f))
		return fail("cannot write", argv[2]);
	free(img);
	return 0;
}
