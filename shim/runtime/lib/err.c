// SPDX-License-Identifier: Apache-2.0
#include "err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char msg[4096];

static int record(int err, int with_errno, const char *fmt, va_list ap)
{
	char now[sizeof(msg)], old[sizeof(msg)];
	int n;

	if (err < 0)
		err = -err;
	if (err == 0)
		err = EINVAL;
	n = vsnprintf(now, sizeof(now), fmt, ap);
	if (with_errno && n >= 0 && (size_t)n < sizeof(now))
		snprintf(now + n, sizeof(now) - n, ": %s", strerror(err));
	if (msg[0]) {
		memcpy(old, msg, sizeof(old));
		snprintf(msg, sizeof(msg), "%.2000s: %.2000s", now, old);
	} else {
		snprintf(msg, sizeof(msg), "%s", now);
	}
	return -err;
}

int pc_fail(int err, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = record(err, 0, fmt, ap);
	va_end(ap);
	return ret;
}

int pc_failx(int err, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = record(err, 1, fmt, ap);
	va_end(ap);
	return ret;
}

const char *pc_err_msg(void)
{
	return msg;
}

void pc_err_clear(void)
{
	msg[0] = '\0';
}
