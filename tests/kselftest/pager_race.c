// SPDX-License-Identifier: Apache-2.0
/*
 * BIND, UNBIND and plain touches racing in 4 threads over one region. The
 * kernel must stay consistent: every entry succeeds, no oops or WARN (the VM
 * runner checks dmesg), and at the end the region is wholly unbindable.
 * Iteration counts are fixed; nothing here depends on time.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ktap.h"
#include "probe.h"

#define NPG 1024UL
#define ROUNDS 400
#define CHUNKS 16

static int cell;
static char *region;
static atomic_long bad_results, ok_entries, stray;

static void *pager_thread(void *arg)
{
	uint32_t op = (uint32_t)(uintptr_t)arg;
	struct paracell_pager_entry v[CHUNKS];
	unsigned int seed = op * 7919;
	int i, j;

	for (i = 0; i < ROUNDS; i++) {
		for (j = 0; j < CHUNKS; j++) {
			unsigned long start = (unsigned long)rand_r(&seed) % NPG;
			unsigned long len = 1 + (unsigned long)rand_r(&seed) %
						(NPG - start);

			memset(&v[j], 0, sizeof(v[j]));
			v[j].op = op;
			v[j].addr = (uintptr_t)region + start * PG;
			v[j].npages = len;
		}
		if (probe_batch(cell, v, CHUNKS)) {
			atomic_fetch_add(&bad_results, CHUNKS);
			continue;
		}
		for (j = 0; j < CHUNKS; j++) {
			if (v[j].result == (int64_t)v[j].npages)
				atomic_fetch_add(&ok_entries, 1);
			else
				atomic_fetch_add(&bad_results, 1);
		}
	}
	return NULL;
}

static void *touch_thread(void *arg)
{
	unsigned char tag = (unsigned char)(uintptr_t)arg;
	volatile unsigned char *p = (volatile unsigned char *)region;
	unsigned long i;
	int r;

	/* Each toucher owns one byte per page; it reads 0 or its tag. */
	for (r = 0; r < ROUNDS / 4; r++) {
		for (i = 0; i < NPG; i++) {
			unsigned char v = p[i * PG + tag];

			if (v != 0 && v != tag)
				atomic_fetch_add(&stray, 1);
			p[i * PG + tag] = tag;
		}
	}
	return NULL;
}

int main(void)
{
	pthread_t t[4];
	int dev, i;
	long base;

	ktap_plan(5);
	dev = probe_dev();
	base = probe_live_cells();
	cell = probe_cell(dev);
	region = probe_map(NPG);
	ktap_require(cell >= 0 && region != NULL, "cell and region");
	pthread_create(&t[0], NULL, pager_thread, (void *)PARACELL_PAGER_BIND);
	pthread_create(&t[1], NULL, pager_thread, (void *)PARACELL_PAGER_UNBIND);
	pthread_create(&t[2], NULL, touch_thread, (void *)1);
	pthread_create(&t[3], NULL, touch_thread, (void *)2);
	for (i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	ktap_check(atomic_load(&bad_results) == 0,
		   "every racing entry did all its pages (%ld failed)",
		   atomic_load(&bad_results));
	ktap_check(atomic_load(&ok_entries) == 2L * ROUNDS * CHUNKS,
		   "%d entries done", 2 * ROUNDS * CHUNKS);
	ktap_check(atomic_load(&stray) == 0,
		   "touchers only ever saw 0 or their own byte");
	ktap_check(probe_one(cell, PARACELL_PAGER_UNBIND, region, NPG) ==
		   (int64_t)NPG && probe_resident(region, NPG) == 0,
		   "region wholly unbound at the end");
	close(cell);
	close(dev);
	ktap_check(probe_live_cells() == base, "no cell left");
	ktap_finish();
}
