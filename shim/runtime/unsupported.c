// SPDX-License-Identifier: Apache-2.0
#include <errno.h>

#include "cmd.h"
#include "err.h"

int cmd_unsupported(struct pc_cmd_ctx *x, int argc, char **argv)
{
	(void)x;
	(void)argc;
	pc_fail(ENOTSUP, "%s is not supported by paracell", argv[0]);
	return cmd_fail();
}
