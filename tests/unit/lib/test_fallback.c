// SPDX-License-Identifier: Apache-2.0
/*
 * libparacell's fallback backend on the host (no /dev/paracell here): it is
 * chosen automatically, validates entries as the module does, populates and
 * drops pages, and counts what it did. On Linux 6.13+ (this host) a run of
 * entries with the same op is one process_madvise; on older kernels (the
 * test VM's 6.1) one madvise a range: the tests expect the path the kernel
 * release says, and the same results on both.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <paracell/paracell.h>

#define PG 4096UL

static long resident(void *p, size_t npages)
{
	unsigned char vec[256];
	long n = 0;
	size_t i;

	assert_true(npages <= sizeof(vec));
	assert_int_equal(mincore(p, npages * PG, vec), 0);
	for (i = 0; i < npages; i++)
		n += vec[i] & 1;
	return n;
}

static char *map(size_t npages)
{
	char *p = mmap(NULL, npages * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	assert_true(p != MAP_FAILED);
	assert_int_equal(madvise(p, npages * PG, MADV_NOHUGEPAGE), 0);
	return p;
}

static struct paracell_pager_entry ent(uint32_t op, void *addr, uint64_t n)
{
	struct paracell_pager_entry e = {
		.op = op, .addr = (uint64_t)(uintptr_t)addr, .npages = n,
		.result = 0x5a5a,
	};

	return e;
}

static int setup(void **state)
{
	struct paracell_cell *c;

	if (paracell_cell_open(&c, -1, 0))
		return -1;
	*state = c;
	return 0;
}

static int teardown(void **state)
{
	paracell_cell_close(*state);
	return 0;
}

static void test_backend_auto(void **state)
{
	struct paracell_cell *c = *state;

	if (access(PARACELL_DEVICE, F_OK) == 0)
		skip();		/* a host with the module: covered in the VM */
	assert_int_equal(paracell_cell_backend(c), PARACELL_BACKEND_FALLBACK);
	assert_int_equal(paracell_cell_fd(c), -1);
	assert_string_equal(paracell_backend_name(PARACELL_BACKEND_FALLBACK),
			    "fallback");
	assert_string_equal(paracell_backend_name(PARACELL_BACKEND_MODULE),
			    "module");
	assert_string_equal(paracell_backend_name(0), "unknown");
}

static void test_open_flags(void **state)
{
	struct paracell_cell *c = (void *)0x1;

	(void)state;
	assert_int_equal(paracell_cell_open(&c, -1, 0x80), -EINVAL);
	assert_ptr_equal(c, (void *)0x1);
	assert_int_equal(paracell_cell_open(&c, -1, PARACELL_OPEN_PER_RANGE),
			 0);
	paracell_cell_close(c);
	assert_int_equal(paracell_cell_open(&c, -1, PARACELL_OPEN_FALLBACK), 0);
	assert_int_equal(paracell_cell_backend(c), PARACELL_BACKEND_FALLBACK);
	paracell_cell_close(c);
	paracell_cell_close(NULL);
}

static void test_bind_unbind(void **state)
{
	struct paracell_cell *c = *state;
	char *m = map(64);
	struct paracell_pager_entry e = ent(PARACELL_PAGER_BIND, m, 64);

	assert_int_equal(resident(m, 64), 0);
	assert_int_equal(paracell_pager_batch(c, &e, 1), 0);
	assert_int_equal(e.result, 64);
	assert_int_equal(resident(m, 64), 64);
	memset(m, 7, 64 * PG);
	e = ent(PARACELL_PAGER_UNBIND, m + 16 * PG, 32);
	assert_int_equal(paracell_pager_batch(c, &e, 1), 0);
	assert_int_equal(e.result, 32);
	assert_int_equal(resident(m, 64), 32);
	assert_int_equal(m[16 * PG], 0);
	assert_int_equal(m[15 * PG], 7);
	assert_int_equal(m[48 * PG], 7);
	munmap(m, 64 * PG);
}

static void test_entry_errors(void **state)
{
	struct paracell_cell *c = *state;
	char *m = map(8), *hole = map(2);
	struct paracell_pager_entry v[9];
	int i;

	munmap(hole, 2 * PG);
	v[0] = ent(PARACELL_PAGER_BIND, m + 1, 1);
	v[1] = ent(PARACELL_PAGER_BIND, m, 0);
	v[2] = ent(0, m, 1);
	v[3] = ent(PARACELL_PAGER_BIND, m, 1);
	v[3].flags = 1;
	v[4] = ent(PARACELL_PAGER_BIND, (void *)0x7ffffffff000UL, 1ULL << 52);
	v[5] = ent(PARACELL_PAGER_BIND, (void *)0xffff800000000000UL, 1);
	v[6] = ent(PARACELL_PAGER_BIND, hole, 2);
	v[7] = ent(PARACELL_PAGER_BIND, m, 4);
	v[8] = ent(PARACELL_PAGER_UNBIND, hole, 1);
	assert_int_equal(paracell_pager_batch(c, v, 9), 0);
	assert_int_equal(v[0].result, -EINVAL);
	assert_int_equal(v[1].result, -EINVAL);
	assert_int_equal(v[2].result, -EINVAL);
	assert_int_equal(v[3].result, -EINVAL);
	assert_int_equal(v[4].result, -EINVAL);
	assert_int_equal(v[5].result, -ENOMEM);
	assert_int_equal(v[6].result, -ENOMEM);
	assert_int_equal(v[7].result, 4);	/* not hidden by the others */
	/* MADV_DONTNEED on a hole is ENOMEM too. */
	assert_int_equal(v[8].result, -ENOMEM);
	for (i = 0; i < 9; i++)
		assert_true(v[i].result != 0x5a5a);
	assert_int_equal(resident(m, 8), 4);
	munmap(m, 8 * PG);
}

static void test_batch_errors(void **state)
{
	struct paracell_cell *c = *state;
	struct paracell_pager_entry e = ent(PARACELL_PAGER_BIND, NULL, 1);
	struct paracell_cell_stats st;

	assert_int_equal(paracell_pager_batch(c, &e,
					      PARACELL_PAGER_MAX_ENTRIES + 1),
			 -E2BIG);
	assert_int_equal(paracell_pager_batch(c, NULL, 0), 0);
	assert_int_equal(paracell_pager_batch(c, NULL, 1), -EFAULT);
	assert_int_equal(paracell_cell_stats(c, &st), 0);
	assert_int_equal(st.batches, 0);
	assert_int_equal(st.entries, 0);
}

static void test_stats(void **state)
{
	struct paracell_cell *c = *state;
	char *m = map(16);
	struct paracell_pager_entry v[3] = {
		ent(PARACELL_PAGER_BIND, m, 16),
		ent(PARACELL_PAGER_UNBIND, m, 8),
		ent(PARACELL_PAGER_BIND, m + 1, 1),
	};
	struct paracell_cell_stats st;

	assert_int_equal(paracell_pager_batch(c, v, 3), 0);
	assert_int_equal(paracell_pager_batch(c, v, 1), 0);
	assert_int_equal(paracell_cell_stats(c, &st), 0);
	assert_int_equal(st.batches, 2);
	assert_int_equal(st.entries, 4);
	assert_int_equal(st.pages_bound, 32);
	assert_int_equal(st.pages_unbound, 8);
	assert_int_equal(st.errors, 1);
	assert_int_equal(st.reserved[0], 0);
	munmap(m, 16 * PG);
}

/*
 * The batched path: whether this kernel takes MADV_POPULATE_WRITE and
 * MADV_DONTNEED from process_madvise on the caller (Linux 6.13+), from
 * the release, not from the library's own probe.
 */
static int kernel_vectored(void)
{
	static int known = -1;
	struct utsname u;
	unsigned int major = 0, minor = 0;

	if (known < 0) {
		assert_int_equal(uname(&u), 0);
		assert_int_equal(sscanf(u.release, "%u.%u", &major, &minor), 2);
		known = major > 6 || (major == 6 && minor >= 13);
		print_message("kernel %s: expecting the %s path\n", u.release,
			      known ? "process_madvise" : "per-range madvise");
	}
	return known;
}

static struct paracell_fallback_stats fbstats(struct paracell_cell *c)
{
	struct paracell_fallback_stats st;

	assert_int_equal(paracell_fallback_stats(c, &st), 0);
	return st;
}

/* The calls one batch made: process_madvise and madvise (from b's view). */
static void assert_calls(const struct paracell_fallback_stats *a,
			 const struct paracell_fallback_stats *b,
			 uint64_t vectored, uint64_t per_range)
{
	assert_int_equal(b->process_madvise - a->process_madvise, vectored);
	assert_int_equal(b->madvise - a->madvise, per_range);
}

static long resident_many(void *p, size_t npages)
{
	unsigned char *vec = malloc(npages);
	long n = 0;
	size_t i;

	assert_non_null(vec);
	assert_int_equal(mincore(p, npages * PG, vec), 0);
	for (i = 0; i < npages; i++)
		n += vec[i] & 1;
	free(vec);
	return n;
}

static int setup_per_range(void **state)
{
	struct paracell_cell *c;

	if (paracell_cell_open(&c, -1, PARACELL_OPEN_FALLBACK |
				       PARACELL_OPEN_PER_RANGE))
		return -1;
	*state = c;
	return 0;
}

/* 64 separate ranges bound, then unbound: one call each on 6.13+. */
static void test_whole_batch(void **state)
{
	struct paracell_cell *c = *state;
	struct paracell_pager_entry v[64];
	struct paracell_fallback_stats a, b;
	char *m = map(128);
	int i, vec = kernel_vectored();

	for (i = 0; i < 64; i++)
		v[i] = ent(PARACELL_PAGER_BIND, m + 2 * i * PG, 1);
	a = fbstats(c);
	assert_int_equal(a.vectored, vec);
	assert_int_equal(paracell_pager_batch(c, v, 64), 0);
	b = fbstats(c);
	assert_calls(&a, &b, vec ? 1 : 0, vec ? 0 : 64);
	for (i = 0; i < 64; i++)
		assert_int_equal(v[i].result, 1);
	assert_int_equal(resident(m, 128), 64);
	for (i = 0; i < 64; i++)
		v[i].op = PARACELL_PAGER_UNBIND;
	assert_int_equal(paracell_pager_batch(c, v, 64), 0);
	a = fbstats(c);
	assert_calls(&b, &a, vec ? 1 : 0, vec ? 0 : 64);
	assert_int_equal(a.setup, b.setup);	/* set up once */
	assert_int_equal(a.redone, 0);
	for (i = 0; i < 64; i++)
		assert_int_equal(v[i].result, 1);
	assert_int_equal(resident(m, 128), 0);
	munmap(m, 128 * PG);
}

/* Runs of one op each, done in order: BIND BIND | UNBIND | BIND | UNBIND x2. */
static void test_mixed_ops(void **state)
{
	struct paracell_cell *c = *state;
	char *m = map(16);
	struct paracell_pager_entry v[6] = {
		ent(PARACELL_PAGER_BIND, m, 4),
		ent(PARACELL_PAGER_BIND, m + 8 * PG, 4),
		ent(PARACELL_PAGER_UNBIND, m, 2),
		ent(PARACELL_PAGER_BIND, m + 12 * PG, 4),
		ent(PARACELL_PAGER_UNBIND, m + 8 * PG, 2),
		ent(PARACELL_PAGER_UNBIND, m + 14 * PG, 2),
	};
	static const int64_t want[6] = { 4, 4, 2, 4, 2, 2 };
	struct paracell_fallback_stats a = fbstats(c), b;
	int i, vec = kernel_vectored();

	assert_int_equal(paracell_pager_batch(c, v, 6), 0);
	b = fbstats(c);
	assert_calls(&a, &b, vec ? 4 : 0, vec ? 0 : 6);
	for (i = 0; i < 6; i++)
		assert_int_equal(v[i].result, want[i]);
	/* pages 2, 3, 10..13: an UNBIND never overtook the BIND before it */
	assert_int_equal(resident(m, 16), 6);
	assert_int_equal(resident(m, 2), 0);
	assert_int_equal(resident(m + 2 * PG, 2), 2);
	munmap(m, 16 * PG);
}

/* A batch with bad entries among good ones, in the middle and first. */
static void bad_batch(struct paracell_cell *c, int64_t *res, long *rss,
		      struct paracell_fallback_stats *calls)
{
	char *m = map(16), *hole = map(2);
	struct paracell_pager_entry v[12];
	struct paracell_fallback_stats a = fbstats(c), b;
	int i;

	munmap(hole, 2 * PG);
	v[0] = ent(PARACELL_PAGER_BIND, m, 2);
	v[1] = ent(PARACELL_PAGER_BIND, m + 1, 1);	/* EINVAL, no call */
	v[2] = ent(PARACELL_PAGER_BIND, m + 2 * PG, 2);
	v[3] = ent(PARACELL_PAGER_BIND, hole, 2);	/* ENOMEM */
	v[4] = ent(PARACELL_PAGER_BIND, m + 4 * PG, 2);
	v[5] = ent(PARACELL_PAGER_BIND, m + 6 * PG, 2);
	v[6] = ent(PARACELL_PAGER_UNBIND, m, 1);
	v[7] = ent(PARACELL_PAGER_UNBIND, hole, 1);	/* ENOMEM */
	v[8] = ent(PARACELL_PAGER_UNBIND, m + 2 * PG, 1);
	v[9] = ent(PARACELL_PAGER_BIND, hole + PG, 1);	/* ENOMEM, first */
	v[10] = ent(PARACELL_PAGER_BIND, m + 8 * PG, 2);
	v[11] = ent(PARACELL_PAGER_BIND, hole, 1);	/* ENOMEM, last */
	assert_int_equal(paracell_pager_batch(c, v, 12), 0);
	b = fbstats(c);
	calls->process_madvise = b.process_madvise - a.process_madvise;
	calls->madvise = b.madvise - a.madvise;
	calls->redone = b.redone - a.redone;
	for (i = 0; i < 12; i++)
		res[i] = v[i].result;
	*rss = resident(m, 16);
	munmap(m, 16 * PG);
}

static void test_bad_entry_middle(void **state)
{
	static const int64_t want[12] = {
		2, -EINVAL, 2, -ENOMEM, 2, 2, 1, -ENOMEM, 1, -ENOMEM, 2,
		-ENOMEM,
	};
	struct paracell_fallback_stats calls, calls_pr;
	struct paracell_cell *pr = NULL;
	int64_t res[12], res_pr[12];
	long rss, rss_pr;
	int i, vec = kernel_vectored();

	bad_batch(*state, res, &rss, &calls);
	for (i = 0; i < 12; i++)
		assert_int_equal(res[i], want[i]);
	assert_int_equal(rss, 8);	/* 1, 3, 4..9 */
	if (vec) {
		/* BIND (0 2 |3) (4 5), UNBIND (6 |7) (8),
		 * BIND (|9) (10 |11): a call stops at a bad entry (|),
		 * madvise redoes it, the next call goes on after it. */
		assert_int_equal(calls.process_madvise, 6);
		assert_int_equal(calls.madvise, 4);
		assert_int_equal(calls.redone, 4);
	} else {
		assert_int_equal(calls.process_madvise, 0);
		assert_int_equal(calls.madvise, 11);
	}
	/* the same results and memory as the per-range path gives */
	assert_int_equal(setup_per_range((void **)&pr), 0);
	bad_batch(pr, res_pr, &rss_pr, &calls_pr);
	assert_memory_equal(res, res_pr, sizeof(res));
	assert_int_equal(rss_pr, rss);
	assert_int_equal(calls_pr.process_madvise, 0);
	assert_int_equal(calls_pr.madvise, 11);
	paracell_cell_close(pr);
}

/* Past 1024 entries a run is cut where UIO_MAXIOV would refuse it. */
static void test_long_batch(void **state)
{
	struct paracell_cell *c = *state;
	unsigned int n = PARACELL_PAGER_MAX_ENTRIES, i;
	struct paracell_pager_entry *v = calloc(n, sizeof(*v));
	struct paracell_fallback_stats a, b;
	char *m = map(n);
	int vec = kernel_vectored();

	assert_non_null(v);
	for (i = 0; i < 2500; i++)
		v[i] = ent(PARACELL_PAGER_BIND, m + i * PG, 1);
	a = fbstats(c);
	assert_int_equal(paracell_pager_batch(c, v, 2500), 0);
	b = fbstats(c);
	assert_calls(&a, &b, vec ? 3 : 0, vec ? 0 : 2500);	/* 1024+1024+452 */
	for (i = 0; i < 2500; i++)
		assert_int_equal(v[i].result, 1);
	assert_int_equal(resident_many(m, n), 2500);
	for (i = 0; i < n; i++)
		v[i] = ent(PARACELL_PAGER_UNBIND, m + i * PG, 1);
	assert_int_equal(paracell_pager_batch(c, v, n), 0);
	a = fbstats(c);
	assert_calls(&b, &a, vec ? 4 : 0, vec ? 0 : n);
	for (i = 0; i < n; i++)
		assert_int_equal(v[i].result, 1);
	assert_int_equal(resident_many(m, n), 0);
	assert_int_equal(a.redone, 0);
	munmap(m, n * PG);
	free(v);
}

/* Past MAX_RW_COUNT bytes too, where the kernel would cut the lengths. */
static void test_long_bytes(void **state)
{
	struct paracell_cell *c = *state;
	uint64_t gib = 1ULL << 18, big = 3 * gib;	/* pages */
	char *m = mmap(NULL, big * PG, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	struct paracell_pager_entry v[3];
	struct paracell_fallback_stats a, b;
	int vec = kernel_vectored();

	assert_true(m != MAP_FAILED);
	v[0] = ent(PARACELL_PAGER_UNBIND, m, gib + gib / 2);
	v[1] = ent(PARACELL_PAGER_UNBIND, m + (gib + gib / 2) * PG,
		   gib + gib / 2);
	v[2] = ent(PARACELL_PAGER_UNBIND, m, big);	/* alone: madvise */
	a = fbstats(c);
	assert_int_equal(paracell_pager_batch(c, v, 3), 0);
	b = fbstats(c);
	assert_calls(&a, &b, vec ? 2 : 0, vec ? 1 : 3);
	assert_int_equal(v[0].result, gib + gib / 2);
	assert_int_equal(v[1].result, gib + gib / 2);
	assert_int_equal(v[2].result, big);
	assert_int_equal(b.redone, a.redone);
	munmap(m, big * PG);
}

static void test_forced_per_range(void **state)
{
	struct paracell_cell *c = *state;
	struct paracell_pager_entry v[64];
	struct paracell_fallback_stats a = fbstats(c), b;
	char *m = map(128);
	int i;

	assert_int_equal(a.vectored, 0);
	assert_int_equal(a.setup, 0);		/* no pidfd, no probe */
	for (i = 0; i < 64; i++)
		v[i] = ent(PARACELL_PAGER_BIND, m + 2 * i * PG, 1);
	assert_int_equal(paracell_pager_batch(c, v, 64), 0);
	b = fbstats(c);
	assert_calls(&a, &b, 0, 64);
	for (i = 0; i < 64; i++)
		assert_int_equal(v[i].result, 1);
	assert_int_equal(resident(m, 128), 64);
	munmap(m, 128 * PG);
}

/* An open pidfd naming pid, among this process's fds. */
static int has_pidfd_of(pid_t pid)
{
	char path[300], line[128], want[32];
	struct dirent *d;
	DIR *dir = opendir("/proc/self/fdinfo");
	FILE *f;
	int found = 0;

	snprintf(want, sizeof(want), "Pid:\t%d\n", (int)pid);
	while (dir && !found && (d = readdir(dir))) {
		snprintf(path, sizeof(path), "/proc/self/fdinfo/%s", d->d_name);
		f = fopen(path, "re");
		while (f && !found && fgets(line, sizeof(line), f))
			found = !strcmp(line, want);
		if (f)
			fclose(f);
	}
	if (dir)
		closedir(dir);
	return found;
}

/*
 * In a child: bind and unbind 8 pages; 0 if all went as expected. A
 * process_madvise on the parent's pidfd would be refused (remote advice)
 * and the entry redone: redone says how many such may happen.
 */
static int child_batches(struct paracell_cell *c, char *m, pid_t parent,
			 int vec, uint64_t redone)
{
	struct paracell_pager_entry v[2] = {
		ent(PARACELL_PAGER_BIND, m, 8),
		ent(PARACELL_PAGER_UNBIND, m, 4),
	};
	struct paracell_fallback_stats a, b;

	if (paracell_fallback_stats(c, &a))
		return 1;
	if (paracell_pager_batch(c, v, 1) || v[0].result != 8)
		return 2;
	if (paracell_pager_batch(c, v + 1, 1) || v[1].result != 4)
		return 3;
	if (paracell_fallback_stats(c, &b) || b.vectored != (uint32_t)vec)
		return 4;
	if (vec && has_pidfd_of(parent))
		return 5;			/* the parent's pidfd kept */
	if (vec && !has_pidfd_of(getpid()))
		return 6;
	/* the second batch at least went through process_madvise */
	if (vec && b.process_madvise - a.process_madvise < 1)
		return 7;
	if (b.redone - a.redone != (vec ? redone : 0))
		return 8;
	return 0;
}

static void wait_ok(pid_t pid)
{
	int status;

	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* A fork child never uses the parent's pidfd: fork(3) and a raw fork. */
static void test_fork_child(void **state)
{
	struct paracell_cell *c = *state;
	struct paracell_pager_entry e;
	char *m = map(8);
	pid_t self = getpid(), pid;
	int vec = kernel_vectored();

	e = ent(PARACELL_PAGER_BIND, m, 8);
	assert_int_equal(paracell_pager_batch(c, &e, 1), 0);
	assert_int_equal(e.result, 8);
	assert_int_equal(has_pidfd_of(self), vec);
	pid = fork();
	if (!pid)
		_exit(child_batches(c, m, self, vec, 0));
	wait_ok(pid);
	/* no atfork handler runs: process_madvise on the parent's pidfd is
	 * refused, madvise redoes the entry, the next batch opens its own */
	pid = (pid_t)syscall(SYS_fork);
	if (!pid)
		_exit(child_batches(c, m, self, vec, 1));
	wait_ok(pid);
	assert_int_equal(resident(m, 8), 8);
	munmap(m, 8 * PG);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_backend_auto, setup, teardown),
		cmocka_unit_test(test_open_flags),
		cmocka_unit_test_setup_teardown(test_bind_unbind, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batch_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stats, setup, teardown),
		cmocka_unit_test_setup_teardown(test_whole_batch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_mixed_ops, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_entry_middle, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_long_batch, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_long_bytes, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_forced_per_range,
						setup_per_range, teardown),
		cmocka_unit_test_setup_teardown(test_fork_child, setup,
						teardown),
	};

	return cmocka_run_group_tests_name("libparacell fallback", tests,
					   NULL, NULL);
}
