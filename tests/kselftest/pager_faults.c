// SPDX-License-Identifier: Apache-2.0
/*
 * What the Pager is for: after BIND of N pages, touching them takes exactly
 * 0 minor faults; after UNBIND of N pages, Anonymous: in smaps_rollup drops
 * by exactly N pages and the memory cgroup's usage by at least 90% of that.
 * Each claim is paired with a control that shows the measure can fail.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ktap.h"
#include "probe.h"

#define N 8192UL		/* 32 MiB */
#define CG "paracell-faults"

static long touch(char *m, size_t npages)
{
	long before = probe_minflt();
	size_t i;

	for (i = 0; i < npages; i++)
		((volatile char *)m)[i * PG] = (char)i;
	return probe_minflt() - before;
}

int main(void)
{
	struct paracell_cell_stats st;
	long a0, a1, a2, faults;
	long long cg0, cg1;
	int dev, cell;
	int64_t r;
	char *m, *ctl;
	size_t i, nonzero = 0;

	ktap_plan(13);
	ktap_require(probe_cg_enter(CG) == 0, "enter cgroup " CG);
	dev = probe_dev();
	cell = probe_cell(dev);
	ktap_require(cell >= 0, "create cell");
	m = probe_map(N);
	ctl = probe_map(N);
	ktap_require(m && ctl, "map 2 x %lu pages", N);

	faults = touch(ctl, N);
	ktap_check(faults >= (long)N,
		   "control: touching %lu unbound pages takes >= %lu faults (%ld)",
		   N, N, faults);

	a0 = probe_anon_kb();
	r = probe_one(cell, PARACELL_PAGER_BIND, m, N);
	a1 = probe_anon_kb();
	ktap_check(r == (int64_t)N, "BIND %lu pages: %lld", N, (long long)r);
	ktap_check(probe_resident(m, N) == (long)N, "all resident after BIND");
	ktap_check(a1 - a0 == (long)(N * 4), "Anonymous grew by %lu kB (%ld)",
		   N * 4, a1 - a0);
	faults = touch(m, N);
	ktap_check(faults == 0, "touch after BIND: 0 minor faults (%ld)", faults);

	a1 = probe_anon_kb();
	r = probe_one(cell, PARACELL_PAGER_BIND, m, N);
	a2 = probe_anon_kb();
	if (!ktap_check(r == (int64_t)N && a2 == a1 &&
			((volatile char *)m)[5 * PG] == 5,
			"BIND again keeps the data and takes no memory"))
		ktap_diag("result %lld, Anonymous %ld -> %ld kB, byte %d",
			  (long long)r, a1, a2, ((volatile char *)m)[5 * PG]);

	cg0 = probe_cg_read(CG, "memory.current");
	a1 = probe_anon_kb();
	r = probe_one(cell, PARACELL_PAGER_UNBIND, m, N);
	a2 = probe_anon_kb();
	cg1 = probe_cg_read(CG, "memory.current");
	ktap_check(r == (int64_t)N, "UNBIND %lu pages: %lld", N, (long long)r);
	ktap_check(a1 - a2 == (long)(N * 4),
		   "Anonymous dropped by exactly %lu kB (%ld)", N * 4, a1 - a2);
	ktap_check(cg0 > 0 && (cg0 - cg1) * 10 >= (long long)(N * PG) * 9,
		   "cgroup usage dropped by >= 90%% of %lu B (%lld)", N * PG,
		   cg0 - cg1);
	ktap_check(probe_resident(m, N) == 0, "nothing resident after UNBIND");
	for (i = 0; i < N; i++)
		nonzero += ((volatile char *)m)[i * PG] != 0;
	ktap_check(nonzero == 0, "UNBIND pages read back as zeros");

	ioctl(cell, PARACELL_CELL_STATS, &st);
	ktap_check(st.batches == 3 && st.entries == 3 && st.errors == 0 &&
		   st.pages_bound == 2 * N && st.pages_unbound == N,
		   "stats: 3 batches, %lu bound, %lu unbound", 2 * N, N);
	munmap(m, N * PG);
	munmap(ctl, N * PG);
	close(cell);
	close(dev);
	ktap_check(probe_cg_leave(CG) == 0, "cgroup removed");
	ktap_finish();
}
