// SPDX-License-Identifier: Apache-2.0
/*
 * driver: replay a whole memory trace, one replayer per recorded process,
 * on the trace's timeline, and sample the replayers' memory (issue 13).
 *
 *   driver [-c CK [-p CKOPT]] [-r] [-s SCALE] [-i MS] [-o SAMPLES] [-k KPF]
 *          [-K MS] [-e SECS] [-a DIR] REPLAYER TRACE
 *
 * Process P of TRACE starts at T0 + start(P) / SCALE (T0 = now + 0.3 s) as
 *   REPLAYER -v -t T0 -s SCALE [-r] TRACE P            natively, or
 *   CK [CKOPT] -- REPLAYER -v -t T0 -s SCALE [-r] TRACE P      under ck (-c),
 * CKOPT one option of ck's (-p), e.g. --pager-policy=brk:0,mmap:4 or
 * --no-bind.
 * Every MS ms (default 100) it writes to SAMPLES (default stdout) one line
 *   TRACE_TIME_S ANON_KIB NLIVE
 * ANON_KIB being the sum over the live replayers of Anonymous: of
 * /proc/PID/smaps_rollup (exact; under ck it includes ck's own memory).
 * -k KPF: every -K ms (default 250) also append to KPF the guest's free
 * 2 MiB blocks from /proc/kpageflags (see kpf_sample()), for the modelled
 * VM policies. -a DIR: run the replayers with -a, the output of the one
 * of process P in DIR/P (its memory after each event, in trace time).
 * -e SECS: go on sampling SECS after the last replayer
 * exited (a VM returns freed memory later). Exit 0 if every replayer
 * exited 0, else 1.
 * Transparent huge pages are off for every replay, native or under ck:
 * the driver sets PR_SET_THP_DISABLE on itself before it starts a
 * replayer, and fork and execve keep it (ck needs no prctl of its own).
 * ck marks its brk and its own memory MADV_NOHUGEPAGE but not a
 * program's mmap; with THP on, a huge page served touches of the native
 * replay (and of ck's mmaps) without a fault and held up to 2 MiB
 * untouched, so the native replay, which the waste is judged against,
 * and the split of ck's memory moved from run to run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAXPROC 4096
#define KPF_BUDDY (1ULL << 10)

struct proc {
	uint64_t start_us, id;
	pid_t pid;
	int done;
};

static struct proc procs[MAXPROC];
static unsigned int nprocs;
static uint64_t t0_ns, scale = 1, end_us;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int read_trace(const char *path)
{
	char line[512], op[16];
	unsigned long long t, id, ppid;
	FILE *f = fopen(path, "re");

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#')
			continue;
		if (sscanf(line, "%llu %llu %15s %llu", &t, &id, op, &ppid) < 3) {
			fclose(f);
			return -EINVAL;
		}
		end_us = t;
		if (strcmp(op, "start"))
			continue;
		if (nprocs == MAXPROC) {
			fclose(f);
			return -E2BIG;
		}
		procs[nprocs++] = (struct proc){ .start_us = t, .id = id };
	}
	fclose(f);
	return 0;
}

static long anon_kib(pid_t pid)
{
	char path[64], buf[2048], *a;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	a = strstr(buf, "\nAnonymous:");
	return a ? strtol(a + 11, NULL, 10) : 0;
}

/*
 * The guest's free 2 MiB blocks: block B (pfns 512B..512B+511) is free
 * when every page of it shows exactly KPF_BUDDY (bit 10): fs/proc/page.c
 * sets it on the head of a free buddy block and, through
 * is_free_buddy_page(), on the rest of the block too. One line: TRACE_TIME_S MEMFREE_KIB NBLOCKS HEX,
 * HEX a bitmap of the free blocks, block 0 first, 4 blocks a digit.
 */
static void kpf_sample(FILE *out, double t)
{
	static uint64_t flags[512];
	static char hex[1 << 16];
	char line[256];
	unsigned int nb = 0, nib = 0, b, i;
	long memfree = 0;
	FILE *mi;
	int fd = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	for (b = 0; nb / 4 + 2 < sizeof(hex); b++) {
		ssize_t n = pread(fd, flags, sizeof(flags), (off_t)b * sizeof(flags));
		int free_block;

		if (n != (ssize_t)sizeof(flags))
			break;
		free_block = 1;
		for (i = 0; free_block && i < 512; i++)
			if (flags[i] != KPF_BUDDY)
				free_block = 0;
		nib |= (unsigned int)free_block << (b % 4);
		if (b % 4 == 3) {
			hex[b / 4] = "0123456789abcdef"[nib];
			nib = 0;
		}
		nb++;
	}
	close(fd);
	if (nb % 4)
		hex[nb / 4] = "0123456789abcdef"[nib];
	hex[(nb + 3) / 4] = 0;
	mi = fopen("/proc/meminfo", "re");
	while (mi && fgets(line, sizeof(line), mi))
		if (sscanf(line, "MemFree: %ld kB", &memfree) == 1)
			break;
	if (mi)
		fclose(mi);
	fprintf(out, "%.3f %ld %u %s\n", t, memfree, nb, hex);
	fflush(out);
}

static const char *acct_dir, *ck_opt;

static pid_t launch(const char *ck, const char *replayer, const char *trace,
		    int reactive, uint64_t id)
{
	char t0[32], sc[32], pid[32];
	const char *argv[16];
	int n = 0;
	pid_t p;

	snprintf(t0, sizeof(t0), "%" PRIu64, t0_ns);
	snprintf(sc, sizeof(sc), "%" PRIu64, scale);
	snprintf(pid, sizeof(pid), "%" PRIu64, id);
	if (ck) {
		argv[n++] = ck;
		if (ck_opt)
			argv[n++] = ck_opt;
		argv[n++] = "--";
	}
	argv[n++] = replayer;
	argv[n++] = "-v";
	argv[n++] = "-t";
	argv[n++] = t0;
	argv[n++] = "-s";
	argv[n++] = sc;
	if (reactive)
		argv[n++] = "-r";
	if (acct_dir)
		argv[n++] = "-a";
	argv[n++] = trace;
	argv[n++] = pid;
	argv[n] = NULL;
	p = fork();
	if (p == 0) {
		if (acct_dir) {
			char path[4096];
			int fd;

			snprintf(path, sizeof(path), "%s/%" PRIu64, acct_dir, id);
			fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
			if (fd < 0 || dup2(fd, 1) < 0) {
				fprintf(stderr, "driver: %s: %s\n", path, strerror(errno));
				_exit(127);
			}
		}
		execv(argv[0], (char *const *)argv);
		fprintf(stderr, "driver: exec %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	return p;
}

static void sleep_until(uint64_t at)
{
	struct timespec ts = {
		.tv_sec = (time_t)(at / 1000000000ULL),
		.tv_nsec = (long)(at % 1000000000ULL),
	};

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

int main(int argc, char **argv)
{
	const char *ck = NULL, *out_path = NULL, *kpf_path = NULL;
	uint64_t interval_ms = 100, kpf_ms = 250, next_sample, next_kpf, t;
	uint64_t extra_s = 0, stop_at = 0;
	unsigned int next = 0, live = 0, failed = 0, i;
	FILE *out = stdout, *kpf = NULL;
	int reactive = 0, c, st, r;
	pid_t p;

	while ((c = getopt(argc, argv, "c:p:rs:i:o:k:K:e:a:")) != -1) {
		switch (c) {
		case 'c': ck = optarg; break;
		case 'p': ck_opt = optarg; break;
		case 'r': reactive = 1; break;
		case 's': scale = strtoull(optarg, NULL, 10); break;
		case 'i': interval_ms = strtoull(optarg, NULL, 10); break;
		case 'o': out_path = optarg; break;
		case 'k': kpf_path = optarg; break;
		case 'K': kpf_ms = strtoull(optarg, NULL, 10); break;
		case 'a': acct_dir = optarg; break;
		case 'e': extra_s = strtoull(optarg, NULL, 10); break;
		default: goto usage;
		}
	}
	if (argc - optind != 2 || !scale || !interval_ms || !kpf_ms) {
usage:
		fprintf(stderr, "usage: driver [-c CK [-p CKOPT]] [-r] [-s SCALE] [-i MS] [-o SAMPLES] [-k KPF] [-K MS] [-e SECS] [-a DIR] REPLAYER TRACE\n");
		return 2;
	}
	r = read_trace(argv[optind + 1]);
	if (r || !nprocs) {
		fprintf(stderr, "driver: %s: %s\n", argv[optind + 1],
			r ? strerror(-r) : "no processes");
		return 2;
	}
	if (out_path && !(out = fopen(out_path, "we"))) {
		fprintf(stderr, "driver: %s: %s\n", out_path, strerror(errno));
		return 2;
	}
	if (kpf_path && !(kpf = fopen(kpf_path, "we"))) {
		fprintf(stderr, "driver: %s: %s\n", kpf_path, strerror(errno));
		return 2;
	}
	if (prctl(PR_SET_THP_DISABLE, 1, 0, 0, 0) ||
	    prctl(PR_GET_THP_DISABLE, 0, 0, 0, 0) != 1) {
		fprintf(stderr, "driver: PR_SET_THP_DISABLE: %s\n", strerror(errno));
		return 2;
	}
	t0_ns = now_ns() + 300000000ULL;
	next_sample = next_kpf = t0_ns;
	for (;;) {
		uint64_t now = now_ns(), wake;
		double tt = now > t0_ns ? (double)(now - t0_ns) * (double)scale / 1e9 : 0;

		/* Reap. */
		while ((p = waitpid(-1, &st, WNOHANG)) > 0) {
			for (i = 0; i < next; i++) {
				if (procs[i].pid != p)
					continue;
				procs[i].done = 1;
				live--;
				if (!WIFEXITED(st) || WEXITSTATUS(st)) {
					failed++;
					fprintf(stderr, "driver: replayer of pid %" PRIu64 " failed (status 0x%x)\n",
						procs[i].id, st);
				}
			}
		}
		/* Start what is due. */
		while (next < nprocs &&
		       t0_ns + procs[next].start_us * 1000ULL / scale <= now) {
			procs[next].pid = launch(ck, argv[optind], argv[optind + 1],
						 reactive, procs[next].id);
			if (procs[next].pid < 0) {
				fprintf(stderr, "driver: fork: %s\n", strerror(errno));
				return 1;
			}
			live++;
			next++;
		}
		if (next == nprocs && !live) {
			if (!stop_at)
				stop_at = now + extra_s * 1000000000ULL;
			if (now >= stop_at)
				break;
		}
		if (now >= next_sample) {
			long sum = 0;

			for (i = 0; i < next; i++)
				if (!procs[i].done)
					sum += anon_kib(procs[i].pid);
			fprintf(out, "%.3f %ld %u\n", tt, sum, live);
			fflush(out);
			while (next_sample <= now)
				next_sample += interval_ms * 1000000ULL;
		}
		if (kpf && now >= next_kpf) {
			kpf_sample(kpf, tt);
			while (next_kpf <= now_ns())
				next_kpf += kpf_ms * 1000000ULL;
		}
		wake = next_sample;
		if (kpf && next_kpf < wake)
			wake = next_kpf;
		if (next < nprocs) {
			t = t0_ns + procs[next].start_us * 1000ULL / scale;
			if (t < wake)
				wake = t;
		}
		/* Wake early enough to reap exits promptly. */
		if (wake > now + 20000000ULL)
			wake = now + 20000000ULL;
		sleep_until(wake);
	}
	if (kpf)
		fclose(kpf);
	if (out != stdout)
		fclose(out);
	fprintf(stderr, "driver: %u processes replayed, %u failed, trace %.1f s, transparent huge pages off\n",
		nprocs, failed, (double)end_us / 1e6);
	return failed ? 1 : 0;
}
