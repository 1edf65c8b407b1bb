// SPDX-License-Identifier: Apache-2.0
/*
 * p_files DIR: file syscalls in DIR (an empty directory under /tmp):
 * open/creat, write, read back, lseek, pread/pwrite, ftruncate, stat/fstat
 * fields that do not depend on time or owner, rename, link, symlink,
 * readlink, unlink, mkdir/rmdir, and the errors of a few calls that must
 * fail. Prints names relative to DIR only; leaves DIR empty.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "common.h"

static void show_stat(const char *name, const struct stat *st)
{
	const char *type = S_ISREG(st->st_mode) ? "file" :
			   S_ISDIR(st->st_mode) ? "dir" :
			   S_ISLNK(st->st_mode) ? "symlink" : "other";

	printf("stat %s: %s mode %04o size %lld nlink %lu\n", name, type,
	       (unsigned)(st->st_mode & 07777), (long long)st->st_size,
	       (unsigned long)st->st_nlink);
}

static void stat_path(const char *name)
{
	struct stat st;

	if (stat(name, &st) != 0)
		fail_errno(name);
	show_stat(name, &st);
}

/* Print which errno a call that must fail set. */
static void expect_fail(const char *what, int ret)
{
	printf("%s: %s\n", what, ret == -1 ? errno_name(errno) : "succeeded");
}

int main(int argc, char **argv)
{
	static const char text[] = "hello, ck\nsecond line\n";
	char buf[128];
	struct stat st;
	ssize_t n;
	int fd;

	check(argc == 2, "usage: p_files DIR");
	if (chdir(argv[1]) != 0)
		fail_errno("chdir DIR");
	umask(022);

	fd = open("a.txt", O_CREAT | O_EXCL | O_RDWR, 0640);
	if (fd < 0)
		fail_errno("open a.txt");
	if (write(fd, text, sizeof(text) - 1) != (ssize_t)sizeof(text) - 1)
		fail_errno("write a.txt");
	if (fstat(fd, &st) != 0)
		fail_errno("fstat a.txt");
	show_stat("a.txt (fstat)", &st);

	printf("lseek SEEK_CUR 0: %lld\n", (long long)lseek(fd, 0, SEEK_CUR));
	printf("lseek SEEK_SET 7: %lld\n", (long long)lseek(fd, 7, SEEK_SET));
	n = read(fd, buf, 2);
	printf("read 2 at 7: %.*s\n", (int)(n > 0 ? n : 0), buf);
	printf("lseek SEEK_END -5: %lld\n", (long long)lseek(fd, -5, SEEK_END));
	n = read(fd, buf, sizeof(buf));
	printf("read at end-5: %zd bytes\n", n);
	n = read(fd, buf, sizeof(buf));
	printf("read at eof: %zd bytes\n", n);

	if (pwrite(fd, "HELLO", 5, 0) != 5)
		fail_errno("pwrite");
	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		fail_errno("pread");
	buf[n] = 0;
	printf("pread all (%zd): %s", n, buf);
	if (ftruncate(fd, 5) != 0)
		fail_errno("ftruncate");
	if (fstat(fd, &st) != 0)
		fail_errno("fstat after ftruncate");
	printf("size after ftruncate: %lld\n", (long long)st.st_size);
	if (fchmod(fd, 0600) != 0)
		fail_errno("fchmod");
	if (close(fd) != 0)
		fail_errno("close a.txt");
	stat_path("a.txt");

	fd = creat("b.txt", 0666);
	if (fd < 0)
		fail_errno("creat b.txt");
	close(fd);
	stat_path("b.txt");
	expect_fail("open O_EXCL existing", open("b.txt", O_CREAT | O_EXCL | O_WRONLY, 0600));
	expect_fail("open missing", open("missing", O_RDONLY));
	expect_fail("read bad fd", (int)read(99, buf, 1));

	if (rename("b.txt", "c.txt") != 0)
		fail_errno("rename");
	expect_fail("stat renamed-away", stat("b.txt", &st));
	if (link("a.txt", "a.link") != 0)
		fail_errno("link");
	stat_path("a.txt");
	if (symlink("a.txt", "a.sym") != 0)
		fail_errno("symlink");
	n = readlink("a.sym", buf, sizeof(buf) - 1);
	if (n < 0)
		fail_errno("readlink");
	buf[n] = 0;
	printf("readlink a.sym: %s\n", buf);
	if (lstat("a.sym", &st) != 0)
		fail_errno("lstat");
	printf("lstat a.sym: %s\n", S_ISLNK(st.st_mode) ? "symlink" : "not a symlink");
	stat_path("a.sym");
	printf("access a.txt R_OK: %d\n", access("a.txt", R_OK));

	if (mkdir("d", 0755) != 0)
		fail_errno("mkdir");
	stat_path("d");
	expect_fail("mkdir existing", mkdir("d", 0755));
	fd = open("d/inner", O_CREAT | O_WRONLY, 0644);
	if (fd < 0)
		fail_errno("open d/inner");
	close(fd);
	expect_fail("rmdir non-empty", rmdir("d"));
	expect_fail("open dir for writing", open("d", O_WRONLY));
	expect_fail("open file as dir", open("a.txt/x", O_RDONLY));

	const char *gone[] = { "d/inner", "a.txt", "a.link", "a.sym", "c.txt" };
	for (size_t i = 0; i < sizeof(gone) / sizeof(gone[0]); i++)
		if (unlink(gone[i]) != 0)
			fail_errno(gone[i]);
	if (rmdir("d") != 0)
		fail_errno("rmdir");
	expect_fail("unlink missing", unlink("a.txt"));
	puts("done");
	return 0;
}
