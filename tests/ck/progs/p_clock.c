// SPDX-License-Identifier: Apache-2.0
/*
 * p_clock: clock_gettime, clock_getres, gettimeofday, time and nanosleep.
 * Prints only facts that hold on every run: monotonic time advances,
 * realtime is after 2020, resolutions are at most 1 ms. And that the vDSO
 * (which musl's clock_gettime uses) is offered and mapped: under ck only
 * if its whole mapping passed the scanner, as it does on Debian's kernels
 * (run-vdso.sh runs it under a ck that takes it as unclean: neither).
 */
#include <sys/auxv.h>
#include <sys/time.h>
#include <time.h>

#include "common.h"

#define Y2020 1577836800LL

static long long ns(const struct timespec *t)
{
	return (long long)t->tv_sec * 1000000000LL + t->tv_nsec;
}

/* Whether /proc/self/maps has a [vdso] line. */
static int vdso_mapped(void)
{
	char line[512];
	FILE *f = fopen("/proc/self/maps", "r");
	int found = 0;

	if (!f)
		fail_errno("/proc/self/maps");
	while (fgets(line, sizeof(line), f))
		found |= strstr(line, "[vdso]") != NULL;
	fclose(f);
	return found;
}

static struct timespec now(clockid_t c, const char *name)
{
	struct timespec t;

	if (clock_gettime(c, &t) != 0)
		fail_errno(name);
	return t;
}

int main(void)
{
	struct timespec a, b, res, nap = { .tv_sec = 0, .tv_nsec = 20000000 };
	struct timeval tv;
	const char *vdso;

	vdso = (const char *)getauxval(AT_SYSINFO_EHDR);
	printf("vDSO offered, an ELF image: %s\n",
	       vdso && !memcmp(vdso, "\177ELF", 4) ? "yes" : "no");
	printf("a [vdso] line in /proc/self/maps: %s\n",
	       vdso_mapped() ? "yes" : "no");
	a = now(CLOCK_MONOTONIC, "CLOCK_MONOTONIC");
	if (nanosleep(&nap, NULL) != 0)
		fail_errno("nanosleep");
	b = now(CLOCK_MONOTONIC, "CLOCK_MONOTONIC");
	printf("monotonic advanced: %s\n", ns(&b) > ns(&a) ? "yes" : "no");
	printf("nanosleep 20 ms slept at least 20 ms: %s\n",
	       ns(&b) - ns(&a) >= 20000000 ? "yes" : "no");
	printf("tv_nsec in range: %s\n",
	       a.tv_nsec >= 0 && a.tv_nsec < 1000000000 ? "yes" : "no");

	a = now(CLOCK_REALTIME, "CLOCK_REALTIME");
	printf("realtime after 2020: %s\n", a.tv_sec > Y2020 ? "yes" : "no");
	if (gettimeofday(&tv, NULL) != 0)
		fail_errno("gettimeofday");
	printf("gettimeofday after 2020: %s\n", tv.tv_sec > Y2020 ? "yes" : "no");
	printf("time after 2020: %s\n", (long long)time(NULL) > Y2020 ? "yes" : "no");

	a = now(CLOCK_BOOTTIME, "CLOCK_BOOTTIME");
	b = now(CLOCK_MONOTONIC_COARSE, "CLOCK_MONOTONIC_COARSE");
	printf("boottime positive: %s\n", ns(&a) > 0 ? "yes" : "no");
	printf("monotonic coarse positive: %s\n", ns(&b) > 0 ? "yes" : "no");
	a = now(CLOCK_PROCESS_CPUTIME_ID, "CLOCK_PROCESS_CPUTIME_ID");
	printf("process cputime not negative: %s\n", ns(&a) >= 0 ? "yes" : "no");

	if (clock_getres(CLOCK_MONOTONIC, &res) != 0)
		fail_errno("clock_getres");
	printf("monotonic resolution at most 1 ms: %s\n",
	       ns(&res) > 0 && ns(&res) <= 1000000 ? "yes" : "no");
	errno = 0;
	printf("bad clock id: %s\n",
	       clock_gettime((clockid_t)12345, &a) == 0 ? "succeeded" : errno_name(errno));
	return 0;
}
