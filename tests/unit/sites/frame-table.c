// SPDX-License-Identifier: Apache-2.0
/*
 * frame-table FILE: for a file without an .eh_frame_hdr, the table ck
 * builds from its .eh_frame section (ck_elfview_sort_frames, for the
 * direct gate's sites) against the walk of that section ck does without
 * it: the function range of every `syscall` (0F 05) in the executable
 * segments, and of every 64th byte there, looked up both ways. Prints
 * "FILE frames=N lookups=M found=F mismatches=K"; exit 1 on a mismatch,
 * 2 if the file has a table or no usable section.
 */
#include <stdio.h>
#include <elf.h>

#include "elffile.h"
#include "unwind.h"

#define MAX_FRAMES	8192	/* stubs.c's FRAMES_MAX */


static struct ck_fde_range frames[MAX_FRAMES];

int main(int argc, char **argv)
{
	struct file f;
	struct ck_elfview walk = { .read = file_read, .ctx = &f }, table;
	unsigned long lookups = 0, found = 0, bad = 0;
	const Elf64_Ehdr *eh;
	unsigned int s;
	int n;

	if (argc != 2 || file_map(argv[1], sizeof(*eh), &f) ||
	    ck_elfview_init(&walk) || walk.fdes)
		return 2;
	n = ck_elfview_sort_frames(&walk, frames, MAX_FRAMES);
	if (n <= 0)
		return 2;
	table = walk;
	table.ranges = frames;
	table.nranges = (uint32_t)n;
	eh = (const void *)f.p;
	for (s = 0; s < eh->e_phnum; s++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(const void *)
				       (f.p + eh->e_phoff) + s;
		uint64_t o, alo, ahi, blo, bhi;
		int64_t va;
		int a, b;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_X) ||
		    ph->p_offset + ph->p_filesz > f.n)
			continue;
		for (o = ph->p_offset; o + 1 < ph->p_offset + ph->p_filesz;
		     o++) {
			if (o % 64 && !(f.p[o] == 0x0f && f.p[o + 1] == 0x05))
				continue;
			va = ck_elfview_vaddr(&walk, o);
			if (va < 0)
				continue;
			a = ck_elfview_fde(&walk, (uint64_t)va, &alo, &ahi);
			b = ck_elfview_fde(&table, (uint64_t)va, &blo, &bhi);
			lookups++;
			found += !a;
			if (a != b || (!a && (alo != blo || ahi != bhi))) {
				if (bad++ < 5)
					printf("# %#lx: walk %d [%#lx, %#lx), "
					       "table %d [%#lx, %#lx)\n",
					       (unsigned long)va, a,
					       (unsigned long)alo,
					       (unsigned long)ahi, b,
					       (unsigned long)blo,
					       (unsigned long)bhi);
			}
		}
	}
	printf("%s frames=%d lookups=%lu found=%lu mismatches=%lu\n", argv[1],
	       n, lookups, found, bad);
	return bad ? 1 : 0;
}
