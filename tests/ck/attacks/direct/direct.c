// SPDX-License-Identifier: Apache-2.0
/*
 * Direct-gate attacks on ck (docs/xgate.md, "The direct gate"):
 *
 *   direct MODE ENTRY CB DSITES AREAS TBLK
 *
 * ENTRY, CB, DSITES, AREAS and TBLK are the addresses of ck_direct_entry,
 * ck_cb, ck_dsites, stubs.c's areas and ck_tblk in the ck under test (nm). dsite below is a syscall site of
 * the program's own: `mov $39, %eax; syscall; cmp; jmp *%r12`, which ck
 * rewrites into `jmp stub`; the program reads the stub's index from the
 * stub (program memory) and then jumps straight into ck_direct_entry with
 * registers of its choosing: EAX the number, ECX the index, RSP forged.
 * ck's exit comes back to dsite after its syscall, which jumps to R12 (a
 * callee-saved register ck restores): `resume`, which puts the real stack
 * back. One `key=value` line per fact on stdout (unbuffered).
 *
 * Modes (run.sh has the expectations):
 *   site        the site is rewritten: `stub=1 idx=N`;
 *   served      a forged entry, RSP the program's stack: getpid served,
 *               `ret=` equal to `pid=`;
 *   rsp-prog    RSP at the top of a buffer of the program's filled with a
 *               pattern: `ckstack=N` words changed below it, `cktext=1`
 *               if one of them points into ck's text (ck ran on the
 *               program's stack: its frames leak to the program);
 *   rsp-k rsp-k2 rsp-unmapped  RSP in ck_cb (K), in ck_tblk (K2) or
 *               unmapped: served all the same (`ret=` = `pid=`);
 *   index-leak  ECX the index past ck's table that makes its entry
 *               areas[0] (K: the first stub area's bounds), with a SIGSEGV
 *               handler: ck's exit goes to the address that entry names,
 *               `leaked=1` if the handler sees it in RIP (K read as a
 *               site: the area's start plus the low half of its end);
 *   gs          `mov $0x2b, %gs` (base 0), then the forged entry;
 *   df-ac       the forged entry with EFLAGS.DF and AC set;
 *   h-served h-rsp-prog  served and rsp-prog from a SIGUSR1 handler;
 *   sys         a jump to dsite's own syscall (kept: the trap path) with
 *               EAX = arch_prctl(ARCH_GET_GS), which ck denies: `ret=-1`.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../raw.h"

#define CB_MAGIC	0x62636b6370617261ULL
#define CK_TEXT_LO	0x600000000000ULL
#define CK_TEXT_HI	0x600010000000ULL
#define PATTERN		0x5a5a5a5a5a5a5a5aULL

/* The program's own site, with an FDE (.cfi) so that ck finds it. */
__asm__(
	".text\n"
	".globl dsite\n"
	".type dsite, @function\n"
	"dsite:\n"
	".cfi_startproc\n"
	"	movl $39, %eax\n"
	"	syscall\n"
	"	cmpq $-4095, %rax\n"
	"	jmp *%r12\n"
	".cfi_endproc\n"
	".size dsite, . - dsite\n"
	/*
	 * long forge(entry, nr, idx, rsp, flags): into the gate with those
	 * registers; back at resume (through dsite) with RAX = the result.
	 */
	".globl forge\n"
	".type forge, @function\n"
	"forge:\n"
	".cfi_startproc\n"
	"	pushq %rbx\n"
	"	pushq %rbp\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, saved_rsp(%rip)\n"
	"	leaq resume(%rip), %r12\n"
	"	movq %rdi, %r11\n"
	"	movl %esi, %eax\n"
	"	movq %rcx, %rbx\n"
	"	movl %edx, %ecx\n"
	"	pushq %r8\n"
	"	popfq\n"
	"	movq %rbx, %rsp\n"
	"	jmp *%r11\n"
	"resume:\n"
	"	movq saved_rsp(%rip), %rsp\n"
	"	pushfq\n"
	"	andq $~0x40500, (%rsp)\n"	/* TF, DF, AC */
	"	popfq\n"
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbp\n"
	"	popq %rbx\n"
	"	ret\n"
	".cfi_endproc\n"
	".size forge, . - forge\n");

extern const unsigned char dsite[];
long forge(uint64_t entry, long nr, uint32_t idx, uint64_t rsp,
	   uint64_t flags);
uint64_t saved_rsp;

static uint64_t entry, cb, dsites, areas, tblk, area_lo;
static uint32_t idx;
static uint64_t buf[4096] __attribute__((aligned(64)));
static uint64_t stack[8192] __attribute__((aligned(64)));
static const char *mode;

static void say(const char *fmt, long v)
{
	char line[128];
	int n = snprintf(line, sizeof(line), fmt, v);

	raw3(SYS_write, 1, (long)line, n);
}

/* The stub's index, from the rewritten site (see stubs.c). */
static int find_idx(void)
{
	const unsigned char *stub;
	int32_t rel;

	if (dsite[0] != 0xe9)
		return -1;
	memcpy(&rel, dsite + 1, 4);
	stub = dsite + 5 + rel;
	/* The copy of `mov $39, %eax` (5 bytes), cmpb (9), je (2), movl. */
	if (stub[16] != 0xb9)
		return -1;
	memcpy(&idx, stub + 17, 4);
	/* The first area is the program's own (slot 0, first index 0). */
	area_lo = (uint64_t)stub - 64 * ((uint64_t)idx + 1);
	return 0;
}

static void rsp_prog(void)
{
	uint64_t *top = buf + 4096 - 16;
	long n = 0, text = 0, ret;
	size_t i;

	for (i = 0; i < 4096; i++)
		buf[i] = PATTERN;
	buf[4096 - 16] = 0;
	ret = forge(entry, SYS_getpid, idx, (uint64_t)top, 0x202);
	for (i = 0; i < 4096 - 16; i++)
		if (buf[i] != PATTERN) {
			n++;
			text |= buf[i] >= CK_TEXT_LO && buf[i] < CK_TEXT_HI;
		}
	say("ret=%ld\n", ret);
	say("ckstack=%ld\n", n);
	say("cktext=%ld\n", text);
}

static void served(uint64_t rsp, uint64_t flags)
{
	long ret = forge(entry, SYS_getpid, idx, rsp, flags);

	say("pid=%ld\n", getpid());
	say("ret=%ld\n", ret);
}

static void on_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP], len, d;
	long hit = 0;

	(void)sig;
	(void)si;
	say("rip=0x%lx\n", (long)rip);
	/* areas[0] = { lo, hi = lo + len }: RIP = lo + low32(hi) (+2). */
	for (len = 4096; len <= (1UL << 22); len += 4096) {
		d = rip - area_lo - (uint32_t)(area_lo + len);
		hit |= d == 0 || d == 2;
	}
	say("leaked=%ld\n", hit);
	_exit(0);
}

static void on_usr1(int sig)
{
	(void)sig;
	if (!strcmp(mode, "h-served"))
		served((uint64_t)(stack + 8192 - 64), 0x202);
	else
		rsp_prog();
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: direct MODE ENTRY CB DSITES AREAS TBLK\n");
		return 2;
	}
	mode = argv[1];
	entry = strtoull(argv[2], 0, 0);
	cb = strtoull(argv[3], 0, 0);
	dsites = strtoull(argv[4], 0, 0);
	areas = strtoull(argv[5], 0, 0);
	tblk = strtoull(argv[6], 0, 0);
	say("stub=%ld\n", !find_idx());
	say("idx=%ld\n", idx);
	if (dsite[0] != 0xe9)
		return 3;
	if (!strcmp(mode, "site"))
		return 0;
	if (!strcmp(mode, "served"))
		served((uint64_t)(stack + 8192 - 64), 0x202);
	else if (!strcmp(mode, "rsp-prog"))
		rsp_prog();
	else if (!strcmp(mode, "rsp-k"))
		served(cb + 4096, 0x202);
	else if (!strcmp(mode, "rsp-k2"))
		served(tblk + 4096, 0x202);
	else if (!strcmp(mode, "rsp-unmapped"))
		served(0x1000, 0x202);
	else if (!strcmp(mode, "df-ac"))
		served((uint64_t)(stack + 8192 - 64), 0x40602);
	else if (!strcmp(mode, "gs")) {
		__asm__ volatile("movw %w0, %%gs" : : "r"(0x2b));
		served((uint64_t)(stack + 8192 - 64), 0x202);
	} else if (!strcmp(mode, "index-leak")) {
		struct sigaction sa = { .sa_sigaction = on_segv,
					.sa_flags = SA_SIGINFO };

		sigaction(SIGSEGV, &sa, 0);
		idx = (uint32_t)((areas - dsites) / 16);
		say("forged_idx=%ld\n", idx);
		served((uint64_t)(stack + 8192 - 64), 0x202);
	} else if (!strncmp(mode, "h-", 2)) {
		signal(SIGUSR1, on_usr1);
		raise(SIGUSR1);
	} else if (!strcmp(mode, "sys")) {
		long ret = forge((uint64_t)dsite + 5, SYS_arch_prctl, 0,
				 (uint64_t)(stack + 8192 - 64), 0x202);

		say("ret=%ld\n", ret);
	} else {
		fprintf(stderr, "direct: unknown mode %s\n", mode);
		return 2;
	}
	return 0;
}
