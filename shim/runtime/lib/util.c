// SPDX-License-Identifier: Apache-2.0
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "err.h"

char *pc_strfmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

int pc_read_file(const char *path, char **out, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf = NULL, *nb;
	ssize_t r;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	buf = malloc(cap);
	if (!buf) {
		ret = -ENOMEM;
		goto out;
	}
	for (;;) {
		if (n + 1 >= cap) {
			nb = realloc(buf, cap * 2);
			if (!nb) {
				ret = -ENOMEM;
				goto out;
			}
			buf = nb;
			cap *= 2;
		}
		r = read(fd, buf + n, cap - n - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto out;
		}
		if (r == 0)
			break;
		n += r;
	}
	buf[n] = '\0';
	*out = buf;
	buf = NULL;
	if (len)
		*len = n;
out:
	free(buf);
	close(fd);
	return ret;
}

static int write_all(int fd, const char *data, size_t len)
{
	ssize_t w;

	while (len) {
		w = write(fd, data, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		data += w;
		len -= w;
	}
	return 0;
}

int pc_write_atomic(const char *path, const char *data, size_t len, mode_t mode)
{
	char *tmp = pc_strfmt("%s.tmp", path);
	int fd = -1, ret;

	if (!tmp)
		return -ENOMEM;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0) {
		ret = -errno;
		goto out;
	}
	ret = write_all(fd, data, len);
	if (!ret && fsync(fd) < 0)
		ret = -errno;
	if (close(fd) < 0 && !ret)
		ret = -errno;
	fd = -1;
	if (!ret && rename(tmp, path) < 0)
		ret = -errno;
	if (ret)
		unlink(tmp);
out:
	free(tmp);
	return ret;
}

int pc_write_str(const char *path, const char *s)
{
	int fd, ret;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ret = write_all(fd, s, strlen(s));
	close(fd);
	return ret;
}

int pc_each_prefix(const char *path, size_t skip,
		   int (*fn)(char *prefix, bool last, void *arg), void *arg)
{
	char *p = strdup(path), *s, *end;
	int ret = 0;

	if (!p)
		return -ENOMEM;
	end = p + strlen(p);	/* once: in the loop's test it made this quadratic */
	for (s = p + skip + 1; !ret && s <= end; s++) {
		char c = *s;

		if (c != '/' && c != '\0')
			continue;
		*s = '\0';
		ret = fn(p, c == '\0', arg);
		*s = c;
	}
	free(p);
	return ret;
}

static int mkdir_one(char *dir, bool last, void *mode)
{
	(void)last;
	return mkdir(dir, *(mode_t *)mode) < 0 && errno != EEXIST ? -errno : 0;
}

int pc_mkdir_p(const char *path, mode_t mode)
{
	return pc_each_prefix(path, 0, mkdir_one, &mode);
}

int pc_rm_rf(const char *path)
{
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (unlink(path) == 0 || errno == ENOENT)
		return 0;
	if (errno != EISDIR && errno != EPERM)
		return -errno;
	d = opendir(path);
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		char *sub = pc_strfmt("%s/%s", path, de->d_name);
		int r = sub ? pc_rm_rf(sub) : -ENOMEM;
		free(sub);
		if (r && !ret)
			ret = r;
	}
	closedir(d);
	if (rmdir(path) < 0 && !ret)
		ret = -errno;
	return ret;
}
