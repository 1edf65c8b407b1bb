// SPDX-License-Identifier: Apache-2.0
/*
 * sysatk's memory attacks: the kernel's accesses through pointers into K
 * and K2 (USER_PKRU), memory syscalls over ck's ranges, ARCH_MAP_VDSO_64,
 * W^X and JIT code, mmap(PROT_EXEC) of a file holding a WRPKRU.
 * Modes of sysatk (sysatk.c: the table, and the helpers in sysatk.h).
 */
#include "sysatk.h"

/* ---- 1. kernel accesses through pointers into K / K2 (USER_PKRU) ---- */

static int mk_pipe(int p[2], int fill)
{
	char buf[256];

	if (pipe(p))
		return -1;
	if (fill >= 0) {
		memset(buf, fill, sizeof(buf));
		if (write(p[1], buf, sizeof(buf)) != (long)sizeof(buf))
			return -1;
	}
	return 0;
}

int has_canary(const unsigned char *b, size_t n)
{
	uint64_t v;
	size_t i;

	for (i = 0; i + 8 <= n; i++) {
		memcpy(&v, b + i, 8);
		if (v == CANARY)
			return 1;
	}
	return 0;
}

int atk_write_leak(const char *unused)
{
	(void)unused;
	uint64_t canary = env_addr("CK_CANARY");
	unsigned char got[64];
	int p[2];
	long n;

	if (mk_pipe(p, -1))
		return 2;
	if (refused(write(p[1], (void *)canary, 64), "write(pipe, ck_canary, 64)"))
		return 0;
	n = read(p[0], got, sizeof(got));
	if (n > 0 && has_canary(got, (size_t)n))
		oracle("write() copied ck_canary's value into a pipe");
	return 0;
}

int atk_read_clobber(const char *unused)
{
	(void)unused;
	uint64_t canary = env_addr("CK_CANARY");
	int p[2];

	if (mk_pipe(p, 'R'))
		return 2;
	refused(read(p[0], (void *)canary, 64), "read(pipe, ck_canary, 64)");
	return 0;
}

/* Bytes 48..63 of block 0 are padding in K2: readable, never written. */
int atk_read_k2(const char *unused)
{
	(void)unused;
	/* Block 1: a thread's that part 1 never uses, so ck never rewrites it. */
	volatile unsigned char *k2 = (void *)(env_addr("CK_TBLK") + 128);
	int p[2], i, hits = 0;

	if (mk_pipe(p, 'Z'))
		return 2;
	refused(read(p[0], (void *)k2, 16), "read(pipe, ck_tblk[1] (K2), 16)");
	for (i = 0; i < 16; i++)
		hits += k2[i] == 'Z';
	if (hits == 16)
		oracle("read() wrote the program's bytes into ck's K2 block");
	return 0;
}

int atk_into_canary(const char *call)
{
	void *c = (void *)env_addr("CK_CANARY");
	long r;

	if (!strcmp(call, "clock_gettime"))
		r = syscall(SYS_clock_gettime, CLOCK_REALTIME, c);
	else if (!strcmp(call, "getrandom"))
		r = syscall(SYS_getrandom, c, 64, 0);
	else if (!strcmp(call, "uname"))
		r = syscall(SYS_uname, c);
	else if (!strcmp(call, "fstat"))
		r = syscall(SYS_fstat, 1, c);
	else if (!strcmp(call, "rt_sigaction"))	/* oldact, 32 bytes */
		r = syscall(SYS_rt_sigaction, SIGUSR1, 0, c, 8);
	else if (!strcmp(call, "rt_sigprocmask"))	/* oldset: ck writes it */
		r = syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, c, 8);
	else if (!strcmp(call, "sendmsg"))	/* the msghdr: ck reads it */
		r = syscall(SYS_sendmsg, 1, c, 0);
	else if (!strcmp(call, "pread"))
		r = syscall(SYS_pread64, open("/proc/self/cmdline", O_RDONLY),
			    c, 64, 0);
	else
		return 2;
	if (refused(r, call) && errno != EFAULT)
		say("note", "not EFAULT", strerror(errno));
	return 0;
}

/*
 * An unlinked file whose first page is xor eax,eax; xor ecx,ecx; xor
 * edx,edx; WRPKRU; ret (the WRPKRU bytes are made at run time, so this
 * program's image has none). Returns its fd, or -1.
 */
static void pkru_code(unsigned char *to)
{
	unsigned char code[16] = { 0x31, 0xc0, 0x31, 0xc9, 0x31, 0xd2,
				   0x0e, 0x00, 0xee, 0xc3 };
	volatile unsigned char one = 1;	/* not folded at compile time */

	code[6] += one;
	code[7] += one;
	code[8] += one;
	memcpy(to, code, sizeof(code));
}

/* An unlinked file at path holding page: its fd, or -1. */
static int page_file(const char *path, const unsigned char *page)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	unlink(path);
	if (fd >= 0 && write(fd, page, PAGE) != (long)PAGE) {
		close(fd);
		fd = -1;
	}
	return fd;
}

static int pkru_code_file(void)
{
	unsigned char page[PAGE] = { 0 };

	pkru_code(page);
	return page_file("/tmp/sysatk-wrpkru.bin", page);
}

/*
 * A page of code whose last byte is 0F, which the code mapped after it
 * could complete into a pattern: ck maps nothing of it, and the seal
 * (not ck's rewrite, which sees no pattern) refuses it.
 */
int partial_code_file(void)
{
	unsigned char page[PAGE] = { 0 };

	page[PAGE - 1] = 0x0f;
	return page_file("/tmp/sysatk-partial.bin", page);
}

/* ---- 3. memory syscalls over ck's ranges ---- */

static void canary_seen(const volatile uint64_t *c, const char *how)
{
	
	oracle("%s: the program reads 0x%llx where "
		 "ck_canary was", how, (unsigned long long)c[0]);
}

static void clobber(volatile uint64_t *c)
{
	int i;

	for (i = 0; i < 8; i++)
		c[i] = 0x4141414141414141ULL;
}

int atk_mem(const char *how)
{
	uint64_t canary = env_addr("CK_CANARY");
	uint64_t cpage = canary & ~(PAGE - 1);
	volatile uint64_t *c = (volatile uint64_t *)canary;
	char line[512];
	long r;

	if (!strcmp(how, "mmap-fixed")) {
		void *m = mmap((void *)cpage, PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);

		if (refused(m == MAP_FAILED ? -1 : 0, "mmap(MAP_FIXED) over ck_canary"))
			return 0;
		canary_seen(c, "mmap(MAP_FIXED)");
		clobber(c);
	} else if (!strcmp(how, "mprotect-rodata")) {
		uint64_t ro = env_addr("CK_RODATA");
		volatile unsigned char *b = (volatile unsigned char *)ro;

		if (refused(mprotect((void *)ro, PAGE, PROT_READ | PROT_WRITE),
			    "mprotect(ck .rodata, RW)"))
			return 0;
		b[0] = b[0];	/* a program store into ck's image */
		if (maps_perm_at(ro, "rw")) {
			maps_line(ro, line, sizeof(line));
			oracle("ck's read-only data is "
				 "program-writable: %s", line);
		}
	} else if (!strcmp(how, "pkey_mprotect")) {
		if (refused(syscall(SYS_pkey_mprotect, cpage, PAGE,
				    PROT_READ | PROT_WRITE, 0),
			    "pkey_mprotect(ck_canary, RW, pkey 0)"))
			return 0;
		if (c[0] == CANARY)
			canary_seen(c, "pkey_mprotect");
		clobber(c);
	} else if (!strcmp(how, "munmap")) {
		if (refused(munmap((void *)cpage, PAGE), "munmap(ck_canary)"))
			return 0;
		maps_line(cpage, line, sizeof(line));
		if (!line[0])
			oracle("munmap: ck_canary's page is gone from /proc/self/maps");
	} else if (!strcmp(how, "madvise")) {
		int i;

		/* ck --stats must count these; MADV_DONTNEED zeroes ck_stats */
		for (i = 0; i < 300; i++)
			getppid();
		r = madvise((void *)(env_addr("CK_STATS") & ~(PAGE - 1)), PAGE,
			    MADV_DONTNEED);
		refused(r, "madvise(ck_stats, MADV_DONTNEED) after 300 getppid()");
	} else if (!strcmp(how, "mremap-dst")) {
		volatile uint64_t *m = mmap(0, PAGE, PROT_READ | PROT_WRITE,
					    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		void *r2;

		if (m == MAP_FAILED)
			return 2;
		m[0] = 0x5050505050505050ULL;
		r2 = mremap((void *)m, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
			    (void *)cpage);
		if (refused(r2 == MAP_FAILED ? -1 : 0,
			    "mremap(program page -> ck_canary)"))
			return 0;
		if (c[0] == 0x5050505050505050ULL)
			canary_seen(c, "mremap destination");
	} else if (!strcmp(how, "mremap-src")) {
		void *dst = mmap(0, PAGE, PROT_NONE,
				 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), *r2;

		if (dst == MAP_FAILED)
			return 2;
		r2 = mremap((void *)cpage, PAGE, PAGE,
			    MREMAP_MAYMOVE | MREMAP_FIXED, dst);
		if (refused(r2 == MAP_FAILED ? -1 : 0,
			    "mremap(ck_canary -> program address)"))
			return 0;
		maps_line(cpage, line, sizeof(line));
		if (!line[0]) {
			oracle("mremap moved ck_canary's "
				 "page to %p", dst);
		}
	} else if (!strcmp(how, "shmat")) {
		int id = shmget(IPC_PRIVATE, PAGE, IPC_CREAT | 0600);
		void *m;

		refused(id, "shmget");
		m = shmat(id < 0 ? 0 : id, (void *)cpage, SHM_REMAP);
		if (refused(m == (void *)-1 ? -1 : 0,
			    "shmat(SHM_REMAP) over ck_canary"))
			return 0;
		canary_seen(c, "shmat(SHM_REMAP)");
		clobber(c);
	} else {
		return 2;
	}
	return 0;
}

/* ---- 4. ARCH_MAP_VDSO_64 after taking the vDSO away ---- */

static int find_named(const char *name, uint64_t *lo, uint64_t *hi)
{
	const char *p = maps();
	unsigned long long a, b;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char line[512];

		if (n >= sizeof(line))
			n = sizeof(line) - 1;
		memcpy(line, p, n);
		line[n] = 0;
		if (strstr(line, name) && sscanf(line, "%llx-%llx", &a, &b) == 2) {
			*lo = a;
			*hi = b;
			return 1;
		}
		p += n + (e ? 1 : 0);
	}
	return 0;
}

int atk_vdso(const char *unused)
{
	(void)unused;
	uint64_t vlo = 0, vhi = 0, dlo = 0, dhi = 0, lo, hi;
	char before[4096], after[4096];
	int nb, na, id;
	void *m;
	long r;

	if (!find_named("[vdso]", &dlo, &dhi)) {
		say("note", "no [vdso] mapped", 0);
	} else {
		find_named("[vvar]", &vlo, &vhi);
		lo = vlo && vhi == dlo ? vlo : dlo;
		hi = dhi;
		/* munmap is ck's (CK_RANGES); shmat is denied (DENYLIST) */
		if (refused(munmap((void *)lo, hi - lo), "munmap([vvar]+[vdso])")) {
			id = shmget(IPC_PRIVATE, hi - lo, IPC_CREAT | 0600);
			refused(id, "shmget");
			m = shmat(id < 0 ? 0 : id, (void *)lo, SHM_REMAP | SHM_RDONLY);
			refused(m == (void *)-1 ? -1 : 0,
				"shmat(SHM_REMAP) over [vvar]+[vdso]");
		}
	}
	nb = exec_mappings(before, sizeof(before));
	r = syscall(SYS_arch_prctl, ARCH_MAP_VDSO_64, 0x7f0000000000UL);
	refused(r, "arch_prctl(ARCH_MAP_VDSO_64)");
	na = exec_mappings(after, sizeof(after));
	if (na > nb) {
		oracle("a new executable mapping: before "
			 "[%s] after [%s]", before, after);
	}
	return 0;
}

/* ---- 7. W^X and JIT code ---- */

/*
 * Anonymous memory asked PROT_EXEC is sealed in place (JIT code): never
 * writable and executable at once (rwx), never executable without a
 * seal (mmap-rx: ck seals the zeros, the mapping is ck's seal), never
 * with a forbidden pattern (mprotect-rx: a JIT page holding xor eax,eax;
 * xor ecx,ecx; xor edx,edx; WRPKRU; ret, whose run opens every key:
 * ck_canary readable).
 */
int atk_wx(const char *how)
{
	/* mov $42, %eax; ret */
	static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
	volatile uint64_t *c;
	unsigned char *m = MAP_FAILED;
	char line[512];
	int prot = PROT_READ | PROT_WRITE | PROT_EXEC;

	if (!strcmp(how, "mmap-rwx")) {
		m = mmap(0, PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (refused(m == MAP_FAILED ? -1 : 0, "mmap(anonymous RWX)"))
			return 0;
	} else if (!strcmp(how, "mmap-rx")) {
		m = mmap(0, PAGE, PROT_READ | PROT_EXEC,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return 2;
		maps_line((uint64_t)m, line, sizeof(line));
		if (!strstr(line, "paracell-seal") && !strstr(line, "ck-seal"))
			oracle("anonymous R-X memory that is no seal: %s", line);
		else
			say("blocked", "mmap(anonymous R-X)",
			    "a seal of ck's (zeros)");
		return 0;
	} else if (!strcmp(how, "mprotect-rwx")) {
		m = mmap(0, PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return 2;
		memcpy(m, code, sizeof(code));
		if (refused(mprotect(m, PAGE, prot), how))
			return 0;
	} else if (!strcmp(how, "mprotect-rx")) {
		c = (volatile uint64_t *)env_addr("CK_CANARY");
		m = mmap(0, PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			return 2;
		pkru_code(m);
		if (refused(mprotect(m, PAGE, PROT_READ | PROT_EXEC),
			    "mprotect(R-X) of a JIT page holding WRPKRU"))
			return 0;
		((void (*)(void))(uintptr_t)m)();	/* PKRU = 0 */
		if (c[0] == CANARY)
			canary_seen(c, "after the JIT page's WRPKRU");
		return 0;
	} else {
		return 2;
	}
	maps_line((uint64_t)m, line, sizeof(line));
	if (maps_perm_at((uint64_t)m, "rwx"))
		oracle("%s: /proc/self/maps: %s", how, line);
	memcpy(m, code, sizeof(code));
	if (((int (*)(void))(uintptr_t)m)() == 42)
		oracle("code the program wrote into RWX memory ran");
	return 0;
}

/* ---- 8. mmap(PROT_EXEC) of a file with a WRPKRU ---- */

int atk_exec_file(const char *unused)
{
	(void)unused;
	uint64_t canary = env_addr("CK_CANARY");
	volatile uint64_t *c = (volatile uint64_t *)canary;
	int fd = pkru_code_file();
	void *m;

	if (fd < 0)
		return 2;
	m = mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (refused(m == MAP_FAILED ? -1 : 0,
		    "mmap(PROT_EXEC) of a file holding WRPKRU"))
		return 0;
	if (maps_perm_at((uint64_t)m, "r-x"))
		oracle("a file with WRPKRU is mapped executable");
	((void (*)(void))(uintptr_t)m)();	/* PKRU = 0: every key open */
	if (c[0] == CANARY)
		canary_seen(c, "after the mapped WRPKRU");
	return 0;
}
