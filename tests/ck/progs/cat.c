// SPDX-License-Identifier: Apache-2.0
/*
 * cat [-n] [FILE...]: copies each FILE (or stdin for "-" or when no FILE
 * is given) to stdout. -n numbers the output lines across all files as
 * "%6d\t". A FILE that cannot be opened or read is reported on stderr as
 * "cat: FILE: reason", the others are still copied, and the exit code is 1.
 */
#include <fcntl.h>

#include "common.h"

static int number;
static long line = 1;
static int at_line_start = 1;

static int emit(const char *buf, size_t len)
{
	char tag[32];
	size_t from = 0;

	if (!number)
		return write_all(1, buf, len);
	for (size_t i = 0; i < len; i++) {
		if (at_line_start) {
			if (write_all(1, buf + from, i - from) != 0)
				return -1;
			from = i;
			int n = snprintf(tag, sizeof(tag), "%6ld\t", line++);
			if (write_all(1, tag, (size_t)n) != 0)
				return -1;
			at_line_start = 0;
		}
		if (buf[i] == '\n')
			at_line_start = 1;
	}
	return write_all(1, buf + from, len - from);
}

/* Copy fd to stdout; returns 0, or -1 with errno set. */
static int copy(int fd)
{
	static char buf[8192];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (emit(buf, (size_t)n) != 0) {
			fprintf(stderr, "cat: write error: %s\n", strerror(errno));
			exit(1);
		}
	}
	return 0;
}

static int cat_one(const char *name)
{
	int fd = strcmp(name, "-") == 0 ? 0 : open(name, O_RDONLY);

	if (fd < 0 || copy(fd) != 0) {
		fprintf(stderr, "cat: %s: %s\n", name, strerror(errno));
		if (fd > 0)
			close(fd);
		return 1;
	}
	if (fd > 0)
		close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	int i = 1, status = 0;

	if (i < argc && strcmp(argv[i], "-n") == 0) {
		number = 1;
		i++;
	}
	if (i < argc && strcmp(argv[i], "--") == 0)
		i++;
	if (i == argc)
		return cat_one("-");
	for (; i < argc; i++)
		status |= cat_one(argv[i]);
	return status;
}
