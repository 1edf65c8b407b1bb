// SPDX-License-Identifier: Apache-2.0
/*
 * Pager entries the module must refuse, one kind of bad range or mapping at
 * a time, and proof that a bad entry never stops or hides the others.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ktap.h"
#include "probe.h"

#define BIND PARACELL_PAGER_BIND
#define UNBIND PARACELL_PAGER_UNBIND

static int cell;

static void expect(uint32_t op, void *addr, uint64_t n, int64_t want,
		   const char *what)
{
	int64_t got = probe_one(cell, op, addr, n);

	if (!ktap_check(got == want, "%s %s: %s", op == BIND ? "BIND" : op == UNBIND ? "UNBIND" : "op",
			what, want < 0 ? strerror((int)-want) : "done"))
		ktap_diag("got %lld, want %lld", (long long)got, (long long)want);
}

static void *find_special(const char *name)
{
	char line[512];
	unsigned long lo = 0;
	FILE *f = fopen("/proc/self/maps", "re");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, name) && sscanf(line, "%lx-", &lo) == 1)
			break;
	if (f)
		fclose(f);
	return (void *)lo;
}

static void test_entry_fields(char *mem)
{
	struct paracell_pager_entry e = {
		.op = BIND, .flags = 1, .addr = (uintptr_t)mem, .npages = 1,
	};

	expect(BIND, mem + 1, 1, -EINVAL, "unaligned address");
	expect(BIND, mem, 0, -EINVAL, "zero pages");
	expect(0, mem, 1, -EINVAL, "op 0");
	expect(7, mem, 1, -EINVAL, "unknown op 7");
	ktap_check(probe_batch(cell, &e, 1) == 0 && e.result == -EINVAL,
		   "entry flags set: EINVAL");
	expect(BIND, (void *)0x7ffffffff000UL, 1ULL << 52, -EINVAL,
	       "range that wraps");
	expect(BIND, (void *)0xffff800000000000UL, 1, -ENOMEM,
	       "kernel address");
	expect(BIND, (void *)0x7ffffffff000UL, 2, -ENOMEM,
	       "range past the top of user space");
}

static void test_holes(void)
{
	char *m = probe_map(8);

	ktap_require(m != NULL, "map 8 pages");
	munmap(m + 4 * PG, 4 * PG);
	expect(BIND, m + 4 * PG, 4, -ENOMEM, "unmapped range");
	expect(UNBIND, m + 4 * PG, 4, -ENOMEM, "unmapped range");
	expect(BIND, m, 8, -ENOMEM, "range partly outside its mapping");
	ktap_check(probe_resident(m, 4) == 0,
		   "the mapped part of a refused entry was not touched");
	munmap(m + PG, PG);
	expect(BIND, m, 3, -ENOMEM, "range with a hole in the middle");
	munmap(m, 4 * PG);
}

static void test_mapping_kinds(void)
{
	char path[] = "/tmp/paracell-refused-XXXXXX";
	int fd = mkstemp(path);
	char *sh, *pf, *sf, *hp, *ro, *none, *lk, *vvar;

	ktap_require(fd >= 0 && ftruncate(fd, 4 * PG) == 0, "temp file");
	unlink(path);
	sh = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pf = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	sf = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	ro = mmap(NULL, 4 * PG, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	none = mmap(NULL, 4 * PG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	lk = mmap(NULL, 4 * PG, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_LOCKED, -1, 0);
	ktap_require(sh != MAP_FAILED && pf != MAP_FAILED && sf != MAP_FAILED &&
		     ro != MAP_FAILED && none != MAP_FAILED && lk != MAP_FAILED,
		     "map one of each kind");

	expect(BIND, sh, 4, -EINVAL, "shared anonymous mapping");
	expect(UNBIND, sh, 4, -EINVAL, "shared anonymous mapping");
	expect(BIND, pf, 4, -EINVAL, "private file mapping");
	expect(UNBIND, sf, 4, -EINVAL, "shared file mapping");
	expect(BIND, ro, 4, -EFAULT, "read-only mapping");
	expect(UNBIND, ro, 4, 4, "read-only mapping (as MADV_DONTNEED)");
	expect(BIND, none, 4, -EFAULT, "PROT_NONE mapping");
	expect(BIND, lk, 4, 4, "mlocked mapping");
	expect(UNBIND, lk, 4, -EINVAL, "mlocked mapping");

	vvar = find_special("[vvar]");
	if (vvar)
		expect(BIND, vvar, 1, -EINVAL, "[vvar] (VM_IO|VM_PFNMAP)");
	else
		ktap_check(0, "[vvar] mapping found");

	/* hugetlb: reserve two huge pages in the VM for this. */
	fd = open("/proc/sys/vm/nr_hugepages", O_WRONLY);
	if (fd >= 0) {
		if (write(fd, "2", 1) < 0)
			ktap_diag("cannot reserve huge pages");
		close(fd);
	}
	hp = mmap(NULL, 2UL << 20, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);
	if (ktap_check(hp != MAP_FAILED, "hugetlb mapping made")) {
		expect(BIND, hp, 512, -EINVAL, "hugetlb mapping");
		munmap(hp, 2UL << 20);
	} else {
		ktap_check(0, "BIND hugetlb mapping: not tested");
	}
	munmap(sh, 4 * PG);
	munmap(pf, 4 * PG);
	munmap(sf, 4 * PG);
	munmap(ro, 4 * PG);
	munmap(none, 4 * PG);
	munmap(lk, 4 * PG);
	close(fd);
}

static void test_independence(void)
{
	char *m = probe_map(16), *hole = probe_map(4);
	struct paracell_pager_entry v[6];
	int ret;

	ktap_require(m && hole, "map");
	munmap(hole, 4 * PG);
	memset(m + 4 * PG, 1, 4 * PG);		/* B is resident */
	memset(v, 0, sizeof(v));
	v[0] = (struct paracell_pager_entry){ BIND, 0, (uintptr_t)m, 4, 0 };
	v[1] = (struct paracell_pager_entry){ BIND, 0, (uintptr_t)hole, 4, 0 };
	v[2] = (struct paracell_pager_entry){ UNBIND, 0, (uintptr_t)m + 4 * PG, 4, 0 };
	v[3] = (struct paracell_pager_entry){ 9, 0, (uintptr_t)m, 4, 0 };
	v[4] = (struct paracell_pager_entry){ BIND, 0, (uintptr_t)m + 8 * PG, 4, 0 };
	v[5] = (struct paracell_pager_entry){ BIND, 0, (uintptr_t)m + 10 * PG, 6, 0 };
	ret = probe_batch(cell, v, 6);
	ktap_check(ret == 0 && v[0].result == 4 && v[1].result == -ENOMEM &&
		   v[2].result == 4 && v[3].result == -EINVAL &&
		   v[4].result == 4 && v[5].result == 6,
		   "mixed vector: each entry has its own result");
	ktap_check(probe_resident(m, 4) == 4 && probe_resident(m + 4 * PG, 4) == 0 &&
		   probe_resident(m + 8 * PG, 8) == 8,
		   "good entries around bad ones were all done");
	ktap_check(m[4 * PG] == 0, "UNBIND between bad entries zeroed its pages");
	munmap(m, 16 * PG);
}

static void test_spanning(void)
{
	char *m = probe_map(8);

	ktap_require(m != NULL, "map");
	/* Split into three VMAs with different flags, all eligible. */
	madvise(m + 2 * PG, 2 * PG, MADV_HUGEPAGE);
	mprotect(m + 6 * PG, 2 * PG, PROT_READ | PROT_WRITE | PROT_EXEC);
	expect(BIND, m, 8, 8, "range over three adjacent anonymous mappings");
	ktap_check(probe_resident(m, 8) == 8, "all of it resident");
	expect(UNBIND, m, 8, 8, "range over three adjacent anonymous mappings");
	ktap_check(probe_resident(m, 8) == 0, "none of it resident");
	munmap(m, 8 * PG);
}

int main(void)
{
	char *mem;
	int dev;
	long base;

	ktap_plan(33);
	dev = probe_dev();
	base = probe_live_cells();
	cell = probe_cell(dev);
	ktap_require(cell >= 0, "create cell");
	mem = probe_map(4);
	ktap_require(mem != NULL, "map");
	test_entry_fields(mem);
	test_holes();
	test_mapping_kinds();
	test_independence();
	test_spanning();
	close(cell);
	close(dev);
	ktap_check(probe_live_cells() == base, "no cell left");
	ktap_finish();
}
