// SPDX-License-Identifier: Apache-2.0
/*
 * The ioctl ABI of /dev/paracell and cell fds, bad input first: unknown
 * ioctls, reserved fields and flags, and short, huge, unaligned, faulting
 * and out-of-range vectors.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ktap.h"
#include "probe.h"

#define SENTINEL 0x5a5a5a5a

static void test_device(int dev)
{
	struct paracell_create_cell req;
	long base = probe_live_cells();
	int a, b;

	ktap_check(ioctl(dev, PARACELL_GET_API_VERSION) == PARACELL_API_VERSION,
		   "GET_API_VERSION is %d", PARACELL_API_VERSION);
	ktap_check(ioctl(dev, _IO(PARACELL_IOC_MAGIC, 0x7f)) == -1 &&
		   errno == ENOTTY, "unknown device ioctl: ENOTTY");

	memset(&req, 0, sizeof(req));
	req.flags = 0x80;
	ktap_check(ioctl(dev, PARACELL_CREATE_CELL, &req) == -1 &&
		   errno == EINVAL, "CREATE_CELL with unknown flag: EINVAL");
	req.flags = 0;
	req.reserved[2] = 1;
	ktap_check(ioctl(dev, PARACELL_CREATE_CELL, &req) == -1 &&
		   errno == EINVAL, "CREATE_CELL with reserved field: EINVAL");
	ktap_check(ioctl(dev, PARACELL_CREATE_CELL, NULL) == -1 &&
		   errno == EFAULT, "CREATE_CELL with NULL argument: EFAULT");
	ktap_check(probe_live_cells() == base, "refused creates leave no cell");

	a = probe_cell(dev);
	memset(&req, 0, sizeof(req));
	b = ioctl(dev, PARACELL_CREATE_CELL, &req);
	ktap_require(a >= 0 && b >= 0, "two cells created");
	ktap_check((fcntl(a, F_GETFD) & FD_CLOEXEC) &&
		   !(fcntl(b, F_GETFD) & FD_CLOEXEC),
		   "PARACELL_CELL_CLOEXEC sets FD_CLOEXEC, its absence does not");
	ktap_check(probe_live_cells() == base + 2, "live_cells counts 2 more");
	ktap_check(ioctl(a, _IO(PARACELL_IOC_MAGIC, 0x7f)) == -1 &&
		   errno == ENOTTY, "unknown cell ioctl: ENOTTY");
	ktap_check(ioctl(a, PARACELL_CREATE_CELL, &req) == -1 &&
		   errno == ENOTTY, "device ioctl on a cell fd: ENOTTY");
	close(a);
	close(b);
	ktap_check(probe_live_cells() == base, "live_cells back after close");
}

static void test_batch_header(int cell)
{
	struct paracell_pager_entry e = { .op = PARACELL_PAGER_BIND };
	struct paracell_pager_batch b;
	struct paracell_cell_stats st;

	memset(&b, 0, sizeof(b));
	b.entries = (uintptr_t)&e;
	b.count = 1;
	b.flags = 1;
	ktap_check(ioctl(cell, PARACELL_PAGER_BATCH, &b) == -1 &&
		   errno == EINVAL, "batch flags: EINVAL");
	b.flags = 0;
	b.reserved[1] = 1;
	ktap_check(ioctl(cell, PARACELL_PAGER_BATCH, &b) == -1 &&
		   errno == EINVAL, "batch reserved: EINVAL");
	b.reserved[1] = 0;
	b.count = PARACELL_PAGER_MAX_ENTRIES + 1;
	ktap_check(ioctl(cell, PARACELL_PAGER_BATCH, &b) == -1 &&
		   errno == E2BIG, "huge vector (MAX + 1): E2BIG");
	b.count = 0xffffffff;
	ktap_check(ioctl(cell, PARACELL_PAGER_BATCH, &b) == -1 &&
		   errno == E2BIG, "huge vector (2^32 - 1): E2BIG");
	ktap_check(ioctl(cell, PARACELL_PAGER_BATCH, NULL) == -1 &&
		   errno == EFAULT, "NULL batch: EFAULT");
	b.count = 1;
	b.entries = 0;
	ktap_check(ioctl(cell, PARACELL_PAGER_BATCH, &b) == -1 &&
		   errno == EFAULT, "NULL vector: EFAULT");
	b.entries = 0xffff888000000000ULL;
	ktap_check(ioctl(cell, PARACELL_PAGER_BATCH, &b) == -1 &&
		   errno == EFAULT, "kernel-address vector: EFAULT");
	b.count = 0;
	ktap_check(ioctl(cell, PARACELL_PAGER_BATCH, &b) == 0,
		   "empty vector: 0, even with a bad pointer");
	ktap_check(ioctl(cell, PARACELL_CELL_STATS, NULL) == -1 &&
		   errno == EFAULT, "STATS to NULL: EFAULT");
	memset(&st, 0xff, sizeof(st));
	ktap_check(ioctl(cell, PARACELL_CELL_STATS, &st) == 0 &&
		   st.batches == 0 && st.entries == 0 && st.errors == 0,
		   "refused batches are not counted");
}

static void test_vectors(int cell)
{
	struct paracell_pager_entry *v, *ro;
	char *mem = probe_map(4), *buf, *pages;
	unsigned char raw[3 * sizeof(*v) + 1];
	struct paracell_pager_entry tmp;
	int ret;

	ktap_require(mem != NULL, "map 4 pages");
	/* Short: count 1 of an array of 2 touches only the first. */
	v = (struct paracell_pager_entry[2]){
		{ .op = PARACELL_PAGER_BIND, .addr = (uintptr_t)mem, .npages = 1 },
		{ .op = PARACELL_PAGER_BIND, .addr = (uintptr_t)mem + PG,
		  .npages = 1, .result = SENTINEL },
	};
	ret = probe_batch(cell, v, 1);
	ktap_check(ret == 0 && v[0].result == 1 && v[1].result == SENTINEL &&
		   probe_resident(mem, 2) == 1,
		   "short vector: only counted entries are done and written");

	/* Unaligned vector pointer. */
	memset(&tmp, 0, sizeof(tmp));
	tmp.op = PARACELL_PAGER_BIND;
	tmp.addr = (uintptr_t)mem + PG;
	tmp.npages = 1;
	memcpy(raw + 1, &tmp, sizeof(tmp));
	ret = probe_batch(cell, (void *)(raw + 1), 1);
	memcpy(&tmp, raw + 1, sizeof(tmp));
	ktap_check(ret == 0 && tmp.result == 1 && probe_resident(mem, 2) == 2,
		   "unaligned vector pointer works");

	/* A vector that runs into a PROT_NONE page faults; nothing is done. */
	buf = mmap(NULL, 2 * PG, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ktap_require(buf != MAP_FAILED, "map vector pages");
	mprotect(buf + PG, PG, PROT_NONE);
	v = (struct paracell_pager_entry *)(buf + PG - sizeof(*v));
	memset(v, 0, sizeof(*v));
	v->op = PARACELL_PAGER_BIND;
	v->addr = (uintptr_t)mem + 2 * PG;
	v->npages = 1;
	ret = probe_batch(cell, v, 2);
	ktap_check(ret == -EFAULT && probe_resident(mem + 2 * PG, 1) == 0,
		   "vector faulting mid-way: EFAULT, no entry done");

	/* Read-only vector: the work is done, the results cannot be written. */
	pages = mmap(NULL, PG, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ktap_require(pages != MAP_FAILED, "map read-only vector");
	ro = (struct paracell_pager_entry *)pages;
	ro->op = PARACELL_PAGER_BIND;
	ro->addr = (uintptr_t)mem + 3 * PG;
	ro->npages = 1;
	mprotect(pages, PG, PROT_READ);
	ret = probe_batch(cell, ro, 1);
	ktap_check(ret == -EFAULT && probe_resident(mem + 3 * PG, 1) == 1,
		   "read-only vector: work done, EFAULT on results");
	munmap(pages, PG);
	munmap(buf, 2 * PG);
	munmap(mem, 4 * PG);
}

static void test_full_vector(int cell)
{
	const unsigned int n = PARACELL_PAGER_MAX_ENTRIES;
	struct paracell_pager_entry *v;
	struct paracell_cell_stats a, b;
	char *mem = probe_map(n);
	unsigned int i, good = 0;

	v = mmap(NULL, n * sizeof(*v), PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ktap_require(mem && v != MAP_FAILED, "map for a full vector");
	for (i = 0; i < n; i++) {
		v[i].op = PARACELL_PAGER_BIND;
		v[i].addr = (uintptr_t)mem + (uint64_t)i * PG;
		v[i].npages = 1;
	}
	ioctl(cell, PARACELL_CELL_STATS, &a);
	ktap_check(probe_batch(cell, v, n) == 0, "MAX entries in one batch");
	ioctl(cell, PARACELL_CELL_STATS, &b);
	for (i = 0; i < n; i++)
		good += v[i].result == 1;
	ktap_check(good == n && probe_resident(mem, n) == n,
		   "all %u entries done and resident", n);
	ktap_check(b.batches == a.batches + 1 && b.entries == a.entries + n &&
		   b.pages_bound == a.pages_bound + n && b.errors == a.errors,
		   "stats: 1 batch, %u entries, %u pages bound, 0 errors", n, n);
	ktap_check(!b.reserved[0] && !b.reserved[3], "stats reserved are 0");
	munmap(v, n * sizeof(*v));
	munmap(mem, (size_t)n * PG);
}

int main(void)
{
	int dev, cell;
	long base;

	ktap_plan(30);
	dev = probe_dev();
	base = probe_live_cells();
	ktap_diag("live cells at start: %ld", base);
	test_device(dev);
	cell = probe_cell(dev);
	ktap_require(cell >= 0, "create cell");
	test_batch_header(cell);
	test_vectors(cell);
	test_full_vector(cell);
	close(cell);
	close(dev);
	ktap_check(probe_live_cells() == base, "no cell left (live_cells %ld)",
		   probe_live_cells());
	ktap_finish();
}
