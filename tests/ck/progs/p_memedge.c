// SPDX-License-Identifier: Apache-2.0
/*
 * p_memedge DIR: memory syscalls at their edges, where ck once kept a
 * record Linux did not (found by a differential review). After each step
 * it prints what rt_sigprocmask makes of the pages as its old-set buffer:
 * ck copies that out itself, through its region records, so a stale
 * record shows as a wrong answer or a crash. Printed: return values and
 * errno names, and maps permissions relative to the program's pages.
 *   - mprotect over a range that ends in a hole: ENOMEM, but the pages
 *     before the hole change (both ways: RO to RW and RW to RO);
 *   - mremap shrinking in place over mappings of different prot and a hole;
 *   - 6000 adjacent one-page mappings (one for the kernel), then a copy
 *     into the last one;
 *   - brk growing up to a mapping the program placed above the break
 *     (refused), and its data kept;
 *   - mmap with an unaligned offset, of a directory, a pipe and
 *     /dev/null over a page (refused, the page kept);
 *   - msync and mincore;
 *   - the errors of mmap, munmap and madvise with lengths out of range
 *     and of madvise with an unknown advice on an empty range;
 *   - prot bits beyond R/W/X: ignored by mmap, PROT_SEM accepted by
 *     mprotect, the others refused (after its length checks);
 *   - mremap with old_len 0: a second mapping of shared pages (a write
 *     through one shows through the other), refused for private pages
 *     and over a hole;
 *   - mremap to a fixed place that fails (EFAULT: the source spans a
 *     hole) after the kernel unmapped the destination, or the old tail
 *     of a shrink: those pages are gone;
 *   - a write-only page, which x86 lets be read: the new set read from it.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "common.h"

#define MANY 6000

static const char *err(long r)
{
	return r < 0 ? strerror(errno) : "ok";
}

/* rt_sigprocmask writing its old set into p. */
static const char *oldset(void *p)
{
	return err(syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, p, 8));
}

/* A free window of n pages, left mapped PROT_NONE. */
static char *window(int n)
{
	char *w = mmap(0, n * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (w == MAP_FAILED)
		fail_errno("mmap window");
	return w;
}

static void mapat(char *at, int n, int prot)
{
	if (mmap(at, n * PAGE, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
		 -1, 0) != at)
		fail_errno("mmap MAP_FIXED");
}

/* The perms of each page's maps line, "...." for none. */
static void perms(const char *tag, char *b, int n)
{
	static char buf[1 << 20];
	int fd = open("/proc/self/maps", O_RDONLY), i;
	long got = 0, r;

	while (fd >= 0 && (r = read(fd, buf + got, sizeof(buf) - 1 - got)) > 0)
		got += r;
	close(fd);
	buf[got] = 0;
	printf("%s:", tag);
	for (i = 0; i < n; i++) {
		unsigned long long lo, hi, a = (unsigned long long)(b + i * PAGE);
		const char *p = buf, *found = "....";
		char pm[5];

		for (; *p; p = strchr(p, '\n') + 1) {
			if (sscanf(p, "%llx-%llx %4s", &lo, &hi, pm) == 3 &&
			    lo <= a && a < hi) {
				found = pm;
				break;
			}
			if (!strchr(p, '\n'))
				break;
		}
		printf(" %s", found);
	}
	printf("\n");
}

static void map_fail(const char *what, int fd, long off)
{
	char *w = window(1);
	void *p;

	mapat(w, 1, PROT_READ | PROT_WRITE);
	w[0] = 'k';
	p = mmap(w, PAGE, PROT_READ, MAP_PRIVATE | MAP_FIXED, fd, off);
	printf("mmap MAP_FIXED of %s: %s", what, p == MAP_FAILED ?
	       strerror(errno) : "mapped");
	if (p == MAP_FAILED) {
		printf(", the page holds '%c'", w[0]);
		printf(", old set into it: %s", oldset(w));
	}
	printf("\n");
}

static void prot_bits(void)
{
	char *p = (char *)syscall(SYS_mmap, 0, PAGE, PROT_READ | PROT_WRITE |
				  0x100, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	printf("mmap with prot bit 0x100: %s\n", err((long)p));
	if (p == MAP_FAILED)
		return;
	p[0] = 'x';
	perms("after it", p, 1);
	printf("mprotect PROT_SEM: %s\n",
	       err(syscall(SYS_mprotect, p, PAGE, PROT_READ | 0x8)));
	perms("after it", p, 1);
	printf("mprotect prot bit 0x100: %s\n",
	       err(syscall(SYS_mprotect, p, PAGE, PROT_READ | 0x100)));
	printf("mprotect prot bit 0x100, length 0: %s\n",
	       err(syscall(SYS_mprotect, p, 0, PROT_READ | 0x100)));
	printf("mprotect prot bit 0x100, length -1: %s\n",
	       err(syscall(SYS_mprotect, p, -1L, PROT_READ | 0x100)));
	printf("mprotect PROT_GROWSDOWN|PROT_GROWSUP, length 0: %s\n",
	       err(syscall(SYS_mprotect, p, 0, PROT_READ | PROT_GROWSDOWN |
			   PROT_GROWSUP)));
	printf("mprotect PROT_GROWSDOWN: %s\n",
	       err(syscall(SYS_mprotect, p, PAGE, PROT_READ | PROT_GROWSDOWN)));
	munmap(p, PAGE);
}

static void remap_fail(void)
{
	char *w = window(12);

	/* page 0, hole, ...; the destination page 4 */
	mapat(w, 1, PROT_READ | PROT_WRITE);
	munmap(w + PAGE, PAGE);
	mapat(w + 4 * PAGE, 1, PROT_READ | PROT_WRITE);
	printf("mremap 2 pages over a hole to a fixed place: %s\n",
	       err(syscall(SYS_mremap, w, 2 * PAGE, 2 * PAGE,
			   MREMAP_MAYMOVE | MREMAP_FIXED, w + 4 * PAGE)));
	perms("  pages", w, 6);
	printf("  old set into the destination: %s\n", oldset(w + 4 * PAGE));

	/* RW|RO|RW shrunk to 2 pages, moved onto a hole */
	mapat(w + 6 * PAGE, 3, PROT_READ | PROT_WRITE);
	mprotect(w + 7 * PAGE, PAGE, PROT_READ);
	munmap(w + 10 * PAGE, PAGE);
	printf("mremap RW|RO|RW shrunk to 2 pages onto a hole: %s\n",
	       err(syscall(SYS_mremap, w + 6 * PAGE, 3 * PAGE, 2 * PAGE,
			   MREMAP_MAYMOVE | MREMAP_FIXED, w + 10 * PAGE)));
	perms("  pages", w + 6 * PAGE, 6);
	printf("  old set into the old third page: %s\n",
	       oldset(w + 8 * PAGE));
	munmap(w, 12 * PAGE);
}

static void write_only(void)
{
	char *p = mmap(0, PAGE, PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail_errno("mmap PROT_WRITE");
	printf("a new set read from a write-only page: %s\n",
	       err(syscall(SYS_rt_sigprocmask, SIG_UNBLOCK, p, 0, 8)));
	munmap(p, PAGE);
}

static void remap_zero(void)
{
	char *s = mmap(0, PAGE, PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	char *p = mmap(0, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *d;

	if (s == MAP_FAILED || p == MAP_FAILED)
		fail_errno("mmap for mremap");
	d = (char *)syscall(SYS_mremap, s, 0, PAGE, MREMAP_MAYMOVE);
	printf("mremap old_len 0 of shared pages: %s", err((long)d));
	if (d != MAP_FAILED) {
		s[1] = 'Y';
		printf(", %s, the write shows: %s\n", d == s ?
		       "same address" : "new address",
		       d[1] == 'Y' ? "yes" : "no");
		perms("the new mapping", d, 1);
		munmap(d, PAGE);
	} else {
		printf("\n");
	}
	printf("mremap old_len 0 of private pages: %s\n",
	       err(syscall(SYS_mremap, p, 0, PAGE, MREMAP_MAYMOVE)));
	munmap(p, PAGE);
	printf("mremap old_len 0 over a hole: %s\n",
	       err(syscall(SYS_mremap, p, 0, PAGE, MREMAP_MAYMOVE)));
	munmap(s, PAGE);
}

int main(int argc, char **argv)
{
	char path[4096], *w, *top;
	unsigned char vec[4];
	int pfd[2], fd, i;

	check(argc == 2, "usage: p_memedge DIR");
	setvbuf(stdout, 0, _IONBF, 0);

	w = window(8);
	munmap(w + 2 * PAGE, PAGE);
	mapat(w, 2, PROT_READ);
	printf("mprotect RO+RO+hole to RW: %s\n",
	       err(mprotect(w, 3 * PAGE, PROT_READ | PROT_WRITE)));
	perms("  pages", w, 3);
	printf("  old set into page 0: %s\n", oldset(w));
	mapat(w + 4 * PAGE, 2, PROT_READ | PROT_WRITE);
	munmap(w + 6 * PAGE, PAGE);
	printf("mprotect RW+RW+hole to RO: %s\n",
	       err(mprotect(w + 4 * PAGE, 3 * PAGE, PROT_READ)));
	perms("  pages", w + 4 * PAGE, 3);
	printf("  old set into page 4: %s\n", oldset(w + 4 * PAGE));

	w = window(4);
	mapat(w, 4, PROT_READ | PROT_WRITE);
	mprotect(w + PAGE, PAGE, PROT_READ);
	printf("mremap RW|RO|RW|RW shrunk to 2 pages: %s\n",
	       err((long)mremap(w, 4 * PAGE, 2 * PAGE, 0)));
	perms("  pages", w, 4);
	printf("  old set into page 1 (RO): %s\n", oldset(w + PAGE));
	w = window(4);
	mapat(w, 4, PROT_READ | PROT_WRITE);
	munmap(w + PAGE, PAGE);
	printf("mremap RW|hole|RW|RW shrunk to 3 pages: %s\n",
	       err((long)mremap(w, 4 * PAGE, 3 * PAGE, 0)));
	printf("  old set into the hole: %s\n", oldset(w + PAGE));

	w = window(MANY);
	for (i = 0; i < MANY; i++)
		mapat(w + (long)i * PAGE, 1, PROT_READ | PROT_WRITE);
	printf("%d adjacent one-page mappings, old set into the last: %s\n",
	       MANY, oldset(w + (long)(MANY - 1) * PAGE));

	top = sbrk(0);
	w = (char *)(((unsigned long)top + 16 * PAGE) & ~(PAGE - 1));
	/* MAP_FIXED: under ck, the break's reservation lies there. */
	if (mmap(w, PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) == w) {
		w[0] = 'b';
		printf("brk up to a mapping above the break: %s\n",
		       (char *)syscall(SYS_brk, w + 2 * PAGE) == w + 2 * PAGE ?
		       "grown" : "refused");
		printf("  brk back: %s\n", (char *)syscall(SYS_brk, top) == top ?
		       "ok" : "refused");
		printf("  the mapping holds '%c'\n", w[0]);
	} else {
		printf("brk: no room above the break (%s)\n", strerror(errno));
	}

	snprintf(path, sizeof(path), "%s/file", argv[1]);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, "0123456789", 10) != 10)
		fail_errno("write the file");
	printf("mmap at offset 3: %s\n",
	       mmap(0, PAGE, PROT_READ, MAP_PRIVATE, fd, 3) == MAP_FAILED ?
	       strerror(errno) : "mapped");
	map_fail("a directory", open(argv[1], O_RDONLY | O_CLOEXEC), 0);
	if (pipe2(pfd, O_CLOEXEC))
		fail_errno("pipe2");
	map_fail("a pipe", pfd[0], 0);
	map_fail("/dev/null", open("/dev/null", O_RDONLY | O_CLOEXEC), 0);
	map_fail("a write-only fd", open(path, O_WRONLY | O_CLOEXEC), 0);

	w = mmap(0, 4 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (w == MAP_FAILED)
		fail_errno("mmap MAP_SHARED");
	w[0] = 'S';
	printf("msync: %s\n", err(msync(w, PAGE, MS_SYNC)));
	printf("mincore: %s", err(mincore(w, PAGE, vec)));
	printf(", page 0 %s\n", vec[0] & 1 ? "resident" : "not resident");

	printf("mmap of length -1: %s\n", err((long)syscall(SYS_mmap, 0, -1L,
	       PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)));
	printf("munmap of 2^62 bytes: %s\n",
	       err(syscall(SYS_munmap, w, 1UL << 62)));
	printf("madvise of length -1: %s\n",
	       err(syscall(SYS_madvise, w, -1L, MADV_DONTNEED)));
	printf("madvise of length 0, advice 9999: %s\n",
	       err(syscall(SYS_madvise, w, 0, 9999)));
	prot_bits();
	remap_zero();
	remap_fail();
	write_only();
	return 0;
}
