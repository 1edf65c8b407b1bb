// SPDX-License-Identifier: Apache-2.0
/*
 * p_attr DIR: changes a file's mode, owner and times by path, as ck checks
 * these calls (the object a path names may not be ck's): chmod and
 * chmod through a symlink, chown to the owner it has, utimensat by path
 * and, with AT_SYMLINK_NOFOLLOW, on the symlink itself; then the same on
 * a missing path (ENOENT). Prints the mode and times it reads back.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "common.h"

/* The mode, and the times once they were set (before: the clock's). */
static void show(const char *when, const char *path, int flags, int times)
{
	struct stat st;

	check(fstatat(AT_FDCWD, path, &st, flags) == 0, "fstatat");
	printf("%s: mode %o", when, (unsigned)(st.st_mode & 07777));
	if (times)
		printf(" mtime %lld atime %lld", (long long)st.st_mtime,
		       (long long)st.st_atime);
	printf("\n");
}

int main(int argc, char **argv)
{
	char file[512], link[512], missing[512];
	struct timespec t[2] = { { 1000000, 0 }, { 2000000, 0 } };
	struct timespec u[2] = { { 3000000, 0 }, { 4000000, 0 } };
	struct stat st;
	int fd, r;

	check(argc == 2, "usage: p_attr DIR");
	snprintf(file, sizeof(file), "%s/f", argv[1]);
	snprintf(link, sizeof(link), "%s/l", argv[1]);
	snprintf(missing, sizeof(missing), "%s/missing", argv[1]);
	fd = open(file, O_CREAT | O_WRONLY | O_TRUNC, 0644);
	check(fd >= 0, "create");
	close(fd);
	check(symlink("f", link) == 0, "symlink");

	check(chmod(file, 0600) == 0, "chmod");
	show("chmod 600", file, 0, 0);
	check(chmod(link, 0640) == 0, "chmod via symlink");
	show("chmod 640 via symlink", file, 0, 0);
	check(stat(file, &st) == 0, "stat");
	check(chown(file, st.st_uid, st.st_gid) == 0, "chown");
	check(lchown(link, st.st_uid, st.st_gid) == 0, "lchown");
	printf("chown and lchown to the owner: ok\n");
	check(utimensat(AT_FDCWD, file, t, 0) == 0, "utimensat");
	show("utimensat", file, 0, 1);
	check(utimensat(AT_FDCWD, link, u, AT_SYMLINK_NOFOLLOW) == 0,
	      "utimensat nofollow");
	show("utimensat nofollow: the file", file, 0, 1);
	show("utimensat nofollow: the link", link, AT_SYMLINK_NOFOLLOW, 1);
	r = chmod(missing, 0600);
	printf("chmod missing: %d %s\n", r, errno_name(r ? errno : 0));
	r = utimensat(AT_FDCWD, missing, t, 0);
	printf("utimensat missing: %d %s\n", r, errno_name(r ? errno : 0));
	fflush(stdout);
	return 0;
}
