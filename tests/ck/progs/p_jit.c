// SPDX-License-Identifier: Apache-2.0
/*
 * p_jit: what a JIT does with W^X. Writes `mov $N, %eax; ret` into
 * anonymous read-write memory, mprotects it read-exec and calls it; flips
 * it back to read-write (the code is still there), rewrites N and calls
 * again, many times; two pages where one is flipped back while the other
 * keeps running; a fork child calling the parent's JIT code; an anonymous
 * mapping made read-exec at once (zeros); mprotect(PROT_EXEC) over a hole
 * (ENOMEM). Under ck each flip seals or unseals (docs/sealed-code.md).
 */
#define _GNU_SOURCE
#include <sys/mman.h>
#include <sys/wait.h>

#include "common.h"

typedef int (*fn_t)(void);

/* mov $v, %eax; ret */
static void emit(unsigned char *p, int v)
{
	p[0] = 0xb8;
	memcpy(p + 1, &v, 4);
	p[5] = 0xc3;
}

static void prot(void *p, size_t len, int pr, const char *what)
{
	if (mprotect(p, len, pr))
		fail_errno(what);
}

int main(void)
{
	unsigned char *m, *z, *hole;
	int i, sum = 0, st;
	pid_t pid;

	m = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(m != MAP_FAILED, "mmap rw");
	emit(m, 42);
	prot(m, PAGE, PROT_READ | PROT_EXEC, "mprotect rx");
	printf("first call: %d\n", ((fn_t)(uintptr_t)m)());

	prot(m, PAGE, PROT_READ | PROT_WRITE, "mprotect rw again");
	printf("code kept after the flip back: %s\n",
	       m[0] == 0xb8 && m[1] == 42 && m[5] == 0xc3 ? "yes" : "no");
	emit(m, 43);
	prot(m, PAGE, PROT_READ | PROT_EXEC, "mprotect rx again");
	printf("rewritten call: %d\n", ((fn_t)(uintptr_t)m)());

	for (i = 0; i < 20; i++) {
		prot(m, PAGE, PROT_READ | PROT_WRITE, "loop rw");
		emit(m, i);
		prot(m, PAGE, PROT_READ | PROT_EXEC, "loop rx");
		sum += ((fn_t)(uintptr_t)m)();
	}
	printf("20 flips, sum of the calls: %d\n", sum);

	/* Both pages code, then the second written while the first runs. */
	prot(m, 2 * PAGE, PROT_READ | PROT_WRITE, "two pages rw");
	emit(m, 7);
	emit(m + PAGE, 8);
	prot(m, 2 * PAGE, PROT_EXEC | PROT_READ, "two pages rx");
	prot(m + PAGE, PAGE, PROT_READ | PROT_WRITE, "second page rw");
	emit(m + PAGE, 9);
	printf("first page runs while the second is written: %d\n",
	       ((fn_t)(uintptr_t)m)());
	prot(m + PAGE, PAGE, PROT_READ | PROT_EXEC, "second page rx");
	printf("second page: %d\n", ((fn_t)(uintptr_t)(m + PAGE))());

	/* Read-only, then executable again without a write between. */
	prot(m, PAGE, PROT_READ, "first page r");
	prot(m, PAGE, PROT_READ | PROT_EXEC, "first page rx from r");
	printf("after r and rx: %d\n", ((fn_t)(uintptr_t)m)());

	fflush(stdout);
	pid = fork();
	check(pid >= 0, "fork");
	if (!pid) {
		printf("child calls the parent's code: %d\n",
		       ((fn_t)(uintptr_t)(m + PAGE))());
		prot(m + PAGE, PAGE, PROT_READ | PROT_WRITE, "child rw");
		emit(m + PAGE, 10);
		prot(m + PAGE, PAGE, PROT_READ | PROT_EXEC, "child rx");
		printf("child's own rewrite: %d\n",
		       ((fn_t)(uintptr_t)(m + PAGE))());
		fflush(stdout);
		_exit(0);
	}
	check(waitpid(pid, &st, 0) == pid && WIFEXITED(st) &&
	      !WEXITSTATUS(st), "child");
	printf("parent's code after the child's rewrite: %d\n",
	       ((fn_t)(uintptr_t)(m + PAGE))());

	z = mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	check(z != MAP_FAILED, "mmap rx");
	printf("anonymous r-x reads zeros: %s\n",
	       z[0] == 0 && z[PAGE - 1] == 0 ? "yes" : "no");
	prot(z, PAGE, PROT_READ | PROT_WRITE, "zeros rw");
	emit(z, 5);
	prot(z, PAGE, PROT_READ | PROT_EXEC, "zeros rx");
	printf("code in the r-x mapping: %d\n", ((fn_t)(uintptr_t)z)());

	hole = mmap(0, PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	check(hole != MAP_FAILED && !munmap(hole, PAGE), "hole");
	printf("mprotect(PROT_EXEC) over a hole: %s\n",
	       errno_name(mprotect(hole, PAGE, PROT_READ | PROT_EXEC) ?
			  errno : 0));
	check(!munmap(m, 2 * PAGE) && !munmap(z, PAGE), "munmap");
	return 0;
}
