// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <getopt.h>

#include "cmd.h"

static int freeze(struct pc_cmd_ctx *x, int argc, char **argv, const char *cmd, bool pause)
{
	struct pc_container c;
	const char *id;
	int ret;

	if (cmd_no_opts(cmd, argc, argv, &id) ||
	    cmd_load(x, id, &c))
		return cmd_fail();
	ret = pc_container_pause(&c, pause);
	pc_container_release(&c);
	return ret ? cmd_fail() : 0;
}

int cmd_pause(struct pc_cmd_ctx *x, int argc, char **argv)
{
	return freeze(x, argc, argv, "pause", true);
}

int cmd_resume(struct pc_cmd_ctx *x, int argc, char **argv)
{
	return freeze(x, argc, argv, "resume", false);
}
