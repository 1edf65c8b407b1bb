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
 *               EAX = arch_prctl(ARCH_GET_GS), which ck denies: `ret=-1`;
 *   mt-write    a second thread tries mprotect RWX, /proc/self/mem and
 *               process_vm_writev on the site and its stub while the
 *               first calls dsite: `rewritten=1` if a call ran new code;
 *   jit         JIT code `mov $39, %eax; syscall; ret`: `jit_stays=1` if
 *               ck left its bytes alone (trap path), `ret=` = `pid=`;
 *   jit-served jit-index  JIT code jumps into the gate with the stub's
 *               index, or with index-leak's (`leaked=1` as there);
 *   stub-fault  dsite2's stub faults in its copy of `movl 0(%rdi), %eax`:
 *               the SIGSEGV handler sees `segv_at_site=1` (dsite2), or
 *               `stubrip=1` (the stub's own address);
 *   tf-entry    a forged entry with EFLAGS.TF, a SIGTRAP handler: the trap
 *               at the gate's first instruction is in ck (`ckrip=1` if
 *               the handler saw it);
 *   storm       SIGALRM every 100 us (2,000 at most) while dsite is called 3,000 times:
 *               `wrong=` calls not returning the pid, the handler's view;
 *   tf-site     dsite single-stepped with a SIGTRAP handler: the view,
 *               `stuck=1` if the same RIP trapped 64 times in a row,
 *               `steps=` and the first RIPs (`ripN=dsite+OFF`), which
 *               run.sh compares with the same mode run natively;
 *   tf-plain    the same over psite, which has no FDE (not rewritten: the
 *               trap path), the RIPs from psite;
 *   tf-usr1     tf-site with a SIGUSR1 raised in each SIGTRAP handler
 *               (blocked there): it comes in at ck's single-step exit,
 *               its handler's RIP in ck's text is `usr1_ckrip=1`.
 * The handlers' view (look()): `stubrip`, `ckrip` (RIP in a stub, in
 * ck's text), `badpkru` (1: RDPKRU in the handler, 2: the ucontext's
 * PKRU, not the program's), `kstack` (the handler's stack in ck's range).
 */
#define _GNU_SOURCE
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
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
	/* A site whose span reads memory: `movl 0(%rdi), %eax` (6 bytes). */
	".globl dsite2\n"
	".type dsite2, @function\n"
	"dsite2:\n"
	".cfi_startproc\n"
	"	.byte 0x8b, 0x87, 0, 0, 0, 0\n"
	"	syscall\n"
	"	cmpq $-4095, %rax\n"
	"	jmp *%r12\n"
	".cfi_endproc\n"
	".size dsite2, . - dsite2\n"
	/*
	 * long forge(entry, nr, idx, rsp, flags): into the gate with those
	 * registers; back at resume (through dsite) with RAX = the result.
	 */
	".globl forge\n"
	".type forge, @function\n"
	/* forge_tf: the same, the flags set right before the jump. */
	".globl forge_tf\n"
	"forge_tf:\n"
	"	movb $1, forge_late(%rip)\n"
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
	"	cmpb $0, forge_late(%rip)\n"
	"	jne 2f\n"
	"	pushq %r8\n"
	"	popfq\n"
	"	movq %rbx, %rsp\n"
	"	jmp *%r11\n"
	"2:	movb $0, forge_late(%rip)\n"
	"	movq %rbx, %rsp\n"	/* a valid stack: the flags go there */
	"	pushq %r8\n"
	"	popfq\n"
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
	".size forge, . - forge\n"
	/* long call_site(void): dsite called as code would (R12 back). */
	".globl call_site\n"
	".type call_site, @function\n"
	"call_site:\n"
	"	pushq %r12\n"
	"	leaq 1f(%rip), %r12\n"
	"	jmp dsite\n"
	"1:	popq %r12\n"
	"	ret\n"
	".size call_site, . - call_site\n"
	/* long call_site2(const int *p): dsite2 with RDI = p. */
	".globl call_site2\n"
	"call_site2:\n"
	"	pushq %r12\n"
	"	leaq 1f(%rip), %r12\n"
	"	jmp dsite2\n"
	"1:	popq %r12\n"
	"	ret\n"
	/* long tf_call_site(void): the same, single-stepped (EFLAGS.TF). */
	".globl tf_call_site\n"
	".type tf_call_site, @function\n"
	"tf_call_site:\n"
	"	pushq %r12\n"
	"	leaq 1f(%rip), %r12\n"
	"	pushfq\n"
	"	orq $0x100, (%rsp)\n"
	"	popfq\n"
	"	jmp dsite\n"
	"1:	pushfq\n"
	"	andq $~0x100, (%rsp)\n"
	"	popfq\n"
	"	popq %r12\n"
	"	ret\n"
	".size tf_call_site, . - tf_call_site\n"
	/*
	 * psite: the same code with no FDE, so ck rewrites nothing (the trap
	 * path); tf_call_plain single-steps it as tf_call_site does dsite.
	 */
	".globl psite\n"
	"psite:\n"
	"	movl $39, %eax\n"
	"	syscall\n"
	"	cmpq $-4095, %rax\n"
	"	jmp *%r12\n"
	".globl tf_call_plain\n"
	"tf_call_plain:\n"
	"	pushq %r12\n"
	"	leaq 1f(%rip), %r12\n"
	"	pushfq\n"
	"	orq $0x100, (%rsp)\n"
	"	popfq\n"
	"	jmp psite\n"
	"1:	pushfq\n"
	"	andq $~0x100, (%rsp)\n"
	"	popfq\n"
	"	popq %r12\n"
	"	ret\n");

extern const unsigned char dsite[];
long forge(uint64_t entry, long nr, uint32_t idx, uint64_t rsp,
	   uint64_t flags);
long call_site(void);
long call_site2(const int *p);
long forge_tf(uint64_t entry, long nr, uint32_t idx, uint64_t rsp,
	      uint64_t flags);
extern const unsigned char dsite2[];
long tf_call_site(void);
long tf_call_plain(void);
extern const unsigned char psite[];
uint64_t saved_rsp;
uint8_t forge_late;

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

/* ---- Issue 16's second list: threads, JIT code, signals ---- */

static long pid;

/* The stub's address, from the rewritten site's jmp. */
static uint64_t stub_of(void)
{
	int32_t rel;

	memcpy(&rel, dsite + 1, 4);
	return (uint64_t)dsite + 5 + (int64_t)rel;
}

/*
 * mt-write: a second thread tries every way to write the sealed site and
 * its stub (mprotect PROT_WRITE, /proc/self/mem, process_vm_writev) with
 * `mov $110, %eax` (getppid) while the first calls dsite: `rewritten=1`
 * if a call returned something else than the pid (the new code ran).
 */
static volatile int mt_done;
static const unsigned char getppid_insn[5] = { 0xb8, 110, 0, 0, 0 };

static void try_write(uint64_t at, const char *what)
{
	uint64_t page = at & ~4095ULL;
	struct iovec l = { (void *)getppid_insn, 5 }, r = { (void *)at, 5 };
	char name[64];
	long ret;
	int fd;

	ret = mprotect((void *)page, 8192, PROT_READ | PROT_WRITE | PROT_EXEC);
	snprintf(name, sizeof(name), "mprot_rwx_%s=%%ld\n", what);
	say(name, ret ? -errno : 0);
	if (!ret)
		memcpy((void *)at, getppid_insn, 5);
	fd = open("/proc/self/mem", O_RDWR);
	ret = fd < 0 ? -errno : pwrite(fd, getppid_insn, 5, (off_t)at);
	if (fd >= 0 && ret < 0)
		ret = -errno;
	snprintf(name, sizeof(name), "procmem_%s=%%ld\n", what);
	say(name, ret);
	if (fd >= 0)
		close(fd);
	ret = process_vm_writev(getpid(), &l, 1, &r, 1, 0);
	snprintf(name, sizeof(name), "pvw_%s=%%ld\n", what);
	say(name, ret < 0 ? -errno : ret);
}

static void *writer(void *arg)
{
	(void)arg;
	try_write((uint64_t)dsite, "site");
	try_write(stub_of(), "stub");
	mt_done = 1;
	return 0;
}

static void mt_write(void)
{
	pthread_t th;
	long calls = 0, other = 0, ret;

	pid = getpid();
	if (pthread_create(&th, 0, writer, 0))
		return;
	while (!mt_done || calls < 200) {
		ret = call_site();
		calls++;
		other += ret != pid;
	}
	pthread_join(th, 0);
	for (int i = 0; i < 200; i++)
		other += call_site() != pid;
	say("calls=%ld\n", calls);
	say("site_jmp=%ld\n", dsite[0] == 0xe9);
	say("rewritten=%ld\n", other != 0);
}

/*
 * JIT code (anonymous memory made executable, sealed in place: ck's
 * jit.c), written as R-W then mprotect'ed R-X.
 */
static unsigned char *jit(const unsigned char *code, size_t n)
{
	unsigned char *p = mmap(0, 4096, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return 0;
	memcpy(p, code, n);
	say("jit_mprotect=%ld\n", mprotect(p, 4096, PROT_READ | PROT_EXEC) ?
	    -errno : 0);
	return p;
}

/* jit: `mov $39, %eax; syscall; ret` runs (the trap path), unrewritten. */
static void jit_site(void)
{
	static const unsigned char code[] = { 0xb8, 39, 0, 0, 0, 0x0f, 0x05,
					      0xc3 };
	unsigned char *p = jit(code, sizeof(code));
	long (*fn)(void) = (long (*)(void))(uintptr_t)p;

	if (!p)
		return;
	say("pid=%ld\n", getpid());
	say("ret=%ld\n", fn());
	say("jit_stays=%ld\n", !memcmp(p, code, sizeof(code)));
}

/*
 * jit-forge IDX: JIT code `mov $IDX, %ecx; movabs $entry, %r11; jmp *%r11`,
 * reached by forge (EAX = getpid): a forged entry from JIT code.
 */
static void jit_forge(uint32_t with)
{
	unsigned char code[19] = { 0xb9, 0, 0, 0, 0, 0x49, 0xbb };
	unsigned char *p;

	memcpy(code + 1, &with, 4);
	memcpy(code + 7, &entry, 8);
	code[15] = 0x41;
	code[16] = 0xff;
	code[17] = 0xe3;
	code[18] = 0xcc;
	p = jit(code, sizeof(code));
	if (p) {
		long ret = forge((uint64_t)p, SYS_getpid, idx,
				 (uint64_t)(stack + 8192 - 64), 0x202);

		say("pid=%ld\n", getpid());
		say("ret=%ld\n", ret);
	}
}

/*
 * Signal handlers' view (tf-site, tf-entry, storm): in a stub or in ck's
 * text (the program must see only its own code), PKRU (RDPKRU, and the
 * ucontext's xsave area) not the program's, the handler's stack in K.
 */
static uint32_t pkru0;
static volatile long steps, stubrip, ckrip, badpkru, stuck, kstack;
static volatile uint64_t last_rip, first_rips[16], ucpkru;
extern char __executable_start[];

static uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	__asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(eax), "=d"(edx)
			 : "c"(0));
	return eax;
}

static unsigned int pkru_off(void)
{
	unsigned int a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0xd), "c"(9));
	return b;
}

static void look(ucontext_t *uc)
{
	uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];
	uint8_t *fp = (uint8_t *)uc->uc_mcontext.fpregs;
	uint64_t here = (uint64_t)&rip;

	if (steps < 16)
		first_rips[steps] = rip;
	steps++;
	stubrip |= rip >= area_lo && rip < (uint64_t)__executable_start;
	ckrip |= rip >= CK_TEXT_LO && rip < CK_TEXT_HI;
	kstack |= here >= CK_TEXT_LO && here < 0x700000000000ULL;
	if (rdpkru() != pkru0)
		badpkru |= 1;
	if (fp && (*(uint64_t *)(fp + 512) & (1ULL << 9)) &&
	    *(uint32_t *)(fp + pkru_off()) != pkru0) {
		badpkru |= 2;
		ucpkru = *(uint32_t *)(fp + pkru_off());
	}
	/* The same RIP again and again: no progress; stop stepping. */
	if (rip == last_rip && ++stuck >= 64)
		uc->uc_mcontext.gregs[REG_EFL] &= ~0x100LL;
	else if (rip != last_rip && stuck < 64)
		stuck = 0;
	last_rip = rip;
	if (steps > 5000)
		uc->uc_mcontext.gregs[REG_EFL] &= ~0x100LL;
}

static uint64_t rip_base = (uint64_t)dsite;

static void report(void)
{
	for (int i = 0; i < 16 && i < steps; i++) {
		char line[64];
		int64_t d = (int64_t)(first_rips[i] - rip_base);

		snprintf(line, sizeof(line), "rip%d=dsite%+ld\n", i, (long)d);
		raw3(SYS_write, 1, (long)line, (long)strlen(line));
	}
	say("steps=%ld\n", steps);
	say("stubrip=%ld\n", stubrip);
	say("ckrip=%ld\n", ckrip);
	say("kstack=%ld\n", kstack);
	say("badpkru=%ld\n", badpkru);
	say("pkru0=0x%lx\n", pkru0);
	say("ucpkru=0x%lx\n", (long)ucpkru);
	say("stuck=%ld\n", stuck >= 64);
}

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	(void)sig;
	(void)si;
	look(ucv);
	if (ckrip && !strcmp(mode, "tf-entry")) {
		report();
		_exit(0);
	}
}

static void catch(int sig, void (*fn)(int, siginfo_t *, void *))
{
	struct sigaction sa = { .sa_sigaction = fn, .sa_flags = SA_SIGINFO };

	sigaction(sig, &sa, 0);
}

/* tf-site: dsite single-stepped with a SIGTRAP handler (trap path). */
static void tf_site(void)
{
	long ret;

	catch(SIGTRAP, on_trap);
	ret = tf_call_site();
	report();
	say("pid=%ld\n", getpid());
	say("ret=%ld\n", ret);
	say("ok=%ld\n", ret == getpid() && !stubrip && !ckrip &&
	    !badpkru && !kstack && stuck < 64);
}

/*
 * tf-plain: psite (not rewritten: the trap path) single-stepped; the
 * RIPs as offsets from psite.
 */
static void tf_plain(void)
{
	long ret;

	catch(SIGTRAP, on_trap);
	rip_base = (uint64_t)psite;
	ret = tf_call_plain();
	report();
	say("ret_is_pid=%ld\n", ret == getpid());
}

/*
 * tf-usr1: dsite single-stepped; each SIGTRAP handler raises SIGUSR1,
 * which its mask blocks: it comes in as the handler returns, at ck's
 * single-step exit, and its handler (on a sigaltstack) must see the
 * program's context there: `usr1_ckrip=1` if it saw ck's text (the
 * trampoline's iretq), `usr1_tf=` the handler runs that saw TF set.
 */
static volatile long usr1s, usr1_ckrip, usr1_tf;

static void on_usr1_tf(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];

	(void)sig;
	(void)si;
	usr1s++;
	usr1_ckrip |= rip >= CK_TEXT_LO && rip < CK_TEXT_HI;
	usr1_tf += !!(uc->uc_mcontext.gregs[REG_EFL] & 0x100);
}

static void on_trap_usr1(int sig, siginfo_t *si, void *ucv)
{
	on_trap(sig, si, ucv);
	raw3(SYS_tkill, raw3(SYS_gettid, 0, 0, 0), SIGUSR1, 0);
}

static void tf_usr1(void)
{
	static char alt[65536];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	struct sigaction sa = { .sa_sigaction = on_trap_usr1,
				.sa_flags = SA_SIGINFO };
	struct sigaction su = { .sa_sigaction = on_usr1_tf,
				.sa_flags = SA_SIGINFO | SA_ONSTACK };
	long ret;

	sigaltstack(&ss, 0);
	sigaddset(&sa.sa_mask, SIGUSR1);
	sigaction(SIGTRAP, &sa, 0);
	sigaction(SIGUSR1, &su, 0);
	ret = tf_call_site();
	report();
	say("ret_is_pid=%ld\n", ret == getpid());
	say("usr1s=%ld\n", usr1s);
	say("usr1_tf=%ld\n", usr1_tf);
	say("usr1_ckrip=%ld\n", usr1_ckrip);
}

/* tf-entry: a forged entry with EFLAGS.TF and a SIGTRAP handler. */
static void tf_entry(void)
{
	catch(SIGTRAP, on_trap);
	say("ret=%ld\n", forge_tf(entry, SYS_getpid, idx,
				   (uint64_t)(stack + 8192 - 64), 0x302));
	report();
}

/*
 * storm: SIGALRM every 100 us (ITIMER_REAL, at most STORM_SIGNALS) while
 * the thread calls dsite 3,000 times: every call returns the pid, the
 * handler's view as above.
 */
/*
 * The timer stops after STORM_SIGNALS: in the VM (TCG) a handler's round
 * trip through ck can outlast 100 us, and a timer that fires again before
 * the program runs its next instruction is a livelock, not an attack.
 */
#define STORM_SIGNALS	2000

static void on_alrm(int sig, siginfo_t *si, void *ucv)
{
	static int n;
	struct itimerval off = { { 0, 0 }, { 0, 0 } };

	(void)sig;
	(void)si;
	look(ucv);
	last_rip = 0;
	if (++n == STORM_SIGNALS)
		setitimer(ITIMER_REAL, &off, 0);
}

static void storm(void)
{
	struct itimerval it = { { 0, 100 }, { 0, 100 } };
	long bad = 0;
	int i;

	catch(SIGALRM, on_alrm);
	setitimer(ITIMER_REAL, &it, 0);
	for (i = 0; i < 3000; i++)
		bad += call_site() != pid;
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, 0);
	say("calls=%ld\n", i);
	say("wrong=%ld\n", bad);
	stuck = 0;
	report();
}

/*
 * stub-fault: dsite2 with RDI = 0: its stub's copy of `movl 0(%rdi),
 * %eax` faults; the SIGSEGV handler sees where (`segv_at_site=1`: dsite2,
 * the instruction that byte copies; `stubrip=1`: the stub).
 */
static void on_stub_segv(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	look(uc);
	say("segv_at_site=%ld\n", (uint64_t)uc->uc_mcontext.gregs[REG_RIP] ==
	    (uint64_t)dsite2);
	report();
	_exit(0);
}

static void stub_fault(void)
{
	say("stub2=%ld\n", dsite2[0] == 0xe9);
	catch(SIGSEGV, on_stub_segv);
	say("ret=%ld\n", call_site2(0));
}

static int more_modes(void)
{
	pid = getpid();
	pkru0 = rdpkru();
	if (!strcmp(mode, "mt-write"))
		mt_write();
	else if (!strcmp(mode, "jit"))
		jit_site();
	else if (!strcmp(mode, "jit-served"))
		jit_forge(idx);
	else if (!strcmp(mode, "jit-index")) {
		catch(SIGSEGV, on_segv);
		jit_forge((uint32_t)((areas - dsites) / 16));
	} else if (!strcmp(mode, "tf-site"))
		tf_site();
	else if (!strcmp(mode, "tf-plain"))
		tf_plain();
	else if (!strcmp(mode, "tf-usr1"))
		tf_usr1();
	else if (!strcmp(mode, "tf-entry"))
		tf_entry();
	else if (!strcmp(mode, "storm"))
		storm();
	else if (!strcmp(mode, "stub-fault"))
		stub_fault();
	else
		return -1;
	return 0;
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
	/* The single-step modes also run natively (run.sh compares). */
	if (dsite[0] != 0xe9 && strncmp(mode, "tf-", 3))
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
	} else if (more_modes()) {
		fprintf(stderr, "direct: unknown mode %s\n", mode);
		return 2;
	}
	return 0;
}
