// SPDX-License-Identifier: Apache-2.0
/*
 * ck start-up: `ck [--dev-fd N] [--stats] [--trace FILE] [--pager-policy=P |
 * --no-bind] -- PROGRAM ARGS...` (the policy: pager.c), or after an execve
 * (exec.c) `ck [--dev-fd N] [--stats] [--pager-policy=P] --exec -- PATH
 * EXECFN ARGV...`
 *
 * 1. learn the kernel's init PKRU (a signal to itself) and keep that
 *    kernel-made frame as the template of the program's first frame;
 * 2. allocate K, K2 and KB (pkeys 1, 2 and 3) and every other pkey;
 * 3. open the cell (device fd from the launcher, else /dev/paracell, else
 *    the fallback backend) on ck's fixed fds;
 * 4. record the address space, move to a K stack, re-key .data/.bss and
 *    the start-up stack to K and the thread blocks to K2;
 * 5. control block, altstack, GS and Syscall User Dispatch;
 * 6. PARACELL_SET_XGATE; 7. the host seccomp filter; 8. load and enter
 *    the program through the exit path.
 */
#include <asm/signal.h>
#include <linux/auxvec.h>
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/filter.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/seccomp.h>

#include "ck.h"
#include "install.h"

struct ck_env ck_env;
struct ck_proc ck_proc;
volatile uint64_t ck_canary[8] = {
	CK_CANARY, CK_CANARY, CK_CANARY, CK_CANARY,
	CK_CANARY, CK_CANARY, CK_CANARY, CK_CANARY,
};

static struct {
	uint32_t pkru;
	int seen;
} learned CK_SCRATCH;	/* start-up only (ck.h) */

long ck_sys6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	CK_COUNT(host, 1);
	return ck_raw_syscall(nr, a1, a2, a3, a4, a5, a6);
}

long ck_sys_user(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	CK_COUNT(host, 1);
	return ck_forward(nr, a1, a2, a3, a4, a5, a6);
}

/* hostfilter/install.h's name for it. */
long ck_syscall6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	return ck_sys6(nr, a1, a2, a3, a4, a5, a6);
}

/*
 * The syscall table against the host filter's list (both from
 * systab.def): a forwarded call the filter refused would kill the
 * program with SIGSYS instead of answering it.
 */
static void check_systab(void)
{
	const char *why;
	long nr;

	if (ck_systab_check(&nr, &why))
		ck_die(125, "syscall %ld: %s", nr, why);
}

static uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	if (CK_TIMING_BUILD)	/* no PKU: gate.S's RDPKRU gives the same */
		return CK_PKRU_INIT;
	__asm__ volatile(".byte 0x0f, 0x01, 0xee" : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

/* Runs with the kernel's init PKRU on a kernel-made frame: keep both. */
static void learn_handler(int sig, void *info, void *ucv)
{
	const struct ck_ucontext *uc = ucv;
	const uint8_t *fp = (const uint8_t *)uc->uc_mcontext.fpstate;
	uint32_t ext = *(const uint32_t *)(fp + 464 + 4);

	(void)sig;
	(void)info;
	learned.pkru = rdpkru();
	ck_env.tmpl.uc = *uc;
	if (ext <= CK_XSAVE_MAX) {
		memcpy(ck_env.tmpl.xsave, fp, ext);
		ck_env.xsave_size = ext;
		learned.seen = 1;
	}
}

extern void ck_restore_rt(void);

static void learn_init_pkru(void)
{
	struct ck_ksigaction sa = { (void *)learn_handler,
				    SA_SIGINFO | SA_RESTORER,
				    (void *)ck_restore_rt, 0 },
			    dfl = { 0, 0, 0, 0 };
	uint64_t usr1 = 1ULL << (SIGUSR1 - 1), mask = 0;

	/*
	 * The mask an execve left (posix_spawn's SETSIGMASK, a shell's) may
	 * block SIGUSR1: open it for the signal, and keep the program's
	 * mask as its start frame's.
	 */
	ck_sys4(__NR_rt_sigprocmask, SIG_UNBLOCK, &usr1, &mask, 8);
	ck_sys4(__NR_rt_sigaction, SIGUSR1, &sa, 0, 8);
	ck_sys2(__NR_kill, ck_proc.pid, SIGUSR1);
	ck_sys4(__NR_rt_sigaction, SIGUSR1, &dfl, 0, 8);
	ck_sys4(__NR_rt_sigprocmask, SIG_SETMASK, &mask, 0, 8);
	ck_env.tmpl.uc.uc_sigmask = mask;
	if (!learned.seen)
		ck_die(125, "cannot learn the kernel's initial state");
	if (learned.pkru != CK_PKRU_INIT)
		ck_die(125, "the kernel's init PKRU is 0x%x, ck needs 0x%x",
		       learned.pkru, CK_PKRU_INIT);
}

static void alloc_pkeys(void)
{
	long k, k2, kb, other;

	if (CK_TIMING_BUILD)	/* CK_PKEY_* are -1 there: plain mprotect */
		return;
	k = ck_sys2(__NR_pkey_alloc, 0, 0);
	k2 = ck_sys2(__NR_pkey_alloc, 0, 0);
	kb = ck_sys2(__NR_pkey_alloc, 0, 0);

	if (k == -ENOSYS || k == -EINVAL || k == -ENOSPC)
		ck_die(125, "memory protection keys (PKU) are not available");
	if (k != CK_PKEY_K || k2 != CK_PKEY_K2 || kb != CK_PKEY_KB)
		ck_die(125, "expected pkeys 1, 2 and 3, got %ld, %ld and %ld",
		       k, k2, kb);
	/* Leave the program no pkey of its own. */
	do {
		other = ck_sys2(__NR_pkey_alloc, 0, 1 /* DISABLE_ACCESS */);
	} while (other > 0);
	if (rdpkru() != CK_PKRU_CK)
		ck_die(125, "PKRU 0x%x after pkey set-up, expected 0x%x",
		       rdpkru(), CK_PKRU_CK);
}

/* Before any PKU instruction: CPUID.(7,0).ECX bit 3 PKU, bit 4 OSPKE. */
static void need_pku(void)
{
	uint32_t a, b, c, d;

#ifdef CK_TIMING
	/* Once per container, not at each execve's new ck. */
	if (!ck_env.exec)
		ck_dprintf(2, "ck: %s: WRPKRU is a no-op and no pkeys are "
			   "allocated: this ck ISOLATES NOTHING (benchmarks "
			   "only)\n", PARACELL_CK_TIMING_MARKER);
	return;
#endif
	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(7), "c"(0));
	if (!(c & (1U << 3)) || !(c & (1U << 4)))
		ck_die(125, "this CPU or kernel has no memory protection keys "
		       "(PKU/OSPKE): ck cannot isolate itself here");
}

static void cpu_facts(void)
{
	uint32_t a, b, c, d;

	__asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d)
			 : "a"(0xd), "c"(9));
	ck_env.pkru_xsave_off = b;
	if (CK_TIMING_BUILD)	/* no PKRU state: the exit frame has none */
		ck_env.pkru_xsave_off = 0;
	else if (!b || b + 8 > ck_env.xsave_size)
		ck_die(125, "no PKRU in the XSAVE area");
	if (!CK_TIMING_BUILD && !(ck_env.hwcap2 & 2 /* HWCAP2_FSGSBASE */))
		ck_die(125, "the kernel does not enable FSGSBASE");
}

/*
 * ck's own stderr (a dup of fd 2, so that the stats line and the canary
 * warning get out after the program closed its fd 2) and the --trace log,
 * on hidden fds, before the program runs.
 */
static void open_logs(const char *trace)
{
	long fd;

	ck_env.err_fd = 2;
	if (ck_sys3(__NR_dup3, 2, CK_FD_ERR, O_CLOEXEC) == CK_FD_ERR)
		ck_env.err_fd = CK_FD_ERR;
	if (!trace)
		return;
	fd = ck_sys4(__NR_openat, -100, trace, O_WRONLY | O_CREAT | O_TRUNC |
		     O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		ck_die(125, "cannot open the trace file %s: %s", trace,
		       ck_strerror(fd));
	if (fd != CK_FD_LOG &&
	    ck_sys3(__NR_dup3, fd, CK_FD_LOG, O_CLOEXEC) != CK_FD_LOG)
		ck_die(125, "cannot move the trace fd");
	if (fd != CK_FD_LOG)
		ck_sys1(__NR_close, fd);
	ck_env.trace = 1;
}

static void open_cell(long devfd)
{
	long ret;

	if (CK_TIMING_BUILD) {	/* no pkeys for a cell's XGate: the fallback */
		ck_env.cell_fd = -1;
		return;
	}
	if (devfd < 0 && !ck_env.no_dev)
		devfd = ck_sys4(__NR_openat, -100, PARACELL_DEVICE,
				O_RDWR | O_CLOEXEC, 0);
	ck_env.cell_fd = -1;
	if (devfd < 0)
		return;		/* no module: the fallback backend */
	if (devfd != CK_FD_DEV) {
		/* Not CLOEXEC: the device outlives execve (exec.c). */
		ret = ck_sys3(__NR_dup3, devfd, CK_FD_DEV, 0);
		ck_sys1(__NR_close, devfd);
		if (ret < 0)
			ck_die(125, "cannot move the device fd: %ld", ret);
	}
	ck_cell_open();
}

/*
 * A cell for this mm through CK_FD_DEV, on CK_FD_CELL (whatever was
 * there, a fork parent's cell included, is replaced on that number), and
 * its XGate descriptor. At start-up and in every fork child (fork.c).
 */
void ck_cell_open(void)
{
	struct paracell_create_cell req = { .flags = PARACELL_CELL_CLOEXEC };
	struct paracell_xgate x = {
		.pkey_k = CK_PKEY_K, .pkey_k2 = CK_PKEY_K2, .pkru_ck = CK_PKRU_CK,
	};
	long fd, ret;

	fd = ck_sys3(__NR_ioctl, CK_FD_DEV, PARACELL_CREATE_CELL, &req);
	if (fd < 0)
		ck_die(125, "cannot create a cell: %s", ck_strerror(fd));
	if (ck_sys3(__NR_dup3, fd, CK_FD_CELL, O_CLOEXEC) < 0)
		ck_die(125, "cannot move the cell fd");
	ck_sys1(__NR_close, fd);
	ret = ck_sys3(__NR_ioctl, CK_FD_CELL, PARACELL_SET_XGATE, &x);
	if (ret)
		ck_die(125, "PARACELL_SET_XGATE: %s", ck_strerror(ret));
	ck_env.cell_fd = CK_FD_CELL;
}

/*
 * ck's own writable segment (.data, .bss) from its program headers, and
 * its start-up stack: keyed K, and left out of core dumps (the kernel
 * dumps what the crashing thread's PKRU can read: in ck's domain, K).
 */
static void rekey_self(uint64_t phdr, uint64_t phnum, uint64_t stack_lo,
		       uint64_t stack_hi)
{
	const Elf64_Phdr *ph = (const Elf64_Phdr *)phdr;
	uint64_t lo, hi, t = (uint64_t)ck_tblk;
	unsigned int i;

	for (i = 0; i < phnum; i++) {
		if (ph[i].p_type != PT_LOAD || !(ph[i].p_flags & PF_W))
			continue;
		lo = CK_ALIGN_DOWN(ph[i].p_vaddr, CK_PAGE);
		hi = CK_ALIGN_UP(ph[i].p_vaddr + ph[i].p_memsz, CK_PAGE);
		if (ck_sys4(__NR_pkey_mprotect, lo, hi - lo,
			    PROT_READ | PROT_WRITE, CK_PKEY_K) ||
		    ck_no_dump(lo, hi - lo))
			ck_die(125, "cannot key ck's data");
	}
	if (ck_sys4(__NR_pkey_mprotect, t, sizeof(ck_tblk),
		    PROT_READ | PROT_WRITE, CK_PKEY_K2))
		ck_die(125, "cannot key the thread blocks");
	if (ck_sys4(__NR_pkey_mprotect, stack_lo, stack_hi - stack_lo,
		    PROT_READ | PROT_WRITE, CK_PKEY_K) ||
	    ck_no_dump(stack_lo, stack_hi - stack_lo))
		ck_die(125, "cannot key the start-up stack");
}

/*
 * Is this process already under a seccomp filter? After an execve
 * (exec.c) it is: ck's own, which the kernel keeps across exec and which
 * refuses personality and seccomp, the calls installing it again needs.
 * Read from /proc/self/status ("Seccomp:\t2"), not from ck's arguments.
 */
static int already_filtered(void)
{
	static const char key[] = "\nSeccomp:\t2\n";
	char buf[4096];
	long fd, n, i;

	fd = ck_sys4(__NR_openat, -100, "/proc/self/status",
		     O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	n = ck_sys3(__NR_read, fd, buf, sizeof(buf));
	ck_sys1(__NR_close, fd);
	for (i = 0; i + (long)sizeof(key) - 1 <= n; i++)
		if (!memcmp(buf + i, key, sizeof(key) - 1))
			return 1;
	return 0;
}

static void install_hostfilter(void)
{
	long ret;

	if (already_filtered())
		return;

	/* The mutants of checks the filter backs up go without it too. */
	if (ck_mutant(HOSTFILTER) || ck_mutant(WX) || ck_mutant(DENYLIST) ||
	    ck_mutant(LOAD_SCAN) || ck_mutant(IOCTL))
		return;
	ret = ck_hostfilter_install();
	if (ret)
		ck_die(125, "cannot install the host seccomp filter: %s",
		       ck_strerror(ret));
}

#define CK_USAGE "usage: ck [--dev-fd N | --no-dev] [--self-fd N] " \
	"[--seccomp HEX] [--stats] [--trace FILE] [--no-direct] " \
	"[--pager-policy=brk:N,mmap:N,stack:N | --no-bind] -- PROGRAM ARGS..."

struct start {
	const char *path, *execfn;
	char **argv;
	char **envp;
	uint64_t phdr, phnum, stack_lo, stack_hi, strings_lo;
};

/*
 * /proc/PID/cmdline (what ps shows) reads the argument strings the kernel
 * put on the start-up stack, ck's: "ck [options] -- PROGRAM ARGS". The
 * program's are their tail; once ck_load has copied them to the program's
 * stack they move to the front and the rest turns to NULs, so ps and
 * pgrep see the program's command line. The kernel's arg_end stays where
 * it was: a reader of the raw file sees NULs after the last argument.
 */
static void show_program_args(const struct start *st)
{
	char *lo = (char *)st->strings_lo, *from = st->argv[0], *end = from;
	char **a;

	if (!from || from <= lo)
		return;
	for (a = st->argv; *a; a++)
		end = *a + strlen(*a) + 1;
	memmove(lo, from, (size_t)(end - from));
	memset(lo + (end - from), 0, (size_t)(from - lo));
}

/* Runs on a K stack: the start-up stack can be keyed K now. */
static __attribute__((noreturn)) void ck_main(struct start *st)
{
	struct ck_cb *cb = &ck_cb[0];
	struct ck_image img;
	struct ck_frame *f = &cb->frame;
	struct sigcontext *sc = &f->uc.uc_mcontext;
	int ret;

	rekey_self(st->phdr, st->phnum, st->stack_lo, st->stack_hi);
	ret = ck_thread_init(cb, &ck_tblk[0]);
	if (ret)
		ck_die(125, "thread set-up failed: %d", ret);
	install_hostfilter();
	ret = ck_load(st->path, st->execfn, st->argv, st->envp, &img);
	if (ret)
		ck_die(ret == -ENOENT ? 127 : 126, "%s: cannot run: %s",
		       st->path, ck_strerror(ret));
	show_program_args(st);

	/*
	 * Dead now: ck_start's frames and the learning signal's frame below
	 * ck's argument strings (which /proc/PID/cmdline reads: kept).
	 */
	ck_sys3(__NR_madvise, st->stack_lo,
		CK_ALIGN_DOWN(st->strings_lo, CK_PAGE) - st->stack_lo,
		MADV_DONTNEED);
	ck_thread_kstack_trim(cb);
	ck_scratch_release();	/* the loader's and seal passes' (st too) */
	/* The xsave area past the kernel's size is never read: not copied. */
	memcpy(f, &ck_env.tmpl, offsetof(struct ck_frame, xsave) +
	       ck_env.xsave_size);
	memset(sc, 0, offsetof(struct sigcontext, rip));
	sc->rsp = img.sp;
	sc->rip = img.entry;
	sc->eflags = 0x202;
	ck_return_to_user(cb, 0);
}

extern void ck_call_on_stack(void *fn, void *arg, uint64_t top);

/* A launcher's fd number: decimal, under 1024 (else ck stops). */
static long fd_arg(const char *s)
{
	long fd = 0;

	if (!*s)
		ck_die(2, "an fd option needs a number");
	for (const char *c = s; *c; c++) {
		fd = fd * 10 + (*c - '0');
		if (*c < '0' || *c > '9' || fd > 1023)
			ck_die(2, "not an fd number: %s", s);
	}
	return fd;
}

void ck_start(uint64_t *sp)
{
	static struct start st CK_SCRATCH;	/* ck_main's, until it is done */
	long argc = (long)sp[0], i, devfd = -1, selffd = -1, exec = 0, r;
	char **argv = (char **)(sp + 1), **envp = argv + argc + 1, **prog = 0;
	uint64_t *aux;
	uint64_t kstack;
	const char *trace = 0;

	for (aux = (uint64_t *)envp; *aux; aux++)
		;
	for (aux++; aux[0] != AT_NULL; aux += 2) {
		switch (aux[0]) {
		case AT_PHDR: st.phdr = aux[1]; break;
		case AT_PHNUM: st.phnum = aux[1]; break;
		case AT_HWCAP: ck_env.hwcap = aux[1]; break;
		case AT_HWCAP2: ck_env.hwcap2 = aux[1]; break;
		case AT_SECURE: ck_env.secure = aux[1]; break;
		case AT_CLKTCK: ck_env.clktck = aux[1]; break;
		case AT_MINSIGSTKSZ: ck_env.minsigstksz = aux[1]; break;
		case AT_SYSINFO_EHDR: ck_env.vdso = aux[1]; break;
		case AT_UID: ck_env.uid = aux[1]; break;
		case AT_EUID: ck_env.euid = aux[1]; break;
		case AT_GID: ck_env.gid = aux[1]; break;
		case AT_EGID: ck_env.egid = aux[1]; break;
		}
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			prog = argv + i + 1;
			break;
		} else if (!strcmp(argv[i], "--exec")) {
			exec = 1;	/* from exec.c: -- PATH ARGV... */
		} else if ((r = ck_pager_option(argv[i])) != 0) {
			if (r < 0)
				ck_die(2, "bad Pager policy %s (brk:N,mmap:N,stack:N,"
				       " in pages)", argv[i]);
		} else if (!strcmp(argv[i], "--stats")) {
			ck_env.stats = 1;
		} else if (!strcmp(argv[i], "--trace") && i + 1 < argc) {
			trace = argv[++i];
		} else if (!strcmp(argv[i], "--dev-fd") && i + 1 < argc) {
			devfd = fd_arg(argv[++i]);
		} else if (!strcmp(argv[i], "--self-fd") && i + 1 < argc) {
			selffd = fd_arg(argv[++i]);
		} else if (!strcmp(argv[i], "--no-dev")) {
			ck_env.no_dev = 1;
		} else if (!strcmp(argv[i], "--no-direct")) {
			ck_env.no_direct = 1;
		} else if (!strcmp(argv[i], "--seccomp") && i + 1 < argc) {
			if (ck_profile_load(argv[++i]))
				ck_die(125, "--seccomp: not a seccomp filter ck accepts");
		} else {
			ck_die(2, CK_USAGE);
		}
	}
	ck_env.exec = (int)exec;
	if (prog && exec && prog[0] && prog[1]) {
		st.path = *prog++;
		st.execfn = *prog++;
	} else if (prog && !exec) {
		st.path = st.execfn = prog[0];
	}
	if (!prog || !st.path)
		ck_die(2, CK_USAGE);

	check_systab();
	need_pku();
	/* ck's pid, kept (clone.c's ck_self_id): exec restarts ck. */
	ck_proc.pid = (int)ck_sys0(__NR_getpid);
	learn_init_pkru();
	alloc_pkeys();
	cpu_facts();
	open_logs(trace);
	open_cell(devfd);
	ck_exec_self_open(selffd);
	ck_hold_fd_slots();
	ck_learn_own_files();
	if (ck_mm_init())
		ck_die(125, "cannot read /proc/self/maps");
	/* The [stack] mapping, as ck_mm_init() recorded it from the maps. */
	if (ck_mm_region_of((uint64_t)sp, &st.stack_lo, &st.stack_hi))
		ck_die(125, "cannot find the start-up stack");
	st.argv = prog;
	st.envp = envp;
	/*
	 * Slot 0's own K stack: ck_main never returns (the program starts
	 * through ck_return_to_user), so the gate reuses it from the top.
	 */
	kstack = ck_thread_kstack(&ck_cb[0]);
	if (!kstack)
		ck_die(125, "out of memory");
	st.strings_lo = (uint64_t)argv[0];
	ck_call_on_stack((void *)ck_main, &st, kstack);
}
