/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A file mapped whole, read as ck's struct ck_elfview reads one (its read
 * callback): site-count's and frame-table's.
 */
#ifndef ELFFILE_H
#define ELFFILE_H

#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct file {
	const uint8_t *p;
	size_t n;
};

static inline long file_read(void *ctx, uint64_t off, void *buf, size_t n)
{
	const struct file *f = ctx;

	if (off > f->n || n > f->n - off)
		return -1;
	memcpy(buf, f->p + off, n);
	return 0;
}

/* A regular file of at least min bytes, mapped: 0, else -1. */
static inline int file_map(const char *path, size_t min, struct file *f)
{
	struct stat st;
	int fd = open(path, O_RDONLY);

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_size < (off_t)min) {
		close(fd);
		return -1;
	}
	f->n = (size_t)st.st_size;
	f->p = mmap(0, f->n, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	return f->p == MAP_FAILED ? -1 : 0;
}

#endif
