// SPDX-License-Identifier: Apache-2.0
/*
 * replayer: replay one recorded process's memory events (issue 13).
 *
 *   replayer [-a] [-r] [-v] [-m] [-s SCALE] [-t T0_NS] TRACE PID
 *
 * Reads TRACE (the format of mktrace.py: "T PID op args", T in us) and does
 * what process PID did to its memory, on the trace's timeline: event T at
 * T0 + T / SCALE (CLOCK_MONOTONIC; T0 defaults to "now minus the first
 * event's time", SCALE to 1). Behind schedule, it goes on at once.
 *   mmap ID N      mmap N anonymous private pages (region ID)
 *   unmap ID O N   munmap pages O..O+N-1 of region ID
 *   mremap ID O N M NEW   mremap(MAYMOVE) pages O.. of ID, N -> M, as NEW
 *   brk N          the heap (region 0) becomes N pages: brk(2)
 *   madv ID O N A  madvise(A)
 *   touch ID O N   write one byte on each of the N pages
 *   exec           unmap every region, heap back to 0
 *   exit           exit(0)
 * -r (reactive): the heap is an anonymous reservation grown with mprotect
 *    instead of brk(2), so ck binds none of it ahead of use (ck's policy
 *    binds brk growth; see the bench report).
 * -m: print "anon_kib=A" (Anonymous: of /proc/self/smaps_rollup, exact)
 *    before the first event and after the last, for the tests.
 * -a: print "T ANON_KIB" (ANON_KIB Anonymous: of /proc/self/smaps_rollup,
 *    exact, ck's memory included under ck, after the event of trace time
 *    T in us): memory as a function of trace time, whatever the replay's
 *    lag. Read before an event 10 ms of trace time or more after the
 *    last line (a burst of events gets a line every 10 ms, not one an
 *    event: each read is three syscalls ck traps) and before the exit,
 *    which prints "T 0".
 * -v: print the events replayed, pages touched (all, heap), the page
 *    faults the touches took (ru_minflt around each touch: heap, mmap)
 *    and the worst lag behind the timeline.
 * Single-threaded, no malloc or stdio input (a static musl program ck can
 * run); exit 0, or 1 on a failed call, 2 on a bad trace or usage.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PG		4096UL
#define MAXID		65536
#define HEAP_MAX	(1UL << 30)

static char *base[MAXID];
static uint64_t npg[MAXID];		/* pages mapped at base[id] */
static char *heap0;			/* start of the heap */
static uint64_t heap_pg;		/* its current size */
static int reactive, verbose, measure, account;
static uint64_t t0_ns, scale = 1;
static uint64_t nevents, ntouched, max_lag_us;
/* Page faults taken by the touches (ru_minflt around each), heap and not. */
static uint64_t heap_touched, heap_faults, mmap_faults;

static char buf[1 << 16];
static size_t blen, bpos;
static int fd;
static unsigned long lineno;

static void die(int code, const char *msg)
{
	fprintf(stderr, "replayer: line %lu: %s%s%s\n", lineno, msg,
		errno ? ": " : "", errno ? strerror(errno) : "");
	exit(code);
}

/* Next line of the trace, NUL-terminated, or NULL at the end. */
static char *next_line(void)
{
	char *nl;
	ssize_t n;

	for (;;) {
		nl = memchr(buf + bpos, '\n', blen - bpos);
		if (nl) {
			char *l = buf + bpos;

			*nl = 0;
			bpos = (size_t)(nl - buf) + 1;
			lineno++;
			return l;
		}
		if (bpos == 0 && blen == sizeof(buf))
			die(2, "line too long");
		memmove(buf, buf + bpos, blen - bpos);
		blen -= bpos;
		bpos = 0;
		n = read(fd, buf + blen, sizeof(buf) - blen);
		if (n < 0)
			die(2, "read");
		if (n == 0) {
			if (blen == 0)
				return NULL;
			buf[blen] = '\n';	/* room: blen < sizeof(buf) */
			blen++;
			continue;
		}
		blen += (size_t)n;
	}
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static void wait_until(uint64_t t_us)
{
	uint64_t at = t0_ns + t_us * 1000ULL / scale, now = now_ns();
	struct timespec ts;

	if (now >= at) {
		if ((now - at) / 1000 > max_lag_us)
			max_lag_us = (now - at) / 1000;
		return;
	}
	ts.tv_sec = (time_t)(at / 1000000000ULL);
	ts.tv_nsec = (long)(at % 1000000000ULL);
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static uint64_t field(char **p)
{
	char *end;
	unsigned long long v;

	while (**p == ' ')
		(*p)++;
	errno = 0;
	v = strtoull(*p, &end, 10);
	if (end == *p || errno)
		die(2, "bad number");
	*p = end;
	return v;
}

static char *region(uint64_t id, uint64_t off, uint64_t n)
{
	if (id >= MAXID || !base[id] || off + n > npg[id] || off + n < off)
		die(2, "event outside its region");
	return base[id] + off * PG;
}

static void heap_set(uint64_t n)
{
	if (!heap0) {
		if (reactive) {
			heap0 = mmap(NULL, HEAP_MAX, PROT_NONE, MAP_PRIVATE |
				     MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
			if (heap0 == MAP_FAILED)
				die(1, "mmap of the heap reservation");
		} else {
			heap0 = (char *)syscall(SYS_brk, 0);
		}
	}
	if (n > HEAP_MAX / PG)
		die(2, "heap over 1 GiB");
	if (reactive) {
		if (n > heap_pg && mprotect(heap0 + heap_pg * PG,
					    (n - heap_pg) * PG,
					    PROT_READ | PROT_WRITE))
			die(1, "mprotect (heap growth)");
		if (n < heap_pg &&
		    (madvise(heap0 + n * PG, (heap_pg - n) * PG, MADV_DONTNEED) ||
		     mprotect(heap0 + n * PG, (heap_pg - n) * PG, PROT_NONE)))
			die(1, "madvise/mprotect (heap shrink)");
	} else if ((char *)syscall(SYS_brk, heap0 + n * PG) != heap0 + n * PG) {
		die(1, "brk");
	}
	base[0] = heap0;
	heap_pg = npg[0] = n;
}

/* -m: the replayer's anonymous memory, exact (smaps_rollup); no malloc. */
static long anon_kib(void)
{
	char l[2048], *a;
	ssize_t n;
	int f = open("/proc/self/smaps_rollup", O_RDONLY | O_CLOEXEC);

	if (f < 0)
		return -1;
	n = read(f, l, sizeof(l) - 1);
	close(f);
	if (n <= 0)
		return -1;
	l[n] = 0;
	a = strstr(l, "\nAnonymous:");
	return a ? strtol(a + 11, NULL, 10) : -1;
}

static uint64_t minflt(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		die(1, "getrusage");
	return (uint64_t)ru.ru_minflt;
}

static void print_anon(uint64_t t, long kib)
{
	char l[64];
	int n = snprintf(l, sizeof(l), "%llu %ld\n", (unsigned long long)t, kib);

	if (write(1, l, (size_t)n) != n)
		die(1, "write");
}

static void touch(char *p, uint64_t n)
{
	uint64_t i;

	for (i = 0; i < n; i++)
		*(volatile char *)(p + i * PG) = 1;
	ntouched += n;
}

static void event(char *p)
{
	char op[16];
	uint64_t id, off, n, m, nid, adv, f0;
	size_t k = 0;
	char *at;
	void *q;

	while (*p == ' ')
		p++;
	while (*p && *p != ' ' && k + 1 < sizeof(op))
		op[k++] = *p++;
	op[k] = 0;
	nevents++;
	if (!strcmp(op, "start")) {
		nevents--;
	} else if (!strcmp(op, "mmap")) {
		id = field(&p);
		n = field(&p);
		if (id == 0 || id >= MAXID || base[id] || !n)
			die(2, "bad mmap");
		q = mmap(NULL, n * PG, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (q == MAP_FAILED)
			die(1, "mmap");
		base[id] = q;
		npg[id] = n;
	} else if (!strcmp(op, "unmap")) {
		id = field(&p);
		off = field(&p);
		n = field(&p);
		at = region(id, off, n);
		if (munmap(at, n * PG))
			die(1, "munmap");
	} else if (!strcmp(op, "mremap")) {
		id = field(&p);
		off = field(&p);
		n = field(&p);
		m = field(&p);
		nid = field(&p);
		at = region(id, off, n);
		if (nid == 0 || nid >= MAXID || base[nid] || !m)
			die(2, "bad mremap");
		q = mremap(at, n * PG, m * PG, MREMAP_MAYMOVE);
		if (q == MAP_FAILED)
			die(1, "mremap");
		base[nid] = q;
		npg[nid] = m;
	} else if (!strcmp(op, "brk")) {
		n = field(&p);
		heap_set(n);
	} else if (!strcmp(op, "madv")) {
		id = field(&p);
		off = field(&p);
		n = field(&p);
		adv = field(&p);
		at = region(id, off, n);
		if (madvise(at, n * PG, (int)adv))
			die(1, "madvise");
	} else if (!strcmp(op, "touch")) {
		id = field(&p);
		off = field(&p);
		n = field(&p);
		at = region(id, off, n);
		f0 = minflt();
		touch(at, n);
		if (id == 0) {
			heap_touched += n;
			heap_faults += minflt() - f0;
		} else {
			mmap_faults += minflt() - f0;
		}
	} else if (!strcmp(op, "exec")) {
		for (id = 1; id < MAXID; id++) {
			if (!base[id])
				continue;
			munmap(base[id], npg[id] * PG);
			base[id] = NULL;
		}
		if (heap0)
			heap_set(0);
	} else if (!strcmp(op, "exit")) {
		nevents--;
	} else {
		die(2, "unknown event");
	}
}

/* -m: touch what the replayer itself will touch of its stack and tables. */
static void __attribute__((noinline)) warm(void)
{
	volatile char stack[32 * 1024];
	size_t i;

	for (i = 0; i < sizeof(stack); i += PG)
		stack[i] = 0;
	for (i = 0; i < 64; i++) {
		((volatile char **)base)[i] = NULL;
		((volatile uint64_t *)npg)[i] = 0;
	}
}

int main(int argc, char **argv)
{
	uint64_t pid, t, first = UINT64_MAX, last_t = 0, printed = 0;
	int pending = 0;
	int c, done = 0;
	char *l, *p;

	while ((c = getopt(argc, argv, "arvms:t:")) != -1) {
		switch (c) {
		case 'a': account = 1; break;
		case 'r': reactive = 1; break;
		case 'v': verbose = 1; break;
		case 'm': measure = 1; break;
		case 's': scale = strtoull(optarg, NULL, 10); break;
		case 't': t0_ns = strtoull(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	if (argc - optind != 2 || !scale) {
usage:
		fprintf(stderr, "usage: replayer [-a] [-r] [-v] [-m] [-s SCALE] [-t T0_NS] TRACE PID\n");
		return 2;
	}
	pid = strtoull(argv[optind + 1], NULL, 10);
	fd = open(argv[optind], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "replayer: %s: %s\n", argv[optind], strerror(errno));
		return 2;
	}
	if (measure) {
		/* Warm the replayer's own pages first: stack, tables, stdio. */
		warm();
		anon_kib();
		printf("before anon_kib=%ld\n", anon_kib());
		fflush(stdout);
	}
	while (!done && (l = next_line())) {
		if (*l == '#' || !*l)
			continue;
		p = l;
		t = field(&p);
		if (field(&p) != pid)
			continue;
		if (first == UINT64_MAX) {
			first = t;
			if (!t0_ns)
				t0_ns = now_ns() - first * 1000ULL / scale;
		}
		wait_until(t);
		while (*p == ' ')
			p++;
		if (!strncmp(p, "exit", 4))
			done = 1;
		errno = 0;
		/* -a: at most one line per 10 ms of trace time, and the end. */
		if (account && pending && (t - printed >= 10000 || done)) {
			print_anon(last_t, anon_kib());
			printed = last_t;
			pending = 0;
		}
		event(p);
		last_t = t;
		pending = 1;
		if (account && done)
			print_anon(t, 0);
	}
	if (first == UINT64_MAX) {
		fprintf(stderr, "replayer: no events for pid %llu\n",
			(unsigned long long)pid);
		return 2;
	}
	if (measure)
		printf("after anon_kib=%ld\n", anon_kib());
	if (verbose) {
		/* One write: the replayers share the driver's stderr. */
		char l[256];
		int len = snprintf(l, sizeof(l), "replayer: pid %llu: events %llu touched %llu heap_touched %llu heap_faults %llu mmap_faults %llu lag_us %llu\n",
				   (unsigned long long)pid, (unsigned long long)nevents,
				   (unsigned long long)ntouched,
				   (unsigned long long)heap_touched,
				   (unsigned long long)heap_faults,
				   (unsigned long long)mmap_faults,
				   (unsigned long long)max_lag_us);

		if (write(2, l, (size_t)len) != len)
			return 1;
	}
	return 0;
}
