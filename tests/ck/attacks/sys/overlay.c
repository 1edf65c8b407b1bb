// SPDX-License-Identifier: Apache-2.0
/*
 * Built twice. As build/overlay: a program with a second executable
 * segment placed over ck's text: ck is
 * linked at CK_BASE (shim/guest/Makefile's -Ttext-segment, passed in by
 * the Makefile) and its text starts one page above. The real ck must refuse
 * to load it. A ck that maps it (the CK_RANGES mutant) runs the program's
 * code as its own from the next instruction it fetches there: each page of
 * the segment is a NOP slide into a jump to over_ck(), which then runs in
 * ck's domain during start-up. It finds ck_canary by its value in ck's
 * writable segments (located through ck's ELF headers at CK_BASE) and
 * prints "ORACLE: ..." with the value and address; it makes only raw
 * syscalls (ck's state, not the program's, is live).
 * With -DWRAP, as build/wrapbase, without that segment: mkwrap turns it
 * into build/wrapload, whose extra segment overruns ck's K stacks with
 * over_ck's address (see mkwrap.c); over_ck is then reached by ck's own
 * returns.
 */
#include <elf.h>
#include <stdint.h>
#include <stdio.h>

#include "../raw.h"

#define CANARY		0x63616e6172794b21ULL
#define OVER_PAGES	6
#define STR_(x)		#x
#define STR(x)		STR_(x)

#ifndef CK_BASE
#error "build with -DCK_BASE=ck's text segment address"
#endif

void over_ck(void);

#ifndef WRAP
/* Linked at CK_BASE + 4096 (--section-start=.ckover=...). */
__asm__(".pushsection .ckover, \"ax\", @progbits\n"
	".rept " STR(OVER_PAGES) "\n"
	".fill 4096 - 12, 1, 0x90\n"	/* nop */
	"movabsq $over_ck, %rax\n"	/* 10 bytes */
	"jmp *%rax\n"			/* 2 bytes */
	".endr\n"
	".popsection\n");
#endif

static const volatile uint64_t *find_canary(void)
{
	const Elf64_Ehdr *h = (const Elf64_Ehdr *)CK_BASE;
	const Elf64_Phdr *ph = (const Elf64_Phdr *)(CK_BASE + h->e_phoff);
	const volatile uint64_t *q, *end;
	int i;

	for (i = 0; i < h->e_phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_W))
			continue;
		q = (const volatile uint64_t *)((ph[i].p_vaddr + 7) & ~7UL);
		end = (const volatile uint64_t *)(ph[i].p_vaddr + ph[i].p_filesz);
		for (; q + 1 <= end; q++)
			if (*q == CANARY)
				return q;
	}
	return 0;
}

void over_ck(void)
{
	const volatile uint64_t *c = find_canary();
	uint32_t pkru, edx;
	char buf[160], *p = buf;

	__asm__ volatile("rdpkru" : "=a"(pkru), "=d"(edx) : "c"(0));
	if (c) {
		p = put_str(p, "ORACLE: the program's code runs as ck (PKRU ");
		p = put_hex(p, pkru);
		p = put_str(p, ") and reads ck_canary = ");
		p = put_hex(p, *c);
		p = put_str(p, " at ");
		p = put_hex(p, (uint64_t)(uintptr_t)c);
		*p++ = '\n';
		raw3(1 /* write */, 1, (long)buf, p - buf);
	}
	raw3(231 /* exit_group */, 0, 0, 0);
}

int main(void)
{
	puts("loaded, and ck did not refuse it");
	return 0;
}
