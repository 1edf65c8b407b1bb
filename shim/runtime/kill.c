// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <getopt.h>
#include <signal.h>

#include "cmd.h"
#include "err.h"
#include "signals.h"

static const struct option opts[] = {
	{ "all", no_argument, NULL, 'a' },
	{ NULL, 0, NULL, 0 },
};

int cmd_kill(struct pc_cmd_ctx *x, int argc, char **argv)
{
	struct pc_container c;
	int all = 0, sig = SIGTERM, ch, ret;
	const char *id;

	while ((ch = getopt_long(argc, argv, "+a", opts, NULL)) != -1) {
		if (ch != 'a')
			return cmd_usage("kill", "unknown option");
		all = 1;
	}
	if (optind >= argc || argc - optind > 2)
		return cmd_usage("kill", "usage: kill [--all] ID [SIGNAL]");
	id = argv[optind];
	if (cmd_load(x, id, &c))
		return cmd_fail();
	if (argc - optind == 2 && (sig = pc_signal_parse(argv[optind + 1])) < 0) {
		pc_container_release(&c);
		return cmd_fail();
	}
	ret = pc_container_kill(&c, sig, all);
	pc_container_release(&c);
	return ret ? cmd_fail() : 0;
}
