// SPDX-License-Identifier: Apache-2.0
/*
 * p_mmap DIR: anonymous mmap and touch, mprotect to read-only (reads still
 * work, the kernel may not write into it), munmap (the range is gone),
 * mremap grow (old contents kept, new pages zero), MAP_FIXED over part of
 * its own mapping, and a private mapping of a file it wrote in DIR
 * (changes stay private). Whether memory is accessible is checked without
 * signals: write(2) from it and read(2) into it fail with EFAULT.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <sys/mman.h>

#include "common.h"

static int pipefd[2];

/* Can the kernel read n bytes at p? (write them into a pipe, drain it) */
static const char *kernel_reads(const void *p, size_t n)
{
	char sink[64];
	ssize_t r = write(pipefd[1], p, n);

	if (r < 0)
		return errno_name(errno);
	while (r > 0) {
		ssize_t got = read(pipefd[0], sink, sizeof(sink));

		if (got <= 0)
			fail_errno("drain pipe");
		r -= got;
	}
	return "ok";
}

/* Can the kernel write n bytes at p? (read them from a pipe) */
static const char *kernel_writes(void *p, size_t n)
{
	char fill[64];
	ssize_t r;

	memset(fill, 'k', sizeof(fill));
	check(n <= sizeof(fill), "kernel_writes size");
	if (write(pipefd[1], fill, n) != (ssize_t)n)
		fail_errno("fill pipe");
	r = read(pipefd[0], p, n);
	if (r < 0) {
		const char *name = errno_name(errno);

		if (read(pipefd[0], fill, n) != (ssize_t)n)
			fail_errno("drain pipe");
		return name;
	}
	return "ok";
}

static int all_bytes(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

static void anon(void)
{
	size_t len = 16 * PAGE;
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail_errno("mmap anon");
	printf("anon: fresh pages zero: %d\n", all_bytes(p, len, 0));
	for (size_t i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 7 + 3);
	unsigned sum = 0;
	for (size_t i = 0; i < len; i++)
		sum = sum * 31 + p[i];
	printf("anon: checksum %08x\n", sum);

	if (mprotect(p, 4 * PAGE, PROT_READ) != 0)
		fail_errno("mprotect read-only");
	printf("read-only: value at 100 %u\n", p[100]);
	printf("read-only: kernel reads %s\n", kernel_reads(p + 10, 16));
	printf("read-only: kernel writes %s\n", kernel_writes(p + 10, 16));
	printf("read-write: kernel writes %s\n", kernel_writes(p + 4 * PAGE, 16));
	printf("read-write: byte now %c\n", p[4 * PAGE]);
	if (mprotect(p, 4 * PAGE, PROT_READ | PROT_WRITE) != 0)
		fail_errno("mprotect back to read-write");
	p[100] = 1;
	printf("writable again: %u\n", p[100]);
	errno = 0;
	printf("mprotect unaligned: %s\n",
	       mprotect(p + 1, PAGE, PROT_READ) == 0 ? "succeeded" : errno_name(errno));

	if (munmap(p + 8 * PAGE, 8 * PAGE) != 0)
		fail_errno("munmap upper half");
	printf("unmapped: kernel reads %s\n", kernel_reads(p + 9 * PAGE, 8));
	printf("still mapped: kernel reads %s\n", kernel_reads(p + 7 * PAGE, 8));
	errno = 0;
	printf("munmap unaligned: %s\n",
	       munmap(p + 1, PAGE) == 0 ? "succeeded" : errno_name(errno));
	if (munmap(p, 8 * PAGE) != 0)
		fail_errno("munmap lower half");
}

/* A fresh private anonymous read-write mapping of len bytes, all byte. */
static unsigned char *filled(size_t len, unsigned char byte)
{
	unsigned char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
				MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail_errno("mmap anon");
	memset(p, byte, len);
	return p;
}

static void remap(void)
{
	unsigned char *q = filled(4 * PAGE, 'r');

	q = mremap(q, 4 * PAGE, 64 * PAGE, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		fail_errno("mremap grow");
	printf("mremap: old pages kept %d, new pages zero %d\n",
	       all_bytes(q, 4 * PAGE, 'r'), all_bytes(q + 4 * PAGE, 60 * PAGE, 0));
	memset(q + 60 * PAGE, 'n', 4 * PAGE);
	q = mremap(q, 64 * PAGE, 2 * PAGE, 0);
	if (q == MAP_FAILED)
		fail_errno("mremap shrink");
	printf("mremap shrink: kept %d\n", all_bytes(q, 2 * PAGE, 'r'));
	if (munmap(q, 2 * PAGE) != 0)
		fail_errno("munmap remapped");
}

static void fixed(void)
{
	unsigned char *p = filled(8 * PAGE, 'A');
	unsigned char *f;

	f = mmap(p + 2 * PAGE, 2 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	if (f == MAP_FAILED)
		fail_errno("mmap MAP_FIXED");
	printf("MAP_FIXED: at requested address %d\n", f == p + 2 * PAGE);
	printf("MAP_FIXED: replaced pages zero %d, neighbours kept %d %d\n",
	       all_bytes(p + 2 * PAGE, 2 * PAGE, 0), all_bytes(p, 2 * PAGE, 'A'),
	       all_bytes(p + 4 * PAGE, 4 * PAGE, 'A'));
	errno = 0;
	f = mmap(p + 5 * PAGE, PAGE, PROT_READ,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	printf("MAP_FIXED_NOREPLACE over it: %s\n",
	       f == MAP_FAILED ? errno_name(errno) : "succeeded");
	if (munmap(p, 8 * PAGE) != 0)
		fail_errno("munmap fixed");
}

static void file(const char *dir)
{
	char path[4096];
	char head[16];
	size_t len = 2 * PAGE + 100;
	unsigned char *data = malloc(len);
	unsigned char *m;
	int fd;

	check(data != NULL, "malloc");
	snprintf(path, sizeof(path), "%s/mapped", dir);
	for (size_t i = 0; i < len; i++)
		data[i] = (unsigned char)('a' + i % 26);
	fd = open(path, O_CREAT | O_TRUNC | O_RDWR, 0644);
	if (fd < 0)
		fail_errno("open mapped");
	if (write_all(fd, data, len) != 0)
		fail_errno("write mapped");
	m = mmap(NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (m == MAP_FAILED)
		fail_errno("mmap file");
	printf("file map: same as file %d, tail of last page zero %d\n",
	       memcmp(m, data, len) == 0, all_bytes(m + len, 3 * PAGE - len, 0));
	memcpy(m, "PRIVATE", 7);
	if (pread(fd, head, 7, 0) != 7)
		fail_errno("pread mapped");
	printf("file map: map has %.7s, file still has %.7s\n", (char *)m, head);

	unsigned char *off = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
	if (off == MAP_FAILED)
		fail_errno("mmap file at offset");
	printf("file map at offset 4096: starts with %.5s\n", (char *)off);
	munmap(off, PAGE);
	if (munmap(m, 3 * PAGE) != 0)
		fail_errno("munmap file");
	close(fd);
	if (unlink(path) != 0)
		fail_errno("unlink mapped");
	free(data);
}

int main(int argc, char **argv)
{
	check(argc == 2, "usage: p_mmap DIR");
	if (pipe(pipefd) != 0)
		fail_errno("pipe");
	anon();
	remap();
	fixed();
	file(argv[1]);
	puts("done");
	return 0;
}
