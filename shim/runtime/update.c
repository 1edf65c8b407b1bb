// SPDX-License-Identifier: Apache-2.0
/* update --resources FILE|- ID: LinuxResources JSON, as containerd's shim
 * sends it. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "err.h"

static const struct option opts[] = {
	{ "resources", required_argument, NULL, 'r' },
	{ NULL, 0, NULL, 0 },
};

int cmd_update(struct pc_cmd_ctx *x, int argc, char **argv)
{
	const char *file = NULL, *id;
	struct pc_container c;
	json_error_t jerr;
	json_t *res;
	int ch, ret;

	while ((ch = getopt_long(argc, argv, "+r:", opts, NULL)) != -1) {
		if (ch != 'r')
			return cmd_usage("update", "only --resources FILE|- is supported");
		file = optarg;
	}
	if (!file)
		return cmd_usage("update", "only --resources FILE|- is supported");
	if (cmd_one_id("update", argc, argv, &id))
		return cmd_fail();
	res = !strcmp(file, "-") ? json_loadf(stdin, 0, &jerr) : json_load_file(file, 0, &jerr);
	if (!res) {
		pc_fail(EINVAL, "update: resources: %s", jerr.text);
		return cmd_fail();
	}
	ret = cmd_load(x, id, &c);
	if (!ret) {
		ret = pc_container_update(&c, res);
		pc_container_release(&c);
	}
	json_decref(res);
	return ret ? cmd_fail() : 0;
}
