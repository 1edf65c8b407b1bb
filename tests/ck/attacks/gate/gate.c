// SPDX-License-Identifier: Apache-2.0
/*
 * XGate / trap-path attacks on ck (DESIGN.md section 4), one mode per run:
 *
 *   gate MODE OUTFILE [SYM=0xADDR ...]
 *
 * SYM are ck's symbols (from nm of the ck under test): ck_tblk, ck_canary,
 * and the jump target `target` for the jump modes. OUTFILE is a file the
 * program maps MAP_SHARED: the first 8 bytes are the buffer of every raw
 * arch_prctl(ARCH_GET_GS) (only the host kernel writes there: ck denies
 * ARCH_GET_GS with EPERM, so ck's thread block address in it means a
 * syscall reached the host unseen by ck); from offset 64 a text log of
 * `key=value` lines, written with plain stores so that it survives the
 * program being killed (by ck_abort's SIGILL, a PKU fault, SIGSYS).
 *
 * Modes (run.sh has the table of expectations):
 *   raw-fwd raw-mem raw-deny raw-own  a syscall ck forwards (getppid) /
 *           emulates as memory (mmap) / denies (pkey_alloc, flags 1: EINVAL
 *           if it reached the host, which allows it for ck's start-up) /
 *           emulates (rt_sigprocmask), then at once a raw
 *           ARCH_GET_GS;
 *   jump EAX   a trapped kill(SIGSYS), then a jump to `target` with EAX in eax,
 *           ecx = edx = 0, rax/r14 = arch_prctl, rdi = ARCH_GET_GS,
 *           rsi = the OUTFILE buffer, a return address on the stack; if
 *           control comes back: log rax and PKRU, a raw ARCH_GET_GS, then
 *           read ck_canary (a PKU fault unless PKRU opens K);
 *   jump-ret EAX  the same jump with RSP on a stack of gate_resume
 *           addresses in program memory: whatever ck pops and returns
 *           through (ck_forward's or ck_user_copy's epilogue) comes back
 *           here;
 *   copy-leak EAX  a jump to `target` (ck_user_copy's window) with the
 *           copy's registers set to move 8 bytes from ck_canary to offset
 *           32 of OUTFILE, where they survive the process's death;
 *   gs-mov gs-null  load GS with selector 0x2b (base 0), or 0x2b then 0,
 *           then a syscall; gs-syscalls: set_thread_area, modify_ldt and
 *           arch_prctl(ARCH_SET_GS) must fail, then a jump to the gate;
 *   gs-plant  arch_prctl(ARCH_SET_GS, ck_tblk + 16), rdx = the address
 *           right after that syscall; if the host ran it and ck did not
 *           check GS's alignment, ck's exit trampoline (which finds its
 *           slots through GS) sets BLOCK in the wrong byte, leaves the real
 *           selector ALLOW and jumps to the exit slot that now holds the
 *           program's rdx: then a raw ARCH_SET_GS back to ck_tblk and a
 *           raw ARCH_GET_GS reach the host;
 *   core-jump EAX  RLIMIT_CORE raised to unlimited, then as jump;
 *   kb-leak EAX  %xmm0 = KB_MARKER at the trapped kill, of SIGUSR1, which
 *           the program catches (ck_signal_entry copies that signal's frame
 *           through this thread's bounce buffer, pkey 3, found in smaps, and
 *           leaves the marker there; the SIGSYS entry copies its frame in
 *           gate.S, not through the bounce buffer), then a jump to `target` (ck_user_copy's
 *           window) with r10 = that copy of %xmm0, r9 = OUTFILE+32, r8 = 8:
 *           the "kbleak" oracle is the marker in OUTFILE;
 *   entry-prog entry-prog-alt entry-alt  jump to ck_gate_site_entry with
 *           eax = CK PKRU: RSP on a fake frame in program memory and r12
 *           that frame / r12 a forged frame on the altstack / RSP and r12
 *           on the altstack; the forged frame asks for getpid and resumes
 *           here: `served=1` when it did; entry-alt-df: entry-alt with
 *           EFLAGS.DF set (string copies in ck would run backwards);
 *   entry-other-alt  with a second thread asleep in a syscall loop, the
 *           jump with RSP on that thread's altstack and r12 a forged
 *           frame on this thread's: the gate takes only its own;
 *   sigreturn-pkru0 sigreturn-nofp sigreturn-bv9clear sigreturn-ucstack
 *           a raw rt_sigreturn from a forged frame (PKRU slot 0 with
 *           XSTATE_BV bit 9 set / fpstate NULL / bit 9 clear / uc_stack
 *           moved to program memory), resuming here; the frame starts
 *           from a stale SIGSYS frame on ck's altstack, or, where there
 *           is none (EXIT_BLOCK: syscalls never trap), one built here;
 *   vsyscall vsyscall-ctl  time() through the vsyscall page (-ctl: the
 *           same program without that call, for the handled count);
 *   int80 x32  getpid as an i386 syscall (int $0x80, eax 20) and as an
 *           x32 syscall (__X32_SYSCALL_BIT | 39): `pid=` equal to `ret=`
 *           means it reached the host.
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "../raw.h"

#define ARCH_SET_GS_	0x1001
#define ARCH_GET_GS_	0x1004
#define PKRU_CK		0x55555500U
#define PKRU_COPY	0x5555552cU
#define PKRU_USER	0x5555556cU
#define ALT_SIZE	0x10000UL
#define MAGIC1		0x46505853U
#define MAGIC2		0x46505845U
#define SW_OFF		464
#define BV_OFF		512
#define XSAVE_XMM0	160			/* in the fxsave part */
#define KB_MARKER	0x4b424c45414b2121ULL	/* "!!KAELBK" */

/* struct ucontext and sigcontext (x86-64), as byte offsets. */
#define UC_STACK	16
#define UC_MC		40
#define MC_R12		(UC_MC + 32)
#define MC_RAX		(UC_MC + 104)
#define MC_RSP		(UC_MC + 120)
#define MC_RIP		(UC_MC + 128)
#define MC_EFLAGS	(UC_MC + 136)
#define MC_CS		(UC_MC + 144)
#define MC_SS		(UC_MC + 150)
#define MC_FPSTATE	(UC_MC + 184)
#define UC_SIZE		304	/* the kernel's struct ucontext; siginfo follows */
#define UC_COPY		512	/* ucontext, siginfo and some spare */

static char *out;		/* the shared OUTFILE mapping */
static char progbuf[0x20000] __attribute__((aligned(4096)));
static size_t logpos = 64;

static void logf_(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void logf_(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + logpos, 4096 - logpos - 1, fmt, ap);
	va_end(ap);
	if (n > 0)
		logpos += (size_t)n < 4096 - logpos - 1 ? (size_t)n : 4096 - logpos - 1;
}

static uint64_t sym(int argc, char **argv, const char *name)
{
	size_t len = strlen(name);

	for (int i = 3; i < argc; i++)
		if (!strncmp(argv[i], name, len) && argv[i][len] == '=')
			return strtoull(argv[i] + len + 1, 0, 0);
	fprintf(stderr, "gate: no %s=ADDR argument\n", name);
	exit(2);
}

static uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	__asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static long raw_getgs(uint64_t *buf)
{
	long ret = SYS_arch_prctl;

	__asm__ volatile("syscall" : "+a"(ret)
			 : "D"((long)ARCH_GET_GS_), "S"(buf)
			 : "rcx", "r11", "memory");
	return ret;
}

/* Syscall nr, then at once a raw arch_prctl(ARCH_GET_GS, gs). */
static long pair(long nr, long a1, long a2, long a3, long a4, uint64_t *gs,
		 long *first)
{
	register long r10 __asm__("r10") = a4;
	long r1, r2 = nr;

	__asm__ volatile("syscall\n\t"
			 "mov %%rax, %[r1]\n\t"
			 "mov $158, %%eax\n\t"
			 "mov $0x1004, %%edi\n\t"
			 "mov %[gs], %%rsi\n\t"
			 "syscall"
			 : "+a"(r2), [r1] "=&r"(r1), "+D"(a1), "+S"(a2),
			   "+d"(a3), "+r"(r10)
			 : [gs] "r"(gs)
			 : "rcx", "r11", "r8", "r9", "memory");
	*first = r1;
	return r2;
}

/*
 * long gate_jump(struct jr *j): a trapped kill(getpid(), SIGSYS) (ck
 * refuses it; with the EXIT_BLOCK mutant the host delivers the signal and
 * ck takes it as a syscall: either way ck's exit slot then returns to the
 * label after it), or of j->sig, then the jump. Every way back lands in gate_resume,
 * which reloads the stack saved in gate_saved_rsp.
 */
struct jr {
	uint64_t target;	/* 0 */
	uint64_t r12;		/* 8 */
	uint64_t r14;		/* 16 */
	uint64_t rdi;		/* 24 */
	uint64_t rsi;		/* 32 */
	uint64_t rsp;		/* 40: 0 = keep */
	uint64_t eax;		/* 48 */
	uint64_t pid;		/* 56 */
	uint64_t r8;		/* 64 */
	uint64_t r9;		/* 72 */
	uint64_t r10;		/* 80 */
	uint64_t df;		/* 88: set EFLAGS.DF for the jump */
	uint64_t xmm0;		/* 96: in %xmm0 at the trapped kill */
	uint64_t sig;		/* 104: the kill's signal, 0 = SIGSYS */
};
long gate_jump(struct jr *j);

static void on_usr1(int sig)
{
	(void)sig;
}
long gate_gs_plant(uint64_t base, uint64_t resume);
extern char gate_gs_plant_ret[];
long gate_sigreturn(uint64_t frame_uc);
extern char gate_resume[];
uint64_t gate_saved_rsp;
uint64_t gate_gs_saved_rsp;

__asm__(
	".text\n"
	".globl gate_jump\n"
	"gate_jump:\n"
	"	push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"	mov %rsp, gate_saved_rsp(%rip)\n"
	"	mov %rdi, %r15\n"
	"	xor %r13d, %r13d\n"
	"	mov 56(%r15), %rdi\n"
	"	mov 104(%r15), %rsi\n"
	"	test %rsi, %rsi\n"
	"	jnz 0f\n"
	"	mov $31, %esi\n"
	"0:	mov $62, %eax\n"
	"	movq 96(%r15), %xmm0\n"
	"	syscall\n"
	"1:	test %r13, %r13\n"
	"	jnz gate_resume\n"
	"	mov $1, %r13d\n"
	"	sub $256, %rsp\n"
	"	lea gate_resume(%rip), %rax\n"
	"	push %rax\n"
	"	mov 8(%r15), %r12\n"
	"	mov 16(%r15), %r14\n"
	"	mov 24(%r15), %rdi\n"
	"	mov 32(%r15), %rsi\n"
	"	mov 40(%r15), %rax\n"
	"	test %rax, %rax\n"
	"	jz 2f\n"
	"	mov %rax, %rsp\n"
	"2:	mov 0(%r15), %r11\n"
	"	mov 64(%r15), %r8\n"
	"	mov 72(%r15), %r9\n"
	"	mov 80(%r15), %r10\n"
	"	cmpq $0, 88(%r15)\n"
	"	je 3f\n"
	"	std\n"
	"3:	mov 48(%r15), %rax\n"
	"	xor %ecx, %ecx\n"
	"	xor %edx, %edx\n"
	"	jmp *%r11\n"
	".globl gate_resume\n"
	"gate_resume:\n"
	"	cld\n"
	"	mov gate_saved_rsp(%rip), %rsp\n"
	"	pop %r15\n pop %r14\n pop %r13\n pop %r12\n pop %rbp\n pop %rbx\n"
	"	ret\n"
	".globl gate_gs_plant\n"
	"gate_gs_plant:\n"
	"	mov %rsp, gate_gs_saved_rsp(%rip)\n"
	"	mov %rsi, %rdx\n"
	"	mov %rdi, %rsi\n"
	"	mov $0x1001, %edi\n"
	"	mov $158, %eax\n"
	"	syscall\n"
	".globl gate_gs_plant_ret\n"
	"gate_gs_plant_ret:\n"
	"	mov gate_gs_saved_rsp(%rip), %rsp\n"
	"	ret\n"
	".globl gate_sigreturn\n"
	"gate_sigreturn:\n"
	"	push %rbx\n push %rbp\n push %r12\n push %r13\n push %r14\n push %r15\n"
	"	mov %rsp, gate_saved_rsp(%rip)\n"
	"	mov %rdi, %rsp\n"
	"	mov $15, %eax\n"
	"	syscall\n"
	"	jmp gate_resume\n");

/*
 * The start of the first mapping with protection key KEY in smaps (ck's
 * bounce buffers are pkey 3), or 0.
 */
static uint64_t pkey_mapping(int key)
{
	unsigned long long lo = 0, a, b;
	char line[256];
	FILE *f = fopen("/proc/self/smaps", "r");
	int k;

	while (f && fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%llx-%llx ", &a, &b) == 2) {
			lo = a;	/* a range line (field lines never parse so) */
			continue;
		}
		if (sscanf(line, "ProtectionKey: %d", &k) == 1 && k == key) {
			fclose(f);
			return lo;
		}
	}
	if (f)
		fclose(f);
	return 0;
}

static void try_canary(uint64_t canary)
{
	logf_("pkru=%#x\n", rdpkru());
	logf_("reading ck_canary\n");
	logf_("canary=%llx\n",
	      (unsigned long long)*(volatile uint64_t *)canary);
}

/* After control came back from a jump: what state is the program in? */
static void after_jump(long rax, uint64_t *gsbuf, uint64_t canary)
{
	uint32_t pkru = rdpkru();

	logf_("resumed rax=%ld pkru=%#x\n", rax, pkru);
	/* K (key 1) open already: read it before a syscall's exit closes it. */
	if (!(pkru & 0xc))
		try_canary(canary);
	logf_("raw getgs after resume ret=%ld\n", raw_getgs(gsbuf));
	try_canary(canary);
}

/* A second thread, in syscalls (through ck) until the process ends. */
static void *napper(void *arg)
{
	(void)arg;
	for (;;)
		raw3(SYS_nanosleep, (long)&(struct timespec){ 0, 10000000 }, 0, 0);
	return NULL;
}

/*
 * The altstacks: in anonymous rw mappings of pkey 0 (smaps says which;
 * ck's K and K2 memory would fault), each holding a stale kernel signal
 * frame of ck's SIGSYS whose uc_stack names a 64 KiB stack inside that
 * mapping. Fills base[] and the stale ucontexts uc[] (at most max, one per
 * altstack, the last frame found on it); returns how many.
 */
static int find_altstacks(uint64_t *base, uint64_t *uc, int max)
{
	int fd = (int)syscall(SYS_openat, AT_FDCWD, "/proc/self/smaps", O_RDONLY);
	FILE *f = fd < 0 ? 0 : fdopen(fd, "r");
	unsigned long long lo = 0, hi = 0, off, ino = 1;
	char line[512], perms[8] = "";
	int pkey, n = 0, k;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long long l, h, i;
		char pm[8];

		if (sscanf(line, "%llx-%llx %7s %llx %*s %llu", &l, &h, pm,
			   &off, &i) == 5) {
			lo = l;
			hi = h;
			ino = i;
			memcpy(perms, pm, sizeof(perms));
			continue;
		}
		if (sscanf(line, "ProtectionKey: %d", &pkey) != 1 || pkey ||
		    strcmp(perms, "rw-p") || ino || hi - lo < ALT_SIZE)
			continue;
		uint64_t *w = (uint64_t *)(uintptr_t)lo;
		for (size_t i = 2; i + 2 < (hi - lo) / 8; i++) {
			if (!(w[i] >= lo && w[i] + ALT_SIZE <= hi &&
			      w[i + 2] == ALT_SIZE && !(w[i] & 4095) &&
			      (uint64_t)(uintptr_t)&w[i] >= w[i] &&
			      (uint64_t)(uintptr_t)&w[i] < w[i] + ALT_SIZE))
				continue;
			for (k = 0; k < n && base[k] != w[i]; k++)
				;
			if (k == n && n == max)
				continue;
			n += k == n;
			base[k] = w[i];
			uc[k] = (uint64_t)(uintptr_t)&w[i - 2];
		}
	}
	fclose(f);
	return n;
}

/* This thread's altstack, when it is the only thread (see above). */
static uint64_t find_altstack(uint64_t *uc)
{
	uint64_t base[8], ucs[8];
	int n = find_altstacks(base, ucs, 8);

	if (!n)
		return 0;
	*uc = ucs[n - 1];
	return base[n - 1];
}

#define U64(p, off)	(*(uint64_t *)((char *)(uintptr_t)(p) + (off)))
#define U32(p, off)	(*(uint32_t *)((char *)(uintptr_t)(p) + (off)))
#define U16(p, off)	(*(uint16_t *)((char *)(uintptr_t)(p) + (off)))

/*
 * Copies the stale kernel frame (ucontext at src_uc) to dst_uc with its
 * xsave area at dst_fp (64-byte aligned); returns the xsave size.
 */
static uint32_t copy_frame(uint64_t src_uc, uint64_t dst_uc, uint64_t dst_fp)
{
	uint64_t fp = U64(src_uc, MC_FPSTATE);
	uint32_t ext = U32(fp, SW_OFF + 4);

	memmove((void *)(uintptr_t)dst_uc, (void *)(uintptr_t)src_uc, UC_COPY);
	memmove((void *)(uintptr_t)dst_fp, (void *)(uintptr_t)fp, ext);
	U64(dst_uc, MC_FPSTATE) = dst_fp;
	return ext;
}

/*
 * A forged entry frame: a copy of the stale one asking for getpid, its
 * siginfo (after the ucontext, as in the kernel's rt_sigframe) made to
 * agree: SYS_USER_DISPATCH's call address and syscall number.
 */
/*
 * A frame without ck's altstack: when syscalls reach the host unseen (the
 * EXIT_BLOCK mutant), no SIGSYS frame is ever left there, and a handler of
 * the program's own cannot return (its rt_sigreturn runs under the init
 * PKRU, which hides the SUD selector: SIGSEGV). So build one as the kernel
 * does: XSAVE of the current state with the software bytes and MAGIC2,
 * user CS/SS, and the current sigaltstack (asked of the host).
 */
static uint64_t own_frame(void)
{
	uint64_t uc = (uint64_t)(uintptr_t)progbuf + 0x8000;
	uint64_t fp = (uint64_t)(uintptr_t)progbuf + 0x9000;
	uint32_t a, size, c, d, lo, hi;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(size), "=c"(c), "=d"(d)
			 : "a"(0xd), "c"(0));
	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	memset((void *)(uintptr_t)fp, 0, size + 4);
	__asm__ volatile("xsave64 (%0)" : : "r"(fp), "a"(lo), "d"(hi)
			 : "memory");
	U32(fp, SW_OFF) = MAGIC1;
	U32(fp, SW_OFF + 4) = size + 4;
	U64(fp, SW_OFF + 8) = (uint64_t)hi << 32 | lo;
	U32(fp, SW_OFF + 16) = size;
	U32(fp, size) = MAGIC2;
	memset((void *)(uintptr_t)uc, 0, UC_COPY);
	U64(uc, 0) = 7;	/* UC_FP_XSTATE | UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS */
	if (raw3(SYS_sigaltstack, 0, (long)(uc + UC_STACK), 0))
		return 0;
	U16(uc, MC_CS) = 0x33;
	U16(uc, MC_SS) = 0x2b;
	U64(uc, MC_EFLAGS) = 0x202;
	U64(uc, MC_FPSTATE) = fp;
	return uc;
}

static void forge(uint64_t stale, uint64_t uc, uint64_t fp)
{
	copy_frame(stale, uc, fp);
	U64(uc, MC_RAX) = SYS_getpid;
	U64(uc, MC_RIP) = (uint64_t)(uintptr_t)gate_resume;
	U64(uc, MC_RSP) = (uint64_t)(uintptr_t)progbuf + 0x1f000;
	U64(uc, UC_SIZE + 16) = (uint64_t)(uintptr_t)gate_resume;
	U32(uc, UC_SIZE + 24) = SYS_getpid;
}

static unsigned int pkru_xsave_off(void)
{
	unsigned int a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0xd), "c"(9));
	return b;
}

int main(int argc, char **argv)
{
	const char *mode;
	uint64_t *gsbuf, canary;
	long r, first;
	int fd;

	if (argc < 3) {
		fprintf(stderr, "usage: gate MODE OUTFILE [SYM=ADDR ...]\n");
		return 2;
	}
	mode = argv[1];
	/* openat: musl's open() is the legacy syscall, which the host filter
	 * kills when it reaches the host directly (EXIT_BLOCK mutant). */
	fd = (int)syscall(SYS_openat, AT_FDCWD, argv[2],
			  O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0 || ftruncate(fd, 4096)) {
		perror("gate: OUTFILE");
		return 2;
	}
	out = mmap(0, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (out == MAP_FAILED) {
		perror("gate: mmap OUTFILE");
		return 2;
	}
	gsbuf = (uint64_t *)out;
	canary = sym(argc, argv, "ck_canary");
	logf_("mode=%s\n", mode);

	if (!strncmp(mode, "raw-", 4)) {
		uint64_t old[3];

		if (!strcmp(mode, "raw-fwd"))
			r = pair(SYS_getppid, 0, 0, 0, 0, gsbuf, &first);
		else if (!strcmp(mode, "raw-mem"))
			r = pair(SYS_mmap, 0, 4096, PROT_READ | PROT_WRITE,
				 MAP_PRIVATE | MAP_ANONYMOUS, gsbuf, &first);
		else if (!strcmp(mode, "raw-deny"))	/* the host filter allows it */
			r = pair(SYS_pkey_alloc, 1, 0, 0, 0, gsbuf, &first);
		else if (!strcmp(mode, "raw-own"))
			r = pair(SYS_rt_sigprocmask, SIG_BLOCK, 0, (long)old, 8,
				 gsbuf, &first);
		else
			return 2;
		logf_("first ret=%ld\nraw getgs ret=%ld\n", first, r);
		return 0;
	}
	if (!strcmp(mode, "copy-leak") || !strcmp(mode, "kb-leak")) {
		int kbleak = mode[0] == 'k';
		uint64_t kb = kbleak ? pkey_mapping(3) : 0;
		struct jr j = {
			.target = sym(argc, argv, "target"),
			.eax = argc > 3 ? strtoull(argv[3], 0, 0) : 0,
			.pid = (uint64_t)getpid(),
			.r8 = 8,
			.r9 = (uint64_t)(uintptr_t)(out + 32),
			.r10 = kbleak ? kb + XSAVE_XMM0 : canary,
			.xmm0 = kbleak ? KB_MARKER : 0,
			.sig = kbleak ? SIGUSR1 : 0,
		};
		struct sigaction sa = { .sa_handler = on_usr1 };

		if (kbleak && !kb) {
			logf_("no mapping with protection key 3\n");
			return 3;
		}
		if (kbleak)
			sigaction(SIGUSR1, &sa, 0);
		logf_("jump to %#llx eax=%#llx to copy %#llx (%s)\n",
		      (unsigned long long)j.target, (unsigned long long)j.eax,
		      (unsigned long long)j.r10,
		      kbleak ? "the bounce buffer's %xmm0" : "the canary");
		r = gate_jump(&j);
		after_jump(r, gsbuf, canary);
		return 0;
	}
	if (!strcmp(mode, "core-jump")) {
		/* Core dumps on: then a jump that makes ck abort in its domain. */
		struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };

		if (setrlimit(RLIMIT_CORE, &rl)) {
			logf_("setrlimit(RLIMIT_CORE) failed: %s\n", strerror(errno));
			return 3;
		}
		logf_("core dumps on\n");
		mode = "jump";
	}
	if (!strcmp(mode, "jump") || !strcmp(mode, "jump-ret")) {
		uint64_t *rs = (uint64_t *)(uintptr_t)(progbuf + 0x18000);
		struct jr j = {
			.target = sym(argc, argv, "target"),
			.r14 = SYS_arch_prctl,
			.rdi = ARCH_GET_GS_,
			.rsi = (uint64_t)(uintptr_t)gsbuf,
			.eax = argc > 3 ? strtoull(argv[3], 0, 0) : 0,
			.pid = (uint64_t)getpid(),
		};

		if (mode[4] == '-') {
			for (int i = 0; i < 16; i++)
				rs[i] = (uint64_t)(uintptr_t)gate_resume;
			j.rsp = (uint64_t)(uintptr_t)rs;
		}
		logf_("jump to %#llx eax=%#llx\n", (unsigned long long)j.target,
		      (unsigned long long)j.eax);
		r = gate_jump(&j);
		after_jump(r, gsbuf, canary);
		return 0;
	}
	if (!strcmp(mode, "gs-mov") || !strcmp(mode, "gs-null")) {
		logf_("gs := 0x2b%s\n", mode[3] == 'n' ? ", then 0" : "");
		__asm__ volatile("mov %0, %%gs" : : "r"(0x2b));
		if (mode[3] == 'n')
			__asm__ volatile("mov %0, %%gs" : : "r"(0));
		logf_("syscall after the gs load\n");
		r = raw_getgs(gsbuf);
		logf_("survived the syscall ret=%ld\n", r);
		try_canary(canary);
		return 0;
	}
	if (!strcmp(mode, "gs-syscalls")) {
		/* A 32-bit data descriptor over program memory (GDT TLS entry 12). */
		uint32_t desc[4] = { 12, (uint32_t)(uintptr_t)progbuf, 0xfffff,
				     0x51 };
		struct jr j = {
			.target = sym(argc, argv, "target"),
			.eax = PKRU_CK,
			.pid = (uint64_t)getpid(),
		};

		logf_("set_thread_area ret=%ld\n",
		      raw3(SYS_set_thread_area, (long)desc, 0, 0));
		desc[0] = 0;
		logf_("modify_ldt ret=%ld\n",
		      raw3(SYS_modify_ldt, 1, (long)desc, 16));
		logf_("arch_prctl(ARCH_SET_GS) ret=%ld\n",
		      raw3(SYS_arch_prctl, ARCH_SET_GS_, (long)progbuf, 0));
		logf_("jump to the gate %#llx\n", (unsigned long long)j.target);
		r = gate_jump(&j);
		after_jump(r, gsbuf, canary);
		return 0;
	}
	if (!strcmp(mode, "gs-plant")) {
		/*
		 * struct ck_tblk: selector, magic, ret_rip, rax, rdx, rcx, ...,
		 * rsp. From base + 16 the trampoline's ret_rip slot is the rdx
		 * slot (its rsp slot an empty one: the code there takes its own
		 * stack back first).
		 */
		uint64_t tblk = sym(argc, argv, "target");	/* ck_tblk */

		logf_("arch_prctl(ARCH_SET_GS, ck_tblk + 16) ret=%ld\n",
		      gate_gs_plant(tblk + 16,
				    (uint64_t)(uintptr_t)gate_gs_plant_ret));
		logf_("raw ARCH_SET_GS back ret=%ld\n",
		      raw3(SYS_arch_prctl, ARCH_SET_GS_, (long)tblk, 0));
		logf_("raw getgs ret=%ld\n", raw_getgs(gsbuf));
		return 0;
	}
	if (!strcmp(mode, "entry-other-alt")) {
		uint64_t base[8], ucs[8], mine = 0, other = 0, uc = 0;
		uint64_t here = (uint64_t)(uintptr_t)&r;
		struct jr j = {
			.target = sym(argc, argv, "target"),
			.eax = PKRU_CK,
			.pid = (uint64_t)getpid(),
		};
		pthread_t th;
		int n, i;

		if (pthread_create(&th, NULL, napper, NULL))
			return 3;
		raw3(SYS_nanosleep, (long)&(struct timespec){ 0, 200000000 }, 0, 0);
		n = find_altstacks(base, ucs, 8);
		/* Whose: the stale frame's RSP is near this stack or not. */
		for (i = 0; i < n; i++) {
			uint64_t rsp = U64(ucs[i], MC_RSP);

			if (rsp - here + (1 << 20) < (2 << 20)) {
				mine = base[i];
				uc = ucs[i];
			} else {
				other = base[i];
			}
		}
		logf_("altstacks=%d mine=%#llx other=%#llx\n", n,
		      (unsigned long long)mine, (unsigned long long)other);
		if (!mine || !other)
			return 3;
		forge(uc, mine + 0x1000, mine + 0x2000);
		j.rsp = other + 0x8000;
		j.r12 = mine + 0x1000;
		logf_("jump: rsp=%#llx r12=%#llx\n", (unsigned long long)j.rsp,
		      (unsigned long long)j.r12);
		r = gate_jump(&j);
		logf_("served=%d\n", r == (long)j.pid);
		after_jump(r, gsbuf, canary);
		return 0;
	}
	if (!strncmp(mode, "entry-", 6)) {
		uint64_t alt, stale = 0, uc, fake;
		struct jr j = {
			.target = sym(argc, argv, "target"),
			.eax = PKRU_CK,
			.pid = (uint64_t)getpid(),
		};

		alt = find_altstack(&stale);
		if (!alt) {
			logf_("no altstack found\n");
			return 3;
		}
		logf_("altstack=%#llx stale frame=%#llx\n",
		      (unsigned long long)alt, (unsigned long long)stale);
		/* The fake frame in program memory, and the forged one on the altstack. */
		fake = (uint64_t)(uintptr_t)progbuf + 0x10000;
		forge(stale, fake, fake + 0x1000);
		uc = alt + 0x1000;
		forge(stale, uc, alt + 0x2000);
		if (!strcmp(mode, "entry-prog")) {
			j.rsp = fake;
			j.r12 = fake;
		} else if (!strcmp(mode, "entry-prog-alt")) {
			j.rsp = fake;
			j.r12 = uc;
		} else if (!strcmp(mode, "entry-alt") ||
			   !strcmp(mode, "entry-alt-df")) {
			j.rsp = alt + 0x8000;
			j.r12 = uc;
			j.df = mode[9] == '-';
		} else {
			return 2;
		}
		logf_("jump: rsp=%#llx r12=%#llx\n", (unsigned long long)j.rsp,
		      (unsigned long long)j.r12);
		r = gate_jump(&j);
		logf_("served=%d\n", r == (long)j.pid);
		after_jump(r, gsbuf, canary);
		return 0;
	}
	if (!strncmp(mode, "sigreturn-", 10)) {
		uint64_t stale = 0, uc, fp, *bv, *xf;

		if (!find_altstack(&stale)) {
			logf_("no altstack frame: one built here instead\n");
			stale = own_frame();
		}
		if (!stale) {
			logf_("no kernel frame to start from\n");
			return 3;
		}
		uc = (uint64_t)(uintptr_t)progbuf + 0x108;
		fp = (uint64_t)(uintptr_t)progbuf + 0x1000;
		copy_frame(stale, uc, fp);
		U64(uc, MC_RIP) = (uint64_t)(uintptr_t)gate_resume;
		U64(uc, MC_RSP) = (uint64_t)(uintptr_t)progbuf + 0x1f000;
		bv = (uint64_t *)(uintptr_t)(fp + BV_OFF);
		xf = (uint64_t *)(uintptr_t)(fp + SW_OFF + 8);
		U32(fp, pkru_xsave_off()) = 0;
		*bv |= 1ULL << 9;
		*xf |= 1ULL << 9;
		if (!strcmp(mode, "sigreturn-nofp")) {
			U64(uc, MC_FPSTATE) = 0;
		} else if (!strcmp(mode, "sigreturn-bv9clear")) {
			*bv &= ~(1ULL << 9);
		} else if (!strcmp(mode, "sigreturn-ucstack")) {
			U64(uc, UC_STACK) = (uint64_t)(uintptr_t)progbuf;
			U64(uc, UC_STACK + 16) = 0x10000;
		} else if (strcmp(mode, "sigreturn-pkru0")) {
			return 2;
		}
		logf_("rt_sigreturn from %#llx\n", (unsigned long long)uc);
		r = gate_sigreturn(uc);
		logf_("rt_sigreturn ret=%ld\n", r);
		after_jump(r, gsbuf, canary);
		return 0;
	}
	if (!strncmp(mode, "vsyscall", 8)) {
		long t = -1;

		logf_("pid=%d\n", getpid());
		if (!strcmp(mode, "vsyscall")) {
			logf_("calling vsyscall time()\n");
			t = ((long (*)(long *))0xffffffffff600400UL)(0);
			logf_("time=%ld\n", t);
		}
		return 0;
	}
	if (!strcmp(mode, "int80")) {
		long ret = 20, pid = getpid();

		logf_("pid=%ld\n", pid);
		__asm__ volatile("int $0x80" : "+a"(ret) : "D"(-1L), "b"(0)
				 : "memory");
		logf_("ret=%ld\n", ret);
		return 0;
	}
	if (!strcmp(mode, "x32")) {
		long ret = 0x40000000L | SYS_getpid, pid = getpid();

		logf_("pid=%ld\n", pid);
		__asm__ volatile("syscall" : "+a"(ret) : : "rcx", "r11", "memory");
		logf_("ret=%ld\n", ret);
		return 0;
	}
	return 2;
}
