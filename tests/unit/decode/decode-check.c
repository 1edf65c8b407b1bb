// SPDX-License-Identifier: Apache-2.0
/*
 * decode-check [-v] [-s] FILE...
 *
 * Compares ck's decoder (shim/guest/decode.c) with `objdump -d` on ELF
 * x86-64 files: objdump disassembles each code section from every symbol
 * it shows, linearly up to the next; the decoder walks the same ranges from
 * the same starts (after an #UD it goes on past the opcode byte, as
 * objdump does after "(bad)"; after other errors one byte on). Where the
 * instruction starts differ, the region from the start where they part to
 * the next one they share is one difference, classified by what explains
 * it:
 *
 *   objdump-bad      objdump printed "(bad)" in the region: bytes that are
 *                    no instruction (data in .text: constant tables, GHC
 *                    info tables, Free Pascal's); where they are an
 *                    undefined opcode of a defined shape (VEX, EVEX, XOP,
 *                    3DNow!, a ModRM group) the decoder gives the shape's
 *                    length and objdump stops earlier; both resync after
 *                    it. Also opcodes newer than objdump: OpenSSL's
 *                    padlock code has Zhaoxin's rep xsha512 (F3 0F A6 E0),
 *                    which binutils 2.40 does not know
 *   symbol-end       an instruction runs past the next symbol: objdump
 *                    never reads past it (".byte 0x.." per byte, or the
 *                    prefixes alone), and the decoder, given the same
 *                    bytes, needs more (CK_DECODE_ETRUNC)
 *   fwait-prefix     objdump takes FWAIT (9B) as a prefix: of the x87
 *                    opcode after it (fstcw = 9B + fnstcw), and a REX or
 *                    other prefix before it is printed on its own; the CPU
 *                    runs 9B as an instruction, as the decoder does
 *   rex-split        a REX that is not just before the opcode (a legacy
 *                    prefix or another REX follows): the CPU ignores it
 *                    but it stays part of the instruction; objdump prints
 *                    it, and the prefixes before it, on their own
 *   prefix-vex       66, F2, F3, F0 or REX before VEX, EVEX or XOP: #UD on
 *                    the CPU (CK_DECODE_EINVAL), while objdump prints the
 *                    prefixes on their own and decodes what follows
 *   ud-prefixes      the opcode after the prefixes is #UD in 64-bit mode
 *                    (CK_DECODE_EINVAL); objdump prints the prefixes on
 *                    their own (where a REX is not last) and "(bad)" next
 *   vendor-66-branch a 66 prefix on a relative branch: Intel and AMD
 *                    disagree on the length or target (CK_DECODE_EVENDOR)
 *   unexplained      anything else: a decoder or objdump bug
 *
 * A symbol objdump dumps as data (an STT_OBJECT in a code section, such
 * as a constant table next to the code that uses it: "ADDR: HEX ASCII"
 * lines) has no instructions to compare: it is counted as a data block.
 *
 * One line per difference ("FILE: 0xADDR KIND: bytes; objdump ...;
 * decoder ..."), with -v one per file too, then a summary line:
 *   decode-check: files N skipped N instructions N differences N
 *   unexplained N data-blocks N
 *   kinds objdump-bad=N symbol-end=N ...
 * Each WRPKRU, XRSTOR, WRFSBASE or WRGSBASE the decoder's walk meets is
 * printed ("FILE: 0xADDR site xrstor") and counted with the syscalls:
 *   sites syscall=N wrpkru=N xrstor=N wrfsbase=N wrgsbase=N
 * (in code, these are the sites ck rewrites; in data in .text, where the
 * walk happens to land).
 * -s skips files that are not ELF64 x86-64 executables or shared objects
 * (counted as "skipped") instead of failing on them.
 * Exit status: 0 all explained, 1 an unexplained difference, 2 an error.
 */
#define _POSIX_C_SOURCE 200809L
#include "decode.h"
#include "elfexec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

enum kind {
	K_BAD, K_SYMEND, K_FWAIT, K_REX, K_PFXVEX, K_UDPFX, K_VENDOR,
	K_UNEXPLAINED, K_N
};
static const char *const kind_names[K_N] = {
	"objdump-bad", "symbol-end", "fwait-prefix", "rex-split",
	"prefix-vex", "ud-prefixes", "vendor-66-branch", "unexplained",
};

struct totals {
	unsigned long files, skipped, insns, diffs, kinds[K_N];
	unsigned long data_blocks;
	unsigned long sites[CK_KIND_WRGSBASE + 1];
};

struct ostart {			/* one instruction objdump printed */
	uint64_t addr;
	int bad;
	char text[24];		/* the mnemonic */
	char full[48];		/* the whole line, cut */
};

struct block {
	struct ostart *v;
	size_t n, cap;
	uint64_t start;
	int open;
	int data;		/* objdump dumped it as data */
};

struct file {
	const char *path;
	struct elfexec elf;
	const Elf64_Shdr *sec;	/* the section being disassembled */
	const unsigned char *bytes;	/* its contents */
	uint64_t limit;		/* the block's end: objdump reads no further */
	struct totals *t;
	unsigned long diffs;
};

static int verbose, skip;

/*
 * Where the walk goes on after the decoder's answer r at a: past the
 * instruction, past the opcode after an #UD (as objdump goes on after its
 * "(bad)"), else one byte.
 */
static uint64_t step(int r, const struct ck_insn *in)
{
	if (r > 0)
		return (uint64_t)r;
	return r == CK_DECODE_EINVAL ? (uint64_t)in->opc_off + 1 : 1;
}

/* The decoder's instruction at a: its length, or an error (< 0). */
static int dec_at(const struct file *f, uint64_t a, struct ck_insn *in)
{
	return ck_decode(f->bytes, f->limit - f->sec->sh_addr,
			 a - f->sec->sh_addr, in);
}

static void print_bytes(const struct file *f, uint64_t a, unsigned int n)
{
	uint64_t end = f->sec->sh_addr + f->sec->sh_size;
	unsigned int i;

	for (i = 0; i < n && a + i < end; i++)
		printf("%s%02x", i ? " " : "", f->bytes[a + i - f->sec->sh_addr]);
}

/* Whether objdump's text names only prefixes ("fs repnz rex.WRXB"). */
static int prefixes_only(const char *text)
{
	static const char *const names[] = {
		"cs", "ds", "es", "fs", "gs", "ss", "data16", "addr32",
		"lock", "repz", "repnz", "rep", "rex", NULL,
	};
	char word[32];
	size_t n, i;

	while (*text) {
		n = strcspn(text, " ");
		if (n >= sizeof(word))
			return 0;
		memcpy(word, text, n);
		word[n] = '\0';
		word[strcspn(word, ".")] = '\0';	/* rex.WRXB */
		for (i = 0; names[i] && strcmp(names[i], word); i++)
			;
		if (!names[i])
			return 0;
		text += n;
		text += strspn(text, " ");
	}
	return 1;
}

/* Whether legacy or REX prefixes at a lead to a VEX, EVEX or XOP escape. */
static int vex_after_prefixes(const struct file *f, uint64_t a)
{
	static const unsigned char pfx[] = {
		0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65, 0x66, 0x67, 0xf0, 0xf2,
		0xf3,
	};
	const unsigned char *p;
	uint64_t i = a - f->sec->sh_addr, end = f->limit - f->sec->sh_addr;

	for (p = f->bytes; i < end; i++)
		if (!memchr(pfx, p[i], sizeof(pfx)) && (p[i] & 0xf0) != 0x40)
			break;
	if (i >= end || i == a - f->sec->sh_addr)
		return 0;
	if (p[i] == 0xc4 || p[i] == 0xc5 || p[i] == 0x62)
		return 1;
	return p[i] == 0x8f && i + 1 < end && (p[i + 1] & 0x1f) >= 8;
}

/*
 * One region [from, to) where the starts differ; o[0..on) are objdump's
 * starts in it (o[0].addr == from), the decoder's walk also began at from.
 */
static void report(struct file *f, uint64_t from, uint64_t to,
		   const struct ostart *o, size_t on)
{
	enum kind k = K_UNEXPLAINED;
	struct ck_insn in;
	uint64_t a;
	size_t i;
	int r, first;

	for (i = 0; i < on; i++)
		if (o[i].bad)
			k = K_BAD;
	for (i = 0; k == K_UNEXPLAINED && i < on; i++)
		if (strcmp(o[i].text, ".byte") == 0)
			k = K_SYMEND;
	for (a = from; k == K_UNEXPLAINED && a < to; a += step(r, &in)) {
		r = dec_at(f, a, &in);
		if (r == CK_DECODE_ETRUNC)
			k = K_SYMEND;
	}
	first = dec_at(f, from, &in);
	if (k == K_UNEXPLAINED && first > 0 && in.map == CK_MAP_ONE &&
	    in.opcode == 0x9b && in.enc == CK_ENC_LEGACY)
		k = K_FWAIT;
	if (k == K_UNEXPLAINED && first > 0 &&
	    (in.prefixes & CK_PFX_REX_IGNORED))
		k = K_REX;
	if (k == K_UNEXPLAINED && first == CK_DECODE_EINVAL &&
	    vex_after_prefixes(f, from))
		k = K_PFXVEX;
	if (k == K_UNEXPLAINED && first == CK_DECODE_EINVAL && on &&
	    prefixes_only(o[0].full))
		k = K_UDPFX;
	for (a = from; k == K_UNEXPLAINED && a < to; a += step(r, &in)) {
		r = dec_at(f, a, &in);
		if (r == CK_DECODE_EVENDOR)
			k = K_VENDOR;
	}
	f->diffs++;
	f->t->diffs++;
	f->t->kinds[k]++;
	printf("%s: 0x%llx %s: ", f->path, (unsigned long long)from,
	       kind_names[k]);
	print_bytes(f, from, (unsigned int)(to - from < 16 ? to - from : 16));
	printf("; objdump");
	for (i = 0; i < on && i < 4; i++)
		printf(" %llx:%s", (unsigned long long)o[i].addr, o[i].text);
	printf("; decoder");
	for (a = from, i = 0; a < to && i < 4; a += step(r, &in), i++) {
		r = dec_at(f, a, &in);
		printf(" %llx:%d", (unsigned long long)a, r);
	}
	printf("\n");
}

/*
 * One step of the decoder's walk at a: notes the forbidden instructions it
 * decodes there (the sites ck rewrites) and returns where the walk goes on.
 */
static uint64_t walk(struct file *f, uint64_t a)
{
	static const char *const names[] = {
		[CK_KIND_WRPKRU] = "wrpkru", [CK_KIND_XRSTOR] = "xrstor",
		[CK_KIND_WRFSBASE] = "wrfsbase", [CK_KIND_WRGSBASE] = "wrgsbase",
	};
	struct ck_insn in;
	int r = dec_at(f, a, &in);

	if (r > 0 && in.kind <= CK_KIND_WRGSBASE) {
		f->t->sites[in.kind]++;
		if (in.kind >= CK_KIND_WRPKRU)
			printf("%s: 0x%llx site %s\n", f->path,
			       (unsigned long long)a, names[in.kind]);
	}
	return a + step(r, &in);
}

/* Compares one block: objdump's starts against the decoder's walk. */
static void compare(struct file *f, struct block *b, uint64_t end)
{
	uint64_t a, sec_end, from = 0;
	size_t i = 0, rfirst = 0;
	int in_diff = 0;

	if (b->data)
		f->t->data_blocks++;
	if (!b->open || !b->n || b->data)
		return;
	f->sec = elfexec_code_section(&f->elf, b->start);
	if (f->sec && (f->sec->sh_offset > f->elf.size ||
		       f->sec->sh_size > f->elf.size - f->sec->sh_offset))
		f->sec = NULL;
	if (!f->sec) {
		printf("%s: 0x%llx unexplained: no code section holds it\n",
		       f->path, (unsigned long long)b->start);
		f->t->kinds[K_UNEXPLAINED]++;
		f->t->diffs++;
		return;
	}
	f->bytes = f->elf.data + f->sec->sh_offset;
	sec_end = f->sec->sh_addr + f->sec->sh_size;
	if (end > sec_end)
		end = sec_end;
	f->limit = end;
	f->t->insns += b->n;
	a = b->start;
	while (a < end || i < b->n) {
		if (i < b->n && a == b->v[i].addr) {
			/* a shared start: a region closes here */
			if (in_diff)
				report(f, from, a, b->v + rfirst, i - rfirst);
			in_diff = 0;
			from = a;
			rfirst = i;
			i++;
			a = a < end ? walk(f, a) : a + 1;
			continue;
		}
		in_diff = 1;
		if (i < b->n && (a >= end || b->v[i].addr < a)) {
			i++;
			continue;
		}
		a = walk(f, a);
	}
	if (in_diff)
		report(f, from, a > end ? a : end, b->v + rfirst, b->n - rfirst);
}

static void add(struct block *b, uint64_t addr, const char *text)
{
	struct ostart *o;
	size_t n;

	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 4096;
		b->v = realloc(b->v, b->cap * sizeof(*b->v));
		if (!b->v) {
			perror("decode-check");
			exit(2);
		}
	}
	o = &b->v[b->n++];
	o->addr = addr;
	o->bad = strstr(text, "(bad)") != NULL;
	text += strspn(text, " ");
	snprintf(o->full, sizeof(o->full), "%s", text);
	o->full[strcspn(o->full, "\n")] = '\0';
	n = strcspn(o->full, " ");
	if (n >= sizeof(o->text))
		n = sizeof(o->text) - 1;
	memcpy(o->text, o->full, n);
	o->text[n] = '\0';
}

/* Runs objdump on f->path and compares block by block. */
static int check_file(struct file *f)
{
	struct block b = { 0 };
	char *line = NULL, *end, *tab;
	size_t cap = 0;
	unsigned long long addr;
	int fds[2], status;
	FILE *out;
	pid_t pid;

	if (pipe(fds))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execlp("objdump", "objdump", "-d", "-z", "-w", "--", f->path,
		       (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	out = fdopen(fds[0], "r");
	while (out && getline(&line, &cap, out) > 0) {
		addr = strtoull(line, &end, 16);
		if (end != line && strncmp(end, " <", 2) == 0 &&
		    strstr(end, ">:")) {
			compare(f, &b, addr);
			b.n = 0;
			b.start = addr;
			b.open = 1;
			b.data = 0;
		} else if (line[0] == ' ' && end != line && *end == ':' &&
			   end[1] == '\t' && b.open) {
			/* "ADDR:\tRAW BYTES\tTEXT"; data: "ADDR:\tHEX  ASCII" */
			tab = strchr(end + 2, '\t');
			if (tab)
				add(&b, addr, tab + 1);
			else
				b.data = 1;
		} else if (strncmp(line, "Disassembly of section", 22) == 0) {
			compare(f, &b, UINT64_MAX);
			b.n = 0;
			b.open = 0;
			b.data = 0;
		}
	}
	compare(f, &b, UINT64_MAX);
	free(line);
	free(b.v);
	if (out)
		fclose(out);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "decode-check: %s: objdump failed\n", f->path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct totals t = { 0 };
	int i, k, err = 0;

	/* whole lines: parallel runs share one log */
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-v") == 0) {
			verbose = 1;
		} else if (strcmp(argv[i], "-s") == 0) {
			skip = 1;
		} else {
			fprintf(stderr, "usage: decode-check [-v] [-s] FILE...\n");
			return 2;
		}
	}
	for (; i < argc; i++) {
		struct file f = { .path = argv[i], .t = &t };

		if (elfexec_load(&f.elf, f.path)) {
			if (skip) {
				t.skipped++;
				continue;
			}
			fprintf(stderr, "decode-check: %s: %s\n", f.path,
				f.elf.why);
			err = 1;
			continue;
		}
		if (skip && f.elf.eh->e_type != ET_EXEC &&
		    f.elf.eh->e_type != ET_DYN) {
			t.skipped++;
			elfexec_free(&f.elf);
			continue;
		}
		fflush(stdout);
		if (check_file(&f))
			err = 1;
		else
			t.files++;
		if (verbose)
			printf("%s: differences %lu\n", f.path, f.diffs);
		elfexec_free(&f.elf);
	}
	printf("decode-check: files %lu skipped %lu instructions %lu "
	       "differences %lu unexplained %lu data-blocks %lu\nkinds",
	       t.files, t.skipped, t.insns, t.diffs, t.kinds[K_UNEXPLAINED],
	       t.data_blocks);
	for (k = 0; k < K_N; k++)
		printf(" %s=%lu", kind_names[k], t.kinds[k]);
	printf("\nsites syscall=%lu wrpkru=%lu xrstor=%lu wrfsbase=%lu "
	       "wrgsbase=%lu\n", t.sites[CK_KIND_SYSCALL],
	       t.sites[CK_KIND_WRPKRU], t.sites[CK_KIND_XRSTOR],
	       t.sites[CK_KIND_WRFSBASE], t.sites[CK_KIND_WRGSBASE]);
	if (err)
		return 2;
	return t.kinds[K_UNEXPLAINED] ? 1 : 0;
}
