// SPDX-License-Identifier: Apache-2.0
/*
 * p_procfd DIR: the listings of the program's own fd directories hold its
 * fds and nothing else (under ck, not ck's fds 1021..1023). Lists, sorted,
 * with the raw getdents64 syscall: /proc/self/fd and /proc/self/fdinfo
 * (with a large buffer, and one entry a call), /proc/thread-self/fd, a
 * dup, a dup3 and an F_DUPFD_CLOEXEC of the fd directory, one it has
 * read halfway then seeks back to 0, one listed after 20 dups of it, one
 * received over a socketpair (SCM_RIGHTS), and one listed after a
 * getdents64 into a bad buffer (EFAULT, nothing consumed). Opens of
 * /proc/self/fdinfo/1022 and, O_PATH|O_NOFOLLOW, /proc/self/fd/1021:
 * ENOENT (natively not open; under ck ck's). Then DIR/n, a
 * plain directory with files named 5, 1021, 1022, 1023 and 10210: all of
 * them listed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "common.h"
#include "../scm.h"

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lists fd (bufsz bytes a call), closes it, prints the sorted names. */
static void list(const char *tag, int fd, unsigned int bufsz)
{
	static char names[256][32];
	char *sorted[256];
	char buf[8192] __attribute__((aligned(8)));
	int n = 0, i;
	long got, at;

	if (fd < 0)
		fail_errno(tag);
	while ((got = syscall(SYS_getdents64, fd, buf, bufsz)) > 0) {
		for (at = 0; at < got;) {
			struct dirent64_raw *d = (void *)(buf + at);

			if (strcmp(d->d_name, ".") && strcmp(d->d_name, "..") &&
			    n < 256)
				snprintf(names[n++], 32, "%s", d->d_name);
			at += d->d_reclen;
		}
	}
	if (got < 0)
		fail_errno("getdents64");
	close(fd);
	for (i = 0; i < n; i++)
		sorted[i] = names[i];
	qsort(sorted, n, sizeof(sorted[0]), by_name);
	printf("%s:", tag);
	for (i = 0; i < n; i++)
		printf(" %s", sorted[i]);
	printf("\n");
}

/* fd sent over a socketpair and received again: a new fd for it. */
static int passed(int fd)
{
	char cbuf[SCM_ONE_FD_SPACE], byte = 'x';
	struct iovec iov = { &byte, 1 };
	struct cmsghdr *c;
	struct msghdr m;
	int sv[2], got = -1;

	check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	scm_one_fd(&m, &iov, cbuf, fd);
	check(sendmsg(sv[0], &m, 0) == 1, "sendmsg");
	memset(cbuf, 0, sizeof(cbuf));
	m.msg_controllen = sizeof(cbuf);
	check(recvmsg(sv[1], &m, 0) == 1, "recvmsg");
	c = CMSG_FIRSTHDR(&m);
	check(c && c->cmsg_type == SCM_RIGHTS, "SCM_RIGHTS back");
	memcpy(&got, CMSG_DATA(c), sizeof(int));
	close(sv[0]);
	close(sv[1]);
	close(fd);
	return got;
}

static int opendir_(const char *path)
{
	return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

int main(int argc, char **argv)
{
	static const char *files[] = { "5", "1021", "1022", "1023", "10210" };
	char path[256], buf[64];
	int fd, i;

	check(argc == 2, "usage: p_procfd DIR");
	list("/proc/self/fd", opendir_("/proc/self/fd"), 8192);
	list("/proc/self/fd, one entry a call", opendir_("/proc/self/fd"), 32);
	list("/proc/self/fdinfo", opendir_("/proc/self/fdinfo"), 8192);
	list("/proc/self/fdinfo, one entry a call",
	     opendir_("/proc/self/fdinfo"), 32);
	list("/proc/thread-self/fd", opendir_("/proc/thread-self/fd"), 8192);

	/* The dups share the directory's offset: rewound before each. */
	fd = opendir_("/proc/self/fd");
	list("a dup of it", dup(fd), 8192);
	check(lseek(fd, 0, SEEK_SET) == 0, "rewind");
	list("a dup3 of it", syscall(SYS_dup3, fd, 40, O_CLOEXEC), 8192);
	check(lseek(fd, 0, SEEK_SET) == 0, "rewind");
	list("an F_DUPFD_CLOEXEC of it", fcntl(fd, F_DUPFD_CLOEXEC, 50), 32);
	check(lseek(fd, 0, SEEK_SET) == 0, "rewind");
	check(syscall(SYS_getdents64, fd, buf, 32) > 0, "read one entry");
	check(lseek(fd, 0, SEEK_SET) == 0, "rewind");
	list("read halfway, rewound", fd, 8192);

	fd = opendir_("/proc/self/fd");
	for (i = 0; i < 20; i++)
		check(dup2(fd, 100 + i) == 100 + i, "dup2");
	list("after 20 dups of it (the dups open)", fd, 8192);
	for (i = 0; i < 20; i++)
		close(100 + i);
	list("/proc/self/fdinfo received over SCM_RIGHTS",
	     passed(opendir_("/proc/self/fdinfo")), 8192);
	fd = opendir_("/proc/self/fdinfo");
	errno = 0;
	printf("getdents64 into address 8: %s\n",
	       syscall(SYS_getdents64, fd, (void *)8, 8192) < 0 ?
	       errno_name(errno) : "read");
	list("then listed", fd, 8192);
	errno = 0;
	fd = open("/proc/self/fdinfo/1022", O_RDONLY | O_CLOEXEC);
	printf("open /proc/self/fdinfo/1022: %s\n",
	       fd < 0 ? errno_name(errno) : "opened");
	errno = 0;
	fd = open("/proc/self/fd/1021", O_PATH | O_NOFOLLOW | O_CLOEXEC);
	printf("open /proc/self/fd/1021 O_PATH|O_NOFOLLOW: %s\n",
	       fd < 0 ? errno_name(errno) : "opened");

	snprintf(path, sizeof(path), "%s/n", argv[1]);
	if (mkdir(path, 0755))
		fail_errno("mkdir");
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/n/%s", argv[1], files[i]);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0)
			fail_errno("create");
		close(fd);
	}
	snprintf(path, sizeof(path), "%s/n", argv[1]);
	list("a plain directory", opendir_(path), 32);
	for (i = 0; i < 5; i++) {
		snprintf(path, sizeof(path), "%s/n/%s", argv[1], files[i]);
		unlink(path);
	}
	snprintf(path, sizeof(path), "%s/n", argv[1]);
	rmdir(path);
	return 0;
}
