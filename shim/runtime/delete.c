// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <getopt.h>

#include "cmd.h"
#include "err.h"

static const struct option opts[] = {
	{ "force", no_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

int cmd_delete(struct pc_cmd_ctx *x, int argc, char **argv)
{
	struct pc_container c;
	int force = 0, ch, ret;
	const char *id;

	while ((ch = getopt_long(argc, argv, "+f", opts, NULL)) != -1) {
		if (ch != 'f')
			return cmd_usage("delete", "unknown option");
		force = 1;
	}
	if (cmd_one_id("delete", argc, argv, &id))
		return cmd_fail();
	ret = cmd_load(x, id, &c);
	if (ret == -ENOENT && force) {
		pc_err_clear();	/* the shim deletes --force on every exit */
		pc_container_purge(&x->g, id);
		return 0;
	}
	if (ret)
		return cmd_fail();
	ret = pc_container_delete(&c, force);
	pc_container_release(&c);
	return ret ? cmd_fail() : 0;
}
