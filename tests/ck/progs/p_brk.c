// SPDX-License-Identifier: Apache-2.0
/*
 * p_brk: the program break with the raw brk syscall (musl's sbrk accepts
 * only 0): grow, touch, shrink (the range is gone), grow again (zero
 * filled), a failed brk below the start; then malloc of small and large
 * blocks (musl serves large ones with mmap, small ones from brk or mmap);
 * last, the break grown by 900 MiB and left untouched (in the test VM's
 * 1 GiB: ck binds only the start of a growth that large, or the OOM
 * killer would end the program), then shrunk back.
 */
#include <sys/syscall.h>

#include "common.h"

static char *brk_to(char *addr)
{
	return (char *)syscall(SYS_brk, addr);
}

/* Can the kernel read n bytes at p? */
static const char *kernel_reads(const void *p, size_t n)
{
	int fd[2];
	ssize_t r;
	const char *res;

	if (pipe(fd) != 0)
		fail_errno("pipe");
	r = write(fd[1], p, n);
	res = r < 0 ? errno_name(errno) : "ok";
	close(fd[0]);
	close(fd[1]);
	return res;
}

static int all_bytes(const char *p, size_t n, char v)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] != v)
			return 0;
	return 1;
}

int main(void)
{
	const size_t grow = 1024 * 1024;
	char *start = brk_to(NULL);
	char *cur;

	printf("brk(0) twice the same: %d\n", brk_to(NULL) == start);
	cur = brk_to(start + grow);
	printf("grow 1 MiB: %s\n", cur == start + grow ? "ok" : "refused");
	check(cur == start + grow, "brk grow");
	printf("grown memory zero: %d\n", all_bytes(start, grow, 0));
	memset(start, 'b', grow);
	printf("touched: %d\n", all_bytes(start, grow, 'b'));

	cur = brk_to(start + 4096);
	printf("shrink to one page: %s\n", cur == start + 4096 ? "ok" : "refused");
	printf("first page kept: %d\n", all_bytes(start, 4096, 'b'));
	printf("released range: kernel reads %s\n", kernel_reads(start + 8192, 16));

	cur = brk_to(start + 2 * grow);
	check(cur == start + 2 * grow, "brk regrow");
	printf("regrown beyond the old break zero: %d\n",
	       all_bytes(start + 4096, 2 * grow - 4096, 0));

	cur = brk_to(start - 4096 * 1024);
	printf("brk below start: %s\n", cur == start + 2 * grow ? "unchanged" : "moved");
	cur = brk_to(start);
	printf("shrink to start: %s\n", cur == start ? "ok" : "refused");

	size_t sizes[] = { 1, 24, 100, 1000, 4096, 100000, 1 << 20, 8 << 20 };
	void *blocks[sizeof(sizes) / sizeof(sizes[0])];
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		blocks[i] = malloc(sizes[i]);
		check(blocks[i] != NULL, "malloc");
		memset(blocks[i], (int)i + 1, sizes[i]);
	}
	int intact = 1;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		intact &= all_bytes(blocks[i], sizes[i], (char)(i + 1));
		free(blocks[i]);
	}
	printf("malloc blocks intact: %d\n", intact);

	char *many[2000];
	for (size_t i = 0; i < 2000; i++) {
		many[i] = malloc(64 + i % 200);
		check(many[i] != NULL, "malloc small");
		many[i][0] = (char)i;
	}
	intact = 1;
	for (size_t i = 0; i < 2000; i++) {
		intact &= many[i][0] == (char)i;
		free(many[i]);
	}
	printf("2000 small blocks intact: %d\n", intact);
	char *r = realloc(malloc(10), 3 << 20);
	check(r != NULL, "realloc");
	r[(3 << 20) - 1] = 1;
	free(r);

	char *b0 = brk_to(0), *big = b0 + (900UL << 20);
	printf("brk grown by 900 MiB: %s\n", brk_to(big) == big ? "yes" : "no");
	big[-1] = 1;
	printf("brk back: %s\n", brk_to(b0) == b0 ? "yes" : "no");
	puts("done");
	return 0;
}
