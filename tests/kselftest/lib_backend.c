// SPDX-License-Identifier: Apache-2.0
/*
 * libparacell in the VM: with the module loaded it picks the module, the
 * fallback can be forced, and both give the same results and leave the
 * program's touches fault-free.
 */
#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <paracell/paracell.h>

#include "ktap.h"
#include "probe.h"

#define NPG 512UL

static void run(struct paracell_cell *c, const char *name)
{
	struct paracell_pager_entry v[3];
	struct paracell_cell_stats st;
	char *m = probe_map(NPG), *hole = probe_map(1);
	long before;
	size_t i;
	int ret;

	ktap_require(m && hole, "map");
	munmap(hole, PG);
	memset(v, 0, sizeof(v));
	v[0] = (struct paracell_pager_entry){ PARACELL_PAGER_BIND, 0,
					      (uintptr_t)m, NPG, 0 };
	v[1] = (struct paracell_pager_entry){ PARACELL_PAGER_BIND, 0,
					      (uintptr_t)hole, 1, 0 };
	v[2] = (struct paracell_pager_entry){ PARACELL_PAGER_BIND, 0,
					      (uintptr_t)m + 1, 1, 0 };
	ret = paracell_pager_batch(c, v, 3);
	ktap_check(ret == 0 && v[0].result == (int64_t)NPG &&
		   v[1].result == -ENOMEM && v[2].result == -EINVAL,
		   "%s: results %lld %lld %lld", name, (long long)v[0].result,
		   (long long)v[1].result, (long long)v[2].result);
	before = probe_minflt();
	for (i = 0; i < NPG; i++)
		((volatile char *)m)[i * PG] = 1;
	ktap_check(probe_minflt() == before, "%s: 0 faults after BIND", name);
	ktap_check(paracell_cell_stats(c, &st) == 0 && st.batches == 1 &&
		   st.entries == 3 && st.errors == 2 && st.pages_bound == NPG,
		   "%s: stats", name);
	munmap(m, NPG * PG);
}

int main(void)
{
	struct paracell_cell *mod, *fb;
	long base = probe_live_cells();

	ktap_plan(9);
	ktap_require(paracell_cell_open(&mod, -1, 0) == 0, "open module cell");
	ktap_check(paracell_cell_backend(mod) == PARACELL_BACKEND_MODULE &&
		   paracell_cell_fd(mod) >= 0,
		   "with /dev/paracell the backend is the module");
	ktap_require(paracell_cell_open(&fb, -1, PARACELL_OPEN_FALLBACK) == 0,
		     "open fallback cell");
	ktap_check(paracell_cell_backend(fb) == PARACELL_BACKEND_FALLBACK &&
		   paracell_cell_fd(fb) == -1, "the fallback can be forced");
	run(mod, "module");
	run(fb, "fallback");
	paracell_cell_close(mod);
	paracell_cell_close(fb);
	ktap_check(probe_live_cells() == base, "no cell left");
	ktap_finish();
}
