// SPDX-License-Identifier: Apache-2.0
/*
 * Pager benchmark: N pages spread over R ranges, made resident three ways:
 *   touch     the program's own first touches (one fault a page);
 *   bind      one PARACELL_PAGER_BATCH of R entries, then the touches;
 *   fallback  one madvise(MADV_POPULATE_WRITE) a range, then the touches.
 * For each it prints the minor faults taken inside the populate calls and
 * inside the touch loop, the syscalls issued (counted as the bench issues
 * them) and the time. Run in the emulated VM the times are emulated and
 * labelled so; run natively (--native) only touch and fallback exist.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <paracell/paracell.h>

#include "bench.h"

#define PG 4096UL
#define REPS 5

enum method { TOUCH, BIND, FALLBACK };
static const char *const method_name[] = { "touch", "bind", "fallback" };

struct result {
	long pop_faults;
	long touch_faults;
	long syscalls;
	double usec;
};

static long minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_minflt;
}

/* R ranges of N/R pages, each followed by an equal gap. */
static int run(struct paracell_cell *cell, enum method m, unsigned long n,
	       unsigned long r, struct result *res)
{
	unsigned long per = n / r, i, j;
	struct paracell_pager_entry *v;
	char *base;
	long f0, f1, f2;
	double t0;
	int ret = 0;

	base = mmap(NULL, 2 * n * PG, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	v = calloc(r, sizeof(*v));
	if (base == MAP_FAILED || !v)
		return -ENOMEM;
	madvise(base, 2 * n * PG, MADV_NOHUGEPAGE);
	for (i = 0; i < r; i++) {
		v[i].op = PARACELL_PAGER_BIND;
		v[i].addr = (uintptr_t)base + i * 2 * per * PG;
		v[i].npages = per;
	}
	res->syscalls = 0;
	t0 = now_us();
	f0 = minflt();
	if (m == BIND) {
		ret = paracell_pager_batch(cell, v, (unsigned int)r);
		res->syscalls = 1;
	} else if (m == FALLBACK) {
		for (i = 0; i < r && !ret; i++)
			if (madvise((void *)(uintptr_t)v[i].addr, per * PG,
				    MADV_POPULATE_WRITE))
				ret = -errno;
		res->syscalls = (long)r;
	}
	f1 = minflt();
	for (i = 0; i < r; i++)
		for (j = 0; j < per; j++)
			((volatile char *)(uintptr_t)v[i].addr)[j * PG] = 1;
	f2 = minflt();
	res->usec = now_us() - t0;
	res->pop_faults = f1 - f0;
	res->touch_faults = f2 - f1;
	for (i = 0; m == BIND && !ret && i < r; i++)
		if (v[i].result != (int64_t)per)
			ret = -EIO;
	munmap(base, 2 * n * PG);
	free(v);
	return ret;
}

/* Median time of REPS runs; counts from the last run (they do not vary). */
static int measure(struct paracell_cell *cell, enum method m, unsigned long n,
		   unsigned long r, struct result *out)
{
	double t[REPS];
	int i, ret;

	for (i = 0; i < REPS; i++) {
		ret = run(cell, m, n, r, out);
		if (ret)
			return ret;
		t[i] = out->usec;
	}
	qsort(t, REPS, sizeof(t[0]), cmp_double);
	out->usec = t[REPS / 2];
	return 0;
}

int main(int argc, char **argv)
{
	static const unsigned long sizes[] = { 4096, 65536 };
	static const unsigned long ranges[] = { 1, 64, 4096 };
	int native = argc > 1 && !strcmp(argv[1], "--native");
	const char *tlabel = native ? "native us" : "EMULATED us";
	struct paracell_cell *cell = NULL;
	struct result res[3];
	unsigned int s, k, m, nm = native ? 2 : 3;
	enum method ms[3] = { TOUCH, FALLBACK, BIND };

	if (!native && (paracell_cell_open(&cell, -1, 0) ||
			paracell_cell_backend(cell) != PARACELL_BACKEND_MODULE)) {
		fprintf(stderr, "pager_bench: no module cell (run in the VM)\n");
		return 1;
	}
	printf("%-7s %-6s %-9s %10s %12s %9s %12s %10s\n", "pages", "ranges",
	       "method", "pop_faults", "touch_faults", "syscalls", tlabel,
	       "vs touch");
	for (s = 0; s < 2; s++) {
		for (k = 0; k < 3; k++) {
			for (m = 0; m < nm; m++) {
				if (measure(cell, ms[m], sizes[s], ranges[k],
					    &res[m])) {
					fprintf(stderr, "pager_bench: %s failed\n",
						method_name[ms[m]]);
					return 1;
				}
				printf("%-7lu %-6lu %-9s %10ld %12ld %9ld %12.0f %9.2fx\n",
				       sizes[s], ranges[k], method_name[ms[m]],
				       res[m].pop_faults, res[m].touch_faults,
				       res[m].syscalls, res[m].usec,
				       res[m].usec / res[0].usec);
			}
		}
	}
	paracell_cell_close(cell);
	return 0;
}
