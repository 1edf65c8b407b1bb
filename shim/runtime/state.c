// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <getopt.h>

#include "cmd.h"

int cmd_state(struct pc_cmd_ctx *x, int argc, char **argv)
{
	struct pc_container c;
	const char *id;
	json_t *j;

	if (cmd_no_opts("state", argc, argv, &id) ||
	    cmd_load(x, id, &c))
		return cmd_fail();
	j = pc_container_state_json(&c);
	pc_container_release(&c);
	if (!j)
		return cmd_fail();
	cmd_print_json(j, 2);
	json_decref(j);
	return 0;
}
