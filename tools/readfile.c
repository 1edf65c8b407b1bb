// SPDX-License-Identifier: Apache-2.0
#define _POSIX_C_SOURCE 200809L
#include "readfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static int read_all(int fd, unsigned char *buf, size_t size)
{
	size_t done = 0;
	ssize_t n;

	while (done < size) {
		n = read(fd, buf + done, size - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return -EIO;	/* shrank while being read */
		done += (size_t)n;
	}
	return 0;
}

int read_file(const char *path, unsigned char **data, size_t *size)
{
	unsigned char *buf = NULL;
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = fstat(fd, &st) ? -errno : 0;
	if (ret)
		goto out;
	ret = S_ISDIR(st.st_mode) ? -EISDIR :
	      !S_ISREG(st.st_mode) ? -EINVAL : 0;
	if (ret || st.st_size == 0)
		goto out;
	buf = malloc((size_t)st.st_size);
	ret = buf ? read_all(fd, buf, (size_t)st.st_size) : -ENOMEM;
out:
	close(fd);
	if (ret) {
		free(buf);
		return ret;
	}
	*data = buf;
	*size = (size_t)st.st_size;
	return 0;
}
