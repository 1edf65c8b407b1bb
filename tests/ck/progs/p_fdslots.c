// SPDX-License-Identifier: Apache-2.0
/*
 * p_fdslots DIR: every descriptor the kernel hands the program must be one
 * it can use, up to the limit, and stay usable across an executable file
 * mapping. The program dups a pipe's write end until EMFILE (so the
 * kernel hands out the numbers up to RLIMIT_NOFILE, among them, natively,
 * 1020..1023, which are ck's under ck: there the program gets four
 * fewer), checks each new descriptor by a byte written through it and
 * read back, maps a file executable (under ck: a seal on ck's slot 1023),
 * and checks every held descriptor again. Counts are not printed, as they
 * differ by ck's four. Then it lowers RLIMIT_NOFILE to 64 and maps the
 * file executable again (under ck the limit stays 1024, ck's slots being
 * under it: not printed either).
 */
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "common.h"

#define MAXFD 65536

static int held[MAXFD];

/* One byte through w, read back through r. */
static void through(int w, int r, char c, const char *what)
{
	char got = 0;

	if (write(w, &c, 1) != 1)
		fail_errno(what);
	if (read(r, &got, 1) != 1 || got != c)
		fail_errno(what);
}

int main(int argc, char **argv)
{
	static const unsigned char ret42[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
	char path[4096];
	int p[2], n = 0, i, fd;
	void *code;

	check(argc == 2, "usage: p_fdslots DIR");
	snprintf(path, sizeof(path), "%s/code", argv[1]);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, ret42, sizeof(ret42)) != sizeof(ret42))
		fail_errno("write the code file");
	if (pipe2(p, O_CLOEXEC))
		fail_errno("pipe2");
	while (n < MAXFD) {
		held[n] = fcntl(p[1], F_DUPFD_CLOEXEC, 0);
		if (held[n] < 0)
			break;
		through(held[n], p[0], 'a', "write through a new descriptor");
		n++;
	}
	check(n < MAXFD && errno == EMFILE, "dup ends in EMFILE");
	printf("dup until EMFILE: every descriptor usable\n");
	code = mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (code == MAP_FAILED)
		fail_errno("mmap PROT_EXEC of the code file");
	check(((int (*)(void))code)() == 42, "the mapped code returns 42");
	for (i = 0; i < n; i++)
		through(held[i], p[0], 'b', "write after an executable mapping");
	printf("every descriptor still usable after an executable mapping\n");
	for (i = 0; i < n; i++)
		close(held[i]);
	if (setrlimit(RLIMIT_NOFILE, &(struct rlimit){ 64, 64 }))
		fail_errno("setrlimit RLIMIT_NOFILE 64");
	code = mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (code == MAP_FAILED)
		fail_errno("mmap PROT_EXEC with RLIMIT_NOFILE 64");
	check(((int (*)(void))code)() == 42, "the mapped code returns 42");
	printf("RLIMIT_NOFILE lowered to 64: an executable mapping works\n");
	return 0;
}
