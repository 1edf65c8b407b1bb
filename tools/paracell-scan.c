// SPDX-License-Identifier: Apache-2.0
/*
 * paracell-scan [-q] [-p] FILE...
 *
 * Scans the file bytes of every executable PT_LOAD segment of each ELF64
 * x86-64 FILE for the patterns of <paracell/scan.h> at every offset and
 * prints one line per hit:
 *   FILE: vaddr 0x401234 offset 0x1234: wrpkru in .text
 * (" in SECTION" when a section header covers the address).
 * -q prints no hits; -p also reports a segment that ends in a pattern's
 * first bytes ("partial").
 * Exit status: 0 no hits, 1 hits, 2 an error in any FILE or in the usage.
 */
#define _POSIX_C_SOURCE 200809L
#include "elfexec.h"

#include <paracell/scan.h>

#include <stdio.h>
#include <unistd.h>

struct report {
	const char *path;
	const struct elfexec *elf;
	const Elf64_Phdr *ph;
	int quiet;
	size_t hits;
};

static int report_hit(void *ctx, size_t offset, unsigned int kind)
{
	struct report *r = ctx;
	Elf64_Addr va = r->ph->p_vaddr + offset;
	const char *sec;

	r->hits++;
	if (r->quiet)
		return 0;
	sec = elfexec_section_at(r->elf, va);
	printf("%s: vaddr 0x%llx offset 0x%llx: %s%s%s\n", r->path,
	       (unsigned long long)va,
	       (unsigned long long)(r->ph->p_offset + offset),
	       paracell_scan_kind_name(kind), sec ? " in " : "",
	       sec ? sec : "");
	return 0;
}

/* Returns the number of hits in path, or -errno after printing why. */
static long scan_file(const char *path, unsigned int flags, int quiet)
{
	struct report r = { .path = path, .quiet = quiet };
	struct elfexec elf;
	size_t i;
	int ret;

	ret = elfexec_load(&elf, path);
	if (ret) {
		fprintf(stderr, "paracell-scan: %s: %s\n", path, elf.why);
		return ret;
	}
	r.elf = &elf;
	for (i = 0; i < elf.eh->e_phnum; i++) {
		if (!elfexec_is_exec(&elf, i))
			continue;
		r.ph = &elf.ph[i];
		paracell_scan_each(elf.data + r.ph->p_offset, r.ph->p_filesz,
				   flags, report_hit, &r);
	}
	elfexec_free(&elf);
	return (long)r.hits;
}

static int usage(void)
{
	fprintf(stderr, "usage: paracell-scan [-q] [-p] FILE...\n"
		"  -q  print no hits, only the exit status\n"
		"  -p  also report segments ending in a pattern's first bytes\n"
		"exit: 0 no hits, 1 hits, 2 errors\n");
	return 2;
}

int main(int argc, char **argv)
{
	unsigned int flags = 0;
	int quiet = 0, errors = 0, hits = 0, opt;
	long n;

	while ((opt = getopt(argc, argv, "qp")) != -1) {
		if (opt == 'q')
			quiet = 1;
		else if (opt == 'p')
			flags |= PARACELL_SCAN_REPORT_PARTIAL;
		else
			return usage();
	}
	if (optind >= argc)
		return usage();
	for (; optind < argc; optind++) {
		n = scan_file(argv[optind], flags, quiet);
		if (n < 0)
			errors = 1;
		else if (n > 0)
			hits = 1;
	}
	if (fflush(stdout)) {
		perror("paracell-scan: stdout");
		errors = 1;
	}
	return errors ? 2 : hits ? 1 : 0;
}
