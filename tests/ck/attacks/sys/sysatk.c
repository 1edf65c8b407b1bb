// SPDX-License-Identifier: Apache-2.0
/*
 * Syscall- and memory-level attacks on ck: `sysatk MODE`, run under ck by
 * run.sh. Addresses inside the ck under test come from the environment
 * (hex, taken by run.sh from `nm`/`readelf` of that exact binary):
 *   CK_CANARY  ck_canary (8 x u64 in K, one page of its own)
 *   CK_TBLK    ck_tblk (the K2 thread blocks; block 0 is this thread's)
 *   CK_STATS   ck_stats (K, .bss)
 *   CK_RODATA  ck's read-only data segment (pkey 0, never writable)
 *   CK_SITE    ck_gate_site_fwd_ck (sigatk.c's sigret-rip)
 *   TRACEE     a pid to PTRACE_SEIZE (ptrace mode)
 *   PROC2      a second mount of procfs (procmem proc2 mode)
 *
 * Output, one line each:
 *   "blocked: WHAT: ERRNO"   a step was refused
 *   "ORACLE: WHAT"           the attack got through, proven by an effect
 *                            (canary bytes seen, a mapping seen in
 *                            /proc/self/maps, a host object that answers)
 *   "open: WHAT returned X"  a step was not refused (no proof by itself)
 * ck itself prints "ck: canary CLOBBERED" at exit when K was written.
 * Exit: 0 if every step was refused, 3 if some step was not, 2 for usage.
 * The program never touches K or K2 memory with a plain access except
 * where the attack has made it reachable (or reads K2, which it may).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/paracell.h>
#include <linux/userfaultfd.h>

#include "../../scm.h"

#define ATK_NAME "sysatk"
#include "atk.h"

/* musl's <sys/ioctl.h> would redefine the kernel header's _IO macros. */
int ioctl(int fd, int req, ...);

#define PAGE		4096UL
#define CANARY		0x63616e6172794b21ULL
#define ARCH_MAP_VDSO_64 0x2003
#define PR_SEIZE	0x4206

static int open_steps;		/* steps that were not refused */

static void say(const char *tag, const char *what, const char *detail)
{
	printf("%s: %s%s%s\n", tag, what, detail ? ": " : "",
	       detail ? detail : "");
	fflush(stdout);
}

/* A step that must be refused: ret -1 with errno set, else "open". */
static int refused(long ret, const char *what)
{
	char buf[64];

	if (ret == -1) {
		say("blocked", what, strerror(errno));
		return 1;
	}
	snprintf(buf, sizeof(buf), "returned %ld", ret);
	say("open", what, buf);
	open_steps++;
	return 0;
}

static void oracle(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("ORACLE: ");
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

/* /proc/self/maps into a static buffer. */
static const char *maps(void)
{
	static char buf[65536];
	long n, got = 0;
	int fd = open("/proc/self/maps", O_RDONLY);

	if (fd < 0)
		return "";
	while ((n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = 0;
	return buf;
}

/* The maps line covering addr into line (empty if unmapped). */
static void maps_line(uint64_t addr, char *line, size_t size)
{
	const char *p = maps();

	line[0] = 0;
	while (*p) {
		unsigned long long lo, hi;
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (sscanf(p, "%llx-%llx", &lo, &hi) == 2 && lo <= addr &&
		    addr < hi) {
			if (n >= size)
				n = size - 1;
			memcpy(line, p, n);
			line[n] = 0;
			return;
		}
		p += n + (e ? 1 : 0);
	}
}

/* Does some maps line have these permissions (e.g. "rwx", "-wx")? */
static int maps_perm_at(uint64_t addr, const char *perm)
{
	char line[512], *sp;

	maps_line(addr, line, sizeof(line));
	sp = strchr(line, ' ');
	return sp && !strncmp(sp + 1, perm, strlen(perm));
}

/* Count of executable mappings (perm field "..x") in /proc/self/maps. */
static int exec_mappings(char *names, size_t size)
{
	const char *p = maps();
	int n = 0;

	if (names)
		names[0] = 0;
	while (*p) {
		const char *sp = strchr(p, ' '), *e = strchr(p, '\n');

		if (sp && sp[3] == 'x') {
			n++;
			if (names && strlen(names) + 40 < size)
				strncat(names, p, (size_t)(sp - p + 5));
		}
		if (!e)
			break;
		p = e + 1;
	}
	return n;
}

static void fd_link(int fd, char *out, size_t size)
{
	char path[64];
	long n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, out, size - 1);
	out[n < 0 ? 0 : n] = 0;
}

/* Does the fd talk to /dev/paracell? PARACELL_GET_API_VERSION answers 1. */
static void device_answers(int fd, const char *how)
{
	long v;

	if (fd < 0)
		return;
	v = ioctl(fd, PARACELL_GET_API_VERSION);
	if (v == PARACELL_API_VERSION) {
		oracle("%s: fd %d is ck's /dev/paracell "
			 "(PARACELL_GET_API_VERSION = %ld)", how, fd, v);
	}
}

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

static int has_canary(const unsigned char *b, size_t n)
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

static int atk_write_leak(const char *unused)
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

static int atk_read_clobber(const char *unused)
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
static int atk_read_k2(const char *unused)
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

static int atk_into_canary(const char *call)
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

static int pkru_code_file(void)
{
	unsigned char page[PAGE] = { 0 };
	int fd;

	pkru_code(page);
	fd = open("/tmp/sysatk-wrpkru.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
	unlink("/tmp/sysatk-wrpkru.bin");
	if (fd >= 0 && write(fd, page, sizeof(page)) != (long)sizeof(page)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/*
 * A page of code whose last byte is 0F, which the code mapped after it
 * could complete into a pattern: ck maps nothing of it, and the seal
 * (not ck's rewrite, which sees no pattern) refuses it.
 */
static int partial_code_file(void)
{
	unsigned char page[PAGE] = { 0 };
	int fd;

	page[PAGE - 1] = 0x0f;
	fd = open("/tmp/sysatk-partial.bin", O_RDWR | O_CREAT | O_TRUNC, 0600);
	unlink("/tmp/sysatk-partial.bin");
	if (fd >= 0 && write(fd, page, sizeof(page)) != (long)sizeof(page)) {
		close(fd);
		fd = -1;
	}
	return fd;
}

/* ---- 2. ck's fds 1021-1023 ---- */

static int atk_fd(const char *how)
{
	char before[256], after[256], what[160];
	int p[2], fd;

	if (pipe(p))
		return 2;
	fd_link(1022, before, sizeof(before));
	if (!strcmp(how, "ioctl")) {
		long v = ioctl(1021, PARACELL_GET_API_VERSION);

		if (refused(v, "ioctl(1021, PARACELL_GET_API_VERSION)"))
			return 0;
		device_answers(1021, "ioctl");
		return 0;
	} else if (!strcmp(how, "close")) {
		refused(close(1022), "close(1022)");
	} else if (!strcmp(how, "dup2-onto")) {
		refused(dup2(p[0], 1022), "dup2(pipe, 1022)");
	} else if (!strcmp(how, "dup3-onto")) {
		refused(syscall(SYS_dup3, p[0], 1022, 0), "dup3(pipe, 1022, 0)");
	} else if (!strcmp(how, "dup2-from")) {
		fd = dup2(1021, 200);
		refused(fd, "dup2(1021, 200)");
		device_answers(fd, "dup2(1021, 200)");
		return 0;
	} else if (!strcmp(how, "dup")) {
		fd = dup(1021);
		refused(fd, "dup(1021)");
		device_answers(fd, "dup(1021)");
		return 0;
	} else if (!strcmp(how, "fcntl")) {
		fd = fcntl(1021, F_DUPFD_CLOEXEC, 0);
		refused(fd, "fcntl(1021, F_DUPFD_CLOEXEC)");
		device_answers(fd, "fcntl(1021, F_DUPFD_CLOEXEC)");
		return 0;
	} else if (!strcmp(how, "mmap")) {
		void *m = mmap(0, PAGE, PROT_READ, MAP_SHARED, 1022, 0);

		refused(m == MAP_FAILED ? -1 : (long)m, "mmap(fd 1022)");
		return 0;
	} else if (!strcmp(how, "close_range")) {
		/* It may succeed: it must only skip ck's fds (see below). */
		snprintf(what, sizeof(what), "%ld",
			 syscall(SYS_close_range, 3, ~0U, 0));
		say("note", "close_range(3, ~0U, 0) returned", what);
	} else if (!strcmp(how, "close_range-hi")) {
		/* The same bounds with high bits set, which the kernel drops. */
		snprintf(what, sizeof(what), "%ld",
			 syscall(SYS_close_range, (1L << 32) | 3,
				 (1L << 32) | 0xffffffffL, 0));
		say("note", "close_range(1<<32|3, 1<<32|~0U, 0) returned", what);
	} else if (!strcmp(how, "pidfd_getfd")) {
		int pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);

		refused(pidfd, "pidfd_open(self)");
		fd = (int)syscall(SYS_pidfd_getfd, pidfd < 0 ? 3 : pidfd, 1021, 0);
		refused(fd, "pidfd_getfd(self, 1021)");
		device_answers(fd, "pidfd_getfd");
		return 0;
	} else if (!strcmp(how, "scm_rights")) {
		int sv[2];
		char cbuf[SCM_ONE_FD_SPACE], byte = 'x';
		struct iovec iov = { &byte, 1 };
		struct msghdr m;
		struct cmsghdr *c;

		if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv))
			return 2;
		scm_one_fd(&m, &iov, cbuf, 1021);
		if (refused(sendmsg(sv[0], &m, 0), "sendmsg(SCM_RIGHTS 1021)"))
			return 0;
		memset(cbuf, 0, sizeof(cbuf));
		m.msg_controllen = sizeof(cbuf);
		if (recvmsg(sv[1], &m, 0) < 0 || !(c = CMSG_FIRSTHDR(&m)) ||
		    c->cmsg_type != SCM_RIGHTS)
			return 0;
		memcpy(&fd, CMSG_DATA(c), sizeof(int));
		device_answers(fd, "fd 1021 received by the peer socket");
		return 0;
	} else if (!strcmp(how, "devnode")) {
		struct paracell_create_cell req = { 0, { 0 } };
		long cell;

		fd = open(PARACELL_DEVICE, O_RDWR | O_CLOEXEC);
		refused(fd, "open(" PARACELL_DEVICE ")");
		device_answers(fd, "open(" PARACELL_DEVICE ")");
		if (fd >= 0) {
			/* paracell.ko: this mm has its cell, no second one */
			cell = ioctl(fd, PARACELL_CREATE_CELL, &req);
			if (cell >= 0)
				oracle("PARACELL_CREATE_CELL made a second cell "
				       "for this mm: fd %ld", cell);
			else
				say("note", "paracell.ko refused a second cell",
				    strerror(errno));
		}
		return 0;
	} else if (!strcmp(how, "utimes")) {
		/* The object behind ck's fd, named by path: its times. */
		struct timespec t[2] = { { 12345, 0 }, { 12345, 0 } };
		struct stat st;

		refused(utimensat(AT_FDCWD, "/proc/self/fd/1021", t, 0),
			"utimensat(/proc/self/fd/1021)");
		if (!stat("/proc/self/fd/1021", &st) && st.st_mtime == 12345)
			oracle("the mtime of ck's device is now 12345 "
			       "(st_rdev %llx)", (unsigned long long)st.st_rdev);
		return 0;
	} else if (!strcmp(how, "procfd")) {
		fd = open("/proc/self/fd/1021", O_RDWR | O_CLOEXEC);
		refused(fd, "open(/proc/self/fd/1021)");
		device_answers(fd, "open(/proc/self/fd/1021)");
		return 0;
	} else if (!strcmp(how, "link")) {
		/* ck's device node, by its magic link, linked into /dev */
		struct stat st;

		snprintf(what, sizeof(what), "/dev/ck-atk-link-%d", getpid());
		refused(linkat(AT_FDCWD, "/proc/self/fd/1021", AT_FDCWD, what,
			       AT_SYMLINK_FOLLOW),
			"linkat(/proc/self/fd/1021, /dev/..., FOLLOW)");
		if (!stat(what, &st)) {
			oracle("ck's device is linked at %s (st_rdev %llx, "
			       "%lu links)", what,
			       (unsigned long long)st.st_rdev,
			       (unsigned long)st.st_nlink);
			unlink(what);
		}
		return 0;
	} else if (!strcmp(how, "procfd-slot")) {
		/*
		 * A seal the scan refuses leaves a new memfd of ck's on 1023
		 * (a pattern ck's rewrite refuses never reaches the seal).
		 */
		int code = partial_code_file();
		void *m = mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE,
			       code, 0);

		say("note", "mmap(PROT_EXEC) of a page ending in 0F",
		    m == MAP_FAILED ? strerror(errno) : "mapped");
		fd = open("/proc/self/fd/1023", O_RDWR | O_CLOEXEC);
		if (refused(fd, "open(/proc/self/fd/1023) after it"))
			return 0;
		fd_link(fd, what, sizeof(what));
		if (write(fd, "x", 1) == 1)
			oracle("ck's object on fd 1023 ('%s') reopened "
			       "read-write: a write reached it", what);
		return 0;
	} else {
		return 2;
	}
	fd_link(1022, after, sizeof(after));
	if (before[0] && strcmp(before, after)) {
		oracle("ck's fd 1022 changed: '%s' -> '%s'",
			 before, after[0] ? after : "(closed)");
	}
	return 0;
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

static int atk_mem(const char *how)
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

static int atk_vdso(const char *unused)
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

/* ---- 5. /proc/self/mem and friends ---- */

static void mem_fd_attack(int fd, const char *how)
{
	uint64_t canary = env_addr("CK_CANARY"), v = 0;
	uint64_t bad[8];

	if (fd < 0)
		return;
	if (pread(fd, &v, 8, (off_t)canary) == 8 && v == CANARY) {
		oracle("%s: pread of ck_canary returned "
			 "0x%llx", how, (unsigned long long)v);
	}
	memset(bad, 0x42, sizeof(bad));
	if (pwrite(fd, bad, sizeof(bad), (off_t)canary) == (long)sizeof(bad))
		say("open", how, "pwrite of ck_canary returned 64");
}

static int atk_procmem(const char *how)
{
	char path[64];
	int fd;

	if (!strcmp(how, "self")) {
		fd = open("/proc/self/mem", O_RDWR);
		refused(fd, "open(/proc/self/mem)");
	} else if (!strcmp(how, "thread-self")) {
		fd = open("/proc/thread-self/mem", O_RDWR);
		refused(fd, "open(/proc/thread-self/mem)");
	} else if (!strcmp(how, "pid")) {
		snprintf(path, sizeof(path), "/proc/%d/mem", getpid());
		fd = open(path, O_RDWR);
		refused(fd, "open(/proc/<pid>/mem)");
	} else if (!strcmp(how, "dirfd")) {
		int d = open("/proc/self", O_PATH | O_DIRECTORY);

		fd = openat(d, "mem", O_RDWR);
		refused(fd, "openat(O_PATH /proc/self, \"mem\")");
	} else if (!strcmp(how, "symlink")) {
		unlink("/tmp/sysatk-memlink");
		if (symlink("/proc/self/mem", "/tmp/sysatk-memlink"))
			return 2;
		fd = open("/tmp/sysatk-memlink", O_RDWR);
		refused(fd, "open(/tmp symlink -> /proc/self/mem)");
		unlink("/tmp/sysatk-memlink");
	} else if (!strcmp(how, "proc2")) {
		/* procfs mounted a second time, at PROC2 (by run.sh) */
		const char *p2 = getenv("PROC2");

		if (!p2 || !*p2)
			return 2;
		snprintf(path, sizeof(path), "%s/self/mem", p2);
		fd = open(path, O_RDWR);
		refused(fd, "open(<second procfs mount>/self/mem)");
	} else if (!strcmp(how, "opath")) {
		int o = open("/proc/self/mem", O_PATH);

		refused(o, "open(/proc/self/mem, O_PATH)");
		snprintf(path, sizeof(path), "/proc/self/fd/%d", o < 0 ? 99 : o);
		fd = open(path, O_RDWR);
		refused(fd, "reopen via /proc/self/fd/N");
	} else {
		return 2;
	}
	mem_fd_attack(fd, how);
	return 0;
}

/* ---- 6. denied syscalls ---- */

static int atk_denied(const char *how)
{
	uint64_t canary = env_addr("CK_CANARY");
	char what[256], link[128];
	long r;

	if (!strcmp(how, "pvm_writev") || !strcmp(how, "pvm_readv")) {
		uint64_t buf[8];
		struct iovec l = { buf, sizeof(buf) };
		struct iovec rem = { (void *)canary, sizeof(buf) };
		int w = how[4] == 'w';

		memset(buf, 0x43, sizeof(buf));
		r = syscall(w ? SYS_process_vm_writev : SYS_process_vm_readv,
			    getpid(), &l, 1, &rem, 1, 0);
		refused(r, how);
		if (!w && r > 0 && has_canary((void *)buf, sizeof(buf)))
			oracle("process_vm_readv read ck_canary");
	} else if (!strcmp(how, "ptrace")) {
		int pid = (int)strtol(getenv("TRACEE") ? getenv("TRACEE") : "0",
				      0, 10);
		char path[64], st[4096];
		int fd;
		long n;

		snprintf(path, sizeof(path), "ptrace(PTRACE_SEIZE, %d)", pid);
		r = syscall(SYS_ptrace, PR_SEIZE, pid, 0, 0);
		refused(r, path);
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		fd = open(path, O_RDONLY);
		n = fd < 0 ? 0 : read(fd, st, sizeof(st) - 1);
		st[n < 0 ? 0 : n] = 0;
		snprintf(what, sizeof(what), "TracerPid:\t%d\n", getpid());
		if (strstr(st, what))
			oracle("ptrace: the tracee's TracerPid is this process");
	} else if (!strcmp(how, "rseq")) {
		static struct {
			uint32_t cpu_id_start, cpu_id;
			uint64_t rseq_cs;
			uint32_t flags, pad[3];
		} __attribute__((aligned(32))) rs = { 0, (uint32_t)-1, 0, 0, {0} };

		r = syscall(SYS_rseq, &rs, sizeof(rs), 0, 0x53053053);
		refused(r, "rseq(register)");
		getppid();	/* a return to user: the kernel fills cpu_id */
		if (rs.cpu_id != (uint32_t)-1) {
			oracle("rseq is registered on the "
				 "host: the kernel wrote cpu_id %u", rs.cpu_id);
		}
	} else if (!strcmp(how, "rseq-cktext")) {
		r = syscall(SYS_rseq, (void *)0x600000001000UL, 32, 0, 0x53053053);
		refused(r, "rseq(register over ck's text)");
	} else if (!strcmp(how, "io_uring_setup")) {
		unsigned char params[120] = { 0 };

		r = syscall(SYS_io_uring_setup, 4, params);
		refused(r, how);
		fd_link((int)r, link, sizeof(link));
		if (r >= 0 && strstr(link, "io_uring")) {
			oracle("io_uring_setup gave fd "
				 "%ld -> %s", r, link);
		}
	} else if (!strcmp(how, "userfaultfd")) {
		r = syscall(SYS_userfaultfd, O_CLOEXEC);
		refused(r, how);
		fd_link((int)r, link, sizeof(link));
		if (r >= 0 && strstr(link, "userfaultfd")) {
			oracle("userfaultfd gave fd %ld -> "
				 "%s", r, link);
		}
	} else {
		return 2;
	}
	return 0;
}

/*
 * userfaultfd without the syscall: /dev/userfaultfd's USERFAULTFD_IOC_NEW
 * gives one for this mm. Registered over K2 (found by ProtectionKey 2 in
 * smaps), UFFDIO_COPY fills a page ck has not touched yet with the
 * program's bytes: the kernel installs the page without a user access, so
 * PKU never sees it. The oracle: the program reads (K2 is readable) its
 * marker in memory only ck may write.
 */
#define UFFD_MARK	0x2144574e50444646ULL	/* "FFDPNWD!" */

static int uffd_k2_ranges(uint64_t *lo, uint64_t *hi, int max)
{
	static char buf[1 << 18];
	long n, got = 0;
	unsigned long long a, b, cur_lo = 0, cur_hi = 0;
	int fd = open("/proc/self/smaps", O_RDONLY), k, count = 0;
	char *p;

	if (fd < 0)
		return 0;
	while ((n = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = 0;
	for (p = buf; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : 0) {
		if (sscanf(p, "%llx-%llx ", &a, &b) == 2 && p[strspn(p,
		    "0123456789abcdef")] == '-') {
			cur_lo = a;
			cur_hi = b;
		} else if (sscanf(p, "ProtectionKey: %d", &k) == 1 &&
			   k == 2 && count < max) {
			lo[count] = cur_lo;
			hi[count++] = cur_hi;
		}
	}
	return count;
}

static int atk_uffd(const char *how)
{
	static uint64_t page[PAGE / 8] __attribute__((aligned(4096)));
	struct uffdio_api api = { .api = UFFD_API };
	uint64_t lo[16], hi[16], a;
	int dev, uffd, i, n, done = 0;
	long r;

	(void)how;
	for (i = 0; i < (int)(PAGE / 8); i++)
		page[i] = UFFD_MARK;
	dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		fprintf(stderr, "sysatk: /dev/userfaultfd: %s\n",
			strerror(errno));
		return 2;
	}
	uffd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC);
	if (refused(uffd, "ioctl(/dev/userfaultfd, USERFAULTFD_IOC_NEW)"))
		return 0;
	if (refused(ioctl(uffd, UFFDIO_API, &api), "ioctl(UFFDIO_API)"))
		return 0;
	n = uffd_k2_ranges(lo, hi, 16);
	if (!n) {
		fprintf(stderr, "sysatk: no ProtectionKey 2 mapping\n");
		return 2;
	}
	for (i = 0; i < n && !done; i++) {
		struct uffdio_register reg = {
			.range = { lo[i], hi[i] - lo[i] },
			.mode = UFFDIO_REGISTER_MODE_MISSING,
		};

		r = ioctl(uffd, UFFDIO_REGISTER, &reg);
		if (r)
			continue;
		for (a = lo[i]; a < hi[i] && !done; a += PAGE) {
			struct uffdio_copy cp = {
				.dst = a, .src = (uint64_t)page, .len = PAGE,
			};

			if (ioctl(uffd, UFFDIO_COPY, &cp) || cp.copy != PAGE)
				continue;
			if (*(volatile uint64_t *)a == UFFD_MARK) {
				oracle("K2 page %#llx holds the program's "
				       "bytes (UFFDIO_COPY)",
				       (unsigned long long)a);
				done = 1;
			}
		}
	}
	if (!done)
		say("blocked", "UFFDIO_REGISTER/UFFDIO_COPY over K2", 0);
	return 0;
}

/*
 * noexec: NOEXEC is a tmpfs mounted noexec. "noexec mmap" writes code to a
 * file there and maps it PROT_EXEC (Linux: EPERM); "noexec run" is run by
 * run.sh from that mount, or from a copy without x bits (execve: EACCES),
 * so that it runs at all is the effect.
 */
static int atk_noexec(const char *how)
{
	/* mov $42, %eax; ret */
	static const unsigned char ret42[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
	char path[4096];
	void *p;
	int fd;

	if (!strcmp(how, "run")) {
		oracle("ck ran a program that execve refuses (noexec mount "
		       "or no x bit)");
		return 0;
	}
	if (strcmp(how, "mmap"))
		return 2;
	snprintf(path, sizeof(path), "%s/code", getenv("NOEXEC") ?
		 getenv("NOEXEC") : ".");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || write(fd, ret42, sizeof(ret42)) != sizeof(ret42)) {
		fprintf(stderr, "sysatk: %s: %s\n", path, strerror(errno));
		return 2;
	}
	p = mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (refused(p == MAP_FAILED ? -1 : 0, "mmap PROT_EXEC of a file on a "
		    "noexec mount"))
		return 0;
	if (((int (*)(void))p)() == 42)
		oracle("code from a noexec mount ran (returned 42)");
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
static int atk_wx(const char *how)
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

static int atk_exec_file(const char *unused)
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

/* ---- 9. ck's signal, SIGSYS ---- */

/*
 * timer_create with SIGEV_SIGNAL SIGSYS: the kernel would then raise ck's
 * signal at the process when the timer fires; and rt_sigtimedwait on a set
 * naming SIGSYS would let the program take it. The oracle: the timer is
 * made, and the SIGSYS it raises is taken by sigtimedwait.
 */
static int atk_sigsys_timer(void)
{
	struct sigevent ev;
	struct itimerspec its = { { 0, 0 }, { 0, 10000000 } };
	struct timespec ts = { 1, 0 };
	sigset_t s;
	timer_t tm;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGSYS;
	if (refused(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &tm),
		    "timer_create(SIGEV_SIGNAL, SIGSYS)"))
		return 0;
	oracle("timer_create made a timer that raises ck's signal");
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	if (syscall(SYS_timer_settime, tm, 0, &its, NULL))
		return 0;
	if (syscall(SYS_rt_sigtimedwait, &s, NULL, &ts, 8) == SIGSYS)
		oracle("rt_sigtimedwait took ck's SIGSYS");
	return 0;
}

/*
 * A SIGSEGV queued to itself with a fault's si_code (SEGV_MAPERR), which
 * Linux lets a process send itself: ck tells a fault in its own code from
 * a sent SIGSEGV by that code (shim/guest/intr.c). "tg": with
 * rt_tgsigqueueinfo. SIGSEGV is blocked first, so the signal waits; the
 * oracle: the call succeeds and rt_sigtimedwait takes a SIGSEGV with
 * the forged code.
 */
static int atk_fakefault(const char *how)
{
	struct timespec ts = { 0, 0 };
	siginfo_t si, got;
	sigset_t s;
	long r;

	sigemptyset(&s);
	sigaddset(&s, SIGSEGV);
	if (sigprocmask(SIG_BLOCK, &s, NULL))
		return 2;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGSEGV;
	si.si_code = SEGV_MAPERR;
	si.si_addr = (void *)0x1000;
	if (!strcmp(how, "tg"))
		r = syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGSEGV,
			    &si);
	else if (!strcmp(how, "pid"))
		r = syscall(SYS_rt_sigqueueinfo, getpid(), SIGSEGV, &si);
	else
		return 2;
	if (refused(r, "queue SIGSEGV with si_code SEGV_MAPERR to itself"))
		return 0;
	if (syscall(SYS_rt_sigtimedwait, &s, &got, &ts, 8) == SIGSEGV &&
	    got.si_code == SEGV_MAPERR)
		oracle("a SIGSEGV with a fault's si_code that no fault raised "
		       "was queued");
	return 0;
}

/*
 * F_SETSIG SIGSYS on a pipe: the kernel would then raise ck's signal for
 * the pipe's I/O events. "hi": the command with bit 32 set, which the
 * kernel drops (it takes an unsigned int).
 */
static int atk_sigsys(const char *how)
{
	long cmd = F_SETSIG;
	int p[2];

	if (!strcmp(how, "timer"))
		return atk_sigsys_timer();
	if (strcmp(how, "setsig") && strcmp(how, "setsig-hi"))
		return 2;
	if (pipe(p))
		return 2;
	if (!strcmp(how, "setsig-hi"))
		cmd |= 1L << 32;
	if (refused(syscall(SYS_fcntl, p[0], cmd, SIGSYS),
		    "fcntl(pipe, F_SETSIG, SIGSYS)"))
		return 0;
	if (fcntl(p[0], F_GETSIG) == SIGSYS)
		oracle("F_GETSIG answers SIGSYS: the kernel now raises ck's "
		       "signal for this pipe's I/O");
	return 0;
}

/*
 * A sigaltstack over ck's memory: the frames of the program's handlers
 * would be written there. "canary": on ck_canary (K); "tblk": on the K2
 * thread blocks; "overlap": ending 8 bytes into ck_canary from program
 * memory below it. Through: the call succeeds and the stack read back
 * is the one asked for.
 */
static int atk_altstack(const char *how)
{
	uint64_t sp, size = 65536;
	stack_t ss, cur;

	if (!strcmp(how, "canary"))
		sp = env_addr("CK_CANARY");
	else if (!strcmp(how, "tblk"))
		sp = env_addr("CK_TBLK");
	else if (!strcmp(how, "overlap"))
		sp = env_addr("CK_CANARY") + 8 - size;
	else
		return 2;
	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = (void *)(uintptr_t)sp;
	ss.ss_size = size;
	if (refused(syscall(SYS_sigaltstack, &ss, NULL),
		    "sigaltstack over ck's memory"))
		return 0;
	if (!sigaltstack(NULL, &cur) && (uint64_t)(uintptr_t)cur.ss_sp == sp)
		oracle("sigaltstack set over ck's memory at %#llx",
		       (unsigned long long)sp);
	return 0;
}

/* ---- 10. what ck reads for itself never stays in K2 ---- */

/*
 * Looks for "\n" "NAME" "\0" (d_type DT_LNK, then d_name: how a
 * getdents64 record of /proc/self/fd holds NAME) in [p, p + n).
 */
static int holds_fd_name(const unsigned char *p, size_t n, const char *name)
{
	size_t len = strlen(name), i;

	for (i = 0; i + len + 2 <= n; i++)
		if (p[i] == 10 /* DT_LNK */ && !memcmp(p + i + 1, name, len) &&
		    !p[i + 1 + len])
			return 1;
	return 0;
}

/*
 * getdents64 of /proc/self/fd (ck takes its own entries out), then every
 * K2 mapping (ProtectionKey 2 in /proc/self/smaps: user-readable) is
 * searched for the records of ck's fds 1021-1023.
 */
static int atk_k2names(const char *unused)
{
	(void)unused;
	static char smaps[262144];
	static const char *const names[] = { "1021", "1022", "1023" };
	char dents[4096], found[64] = "";
	unsigned long long lo = 0, hi = 0;
	long n, got = 0;
	const char *p;
	int fd, i;

	fd = open("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return 2;
	while ((n = syscall(SYS_getdents64, fd, dents, sizeof(dents))) > 0)
		;
	close(fd);
	fd = open("/proc/self/smaps", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 2;
	while ((n = read(fd, smaps + got, sizeof(smaps) - 1 - got)) > 0)
		got += n;
	close(fd);
	smaps[got] = 0;
	for (p = smaps; *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : "") {
		unsigned long long a, b;
		int key;

		if (sscanf(p, "%llx-%llx ", &a, &b) == 2) {
			lo = a;
			hi = b;
		} else if (sscanf(p, "ProtectionKey: %d", &key) == 1 &&
			   key == 2 && hi > lo) {
			for (i = 0; i < 3; i++)
				if (!strstr(found, names[i]) &&
				    holds_fd_name((const unsigned char *)
						  (uintptr_t)lo, hi - lo,
						  names[i]))
					snprintf(found + strlen(found),
						 sizeof(found) - strlen(found),
						 " %s", names[i]);
		}
	}
	if (found[0])
		oracle("K2 memory holds the getdents64 records of ck's "
		       "fds:%s", found);
	else
		say("blocked", "no record of fds 1021-1023 in K2 memory "
		    "after getdents64(/proc/self/fd)", 0);
	return 0;
}

/*
 * Threads (issue #11). A raw clone of a thread, the child running inline:
 * it resumes after the syscall with RAX 0 on stack, issues arch_prctl
 * (ARCH_GET_GS, out) as its first instruction (ck refuses it; the host
 * would answer with ck's GS base), then exit.
 */
#define ARCH_GET_GS_	0x1004
#define THR_FLAGS	(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD)

static long raw_thread(unsigned long flags, void *stack, void *ctid,
		       uint64_t *gs_out)
{
	register long r10 __asm__("r10") = (long)ctid;
	register long r8 __asm__("r8") = 0;
	register long r9 __asm__("r9") = (long)gs_out;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "testq %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "movl $158, %%eax\n\t"	/* arch_prctl */
			 "movl $0x1004, %%edi\n\t"
			 "movq %%r9, %%rsi\n\t"
			 "syscall\n\t"
			 "movl $60, %%eax\n\t"	/* exit */
			 "xorl %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "ud2\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(56), "D"(flags), "S"(stack), "d"(0),
			   "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static void *tid_canary(void *arg)
{
	refused(syscall(SYS_set_tid_address, arg),
		"set_tid_address(ck_canary) in a thread");
	syscall(SYS_exit, 0);
	return NULL;
}

static int atk_thr(const char *how)
{
	void *canary = (void *)env_addr("CK_CANARY");
	static char stack[65536] __attribute__((aligned(16)));
	static volatile uint64_t gs;
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	long ret;

	if (!strcmp(how, "cleartid")) {
		ret = raw_thread(THR_FLAGS | CLONE_CHILD_CLEARTID,
				 stack + sizeof(stack), canary, (void *)&gs);
		if (ret < 0) {
			errno = (int)-ret;
			ret = -1;
		}
		refused(ret, "clone(CHILD_CLEARTID = ck_canary)");
	} else if (!strcmp(how, "tidaddr")) {
		pthread_t t;

		if (pthread_create(&t, NULL, tid_canary, canary))
			return 2;
	} else if (!strcmp(how, "rawfirst")) {
		ret = raw_thread(THR_FLAGS, stack + sizeof(stack), NULL,
				 (void *)&gs);
		if (ret < 0)
			return 2;
		nanosleep(&ts, NULL);
		if (gs)
			oracle("a new thread's first syscall reached the host "
			       "(GS base %#lx)", (unsigned long)gs);
		else
			say("blocked", "the new thread's raw arch_prctl", NULL);
		return 0;
	} else {
		return 2;
	}
	/* The kernel's CLEARTID write, if any, is done by then. */
	nanosleep(&ts, NULL);
	return 0;
}

/* ---- 11. a fork child (shim/guest/fork.c) ---- */

/*
 * "raw": the child's first instructions after the fork are a raw
 * pkey_alloc (ck denies it: EPERM; the host, which the filter lets ck
 * call it, answers ENOSPC or a key), reported through the exit status.
 * "cell": the child binds 64 pages with MAP_POPULATE (ck's Pager, on the
 * child's cell) and counts its faults on touching them: on the parent's
 * cell, which refuses another mm, the bind does nothing and each touch
 * faults.
 */
static int atk_fork(const char *how)
{
	long pid, r2 = 0;
	int st;

	if (!strcmp(how, "raw")) {
		__asm__ volatile("syscall\n\t"
				 "test %%rax, %%rax\n\t"
				 "jnz 1f\n\t"
				 "mov $330, %%eax\n\t"	/* pkey_alloc */
				 "xor %%edi, %%edi\n\t"
				 "xor %%esi, %%esi\n\t"
				 "syscall\n\t"
				 "mov %%rax, %%rdx\n\t"
				 "xor %%eax, %%eax\n"
				 "1:"
				 : "=a"(pid), "=d"(r2)
				 : "a"(57L)
				 : "rcx", "r11", "rdi", "rsi", "memory");
		if (pid == 0)
			_exit(r2 == -EPERM ? 0 : 1);
	} else if (!strcmp(how, "cell")) {
		pid = fork();
		if (pid == 0) {
			struct rusage a, b;
			volatile char *m = mmap(0, 64 * PAGE,
						PROT_READ | PROT_WRITE,
						MAP_PRIVATE | MAP_ANONYMOUS |
						MAP_POPULATE, -1, 0);
			size_t i;

			if (m == MAP_FAILED)
				_exit(2);
			getrusage(RUSAGE_SELF, &a);
			for (i = 0; i < 64; i++)
				m[i * PAGE] = 1;
			getrusage(RUSAGE_SELF, &b);
			_exit(b.ru_minflt - a.ru_minflt > 32 ? 1 : 0);
		}
	} else {
		return 2;
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) > 1)
		return 2;
	if (WEXITSTATUS(st))
		oracle("fork child (%s): %s", how, !strcmp(how, "raw") ?
		       "its raw pkey_alloc reached the host" :
		       "its Pager binds did nothing (the parent's cell)");
	else
		say("blocked", "fork child", how);
	return 0;
}

/* ---- 12. execve (shim/guest/exec.c) ---- */

extern char **environ;

/*
 * "noexec", "nox": execve of this program's copy on the noexec mount, or
 * of its copy without x bits, which then prints the oracle ("noexec run").
 * "selffd": a fork child's raw execveat of fd 1020 (ck's own binary) with
 * options of its own before "--": EBADF, as for any of ck's fds; without
 * the fd check (mutant FD_HIDE) ck's binary runs as the child's program.
 * "raw": execve of this program again, which as "exec rawfirst" makes a
 * raw pkey_alloc first thing in main (ck denies it: EPERM; without SUD
 * re-armed after the exec, the host answers ENOSPC or a key).
 */
static int atk_exec(const char *how)
{
	const char *dir = getenv("NOEXEC") ? getenv("NOEXEC") : ".";
	const char *self = (const char *)getauxval(AT_EXECFN);
	char *run[] = { "sysatk", "noexec", "run", NULL };
	char *raw[] = { "sysatk", "exec", "rawfirst", NULL };
	char path[4096];
	long r;

	if (!strcmp(how, "rawfirst")) {
		__asm__ volatile("syscall"
				 : "=a"(r)
				 : "a"(330L), "D"(0L), "S"(0L)	/* pkey_alloc */
				 : "rcx", "r11", "memory");
		if (r != -EPERM)
			oracle("after execve, a raw pkey_alloc reached the "
			       "host (%ld)", r);
		else
			say("blocked", "raw pkey_alloc after execve", 0);
		return 0;
	}
	if (!strcmp(how, "selffd")) {
		/* ck's own binary on 1020, with options of the program's. */
		char *forged[] = { "ck", "--stats", "--", "/bin/sh", NULL };
		int st;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			r = syscall(SYS_execveat, 1020, "", forged, environ,
				    AT_EMPTY_PATH);
			_exit(r == -1 && errno == EBADF ? 0 : 1);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid)
			return 2;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			say("blocked", "execveat(1020, \"\", forged options)",
			    "EBADF");
		else
			oracle("execveat of ck's fd 1020 ran ck's binary "
			       "(status 0x%x)", st);
		return 0;
	}
	if (!strcmp(how, "raw")) {
		fflush(stdout);
		execve(self, raw, environ);
		fprintf(stderr, "sysatk: execve %s: %s\n", self, strerror(errno));
		return 2;
	}
	if (!strcmp(how, "noexec"))
		snprintf(path, sizeof(path), "%s/sysatk", dir);
	else if (!strcmp(how, "nox"))
		snprintf(path, sizeof(path), "%s/../sysatk-nox", dir);
	else
		return 2;
	fflush(stdout);
	r = execve(path, run, environ);
	refused(r, !strcmp(how, "nox") ? "execve of a file without an x bit" :
		"execve of a file on a noexec mount");
	return 0;
}

static const struct {
	const char *mode;
	int (*fn)(const char *arg);
}
 modes[] = {
	{ "write-leak", atk_write_leak }, { "read-clobber", atk_read_clobber },
	{ "read-k2", atk_read_k2 }, { "into-canary", atk_into_canary },
	{ "fd", atk_fd }, { "mem", atk_mem }, { "vdso", atk_vdso },
	{ "procmem", atk_procmem }, { "denied", atk_denied }, { "wx", atk_wx },
	{ "exec-file", atk_exec_file }, { "sigsys", atk_sigsys },
	{ "fakefault", atk_fakefault },
	{ "uffd", atk_uffd }, { "noexec", atk_noexec },
	{ "k2names", atk_k2names }, { "thr", atk_thr },
	{ "fork", atk_fork }, { "exec", atk_exec },
	{ "altstack", atk_altstack },
};

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : "";
	size_t i;
	int ret = 2;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(mode, modes[i].mode))
			ret = modes[i].fn(arg);
	if (ret == 2) {
		fprintf(stderr, "sysatk: bad mode or set-up failure: %s %s\n",
			mode, arg);
		return 2;
	}
	return open_steps ? 3 : 0;
}
