// SPDX-License-Identifier: Apache-2.0
/*
 * p_pager64 brk|mmap|anon: 64 MiB of anonymous memory and what it costs.
 *   brk:  grows the break by 64 MiB, then touches one byte per 4 KiB page.
 *   mmap: maps 64 MiB with MAP_POPULATE, then touches it the same way.
 *   anon: maps 64 MiB without MAP_POPULATE (ck's policy binds its head).
 * p_pager64 exec MODE: execs itself (argv[0]) as p_pager64 MODE (ck's
 * Pager policy must survive the program's execve: run-pager.sh).
 * Prints the minor faults (getrusage ru_minflt) taken by the touch loop,
 * then "Anonymous:" of /proc/self/smaps_rollup before and after giving the
 * memory back (brk shrink, or munmap) and the drop in kB:
 *   touch_faults N
 *   anon_before_kB N
 *   anon_after_kB N
 *   anon_drop_kB N
 * Natively the brk touch loop takes a fault per page; under ck's pager it
 * must take none, and the drop must be exactly 65536 kB. The numbers vary
 * natively, so this program is not compared, only run (see run-progs.sh).
 * It uses no malloc or stdio between the measurements, so that nothing but
 * the 64 MiB moves.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>

#include "common.h"

#define SIZE (64UL << 20)

static long minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		fail_errno("getrusage");
	return ru.ru_minflt;
}

/* "Anonymous:" of smaps_rollup in kB, read into a static buffer. */
static long anon_kb(void)
{
	static char buf[8192];
	const char *key = "\nAnonymous:";
	size_t len = 0;
	ssize_t n;
	char *p;
	int fd = open("/proc/self/smaps_rollup", O_RDONLY);

	if (fd < 0)
		fail_errno("open /proc/self/smaps_rollup");
	while (len < sizeof(buf) - 1 &&
	       (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += (size_t)n;
	close(fd);
	buf[len] = 0;
	p = strstr(buf, key);
	check(p != NULL, "Anonymous: in smaps_rollup");
	return strtol(p + strlen(key), NULL, 10);
}

static void touch(volatile char *p)
{
	for (size_t off = 0; off < SIZE; off += PAGE)
		p[off] = 1;
}

int main(int argc, char **argv)
{
	long f0, f1, before, after;
	char *p;
	int use_brk;

	if (argc == 3 && strcmp(argv[1], "exec") == 0) {
		char *args[] = { argv[0], argv[2], NULL };

		execv(argv[0], args);
		fail_errno("execv");
	}
	check(argc == 2 && (strcmp(argv[1], "brk") == 0 || strcmp(argv[1], "mmap") == 0 ||
			    strcmp(argv[1], "anon") == 0),
	      "usage: p_pager64 brk|mmap|anon | exec MODE");
	use_brk = strcmp(argv[1], "brk") == 0;

	/* Fault in anon_kb's buffer now, not between the two readings. */
	anon_kb();

	if (use_brk) {
		/*
		 * The break need not start on a page boundary; the partial page
		 * below the next boundary is shared with .bss and stays, so the
		 * 64 MiB start at that boundary.
		 */
		uintptr_t brk0 = (uintptr_t)syscall(SYS_brk, 0);

		p = (char *)((brk0 + PAGE - 1) & ~(uintptr_t)(PAGE - 1));
		if ((char *)syscall(SYS_brk, p + SIZE) != p + SIZE)
			fail_errno("brk grow 64 MiB");
	} else {
		p = mmap(NULL, SIZE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS |
			 (strcmp(argv[1], "mmap") == 0 ? MAP_POPULATE : 0), -1, 0);
		if (p == MAP_FAILED)
			fail_errno("mmap 64 MiB");
		/* A fault a 4 KiB page, as brk's, not one a 2 MiB THP. */
		if (strcmp(argv[1], "anon") == 0 &&
		    madvise(p, SIZE, MADV_NOHUGEPAGE) != 0)
			fail_errno("madvise MADV_NOHUGEPAGE");
	}
	f0 = minflt();
	touch(p);
	f1 = minflt();

	before = anon_kb();
	if (use_brk) {
		if ((char *)syscall(SYS_brk, p) != p)
			fail_errno("brk shrink");
	} else if (munmap(p, SIZE) != 0) {
		fail_errno("munmap");
	}
	after = anon_kb();

	printf("mode %s\n", argv[1]);
	printf("touch_faults %ld\n", f1 - f0);
	printf("anon_before_kB %ld\n", before);
	printf("anon_after_kB %ld\n", after);
	printf("anon_drop_kB %ld\n", before - after);
	return 0;
}
