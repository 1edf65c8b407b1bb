// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <string.h>

#include "ktap.h"

struct ktap_state ktap;

void ktap_plan(int n)
{
	ktap.planned = n;
	printf("TAP version 13\n1..%d\n", n);
	fflush(stdout);
}

static void result(int cond, const char *fmt, va_list ap)
{
	ktap.run++;
	if (!cond)
		ktap.failed++;
	printf("%s %d - ", cond ? "ok" : "not ok", ktap.run);
	vprintf(fmt, ap);
	putchar('\n');
	fflush(stdout);
}

int ktap_check(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	result(cond, fmt, ap);
	va_end(ap);
	return cond;
}

void ktap_diag(const char *fmt, ...)
{
	va_list ap;

	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

void ktap_require(int cond, const char *fmt, ...)
{
	va_list ap;

	if (cond)
		return;
	va_start(ap, fmt);
	result(0, fmt, ap);
	va_end(ap);
	ktap_diag("setup failed (errno %d: %s), stopping", errno,
		  strerror(errno));
	ktap_finish();
}

void ktap_finish(void)
{
	int passed = ktap.run - ktap.failed;

	if (ktap.run != ktap.planned) {
		printf("not ok %d - planned %d checks, ran %d\n", ktap.run + 1,
		       ktap.planned, ktap.run);
		ktap.failed++;
	}
	printf("# totals: pass:%d fail:%d\n", passed, ktap.failed);
	fflush(stdout);
	exit(ktap.failed ? 1 : 0);
}
