// SPDX-License-Identifier: Apache-2.0
/*
 * p_getdents DIR N: creates DIR/g with N files f000..f(N-1) and a
 * subdirectory, lists it with the raw getdents64 syscall through a small
 * buffer (so that the listing takes several calls), prints the names sorted
 * with their d_type, then removes what it created.
 */
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "common.h"

struct entry {
	char name[64];
	unsigned char type;
};

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct entry *)a)->name,
		      ((const struct entry *)b)->name);
}

static char type_char(unsigned char t)
{
	switch (t) {
	case 4: return 'd'; /* DT_DIR */
	case 8: return 'f'; /* DT_REG */
	case 10: return 'l'; /* DT_LNK */
	case 0: return '?'; /* DT_UNKNOWN */
	default: return 'o';
	}
}

int main(int argc, char **argv)
{
	char buf[512] __attribute__((aligned(8)));
	char name[64];
	struct entry *ents;
	size_t count = 0, cap;
	long n, nfiles;
	int fd;

	check(argc == 3, "usage: p_getdents DIR N");
	nfiles = strtol(argv[2], NULL, 10);
	check(nfiles >= 0 && nfiles <= 9999, "N in 0..9999");
	if (chdir(argv[1]) != 0)
		fail_errno("chdir DIR");
	if (mkdir("g", 0755) != 0 || mkdir("g/sub", 0755) != 0)
		fail_errno("mkdir");
	for (long i = 0; i < nfiles; i++) {
		snprintf(name, sizeof(name), "g/f%03ld", i);
		fd = open(name, O_CREAT | O_EXCL | O_WRONLY, 0644);
		if (fd < 0)
			fail_errno(name);
		close(fd);
	}

	cap = (size_t)nfiles + 3;
	ents = calloc(cap, sizeof(*ents));
	check(ents != NULL, "calloc");
	fd = open("g", O_RDONLY | O_DIRECTORY);
	if (fd < 0)
		fail_errno("open g");
	while ((n = syscall(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
		for (long off = 0; off < n;) {
			struct dirent64_raw *d = (void *)(buf + off);

			check(count < cap, "more entries than created");
			check(strlen(d->d_name) < sizeof(ents[0].name), "name length");
			strcpy(ents[count].name, d->d_name);
			ents[count].type = d->d_type;
			count++;
			off += d->d_reclen;
		}
	}
	if (n < 0)
		fail_errno("getdents64");
	errno = 0;
	n = syscall(SYS_getdents64, fd, buf, 8);
	printf("getdents64 at end: %ld\n", n);
	close(fd);
	errno = 0;
	n = syscall(SYS_getdents64, fd, buf, sizeof(buf));
	printf("getdents64 on closed fd: %s\n", n == -1 ? errno_name(errno) : "succeeded");

	qsort(ents, count, sizeof(*ents), by_name);
	printf("%zu entries\n", count);
	for (size_t i = 0; i < count; i++)
		printf("%c %s\n", type_char(ents[i].type), ents[i].name);

	for (long i = 0; i < nfiles; i++) {
		snprintf(name, sizeof(name), "g/f%03ld", i);
		if (unlink(name) != 0)
			fail_errno(name);
	}
	if (rmdir("g/sub") != 0 || rmdir("g") != 0)
		fail_errno("rmdir");
	free(ents);
	return 0;
}
