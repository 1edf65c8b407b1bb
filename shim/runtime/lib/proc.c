// SPDX-License-Identifier: Apache-2.0
#include "proc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util.h"

int pc_proc_stat(pid_t pid, unsigned long long *start_time, char *state)
{
	char path[64], *buf = NULL, *p;
	int i, ret;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ret = pc_read_file(path, &buf, NULL);
	if (ret)
		return ret;
	/* comm may hold spaces and ')': fields start after the last ')' */
	p = strrchr(buf, ')');
	if (!p || p[1] != ' ') {
		ret = -EINVAL;
		goto out;
	}
	p += 2;
	if (state)
		*state = *p;
	for (i = 3; i < 22 && p; i++) {
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p) {
		ret = -EINVAL;
		goto out;
	}
	*start_time = strtoull(p, NULL, 10);
out:
	free(buf);
	return ret;
}

bool pc_proc_alive(pid_t pid, unsigned long long start_time)
{
	unsigned long long st;
	char state;

	if (pid <= 0 || pc_proc_stat(pid, &st, &state))
		return false;
	return st == start_time && state != 'Z' && state != 'X';
}

int pc_proc_wait_gone(pid_t pid, unsigned long long start_time, int ms)
{
	struct timespec ts = { 0, 5 * 1000 * 1000 };
	int waited;

	for (waited = 0; waited <= ms; waited += 5) {
		if (!pc_proc_alive(pid, start_time))
			return 0;
		nanosleep(&ts, NULL);
	}
	return -ETIMEDOUT;
}
