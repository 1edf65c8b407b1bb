// SPDX-License-Identifier: Apache-2.0
/*
 * Sealed code found again by its file (PARACELL_SEAL_LOOKUP and
 * PARACELL_SEAL_FILE, module only): a seal recorded for a file comes back
 * with its pages and blob for the same file, offset, len and variant in
 * the same pid namespace, and never once the file may have changed: a
 * write since the record, a write between the miss and the store, a file
 * changed in the last second (racy ctime); nor from another pid namespace.
 * While recorded, the file cannot be mapped shared writable (a write
 * through such a mapping need not change ctime).
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ktap.h"
#include "probe.h"

#define CODE_LEN 8192UL
#define NFILES 5

static unsigned char code[CODE_LEN];
static int cell;

static const unsigned char blob[] = "sites: 0x12 0x345; data: none";

static void fill_code(unsigned char tag)
{
	memset(code, 0x90, sizeof(code));
	/* mov $42, %eax; ret, and a byte telling the files apart */
	memcpy(code, "\xb8\x2a\x00\x00\x00\xc3", 6);
	code[100] = tag;
}

/* A file in /tmp holding the code (tag), open read-only; its path. */
static int make_file(char *path, unsigned char tag)
{
	int fd;

	snprintf(path, 64, "/tmp/seal_lookup.%d.%u", getpid(), tag);
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	ktap_require(fd >= 0, "create %s", path);
	fill_code(tag);
	ktap_require(write(fd, code, CODE_LEN) == (ssize_t)CODE_LEN,
		     "write %s", path);
	close(fd);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	ktap_require(fd >= 0, "open %s", path);
	return fd;
}

static void req_init(struct paracell_seal_file *r, int fd, uint64_t variant)
{
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->fd = fd;
	r->len = CODE_LEN;
	r->variant[0] = variant;
}

/* SEAL_LOOKUP: the fd, or -errno; *status and blob as it said. */
static int lookup(int fd, uint64_t variant, uint64_t off, uint32_t *status,
		  char *out, uint32_t room)
{
	struct paracell_seal_file r;
	int ret;

	req_init(&r, fd, variant);
	r.offset = off;
	r.blob = (uintptr_t)out;
	r.blob_len = room;
	ret = ioctl(cell, PARACELL_SEAL_LOOKUP, &r);
	if (status)
		*status = r.status;
	if (ret >= 0 && out && r.blob_len < room)
		out[r.blob_len] = 0;
	return ret < 0 ? -errno : ret;
}

/* SEAL_FILE of the file's own code: the seal fd or -errno; *status. */
static int seal_file(int fd, uint64_t variant, uint32_t *status)
{
	struct paracell_seal_file r;
	int ret;

	if (pread(fd, code, CODE_LEN, 0) != (ssize_t)CODE_LEN)
		return -EIO;
	req_init(&r, fd, variant);
	r.buf = (uintptr_t)code;
	r.blob = (uintptr_t)blob;
	r.blob_len = sizeof(blob) - 1;
	ret = ioctl(cell, PARACELL_SEAL_FILE, &r);
	*status = r.status;
	return ret < 0 ? -errno : ret;
}

/* Miss, then seal and record: the seal fd, or -1. */
static int record(int fd, uint64_t variant)
{
	uint32_t st1 = 0, st2 = 0;
	int miss = lookup(fd, variant, 0, &st1, NULL, 0);
	int sfd = seal_file(fd, variant, &st2);

	if (miss == -ENOENT && st1 == PARACELL_SEAL_FILE_STORABLE &&
	    sfd >= 0 && st2 == PARACELL_SEAL_FILE_STORED)
		return sfd;
	ktap_diag("record: miss %d status %u, seal %d status %u", miss, st1,
		  sfd, st2);
	if (sfd >= 0)
		close(sfd);
	return -1;
}

/* Can path be mapped MAP_SHARED with PROT_WRITE? */
static int maps_shared_writable(const char *path)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	void *m = MAP_FAILED;

	if (fd >= 0) {
		m = mmap(NULL, PG, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
		close(fd);
	}
	if (m == MAP_FAILED)
		return 0;
	munmap(m, PG);
	return 1;
}

static int rewrite_byte(const char *path, unsigned char c)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	int ok = fd >= 0 && pwrite(fd, &c, 1, 200) == 1;

	if (fd >= 0)
		close(fd);
	return ok;
}

static void test_abi(int fd)
{
	struct paracell_seal_file r;
	int e[10], dir, wr, i, bad = 0;

	req_init(&r, fd, 0);
	r.size = sizeof(r) - 8;
	e[0] = ioctl(cell, PARACELL_SEAL_LOOKUP, &r) < 0 ? errno : 0;
	req_init(&r, fd, 0);
	r.flags = 1;
	e[1] = ioctl(cell, PARACELL_SEAL_LOOKUP, &r) < 0 ? errno : 0;
	req_init(&r, fd, 0);
	r.reserved[3] = 1;
	e[2] = ioctl(cell, PARACELL_SEAL_FILE, &r) < 0 ? errno : 0;
	req_init(&r, fd, 0);
	r.status = 1;
	e[3] = ioctl(cell, PARACELL_SEAL_LOOKUP, &r) < 0 ? errno : 0;
	req_init(&r, fd, 0);
	r.offset = 100;
	e[4] = ioctl(cell, PARACELL_SEAL_LOOKUP, &r) < 0 ? errno : 0;
	req_init(&r, fd, 0);
	r.len = 0;
	e[5] = ioctl(cell, PARACELL_SEAL_LOOKUP, &r) < 0 ? errno : 0;
	req_init(&r, fd, 0);
	r.blob_len = PARACELL_SEAL_BLOB_MAX + 1;
	e[6] = ioctl(cell, PARACELL_SEAL_FILE, &r) < 0 ? errno : 0;
	req_init(&r, fd, 0);
	r.buf = (uintptr_t)code;
	e[7] = ioctl(cell, PARACELL_SEAL_LOOKUP, &r) < 0 ? errno : 0;
	for (i = 0; i < 8; i++)
		bad |= e[i] != EINVAL;
	ktap_check(!bad, "bad arguments (size, flags, reserved, status, "
		   "unaligned offset, len 0, blob too long, buf on LOOKUP): "
		   "EINVAL");
	dir = open("/tmp", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	wr = open("/dev/null", O_WRONLY | O_CLOEXEC);
	req_init(&r, dir, 0);
	e[0] = ioctl(cell, PARACELL_SEAL_LOOKUP, &r) < 0 ? errno : 0;
	req_init(&r, wr, 0);
	e[1] = ioctl(cell, PARACELL_SEAL_LOOKUP, &r) < 0 ? errno : 0;
	req_init(&r, -1, 0);
	e[2] = ioctl(cell, PARACELL_SEAL_LOOKUP, &r) < 0 ? errno : 0;
	ktap_check(e[0] == EINVAL && e[1] == EBADF && e[2] == EBADF,
		   "a directory: EINVAL; a write-only fd, no fd: EBADF "
		   "(%d %d %d)", e[0], e[1], e[2]);
	close(dir);
	close(wr);
}

static void test_racy(void)
{
	char path[64];
	uint32_t st1 = 9, st2 = 9;
	int fd = make_file(path, 9), m, s;

	m = lookup(fd, 1, 0, &st1, NULL, 0);
	s = seal_file(fd, 1, &st2);
	ktap_check(m == -ENOENT && st1 == 0 && s >= 0 && st2 == 0,
		   "a file changed less than a second ago: sealed, not recorded "
		   "(miss %d status %u, seal %d status %u)", m, st1, s, st2);
	if (s >= 0)
		close(s);
	close(fd);
	unlink(path);
}

/* In a child in a new pid namespace: 0 if the lookup missed. */
static int other_ns_misses(int fd)
{
	int status;
	pid_t pid = fork();

	if (pid == 0) {
		if (unshare(CLONE_NEWPID))
			_exit(2);
		pid = fork();
		if (pid == 0)
			_exit(lookup(fd, 1, 0, NULL, NULL, 0) == -ENOENT ? 0 : 1);
		waitpid(pid, &status, 0);
		_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 3);
	}
	waitpid(pid, &status, 0);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int main(void)
{
	struct paracell_cell_stats a, b;
	char path[NFILES][64], got[64];
	int fd[NFILES], s1, s2, i, r[4], dev;
	uint32_t st = 0;
	unsigned char *m1, *m2;

	ktap_plan(15);
	dev = probe_dev();
	cell = probe_cell(dev);
	ktap_require(cell >= 0, "cell");
	for (i = 0; i < NFILES; i++)
		fd[i] = make_file(path[i], (unsigned char)i);
	test_abi(fd[0]);
	test_racy();
	nanosleep(&(struct timespec){ 2, 0 }, NULL);	/* ctime a second old */

	s1 = record(fd[0], 1);
	ktap_check(s1 >= 0, "a miss, then SEAL_FILE: recorded");
	ktap_check(!maps_shared_writable(path[0]),
		   "while recorded, the file cannot be mapped shared writable");
	ioctl(cell, PARACELL_CELL_STATS, &a);
	s2 = lookup(fd[0], 1, 0, &st, got, sizeof(got));
	ioctl(cell, PARACELL_CELL_STATS, &b);
	m1 = s1 >= 0 ? mmap(NULL, CODE_LEN, PROT_READ | PROT_EXEC, MAP_SHARED,
			    s1, 0) : MAP_FAILED;
	m2 = s2 >= 0 ? mmap(NULL, CODE_LEN, PROT_READ | PROT_EXEC, MAP_SHARED,
			    s2, 0) : MAP_FAILED;
	ktap_check(m1 != MAP_FAILED && m2 != MAP_FAILED && probe_pfn(m1) &&
		   probe_pfn(m1) == probe_pfn(m2) && !strcmp(got, (const char *)blob) &&
		   ((int (*)(void))(uintptr_t)m2)() == 42 &&
		   b.seals_found - a.seals_found == 1 &&
		   b.found_bytes - a.found_bytes == CODE_LEN,
		   "the same file, offset, len and variant: found, the same "
		   "pages and the blob back (%d, \"%s\")", s2, got);
	if (s2 >= 0)
		close(s2);
	{
		struct paracell_seal_file q;

		req_init(&q, fd[0], 1);
		q.blob = (uintptr_t)got;
		q.blob_len = 4;
		r[0] = ioctl(cell, PARACELL_SEAL_LOOKUP, &q) < 0 ? errno : 0;
		ktap_check(r[0] == ENOSPC && q.blob_len == sizeof(blob) - 1,
			   "a blob longer than the room: ENOSPC and its length "
			   "(%d, %u)", r[0], q.blob_len);
	}
	r[0] = lookup(fd[0], 2, 0, NULL, NULL, 0);
	r[1] = lookup(fd[0], 1, PG, NULL, NULL, 0);
	ktap_check(r[0] == -ENOENT && r[1] == -ENOENT,
		   "another variant, another offset: a miss (%d %d)", r[0],
		   r[1]);
	ktap_check(other_ns_misses(fd[0]) == 0,
		   "from another pid namespace: a miss");

	/* Written since the record, same size, a new ctime: a miss. */
	s2 = record(fd[1], 1);
	ktap_check(s2 >= 0 && rewrite_byte(path[1], 0xc3) &&
		   lookup(fd[1], 1, 0, NULL, NULL, 0) == -ENOENT,
		   "the file written since the record: a miss");
	if (s2 >= 0)
		close(s2);

	/* Written between the miss and the store: not recorded. */
	r[0] = lookup(fd[2], 1, 0, &st, NULL, 0);
	rewrite_byte(path[2], 0xc3);
	s2 = seal_file(fd[2], 1, &st);
	ktap_check(r[0] == -ENOENT && s2 >= 0 && st == 0 &&
		   lookup(fd[2], 1, 0, NULL, NULL, 0) == -ENOENT,
		   "the file written between the miss and the store: sealed, "
		   "not recorded (status %u)", st);
	if (s2 >= 0)
		close(s2);

	/*
	 * Touched (a new ctime, the same bytes): a miss; a second later
	 * the same bytes sealed again refresh the record, found again.
	 */
	s2 = record(fd[4], 1);
	futimens(fd[4], NULL);
	r[0] = lookup(fd[4], 1, 0, NULL, NULL, 0);
	nanosleep(&(struct timespec){ 1, 200000000 }, NULL);
	r[1] = lookup(fd[4], 1, 0, &st, NULL, 0);
	r[2] = seal_file(fd[4], 1, &st);
	r[3] = lookup(fd[4], 1, 0, NULL, got, sizeof(got));
	ktap_check(s2 >= 0 && r[0] == -ENOENT && r[1] == -ENOENT &&
		   r[2] >= 0 && st == PARACELL_SEAL_FILE_STORED && r[3] >= 0,
		   "touched, same bytes: a miss, then the record refreshed "
		   "and found (%d %d %d %u %d)", r[0], r[1], r[2], st, r[3]);
	for (i = 2; i < 4; i++)
		if (r[i] >= 0)
			close(r[i]);
	if (s2 >= 0)
		close(s2);

	/* The record goes with the seal's last fd and mapping. */
	munmap(m1, CODE_LEN);
	munmap(m2, CODE_LEN);
	close(s1);
	ktap_check(lookup(fd[0], 1, 0, NULL, NULL, 0) == -ENOENT &&
		   (close(cell), cell = probe_cell(dev)) >= 0 &&
		   maps_shared_writable(path[0]),
		   "after the seal's last fd and mapping: a miss, and the file "
		   "maps shared writable again");

	/* A held miss goes with the cell. */
	r[0] = lookup(fd[3], 1, 0, &st, NULL, 0);
	r[1] = maps_shared_writable(path[3]);
	close(cell);
	cell = probe_cell(dev);
	ktap_check(r[0] == -ENOENT && st == PARACELL_SEAL_FILE_STORABLE &&
		   !r[1] && maps_shared_writable(path[3]),
		   "a held miss denies shared writable mappings until the "
		   "cell closes");
	ktap_check(probe_live_cells() == 1, "no cell leaked (live %ld)",
		   probe_live_cells());

	for (i = 0; i < NFILES; i++) {
		close(fd[i]);
		unlink(path[i]);
	}
	close(cell);
	close(dev);
	ktap_finish();
}
