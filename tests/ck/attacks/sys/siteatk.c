// SPDX-License-Identifier: Apache-2.0
/*
 * siteatk MODE FILE: attacks on how ck seals the code of files it did not
 * load itself (shim/guest/sites.c), each mapping FILE's code as ld.so
 * does (mmap PROT_READ|PROT_EXEC, MAP_PRIVATE) and jumping to the first
 * byte of a WRPKRU pattern in it with EAX = ECX = EDX = 0: if that runs,
 * every pkey is open and the program reads ck_canary (CK_CANARY, hex):
 *   k2        FILE's executable segment holds a WRPKRU inside another
 *             instruction (libk2.so): ck must refuse the mapping;
 *   k3        ... in data on a page of its own (libk3.so): ck maps it, the
 *             program reads the pattern's bytes there (exit 2 if it cannot:
 *             the data must stay readable), and the jump must fault;
 *   junction  FILE's first page ends in 0F 01 and its second starts with
 *             EF C3: mapped as two adjacent code mappings, the pattern
 *             spans their junction: ck must refuse the first;
 *   preload   runs /bin/true with LD_PRELOAD=FILE (libk2pre.so, whose
 *             constructor runs its kind-2 WRPKRU): ld.so's mapping of it
 *             must be refused;
 *   core      FILE's code holds a WRFSBASE/WRGSBASE core with no F3 before
 *             it (git's, libcrypto's): ck maps it (no pattern), and the
 *             jump must raise #UD (SIGILL), as it does natively.
 * Two more check seals found by their file (ck's records, module only;
 * no WRPKRU is involved: the oracle is code the file does not hold):
 *   stale     a file of its own in /tmp (FILE is ignored) holding
 *             `mov $1, %eax; ret`, two seconds old, mapped PROT_EXEC (ck
 *             records its seal) and kept mapped, then rewritten to return
 *             2 and mapped again: the new mapping must return 2;
 *   variant   FILE is this very program (siteatk-nosep, linked without
 *             separate code pages, so the last page of its code also
 *             holds the start of its data in the file): its code segment
 *             mapped as ck's loader loaded it (same offset and length),
 *             whose loader zero-filled the page after p_filesz; mmap
 *             reads the whole page, so the bytes there must be the file's.
 * Three more check detours (shim/guest/detour.c), FILE's kind-2 sites
 * rewritten to a jmp or int $0x80 and a trampoline:
 *   step      each WRPKRU/XRSTOR of FILE's code (libnettle, node; found in
 *             the file's bytes) jumped to with EFLAGS.TF set: one
 *             instruction runs there; ORACLE if it is the pattern's;
 *   tramp     each byte of the trampoline a site's jmp names (libk2r.so),
 *             stepped into the same way; ORACLE if it holds a pattern;
 *   fault     libk2r.so's load faults in its trampoline: the SIGSEGV
 *             handler must see RIP at the library's own instruction.
 * Prints "blocked: ..." for a refused step, "ORACLE: ..." when the attack
 * got through; exit 0, 2 on a set-up failure. Holds no pattern itself.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE	4096UL
#define CANARY	0x63616e6172794b21ULL

static void gadget_then_canary(uintptr_t gadget, const char *what)
{
	const char *v = getenv("CK_CANARY");
	volatile uint64_t *c = (volatile uint64_t *)strtoull(v ? v : "0", 0, 16);

	fflush(stdout);
	__asm__ volatile("call *%0" : : "r"(gadget), "a"(0), "c"(0), "d"(0)
			 : "memory");
	if (c && c[0] == CANARY)
		printf("ORACLE: %s ran: ck_canary = 0x%llx\n", what,
		       (unsigned long long)c[0]);
}

/*
 * The first pattern in [p, p + len), or 0: WRPKRU (0F 01 EF), else the
 * first WRFSBASE/WRGSBASE core (0F AE D0-DF) or XRSTOR (0F AE /5).
 */
static uintptr_t find_pattern(const uint8_t *p, size_t len)
{
	uintptr_t other = 0;
	size_t i;

	for (i = 0; i + 3 <= len; i++) {
		if (p[i] != 0x0f)
			continue;
		if (p[i + 1] == 0x01 && p[i + 2] == 0xef)
			return (uintptr_t)(p + i);
		if (!other && p[i + 1] == 0xae &&
		    ((p[i + 2] & 0xf0) == 0xd0 ||
		     ((p[i + 2] & 0x38) == 0x28 && p[i + 2] < 0xc0)))
			other = (uintptr_t)(p + i);
	}
	return other;
}

/* FILE's executable PT_LOAD, mapped as ld.so maps it; NULL if refused. */
static void *map_code(const char *path, size_t *len)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd = open(path, O_RDONLY), i;
	void *m;

	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		exit(2);
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) !=
		    sizeof(ph))
			exit(2);
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X))
			break;
	}
	if (i == eh.e_phnum)
		exit(2);
	*len = (ph.p_offset % PAGE) + ph.p_filesz;
	m = mmap(0, *len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd,
		 ph.p_offset & ~(PAGE - 1));
	close(fd);
	if (m == MAP_FAILED) {
		printf("blocked: mmap(PROT_EXEC) of %s's code: %s\n", path,
		       strerror(errno));
		return 0;
	}
	return m;
}

static int atk_k2(const char *path)
{
	size_t len;
	uint8_t *m = map_code(path, &len);
	uintptr_t g;

	if (!m)
		return 0;
	g = find_pattern(m, len);
	if (!g)
		return 2;
	gadget_then_canary(g, "a kind-2 WRPKRU inside an instruction");
	return 0;
}

static int atk_k3(const char *path)
{
	size_t len;
	uint8_t *m = map_code(path, &len);
	uintptr_t g;

	if (!m)
		return 2;	/* ck must map data pages, not refuse them */
	g = find_pattern(m, len);
	if (!g)
		return 2;
	printf("the table is readable: the pattern is at 0x%lx\n",
	       (unsigned long)g);
	gadget_then_canary(g, "a kind-3 WRPKRU in data");
	return 0;
}

static int atk_core(const char *path)
{
	size_t len;
	uint8_t *m = map_code(path, &len);
	uintptr_t g;

	if (!m)
		return 2;	/* no pattern: ck must map it */
	g = find_pattern(m, len);
	if (!g)
		return 2;
	printf("mapped; the core is at 0x%lx\n", (unsigned long)g);
	gadget_then_canary(g, "a WR*SBASE core without its F3");
	return 0;
}

static int atk_junction(const char *path)
{
	int fd = open(path, O_RDONLY);
	uint8_t *r;

	if (fd < 0)
		return 2;
	r = mmap(0, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return 2;
	if (mmap(r + PAGE, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED,
		 fd, PAGE) == MAP_FAILED)
		return 2;	/* EF C3 alone is no pattern */
	if (mmap(r, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd,
		 0) == MAP_FAILED) {
		printf("blocked: mmap(PROT_EXEC) of a page ending in 0F 01 "
		       "below one starting with EF: %s\n", strerror(errno));
		return 0;
	}
	gadget_then_canary((uintptr_t)(r + PAGE - 2),
			   "a WRPKRU across two code mappings");
	return 0;
}

static int atk_preload(const char *path)
{
	char env[4096];
	const char *canary = getenv("CK_CANARY");
	char *argv[] = { "true", 0 };
	char *envp[] = { env, 0, 0 };
	static char cenv[64];

	snprintf(env, sizeof(env), "LD_PRELOAD=%s", path);
	snprintf(cenv, sizeof(cenv), "CK_CANARY=%s", canary ? canary : "0");
	envp[1] = cenv;
	fflush(stdout);
	execve("/bin/true", argv, envp);
	return 2;
}

static int atk_stale(void)
{
	static const uint8_t one[6] = { 0xb8, 1, 0, 0, 0, 0xc3 };
	char path[] = "/tmp/ck-stale-XXXXXX";
	uint8_t page[PAGE] = { 0 };
	int fd = mkstemp(path), r1, r2;
	int (*f)(void);
	void *m1, *m2;

	memcpy(page, one, sizeof(one));
	if (fd < 0 || write(fd, page, PAGE) != (ssize_t)PAGE)
		return 2;
	sleep(2);	/* older than a second: ck's seal gets recorded */
	m1 = mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (m1 == MAP_FAILED)
		return 2;
	f = (int (*)(void))m1;
	r1 = f();
	page[1] = 2;	/* mov $2, %eax */
	if (pwrite(fd, page, 6, 0) != 6)
		return 2;
	m2 = mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	unlink(path);
	if (m2 == MAP_FAILED)
		return 2;
	f = (int (*)(void))m2;
	r2 = f();
	if (r1 != 1)
		return 2;
	if (r2 == 1)
		printf("ORACLE: the seal of the file's old code was mapped "
		       "after the file was rewritten (returned %d)\n", r2);
	else
		printf("blocked: the rewritten file's code runs (returned "
		       "%d)\n", r2);
	return 0;
}

static int atk_variant(const char *path)
{
	uint8_t got[PAGE], want[PAGE];
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd = open(path, O_RDONLY), i;
	size_t delta, end, len;
	uint8_t *m;

	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		return 2;
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) !=
		    sizeof(ph))
			return 2;
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X))
			break;
	}
	if (i == eh.e_phnum)
		return 2;
	delta = ph.p_vaddr % PAGE;
	end = delta + ph.p_filesz;
	len = (delta + ph.p_memsz + PAGE - 1) & ~(PAGE - 1);
	if (end % PAGE == 0 || end > len)
		return 2;	/* no tail to compare */
	m = mmap(0, len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd,
		 ph.p_offset - delta);
	if (m == MAP_FAILED)
		return 2;
	memset(want, 0, sizeof(want));
	if (pread(fd, want, len - end, ph.p_offset - delta + end) < 0)
		return 2;
	memcpy(got, m + end, len - end);
	for (i = 0; (size_t)i < len - end && got[i] == want[i]; i++)
		;
	if ((size_t)i == len - end)
		printf("blocked: the mapping holds the file's %zu bytes after "
		       "the segment\n", len - end);
	else
		printf("ORACLE: the mapping holds other bytes than the file "
		       "at offset 0x%zx (0x%02x, the file 0x%02x): the loader's "
		       "seal was found\n", (size_t)(ph.p_offset - delta + end + i),
		       got[i], want[i]);
	return 0;
}


/*
 * Detours (shim/guest/detour.c): each WRPKRU or XRSTOR pattern of FILE's
 * code (found in the file's bytes: ck rewrote the mapping's) is jumped to
 * with EFLAGS.TF set, so that exactly one instruction runs there: the
 * pattern's, if its bytes are still mapped (ORACLE when that instruction
 * completes: the single-step trap 3 bytes on), or what ck put there.
 */
#include <setjmp.h>
#include <signal.h>
#include <ucontext.h>

static sigjmp_buf step_env;
static volatile uintptr_t step_at;
static volatile int step_sig, step_code, step_n;
static volatile uintptr_t step_rip, step_addr;

static void on_step(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uintptr_t rip = (uintptr_t)uc->uc_mcontext.gregs[REG_RIP];

	if (sig == SIGTRAP && si->si_code == 2 /* TRAP_TRACE */ &&
	    rip == step_at && !step_n++)
		return;		/* the jump's own step: on to the pattern */
	uc->uc_mcontext.gregs[REG_EFL] &= ~0x100L;
	step_sig = sig;
	step_code = si->si_code;
	step_rip = rip;
	step_addr = (uintptr_t)si->si_addr;
	siglongjmp(step_env, 1);
}

static uint8_t xarea[8192] __attribute__((aligned(64)));

static void step_to(uintptr_t g, uint64_t rax)
{
	step_at = g;
	step_n = 0;
	step_sig = 0;
	if (sigsetjmp(step_env, 1))
		return;
	__asm__ volatile("pushfq; orq $0x100, (%%rsp); popfq; call *%0"
			 : : "r"(g), "a"(rax), "c"(0), "d"(0) : "memory");
}

static int is_pattern(const uint8_t *p)
{
	return p[0] == 0x0f && ((p[1] == 0x01 && p[2] == 0xef) ||
				(p[1] == 0xae && (p[2] & 0x38) == 0x28 &&
				 p[2] < 0xc0));
}

static void step_report(const char *path, uint64_t off, uintptr_t g,
			const uint8_t *now)
{
	if (is_pattern(now) && step_sig == SIGTRAP && step_code == 2 &&
	    step_rip == g + 3)
		printf("ORACLE: %s+0x%llx: the %s at the pattern's first byte "
		       "ran (single step stopped 3 bytes on)\n", path,
		       (unsigned long long)off,
		       now[1] == 0x01 ? "WRPKRU" : "XRSTOR");
	else
		printf("blocked: %s+0x%llx: the bytes there are %02x %02x %02x; "
		       "one step: signal %d code %d at +%ld\n", path,
		       (unsigned long long)off, now[0], now[1], now[2],
		       step_sig, step_code, (long)(step_rip - g));
}

/* Each PF_X segment of FILE mapped, its patterns stepped into (mode). */
static int atk_detour(const char *path, const char *mode)
{
	struct sigaction sa = { .sa_sigaction = on_step,
				.sa_flags = SA_SIGINFO | SA_NODEFER };
	int fd = open(path, O_RDONLY), i, found = 0;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;

	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		return 2;
	sigaction(SIGTRAP, &sa, 0);
	sigaction(SIGSEGV, &sa, 0);
	sigaction(SIGILL, &sa, 0);
	sigaction(SIGBUS, &sa, 0);
	for (i = 0; i < eh.e_phnum; i++) {
		size_t len, o, b;
		uint8_t *m, *f;

		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) !=
		    sizeof(ph))
			return 2;
		if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X))
			continue;
		len = (ph.p_offset % PAGE) + ph.p_filesz;
		f = malloc(len);
		if (!f || pread(fd, f, len, ph.p_offset & ~(PAGE - 1)) !=
		    (ssize_t)len)
			return 2;
		m = mmap(0, len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd,
			 ph.p_offset & ~(PAGE - 1));
		if (m == MAP_FAILED) {
			printf("blocked: mmap(PROT_EXEC) of %s's code: %s\n",
			       path, strerror(errno));
			free(f);
			continue;
		}
		for (o = 0; o + 3 <= len; o++) {
			uint64_t foff = (ph.p_offset & ~(PAGE - 1)) + o;

			if (!is_pattern(f + o))
				continue;
			found++;
			if (!strcmp(mode, "step")) {
				step_to((uintptr_t)(m + o), f[o + 1] == 0x01 ?
					0 : (uint64_t)(uintptr_t)xarea);
				step_report(path, foff, (uintptr_t)(m + o),
					    m + o);
				continue;
			}
			/* tramp: I's `jmp tramp` (a byte ck changed to E9) */
			for (b = 1; b < 15 && b <= o; b++)
				if (m[o - b] == 0xe9 && f[o - b] != 0xe9)
					break;
			if (b == 15 || b > o) {
				printf("blocked: %s+0x%llx: no jmp to a "
				       "trampoline before the pattern\n", path,
				       (unsigned long long)foff);
				continue;
			}
			{
				int32_t rel;
				uint8_t *t, *u;
				size_t k;

				memcpy(&rel, m + o - b + 1, 4);
				t = m + o - b + 5 + rel;
				for (u = t; u < t + 32; u++)
					if (is_pattern(u))
						printf("ORACLE: the trampoline at "
						       "%p holds a pattern at +%ld\n",
						       (void *)t, (long)(u - t));
				for (k = 1; k < 12; k++) {
					step_to((uintptr_t)(t + k), 0);
					step_report("trampoline", k,
						    (uintptr_t)(t + k), t + k);
				}
			}
		}
		munmap(m, len);
		free(f);
	}
	close(fd);
	return found ? 0 : 2;
}

/*
 * fault: FILE is libk2r.so, whose k2r_fn starts with a RIP-relative load
 * from far past the library (a kind-2 WRPKRU in its displacement): called,
 * it faults in ck's trampoline; the SIGSEGV handler must see RIP at the
 * program's own instruction, as natively.
 */
static int atk_fault(const char *path)
{
	struct sigaction sa = { .sa_sigaction = on_step,
				.sa_flags = SA_SIGINFO | SA_NODEFER };
	size_t len;
	uint8_t *m = map_code(path, &len), *f;
	uintptr_t g;
	int fd = open(path, O_RDONLY);

	if (!m || fd < 0)
		return 2;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int i;

	if (pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		return 2;
	for (i = 0; i < eh.e_phnum; i++)
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) ==
		    sizeof(ph) && ph.p_type == PT_LOAD && (ph.p_flags & PF_X))
			break;
	f = malloc(len);
	/* the file's bytes of the pages map_code mapped */
	if (i == eh.e_phnum || !f ||
	    pread(fd, f, len, ph.p_offset & ~(PAGE - 1)) != (ssize_t)len)
		return 2;
	for (g = 0; g + 3 <= len && !(f[g] == 0x0f && f[g + 1] == 0x01 &&
				     f[g + 2] == 0xef); g++)
		;
	if (g + 3 > len || g < 2)
		return 2;
	sigaction(SIGSEGV, &sa, 0);
	step_n = 1;	/* no single step here */
	if (!sigsetjmp(step_env, 1))
		((void (*)(void))(m + g - 2))();
	if (step_sig != SIGSEGV)
		return 2;
	if (step_rip == (uintptr_t)(m + g - 2))
		printf("blocked: the fault's RIP is the instruction's own "
		       "(%p)\n", (void *)step_rip);
	else
		printf("ORACLE: the fault's RIP is %p, not the instruction "
		       "at %p: ck's trampoline shown\n", (void *)step_rip,
		       (void *)(m + g - 2));
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[1] : "";
	int ret = 2;

	if (!strcmp(mode, "k2"))
		ret = atk_k2(argv[2]);
	else if (!strcmp(mode, "k3"))
		ret = atk_k3(argv[2]);
	else if (!strcmp(mode, "junction"))
		ret = atk_junction(argv[2]);
	else if (!strcmp(mode, "core"))
		ret = atk_core(argv[2]);
	else if (!strcmp(mode, "preload"))
		ret = atk_preload(argv[2]);
	else if (!strcmp(mode, "stale"))
		ret = atk_stale();
	else if (!strcmp(mode, "variant"))
		ret = atk_variant(argv[2]);
	else if (!strcmp(mode, "step") || !strcmp(mode, "tramp"))
		ret = atk_detour(argv[2], mode);
	else if (!strcmp(mode, "fault"))
		ret = atk_fault(argv[2]);
	if (ret == 2)
		fprintf(stderr, "siteatk: bad mode or set-up failure\n");
	fflush(stdout);
	return ret;
}
