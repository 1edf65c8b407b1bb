// SPDX-License-Identifier: Apache-2.0
/*
 * p_mapfail DIR: file mappings that fail, over memory the program has.
 * Linux refuses an fd not open for reading (EACCES) and MAP_FIXED_NOREPLACE
 * over a mapping (EEXIST) before touching it, so the page keeps its byte;
 * a UDP socket fails in its ->mmap (ENODEV) after the old page went, so a
 * syscall writing there then answers EFAULT. Each outcome is printed.
 */
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "common.h"

static char *page(char c)
{
	char *p = mmap(0, PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail_errno("mmap anonymous");
	p[0] = c;
	return p;
}

/* look: read the page's byte after a failure (it must still be there). */
static void try_map(const char *what, char *at, int prot, int flags, int fd,
		    int look)
{
	void *p = mmap(at, PAGE, prot, flags, fd, 0);

	printf("%s: %s", what, p == MAP_FAILED ? strerror(errno) : "mapped");
	if (p == MAP_FAILED && look)
		printf(", the page holds '%c'", at[0]);
	printf("\n");
}

int main(int argc, char **argv)
{
	char path[4096], *q, *r;
	int wfd, rfd, s, pfd[2];
	long ret;

	check(argc == 2, "usage: p_mapfail DIR");
	snprintf(path, sizeof(path), "%s/file", argv[1]);
	wfd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (wfd < 0 || write(wfd, "\xc3", 1) != 1)
		fail_errno("write the file");
	rfd = open(path, O_RDONLY | O_CLOEXEC);
	if (rfd < 0)
		fail_errno("open the file");

	r = page('R');
	try_map("MAP_FIXED, PROT_READ, write-only fd", r, PROT_READ,
		MAP_PRIVATE | MAP_FIXED, wfd, 1);
	try_map("MAP_FIXED, PROT_READ|PROT_EXEC, write-only fd", r,
		PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, wfd, 1);
	try_map("MAP_FIXED_NOREPLACE, PROT_READ|PROT_EXEC, over the page", r,
		PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED_NOREPLACE, rfd, 1);
	try_map("MAP_FIXED_NOREPLACE, PROT_READ, over the page", r,
		PROT_READ, MAP_PRIVATE | MAP_FIXED_NOREPLACE, rfd, 1);

	q = page('Q');
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		fail_errno("socket");
	try_map("MAP_FIXED of a UDP socket", q, PROT_READ,
		MAP_SHARED | MAP_FIXED, s, 0);
	ret = syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, q, 8);
	printf("rt_sigprocmask, old set into that page: %ld%s%s\n", ret,
	       ret ? ", " : "", ret ? strerror(errno) : "");
	if (pipe2(pfd, O_CLOEXEC) || write(pfd[1], "x", 1) != 1)
		fail_errno("pipe");
	ret = read(pfd[0], q, 1);
	printf("read into that page: %ld%s%s\n", ret, ret < 0 ? ", " : "",
	       ret < 0 ? strerror(errno) : "");
	return 0;
}
