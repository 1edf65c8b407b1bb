/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A whole ELF64 x86-64 file in memory, checked so that its program headers,
 * executable segments and section headers can be read without bounds checks.
 */
#ifndef PARACELL_TOOLS_ELFEXEC_H
#define PARACELL_TOOLS_ELFEXEC_H

#include <elf.h>
#include <stddef.h>

struct elfexec {
	unsigned char *data;
	size_t size;
	const Elf64_Ehdr *eh;
	const Elf64_Phdr *ph;		/* eh->e_phnum entries */
	const Elf64_Shdr *sh;		/* shnum entries, NULL if none */
	size_t shnum;
	const char *shstr;		/* section names, NULL if none */
	size_t shstr_size;
	const char *why;		/* after a failure: what is wrong */
};

/*
 * Reads path and checks it. Returns 0, or -errno with f->why set (and
 * nothing to free).
 */
int elfexec_load(struct elfexec *f, const char *path);
void elfexec_free(struct elfexec *f);

/* Whether program header i is a loadable executable segment. */
int elfexec_is_exec(const struct elfexec *f, size_t i);

/*
 * The executable section (not NOBITS) holding virtual address va, or NULL;
 * its contents are not checked to lie inside the file.
 */
const Elf64_Shdr *elfexec_code_section(const struct elfexec *f, Elf64_Addr va);

/*
 * The name of the executable section holding virtual address va, or NULL
 * when no section header says so.
 */
const char *elfexec_section_at(const struct elfexec *f, Elf64_Addr va);

#endif
