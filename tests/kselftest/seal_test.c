// SPDX-License-Identifier: Apache-2.0
/*
 * Sealed code, on the module (`seal_test module`) or on libparacell's
 * fallback (`seal_test fallback`): every forbidden pattern at every
 * alignment is refused with its offset, sealed code runs, and nothing can
 * write it: not PROT_WRITE, not MAP_PRIVATE (module only: the fallback's
 * documented limit), not mprotect, not /proc/self/mem; not after fork, not
 * after the fd is closed. Writes are judged by the code's bytes and result.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <paracell/paracell.h>

#include "ktap.h"
#include "probe.h"

#define CODE_LEN 8192UL
/* mov $42, %eax; ret */
static const unsigned char ret42[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

static struct paracell_cell *cell;
static int on_module;

struct pattern {
	const char *name;
	unsigned char bytes[6];
	unsigned int len;
	unsigned int at;	/* index of the 0F */
	unsigned int kind;
};

static const struct pattern patterns[] = {
	{ "wrpkru", { 0x0f, 0x01, 0xef }, 3, 0, PARACELL_SCAN_WRPKRU },
	{ "xrstor", { 0x0f, 0xae, 0x2f }, 3, 0, PARACELL_SCAN_XRSTOR },
	{ "xrstor64", { 0x48, 0x0f, 0xae, 0x6e, 0x08 }, 5, 1,
	  PARACELL_SCAN_XRSTOR },
	{ "wrfsbase", { 0xf3, 0x48, 0x0f, 0xae, 0xd0 }, 5, 2,
	  PARACELL_SCAN_WRFSBASE },
	{ "wrgsbase", { 0xf3, 0x0f, 0xae, 0xdb }, 4, 1,
	  PARACELL_SCAN_WRGSBASE },
};

static unsigned char code[CODE_LEN];

static void fill_code(void)
{
	memset(code, 0x90, sizeof(code));
	memcpy(code, ret42, sizeof(ret42));
}

static void test_patterns(void)
{
	const size_t offsets[] = { 4093, 4094, 4095, 4096, CODE_LEN - 6 };
	struct paracell_scan_hit hit;
	unsigned int p, bad;
	size_t off, i;
	int fd;

	for (p = 0; p < sizeof(patterns) / sizeof(patterns[0]); p++) {
		const struct pattern *pt = &patterns[p];

		bad = 0;
		for (i = 0; i < 64 + 5; i++) {
			off = i < 64 ? 8 + i : offsets[i - 64];
			fill_code();
			memcpy(code + off, pt->bytes, pt->len);
			memset(&hit, 0, sizeof(hit));
			fd = paracell_seal(cell, code, CODE_LEN, &hit);
			if (fd >= 0)
				close(fd);
			if (fd != -EPERM || hit.offset != off + pt->at ||
			    hit.kind != pt->kind) {
				if (!bad)
					ktap_diag("%s at %zu: ret %d hit %zu kind %u",
						  pt->name, off, fd, hit.offset,
						  hit.kind);
				bad++;
			}
		}
		ktap_check(!bad, "%s refused at 69 alignments with its offset",
			   pt->name);
	}
	fill_code();
	code[4094] = 0x0f;
	code[4095] = 0x01;
	fd = paracell_seal(cell, code, 4096, &hit);
	ktap_check(fd == -EPERM && hit.offset == 4094 &&
		   hit.kind == PARACELL_SCAN_PARTIAL,
		   "a page-aligned seal ending in 0F 01 (a neighbour could finish WRPKRU): EPERM");
	fd = paracell_seal(cell, code, 4096 + 1, &hit);
	ktap_check(fd >= 0, "the same bytes followed by padding: sealed");
	if (fd >= 0)
		close(fd);
}

static int call(const void *fn)
{
	int (*f)(void) = (int (*)(void))(uintptr_t)fn;

	return f();
}

static int unchanged(const unsigned char *m)
{
	return !memcmp(m, ret42, sizeof(ret42)) && call(m) == 42;
}

static int mem_write(void *addr)
{
	int fd = open("/proc/self/mem", O_RDWR | O_CLOEXEC);
	unsigned char c3 = 0xc3;
	ssize_t n = -1;

	if (fd >= 0) {
		n = pwrite(fd, &c3, 1, (off_t)(uintptr_t)addr);
		close(fd);
	}
	return n == 1;
}

/* In a fork child: bits for what held there. */
static int child_checks(unsigned char *m)
{
	int bits = 0;

	if (call(m) == 42)
		bits |= 1;
	if (mprotect(m, PG, PROT_READ | PROT_WRITE | PROT_EXEC) != 0)
		bits |= 2;
	if (!mem_write(m))
		bits |= 4;
	if (unchanged(m))
		bits |= 8;
	return bits;
}

static void test_mappings(void)
{
	unsigned char *m, *w;
	int fd, status;
	pid_t pid;

	fill_code();
	fd = paracell_seal(cell, code, CODE_LEN, NULL);
	ktap_require(fd >= 0, "seal good code");
	memset(code, 0xcc, sizeof(ret42));	/* the seal is a private copy */
	m = mmap(NULL, CODE_LEN, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
	ktap_require(m != MAP_FAILED, "map the seal R+X shared");
	ktap_check(call(m) == 42, "sealed code runs");
	ktap_check(m[0] == 0xb8, "later changes to the source do not reach it");

	w = mmap(NULL, CODE_LEN, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ktap_check(w == MAP_FAILED, "PROT_WRITE shared mapping refused (%s)",
		   strerror(errno));
	if (on_module) {
		w = mmap(NULL, CODE_LEN, PROT_READ | PROT_EXEC, MAP_PRIVATE,
			 fd, 0);
		ktap_check(w == MAP_FAILED, "MAP_PRIVATE mapping refused (%s)",
			   strerror(errno));
	}
	ktap_check(mprotect(m, PG, PROT_READ | PROT_WRITE | PROT_EXEC) != 0 &&
		   unchanged(m), "mprotect adding write refused; code unchanged");
	ktap_check(!mem_write(m) && unchanged(m),
		   "write through /proc/self/mem refused; code unchanged");

	pid = fork();
	ktap_require(pid >= 0, "fork");
	if (pid == 0)
		_exit(child_checks(m));
	waitpid(pid, &status, 0);
	ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 15,
		   "fork child runs it and cannot write it (bits %d)",
		   WIFEXITED(status) ? WEXITSTATUS(status) : -1);

	close(fd);
	ktap_check(unchanged(m), "the mapping keeps its pages after close");
	munmap(m, CODE_LEN);
}

static void test_module_abi(void)
{
	struct paracell_seal s;
	int fd = paracell_cell_fd(cell), r[6];

	fill_code();
	memset(&s, 0, sizeof(s));
	s.buf = (uintptr_t)code;
	s.len = 16;
	s.flags = 1;
	r[0] = probe_seal(fd, &s);
	s.flags = 0;
	s.reserved[1] = 1;
	r[1] = probe_seal(fd, &s);
	s.reserved[1] = 0;
	s.hit_offset = 3;
	r[2] = probe_seal(fd, &s);
	s.hit_offset = 0;
	s.len = 0;
	r[3] = probe_seal(fd, &s);
	s.len = PARACELL_SEAL_MAX_BYTES + 1ULL;
	r[4] = probe_seal(fd, &s);
	s.len = 16;
	s.buf = 0;
	r[5] = probe_seal(fd, &s);
	ktap_check(r[0] == -EINVAL && r[1] == -EINVAL && r[2] == -EINVAL &&
		   r[3] == -EINVAL && r[4] == -EINVAL && r[5] == -EFAULT,
		   "bad SEAL arguments: flags, reserved, outputs, len 0 and huge: EINVAL; NULL: EFAULT");
	s.buf = (uintptr_t)code;
	fd = probe_seal(fd, &s);
	ktap_check(fd >= 0 && fcntl(fd, F_GETFD) == FD_CLOEXEC &&
		   (fcntl(fd, F_GETFL) & O_ACCMODE) == O_RDONLY &&
		   write(fd, "x", 1) < 0,
		   "the seal fd is O_RDONLY, close-on-exec, not writable");
	close(fd);
}

/* Seals code as it is now; the fd, or -1 after a failed check. */
static int seal_now(void)
{
	int fd = paracell_seal(cell, code, CODE_LEN, NULL);

	return fd < 0 ? -1 : fd;
}

/*
 * Module only: equal bytes sealed again in the same pid namespace share
 * the first seal's pages (the module's own SHA-256 and a byte compare);
 * other bytes, or the same bytes from another pid namespace (another
 * container), or after the last fd of the first went, do not.
 */
static void test_shared(void)
{
	struct paracell_cell_stats a, b;
	unsigned char *m1, *m2;
	int fd1, fd2, fd3, status;
	pid_t pid;

	fill_code();
	memcpy(code + 64, &(pid_t){ getpid() }, sizeof(pid_t));
	memcpy(code + 72, &(long){ (long)&a }, sizeof(long));
	paracell_cell_stats(cell, &a);
	fd1 = seal_now();
	fd2 = seal_now();
	m1 = mmap(NULL, CODE_LEN, PROT_READ | PROT_EXEC, MAP_SHARED, fd1, 0);
	m2 = mmap(NULL, CODE_LEN, PROT_READ | PROT_EXEC, MAP_SHARED, fd2, 0);
	paracell_cell_stats(cell, &b);
	ktap_check(fd1 >= 0 && fd2 >= 0 && m1 != MAP_FAILED &&
		   m2 != MAP_FAILED && b.seals_shared - a.seals_shared == 1 &&
		   b.shared_bytes - a.shared_bytes == CODE_LEN &&
		   probe_pfn(m1) && probe_pfn(m1) == probe_pfn(m2) &&
		   probe_pfn(m1 + PG) == probe_pfn(m2 + PG) && call(m2) == 42,
		   "the same bytes sealed twice share one seal's pages");

	code[CODE_LEN - 1] = 0xc3;
	fd3 = seal_now();
	paracell_cell_stats(cell, &a);
	ktap_check(fd3 >= 0 && a.seals_shared == b.seals_shared,
		   "one byte more: a seal of its own");
	close(fd3);
	code[CODE_LEN - 1] = 0x90;

	pid = fork();
	ktap_require(pid >= 0, "fork");
	if (pid == 0) {
		/* A child in a new pid namespace: another container. */
		if (unshare(CLONE_NEWPID))
			_exit(2);
		pid = fork();
		if (pid == 0) {
			struct paracell_cell_stats c, d;

			paracell_cell_stats(cell, &c);
			fd3 = seal_now();
			paracell_cell_stats(cell, &d);
			_exit(fd3 >= 0 && d.seals_shared == c.seals_shared ?
			      0 : 1);
		}
		waitpid(pid, &status, 0);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 3);
	}
	waitpid(pid, &status, 0);
	ktap_check(WIFEXITED(status) && !WEXITSTATUS(status),
		   "the same bytes from another pid namespace: not shared "
		   "(status %d)", WIFEXITED(status) ? WEXITSTATUS(status) : -1);

	munmap(m1, CODE_LEN);
	munmap(m2, CODE_LEN);
	close(fd1);
	close(fd2);
	paracell_cell_stats(cell, &a);
	fd1 = seal_now();
	paracell_cell_stats(cell, &b);
	ktap_check(fd1 >= 0 && b.seals_shared == a.seals_shared,
		   "after the last fd and mapping went: sealed anew");
	close(fd1);
}

int main(int argc, char **argv)
{
	struct paracell_cell_stats a, b;
	unsigned int flags;

	on_module = argc > 1 && !strcmp(argv[1], "module");
	ktap_require(argc > 1 && (on_module || !strcmp(argv[1], "fallback")),
		     "usage: seal_test module|fallback");
	ktap_plan(on_module ? 23 : 16);
	flags = on_module ? 0 : PARACELL_OPEN_FALLBACK;
	ktap_require(paracell_cell_open(&cell, -1, flags) == 0, "open cell");
	ktap_check(paracell_cell_backend(cell) == (on_module ?
		   PARACELL_BACKEND_MODULE : PARACELL_BACKEND_FALLBACK),
		   "backend is %s", argv[1]);
	paracell_cell_stats(cell, &a);
	test_patterns();
	test_mappings();
	if (on_module)
		test_module_abi();
	/* Refusals: 5 x 69 patterns, 1 partial end, and on the module 1 mmap. */
	paracell_cell_stats(cell, &b);
	ktap_check(b.seal_refusals - a.seal_refusals ==
		   5 * 69 + (on_module ? 2 : 1) &&
		   b.seals - a.seals == (on_module ? 3 : 2),
		   "stats: %llu refusals, %llu seals",
		   (unsigned long long)(b.seal_refusals - a.seal_refusals),
		   (unsigned long long)(b.seals - a.seals));
	if (on_module)
		test_shared();
	paracell_cell_close(cell);
	ktap_finish();
}
