// SPDX-License-Identifier: Apache-2.0
/* Finding ck relative to the runtime binary (ckpath.h). */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ckpath.h"
#include "err.h"

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
			return ret ? pc_fail(-ret, "container kernel path too long") : 0;
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
