// SPDX-License-Identifier: Apache-2.0
#include "elfexec.h"
#include "readfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Whether [off, off + len) lies inside the file, without overflow. */
static int in_file(const struct elfexec *f, Elf64_Off off, Elf64_Xword len)
{
	return off <= f->size && len <= f->size - off;
}

static int check_header(struct elfexec *f)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)f->data;

	if (f->size < SELFMAG || memcmp(eh->e_ident, ELFMAG, SELFMAG)) {
		f->why = "not an ELF file";
		return -ENOEXEC;
	}
	if (f->size < sizeof(*eh)) {
		f->why = "truncated ELF header";
		return -EINVAL;
	}
	if (eh->e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh->e_ident[EI_DATA] != ELFDATA2LSB || eh->e_machine != EM_X86_64) {
		f->why = "not an ELF64 x86-64 file";
		return -ENOEXEC;
	}
	f->eh = eh;
	return 0;
}

/* A table of program or section headers: where the ELF header puts it. */
struct table {
	Elf64_Off off;
	size_t num, entsize, want, align;
	const char *bad_size, *truncated, *misaligned;	/* messages */
};

/* Points *at to the table if it lies whole and aligned in the file. */
static int check_table(struct elfexec *f, const struct table *t,
		       const void **at)
{
	if (t->num && t->entsize != t->want) {
		f->why = t->bad_size;
		return -EINVAL;
	}
	if (!in_file(f, t->off, (Elf64_Xword)t->num * t->want)) {
		f->why = t->truncated;
		return -EINVAL;
	}
	if (t->off % t->align) {
		f->why = t->misaligned;
		return -EINVAL;
	}
	*at = f->data + t->off;
	return 0;
}

static int check_segments(struct elfexec *f)
{
	const Elf64_Ehdr *eh = f->eh;
	const struct table t = {
		eh->e_phoff, eh->e_phnum, eh->e_phentsize,
		sizeof(Elf64_Phdr), _Alignof(Elf64_Phdr),
		"bad program header size",
		"truncated: program headers beyond end of file",
		"misaligned program headers",
	};
	const void *at;
	size_t i;
	int ret;

	if (eh->e_phnum == PN_XNUM) {
		f->why = "too many program headers (PN_XNUM) not supported";
		return -EOPNOTSUPP;
	}
	ret = check_table(f, &t, &at);
	if (ret)
		return ret;
	f->ph = at;
	for (i = 0; i < eh->e_phnum; i++) {
		if (elfexec_is_exec(f, i) &&
		    !in_file(f, f->ph[i].p_offset, f->ph[i].p_filesz)) {
			f->why = "truncated: executable segment beyond end of file";
			return -EINVAL;
		}
	}
	return 0;
}

/* Section names are only for messages; a file without them is fine. */
static int check_sections(struct elfexec *f)
{
	const Elf64_Ehdr *eh = f->eh;
	const struct table t = {
		eh->e_shoff, eh->e_shnum, eh->e_shentsize,
		sizeof(Elf64_Shdr), _Alignof(Elf64_Shdr),
		"bad section header size",
		"truncated: section headers beyond end of file",
		"misaligned section headers",
	};
	const Elf64_Shdr *str;
	const void *at;
	int ret;

	if (eh->e_shnum == 0 || eh->e_shoff == 0)
		return 0;
	ret = check_table(f, &t, &at);
	if (ret)
		return ret;
	f->sh = at;
	f->shnum = eh->e_shnum;
	if (eh->e_shstrndx == SHN_UNDEF || eh->e_shstrndx >= f->shnum)
		return 0;
	str = &f->sh[eh->e_shstrndx];
	if (!in_file(f, str->sh_offset, str->sh_size)) {
		f->why = "truncated: section names beyond end of file";
		return -EINVAL;
	}
	f->shstr = (const char *)f->data + str->sh_offset;
	f->shstr_size = str->sh_size;
	return 0;
}

int elfexec_load(struct elfexec *f, const char *path)
{
	int ret;

	memset(f, 0, sizeof(*f));
	ret = read_file(path, &f->data, &f->size);
	if (ret) {
		f->why = strerror(-ret);
		return ret;
	}
	ret = check_header(f);
	if (!ret)
		ret = check_segments(f);
	if (!ret)
		ret = check_sections(f);
	if (ret)
		elfexec_free(f);
	return ret;
}

void elfexec_free(struct elfexec *f)
{
	free(f->data);
	f->data = NULL;
}

int elfexec_is_exec(const struct elfexec *f, size_t i)
{
	return f->ph[i].p_type == PT_LOAD && (f->ph[i].p_flags & PF_X);
}

const Elf64_Shdr *elfexec_code_section(const struct elfexec *f, Elf64_Addr va)
{
	const Elf64_Shdr *s;
	size_t i;

	for (i = 0; i < f->shnum; i++) {
		s = &f->sh[i];
		if (!(s->sh_flags & SHF_EXECINSTR) || s->sh_type == SHT_NOBITS)
			continue;
		if (va < s->sh_addr || va - s->sh_addr >= s->sh_size)
			continue;
		return s;
	}
	return NULL;
}

const char *elfexec_section_at(const struct elfexec *f, Elf64_Addr va)
{
	const Elf64_Shdr *s;

	if (!f->shstr)
		return NULL;
	s = elfexec_code_section(f, va);
	if (!s)
		return NULL;
	if (s->sh_name >= f->shstr_size ||
	    !memchr(f->shstr + s->sh_name, '\0', f->shstr_size - s->sh_name))
		return "?";
	return f->shstr + s->sh_name;
}
