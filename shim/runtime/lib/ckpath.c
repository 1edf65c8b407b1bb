// SPDX-License-Identifier: Apache-2.0
/* Finding ck relative to the runtime binary (ckpath.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <paracell/ck_timing.h>

#include "ckpath.h"
#include "err.h"

int pc_ck_is_timing_build(const char *path)
{
	static const char marker[] = PARACELL_CK_TIMING_MARKER;
	struct stat st;
	void *m;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	if (st.st_size == 0) {
		close(fd);
		return 0;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	ret = m == MAP_FAILED ? -errno : 0;
	close(fd);
	if (ret)
		return ret;
	ret = memmem(m, (size_t)st.st_size, marker, sizeof(marker) - 1) != NULL;
	munmap(m, (size_t)st.st_size);
	return ret;
}

static int ck_candidate(const char *dir, const char *rel, char *buf, size_t len)
{
	char path[PATH_MAX], real[PATH_MAX];
	struct stat st;

	if (snprintf(path, sizeof(path), "%s/%s", dir, rel) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (!realpath(path, real) || stat(real, &st) || !S_ISREG(st.st_mode) ||
	    access(real, X_OK))
		return -ENOENT;
	if (strlen(real) >= len)
		return -ENAMETOOLONG;
	strcpy(buf, real);
	return 0;
}

/* A found ck that is a timing build, or cannot be read to tell: refused. */
static int ck_refuse_timing(const char *path)
{
	int ret = pc_ck_is_timing_build(path);

	if (ret < 0)
		return pc_fail(-ret, "container kernel %s: cannot read it", path);
	if (ret)
		return pc_fail(EPERM, "container kernel %s is a timing build "
			       "(WRPKRU is a no-op, it isolates nothing; "
			       "docs/timing.md): refusing it", path);
	return 0;
}

int pc_ck_path_for(const char *exe, char *buf, size_t len)
{
	static const char *const rel[] = { PC_CK_INSTALLED, PC_CK_BUILD_TREE };
	char dir[PATH_MAX];
	char *slash;
	size_t i;
	int ret;

	if (strlen(exe) >= sizeof(dir))
		return pc_fail(ENAMETOOLONG, "runtime path too long");
	strcpy(dir, exe);
	slash = strrchr(dir, '/');
	if (!slash)
		return pc_fail(ENOENT, "container kernel not found: runtime path '%s' is not absolute", exe);
	*slash = '\0';
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		ret = ck_candidate(dir[0] ? dir : "/", rel[i], buf, len);
		if (ret != -ENOENT)
			return ret ? pc_fail(-ret, "container kernel path too long") :
				     ck_refuse_timing(buf);
	}
	return pc_fail(ENOENT, "container kernel not found: no %s/%s or %s/%s",
		       dir, PC_CK_INSTALLED, dir, PC_CK_BUILD_TREE);
}

int pc_ck_path(char *buf, size_t len)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n < 0)
		return pc_failx(errno, "readlink /proc/self/exe");
	exe[n] = '\0';
	return pc_ck_path_for(exe, buf, len);
}
