// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ktap.h"
#include "probe.h"

#define CG_ROOT "/sys/fs/cgroup"

int probe_dev(void)
{
	int fd = open(PARACELL_DEVICE, O_RDWR | O_CLOEXEC);

	ktap_require(fd >= 0, "open %s", PARACELL_DEVICE);
	return fd;
}

int probe_cell(int dev)
{
	struct paracell_create_cell req = { .flags = PARACELL_CELL_CLOEXEC };
	int fd = ioctl(dev, PARACELL_CREATE_CELL, &req);

	return fd < 0 ? -errno : fd;
}

int probe_batch(int cell, struct paracell_pager_entry *e, uint32_t n)
{
	struct paracell_pager_batch b = {
		.entries = (uint64_t)(uintptr_t)e,
		.count = n,
	};

	return ioctl(cell, PARACELL_PAGER_BATCH, &b) ? -errno : 0;
}

int64_t probe_one(int cell, uint32_t op, void *addr, uint64_t npages)
{
	struct paracell_pager_entry e = {
		.op = op,
		.addr = (uint64_t)(uintptr_t)addr,
		.npages = npages,
		.result = 1234567,
	};
	int ret = probe_batch(cell, &e, 1);

	return ret ? ret : e.result;
}

static long read_long(const char *path)
{
	long v = -1;
	FILE *f = fopen(path, "re");

	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

long probe_live_cells(void)
{
	return read_long("/sys/class/misc/paracell/live_cells");
}

long probe_minflt(void)
{
	struct rusage ru;

	getrusage(RUSAGE_THREAD, &ru);
	return ru.ru_minflt;
}

long probe_anon_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/smaps_rollup", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Anonymous: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

long probe_resident(void *addr, size_t npages)
{
	unsigned char vec[4096];
	long n = 0;
	size_t done = 0, chunk, i;

	while (done < npages) {
		chunk = npages - done > sizeof(vec) ? sizeof(vec) : npages - done;
		if (mincore((char *)addr + done * PG, chunk * PG, vec))
			return -1;
		for (i = 0; i < chunk; i++)
			n += vec[i] & 1;
		done += chunk;
	}
	return n;
}

void *probe_map(size_t npages)
{
	void *p = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	if (madvise(p, npages * PG, MADV_NOHUGEPAGE)) {
		munmap(p, npages * PG);
		return NULL;
	}
	return p;
}

static void cg_path(char *buf, size_t len, const char *name, const char *file)
{
	snprintf(buf, len, CG_ROOT "/%s%s%s", name, file ? "/" : "",
		 file ? file : "");
}

int probe_cg_write(const char *name, const char *file, const char *val)
{
	char path[256];
	int fd, ret = 0;

	cg_path(path, sizeof(path), name, file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, val, strlen(val)) < 0)
		ret = -errno;
	close(fd);
	return ret;
}

int probe_cg_enter(const char *name)
{
	char path[256], pid[32];

	cg_path(path, sizeof(path), name, NULL);
	if (mkdir(path, 0755) && errno != EEXIST)
		return -errno;
	snprintf(pid, sizeof(pid), "%d", getpid());
	return probe_cg_write(name, "cgroup.procs", pid);
}

long long probe_cg_read(const char *name, const char *file)
{
	char path[256];
	long long v = -1;
	FILE *f;

	cg_path(path, sizeof(path), name, file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%lld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

long long probe_cg_key(const char *name, const char *file, const char *key)
{
	char path[256], k[64];
	long long v, found = -1;
	FILE *f;

	cg_path(path, sizeof(path), name, file);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fscanf(f, "%63s %lld", k, &v) == 2)
		if (!strcmp(k, key))
			found = v;
	fclose(f);
	return found;
}

int probe_cg_leave(const char *name)
{
	char path[256], pid[32];
	int fd, ret = 0;

	snprintf(pid, sizeof(pid), "%d", getpid());
	fd = open(CG_ROOT "/cgroup.procs", O_WRONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (write(fd, pid, strlen(pid)) < 0)
			ret = -errno;
		close(fd);
	}
	cg_path(path, sizeof(path), name, NULL);
	if (rmdir(path))
		ret = -errno;
	return ret;
}

int probe_seal(int cell, struct paracell_seal *req)
{
	int fd = ioctl(cell, PARACELL_SEAL, req);

	return fd < 0 ? -errno : fd;
}

unsigned long long probe_pfn(const volatile unsigned char *p)
{
	unsigned long long e = 0;
	int fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);

	(void)*p;	/* faulted in */
	if (fd >= 0 && pread(fd, &e, sizeof(e),
			     (off_t)((uintptr_t)p / PG * sizeof(e))) != sizeof(e))
		e = 0;
	if (fd >= 0)
		close(fd);
	return e & ((1ULL << 55) - 1);
}
