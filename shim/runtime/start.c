// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <getopt.h>

#include "cmd.h"

int cmd_start(struct pc_cmd_ctx *x, int argc, char **argv)
{
	struct pc_container c;
	const char *id;
	int ret;

	if (cmd_no_opts("start", argc, argv, &id) ||
	    cmd_load(x, id, &c))
		return cmd_fail();
	ret = pc_container_start(&c);
	pc_container_release(&c);
	return ret ? cmd_fail() : 0;
}
