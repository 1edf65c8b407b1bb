/* SPDX-License-Identifier: Apache-2.0 */
/* What the kselftests measure, and the raw ABI calls they make. */
#ifndef PARACELL_PROBE_H
#define PARACELL_PROBE_H

#include <stddef.h>
#include <stdint.h>
#include <linux/paracell.h>

#define PG 4096UL

/* /dev/paracell opened O_RDWR, or exit via ktap_require. */
int probe_dev(void);
/* A new cell fd on dev, or -errno. */
int probe_cell(int dev);
/* One raw PAGER_BATCH ioctl: 0 or -errno. */
int probe_batch(int cell, struct paracell_pager_entry *e, uint32_t n);
/* One entry batch; returns the entry's result (or the ioctl's -errno). */
int64_t probe_one(int cell, uint32_t op, void *addr, uint64_t npages);

/* /sys/class/misc/paracell/live_cells, or -1. */
long probe_live_cells(void);
/* The calling task's minor faults so far. */
long probe_minflt(void);
/* Anonymous: of /proc/self/smaps_rollup, in KiB, or -1. */
long probe_anon_kb(void);
/* Pages of [addr, addr + npages) resident per mincore, or -1. */
long probe_resident(void *addr, size_t npages);

/* An anonymous private RW mapping marked MADV_NOHUGEPAGE, or NULL. */
void *probe_map(size_t npages);

/* cgroup v2: creates /sys/fs/cgroup/<name> and enters it; 0 or -errno. */
int probe_cg_enter(const char *name);
/* Reads a number from a cgroup file, or -1. */
long long probe_cg_read(const char *name, const char *file);
/* Reads "key value" from a flat-keyed cgroup file, or -1. */
long long probe_cg_key(const char *name, const char *file, const char *key);
int probe_cg_write(const char *name, const char *file, const char *val);
/* Moves the caller back to the root cgroup and removes <name>: 0 or -errno. */
int probe_cg_leave(const char *name);

/* The calling thread's PKRU, read and written directly. */
static inline uint32_t probe_rdpkru(void)
{
	uint32_t eax, edx;

	__asm__ volatile(".byte 0x0f, 0x01, 0xee" /* rdpkru */
			 : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

static inline void probe_wrpkru(uint32_t pkru)
{
	__asm__ volatile(".byte 0x0f, 0x01, 0xef" /* wrpkru */
			 : : "a"(pkru), "c"(0), "d"(0) : "memory");
}

/* The page frame behind the mapped byte at p (root reads PFNs), or 0. */
unsigned long long probe_pfn(const volatile unsigned char *p);

/* A SEAL ioctl; returns the fd or -errno, filling *req's outputs. */
int probe_seal(int cell, struct paracell_seal *req);

#endif
