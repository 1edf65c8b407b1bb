// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cmd.h"
#include "err.h"
#include "log.h"

int cmd_fail(void)
{
	pc_log_error(pc_err_msg());
	pc_err_clear();
	return 1;
}

int cmd_usage(const char *cmd, const char *fmt)
{
	pc_err_clear();
	pc_fail(EINVAL, "%s: %s", cmd, fmt);
	return cmd_fail();
}

int cmd_one_id(const char *cmd, int argc, char **argv, const char **id)
{
	if (optind != argc - 1) {
		pc_err_clear();
		pc_fail(EINVAL, "\"%s\" requires exactly 1 argument(s)", cmd);
		return -EINVAL;
	}
	*id = argv[optind];
	return 0;
}

int cmd_no_opts(const char *cmd, int argc, char **argv, const char **id)
{
	if (getopt(argc, argv, "+") != -1) {
		pc_err_clear();
		pc_fail(EINVAL, "%s takes no options: %s ID", cmd, cmd);
		return -EINVAL;
	}
	return cmd_one_id(cmd, argc, argv, id);
}

void cmd_print_json(json_t *j, int indent)
{
	char *s = json_dumps(j, (indent ? JSON_INDENT(indent) : JSON_COMPACT) |
			     JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);

	if (s)
		printf("%s\n", s);
	free(s);
}

int cmd_load(struct pc_cmd_ctx *x, const char *id, struct pc_container *c)
{
	return pc_container_load(&x->g, id, c);
}
