// SPDX-License-Identifier: Apache-2.0
/*
 * Cell lifetime: an fd closed while another thread is using it, a dup that
 * keeps the cell alive, and the live-cell count returning to its start.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ktap.h"
#include "probe.h"

#define NPG 256UL

static int cell;
static char *region;
static atomic_long batches;
static atomic_int last_err, bad;

static void *user(void *arg)
{
	uint32_t op = PARACELL_PAGER_BIND;
	int64_t r;

	(void)arg;
	for (;;) {
		r = probe_one(cell, op, region, NPG);
		if (r == -EBADF) {
			atomic_store(&last_err, EBADF);
			break;
		}
		if (r != (int64_t)NPG) {
			/* The fd number may be reused by nothing here. */
			atomic_store(&bad, (int)r);
			break;
		}
		atomic_fetch_add(&batches, 1);
		op = op == PARACELL_PAGER_BIND ? PARACELL_PAGER_UNBIND :
						 PARACELL_PAGER_BIND;
	}
	return NULL;
}

int main(void)
{
	struct paracell_cell_stats st;
	pthread_t t;
	int dev, dup_fd;
	long base;

	ktap_plan(6);
	dev = probe_dev();
	base = probe_live_cells();
	region = probe_map(NPG);
	cell = probe_cell(dev);
	ktap_require(cell >= 0 && region, "cell and region");

	pthread_create(&t, NULL, user, NULL);
	while (atomic_load(&batches) < 50 && !atomic_load(&bad))
		sched_yield();
	close(cell);
	pthread_join(t, NULL);
	ktap_check(atomic_load(&last_err) == EBADF && !atomic_load(&bad),
		   "fd closed mid-use: the user sees EBADF, never a bad result");
	ktap_check(probe_live_cells() == base, "the closed cell is gone");

	cell = probe_cell(dev);
	dup_fd = dup(cell);
	close(cell);
	ktap_check(probe_live_cells() == base + 1, "a dup keeps the cell");
	ktap_check(probe_one(dup_fd, PARACELL_PAGER_BIND, region, NPG) ==
		   (int64_t)NPG, "the dup still works");
	ktap_check(ioctl(dup_fd, PARACELL_CELL_STATS, &st) == 0 &&
		   st.batches == 1, "the dup sees the same cell's stats");
	close(dup_fd);
	close(dev);
	ktap_check(probe_live_cells() == base, "no cell left");
	ktap_finish();
}
