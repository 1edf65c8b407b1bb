/* SPDX-License-Identifier: Apache-2.0 */
/* What the benchmarks share: a clock, and a comparison for qsort. */
#ifndef PARACELL_BENCH_H
#define PARACELL_BENCH_H

#include <time.h>

static inline double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

#endif
