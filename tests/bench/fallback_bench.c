// SPDX-License-Identifier: Apache-2.0
/*
 * The fallback backend's syscalls per Pager batch, natively: the same
 * batches (R ranges of 4 pages with a gap after each, bound in one batch,
 * then unbound in one) through a cell that uses process_madvise where the
 * kernel takes it (6.13+) and through one forced to one madvise a range
 * (PARACELL_OPEN_PER_RANGE), side by side in one run. Syscalls are the
 * cell's own counts (paracell_fallback_stats); the one-time setup (pidfd,
 * probe) is shown apart. Times are the median of REPS (emulated, and
 * labelled so, in the test VM).
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>

#include <paracell/paracell.h>

#include "bench.h"

#define PG 4096UL
#define PER 4UL
#define REPS 5

struct result {
	double calls;		/* per batch */
	double usec;		/* per batch, median */
};

static uint64_t calls(struct paracell_cell *cell)
{
	struct paracell_fallback_stats st;

	paracell_fallback_stats(cell, &st);
	return st.process_madvise + st.madvise;
}

/* One BIND batch and one UNBIND batch of r ranges, REPS times. */
static int run(struct paracell_cell *cell, unsigned long r, struct result *res)
{
	struct paracell_pager_entry *v = calloc(r, sizeof(*v));
	char *base = mmap(NULL, 2 * r * PER * PG, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	double t[2 * REPS], t0;
	unsigned long i;
	uint64_t c0;
	int rep, op, n = 0, ret = 0;

	if (base == MAP_FAILED || !v)
		return -ENOMEM;
	madvise(base, 2 * r * PER * PG, MADV_NOHUGEPAGE);
	c0 = calls(cell);
	for (rep = 0; rep < REPS && !ret; rep++) {
		for (op = PARACELL_PAGER_BIND; op <= PARACELL_PAGER_UNBIND;
		     op++) {
			for (i = 0; i < r; i++)
				v[i] = (struct paracell_pager_entry){
					.op = (uint32_t)op, .npages = PER,
					.addr = (uintptr_t)base +
						2 * i * PER * PG,
				};
			t0 = now_us();
			ret = paracell_pager_batch(cell, v, (unsigned int)r);
			t[n++] = now_us() - t0;
			for (i = 0; !ret && i < r; i++)
				if (v[i].result != (int64_t)PER)
					ret = -EIO;
		}
	}
	res->calls = (double)(calls(cell) - c0) / n;
	qsort(t, (size_t)n, sizeof(t[0]), cmp_double);
	res->usec = t[n / 2];
	munmap(base, 2 * r * PER * PG);
	free(v);
	return ret;
}

int main(void)
{
	static const unsigned long ranges[] = { 1, 16, 64, 1024, 4096 };
	struct paracell_cell *pm, *pr;
	struct paracell_fallback_stats st;
	struct result a, b;
	struct utsname u;
	int vm = getenv("PARACELL_TESTVM") != NULL;
	size_t k;

	if (paracell_cell_open(&pm, -1, PARACELL_OPEN_FALLBACK) ||
	    paracell_cell_open(&pr, -1, PARACELL_OPEN_FALLBACK |
					PARACELL_OPEN_PER_RANGE)) {
		fprintf(stderr, "fallback_bench: cannot open cells\n");
		return 1;
	}
	uname(&u);
	paracell_fallback_stats(pm, &st);
	printf("# kernel %s: %s (setup: %llu syscalls once); "
	       "times %s, per batch\n", u.release,
	       st.vectored ? "the fallback uses process_madvise" :
			     "no process_madvise here, per range on both",
	       (unsigned long long)st.setup, vm ? "EMULATED" : "native");
	printf("%-7s %-6s %15s %15s %11s %13s %13s %10s\n", "ranges",
	       "pages", "pmadvise calls", "per-range calls", "calls ratio",
	       "pmadvise us", "per-range us", "time ratio");
	for (k = 0; k < sizeof(ranges) / sizeof(ranges[0]); k++) {
		if (run(pm, ranges[k], &a) || run(pr, ranges[k], &b)) {
			fprintf(stderr, "fallback_bench: a batch failed\n");
			return 1;
		}
		printf("%-7lu %-6lu %15.2f %15.2f %10.1fx %13.1f %13.1f %9.2fx\n",
		       ranges[k], PER, a.calls, b.calls, b.calls / a.calls,
		       a.usec, b.usec, b.usec / a.usec);
	}
	paracell_cell_close(pm);
	paracell_cell_close(pr);
	return 0;
}
