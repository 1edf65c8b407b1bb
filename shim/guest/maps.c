// SPDX-License-Identifier: Apache-2.0
/*
 * /proc/self/maps, read by ck: at start-up everything there is ck's (the
 * program is not loaded yet), and after an mprotect or mremap that failed
 * part-way the region table learns what the kernel changed.
 */
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>

#include "ck.h"

/* The maps line [p, end): its range and "rwx" as PROT_ bits; 0 if none. */
static int maps_line(const char *p, const char *end, uint64_t *lo,
		     uint64_t *hi, int *prot)
{
	uint64_t *v = lo;

	*lo = *hi = 0;
	for (; p < end && *p != ' '; p++) {
		if (*p == '-')
			v = hi;
		else
			*v = *v * 16 + (uint64_t)(*p <= '9' ? *p - '0' : *p - 'a' + 10);
	}
	if (end - p < 4)
		return 0;
	*prot = (p[1] == 'r' ? PROT_READ : 0) | (p[2] == 'w' ? PROT_WRITE : 0) |
		(p[3] == 'x' ? PROT_EXEC : 0);
	return *hi > *lo;
}

/*
 * Calls fn for each line of /proc/self/maps, read in pieces: the file can
 * be far larger than any buffer of ck's. A line longer than the buffer (a
 * path near PATH_MAX) is skipped. Returns 0, or -errno if it cannot open
 * the file.
 */
static int maps_each(void (*fn)(uint64_t lo, uint64_t hi, int prot,
				void *ctx), void *ctx)
{
	/* Under ck_proc's lock (the memory handlers, start-up): scratch. */
	static char buf[CK_MAPS_BUF] CK_SCRATCH;
	uint64_t lo, hi;
	long fd, n, have = 0;
	int prot, skip = 0;
	char *line, *nl;

	fd = ck_sys4(__NR_openat, -100, "/proc/self/maps", O_RDONLY, 0);
	if (fd < 0)
		return (int)fd;
	while ((n = ck_sys3(__NR_read, fd, buf + have,
			    CK_MAPS_BUF - have)) > 0) {
		have += n;
		for (line = buf; ; line = nl + 1) {
			for (nl = line; nl < buf + have && *nl != '\n'; nl++)
				;
			if (nl == buf + have)
				break;
			if (skip)	/* the rest of a line too long for buf */
				skip = 0;
			else if (maps_line(line, nl, &lo, &hi, &prot))
				fn(lo, hi, prot, ctx);
		}
		have -= line - buf;
		memmove(buf, line, (size_t)have);
		if (have == CK_MAPS_BUF) {
			have = 0;
			skip = 1;
		}
	}
	ck_sys1(__NR_close, fd);
	return 0;
}

static void init_one(uint64_t lo, uint64_t hi, int prot, void *ctx)
{
	(void)prot;
	(void)ctx;
	if (hi < (1ULL << 47))	/* not the vsyscall page */
		ck_mm_add(lo, hi, PROT_READ, R_CK);
}

/* Parses /proc/self/maps: everything there before the program is ck's. */
int ck_mm_init(void)
{
	return maps_each(init_one, 0);
}

struct resync {
	uint64_t at, end;
	int prot;
};

static void resync_one(uint64_t lo, uint64_t hi, int prot, void *ctx)
{
	struct resync *r = ctx;

	if (hi <= r->at || lo >= r->end)
		return;
	if (lo > r->at)
		ck_mm_remove(r->at, lo);
	lo = lo > r->at ? lo : r->at;
	hi = hi < r->end ? hi : r->end;
	if (prot == r->prot)
		ck_mm_set_prot(lo, hi, prot);
	r->at = hi;
}

/*
 * After an mprotect that failed part-way (the kernel changes the mappings
 * up to a hole, ENOMEM, or up to one it refuses, EACCES, and keeps the
 * change): [start, end) as /proc/self/maps now has it. Pieces that have
 * prot get it in the records, holes are forgotten, the rest is as it was.
 * If the maps cannot be read, all of it is forgotten (ck refuses more).
 */

void ck_mm_resync(uint64_t start, uint64_t end, int prot)
{
	struct resync r = { start, end, prot };

	if (maps_each(resync_one, &r))
		r.at = start;
	if (r.at < end)
		ck_mm_remove(r.at, end);
}
