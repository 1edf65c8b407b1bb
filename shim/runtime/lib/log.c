// SPDX-License-Identifier: Apache-2.0
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "err.h"

static int log_fd = -1;
static int log_json;
static int log_closed;	/* the init after clone: nothing more is logged */
int pc_log_debug;

void pc_rfc3339(char *buf, unsigned long len, int nano)
{
	struct timespec ts;
	struct tm tm;
	char base[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	if (nano)
		snprintf(buf, len, "%s.%09ldZ", base, ts.tv_nsec);
	else
		snprintf(buf, len, "%sZ", base);
}

int pc_log_open(const char *path, int json)
{
	log_json = json;
	if (!path || !*path)
		return 0;
	log_fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (log_fd < 0)
		return pc_failx(errno, "open log %s", path);
	return 0;
}

void pc_log_close(void)
{
	if (log_fd >= 0)
		close(log_fd);
	log_fd = -1;
	log_closed = 1;
}

static void write_line(const char *level, const char *msg)
{
	/* without --log, the line goes to stderr, as runc's logrus does */
	int fd = log_fd >= 0 ? log_fd : 2;
	char now[64], *line = NULL;
	json_t *o;
	ssize_t unused;

	if (log_closed)
		return;
	pc_rfc3339(now, sizeof(now), 0);
	if (log_json) {
		o = json_pack("{s:s, s:s, s:s}", "level", level, "msg", msg, "time", now);
		line = o ? json_dumps(o, JSON_COMPACT) : NULL;
		json_decref(o);
		if (!line)
			return;
		unused = dprintf(fd, "%s\n", line);
		free(line);
	} else {
		unused = dprintf(fd, "time=\"%s\" level=%s msg=\"%s\"\n", now, level, msg);
	}
	(void)unused;
}

void pc_log(const char *level, const char *fmt, ...)
{
	char msg[4096];
	va_list ap;

	if (!strcmp(level, "debug") && !pc_log_debug)
		return;
	/* info lines (the container's platform and backend) go to --log
	 * only, or with --debug to stderr: a foreground run's stderr is the
	 * container's */
	if (!strcmp(level, "info") && log_fd < 0 && !pc_log_debug)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	write_line(level, msg);
}

void pc_log_error(const char *msg)
{
	if (!msg || !*msg)
		msg = "unknown error";
	if (log_fd >= 0)
		fprintf(stderr, "%s\n", msg);
	write_line("error", msg);
}
