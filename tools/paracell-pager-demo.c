// SPDX-License-Identifier: Apache-2.0
/*
 * paracell-pager-demo: a process binds, touches and unbinds its memory
 * through its cell, and shows what each step did: the backend, minor faults
 * around the touches, Anonymous: memory, and the cell's counters.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <paracell/paracell.h>

#define PG 4096UL

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

static long anon_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps_rollup", "re");

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "Anonymous: %ld kB", &kb) == 1)
			break;
	if (f)
		fclose(f);
	return kb;
}

static int batch(struct paracell_cell *c, uint32_t op, char *m, size_t n,
		 unsigned int ranges)
{
	struct paracell_pager_entry v[64];
	size_t per = n / ranges;
	unsigned int i;
	int ret;

	memset(v, 0, sizeof(v));
	for (i = 0; i < ranges; i++) {
		v[i].op = op;
		v[i].addr = (uintptr_t)m + i * per * PG;
		v[i].npages = per;
	}
	ret = paracell_pager_batch(c, v, ranges);
	for (i = 0; !ret && i < ranges; i++)
		if (v[i].result != (int64_t)per)
			ret = (int)v[i].result;
	return ret;
}

static void show_stats(struct paracell_cell *c)
{
	struct paracell_fallback_stats fb;
	struct paracell_cell_stats st;

	if (paracell_cell_stats(c, &st))
		return;
	printf("  cell counters: batches=%llu entries=%llu pages_bound=%llu "
	       "pages_unbound=%llu errors=%llu\n",
	       (unsigned long long)st.batches, (unsigned long long)st.entries,
	       (unsigned long long)st.pages_bound,
	       (unsigned long long)st.pages_unbound,
	       (unsigned long long)st.errors);
	if (paracell_cell_backend(c) != PARACELL_BACKEND_FALLBACK ||
	    paracell_fallback_stats(c, &fb))
		return;
	printf("  fallback syscalls: process_madvise=%llu madvise=%llu "
	       "(%s)\n", (unsigned long long)fb.process_madvise,
	       (unsigned long long)fb.madvise,
	       fb.vectored ? "one per run of entries" : "one per range");
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? strtoul(argv[1], NULL, 0) : 64;
	size_t n = mib << 8, i;
	struct paracell_cell *c;
	long f0, a0, a1, a2;
	char *m;
	int ret;

	if (!mib || mib > 4096) {
		fprintf(stderr, "usage: %s [MiB 1..4096]\n", argv[0]);
		return 2;
	}
	ret = paracell_cell_open(&c, -1, 0);
	if (ret) {
		fprintf(stderr, "paracell-pager-demo: cannot open a cell: %s\n",
			strerror(-ret));
		return 1;
	}
	m = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || madvise(m, n * PG, MADV_NOHUGEPAGE)) {
		perror("paracell-pager-demo: mmap");
		return 1;
	}
	printf("cell backend: %s\n",
	       paracell_backend_name(paracell_cell_backend(c)));
	a0 = anon_kb();
	printf("1. BIND %zu MiB (%zu pages) in one batch of 64 ranges\n", mib, n);
	ret = batch(c, PARACELL_PAGER_BIND, m, n, 64);
	a1 = anon_kb();
	printf("  result: %s, Anonymous: %ld kB -> %ld kB\n",
	       ret ? strerror(-ret) : "ok", a0, a1);
	f0 = minflt();
	for (i = 0; i < n; i++)
		((volatile char *)m)[i * PG] = 1;
	printf("2. touch every page: %ld minor faults\n", minflt() - f0);
	printf("3. UNBIND it again in one batch\n");
	ret = ret ? ret : batch(c, PARACELL_PAGER_UNBIND, m, n, 64);
	a2 = anon_kb();
	printf("  result: %s, Anonymous: %ld kB -> %ld kB (returned %ld kB)\n",
	       ret ? strerror(-ret) : "ok", a1, a2, a1 - a2);
	show_stats(c);
	paracell_cell_close(c);
	munmap(m, n * PG);
	return ret ? 1 : 0;
}
