// SPDX-License-Identifier: Apache-2.0
/* events [--stats] [--interval 5s] ID: the container's cgroup statistics
 * as runc's {"type":"stats","id":..,"data":{..}} lines; once with --stats,
 * else every interval until the container stops. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cgroup.h"
#include "cmd.h"
#include "err.h"

static const struct option opts[] = {
	{ "stats", no_argument, NULL, 's' },
	{ "interval", required_argument, NULL, 'i' },
	{ NULL, 0, NULL, 0 },
};

/* One stats line; 1 once the container has stopped. */
static int emit(struct pc_cmd_ctx *x, const char *id)
{
	struct pc_container c;
	json_t *j;
	int stopped;

	if (cmd_load(x, id, &c))
		return -1;
	stopped = pc_container_status(&c) == PC_STOPPED;
	j = json_pack("{s:s, s:s, s:o}", "type", "stats", "id", id,
		      "data", pc_cgroup_stats(c.st.cgroup));
	pc_container_release(&c);
	if (!j)
		return -1;
	if (!stopped)
		cmd_print_json(j, 0);
	fflush(stdout);
	json_decref(j);
	return stopped;
}

int cmd_events(struct pc_cmd_ctx *x, int argc, char **argv)
{
	struct timespec ts = { 5, 0 };
	int ch, stats = 0, r;
	const char *id;
	double secs;

	while ((ch = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		if (ch == 's') {
			stats = 1;
		} else if (ch == 'i' && (secs = strtod(optarg, NULL)) > 0) {
			ts.tv_sec = (time_t)secs;
			ts.tv_nsec = (long)((secs - (double)ts.tv_sec) * 1e9);
		} else {
			return cmd_usage("events", "usage: events [--stats] [--interval SECS] ID");
		}
	}
	if (cmd_one_id("events", argc, argv, &id))
		return cmd_fail();
	do {
		r = emit(x, id);
		if (r < 0)
			return cmd_fail();
		if (r > 0 && stats) {
			pc_fail(EINVAL, "container not running");
			return cmd_fail();
		}
	} while (!stats && !r && !nanosleep(&ts, NULL));
	return 0;
}
