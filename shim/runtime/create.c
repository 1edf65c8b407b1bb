// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"
#include "err.h"

enum { O_BUNDLE = 'b', O_CONSOLE = 256, O_PIDFILE, O_NOPIVOT, O_NOKEYRING, O_PRESERVE,
       O_DETACH = 'd', O_KEEP };

static const struct option opts[] = {
	{ "bundle", required_argument, NULL, O_BUNDLE },
	{ "console-socket", required_argument, NULL, O_CONSOLE },
	{ "pid-file", required_argument, NULL, O_PIDFILE },
	{ "no-pivot", no_argument, NULL, O_NOPIVOT },
	{ "no-new-keyring", no_argument, NULL, O_NOKEYRING },
	{ "preserve-fds", required_argument, NULL, O_PRESERVE },
	{ "detach", no_argument, NULL, O_DETACH },
	{ "keep", no_argument, NULL, O_KEEP },
	{ NULL, 0, NULL, 0 },
};

/* Shared by create and run: parse their common flags into o. */
int cmd_create_opts(const char *cmd, int argc, char **argv, struct pc_create_opts *o,
		    int *detach, int *keep)
{
	int c;

	while ((c = getopt_long(argc, argv, "+b:d", opts, NULL)) != -1) {
		switch (c) {
		case O_BUNDLE: o->bundle = optarg; break;
		case O_CONSOLE: o->console_socket = optarg; break;
		case O_PIDFILE: o->pid_file = optarg; break;
		case O_NOPIVOT: o->no_pivot = true; break;
		case O_NOKEYRING: break;
		case O_PRESERVE: o->preserve_fds = atoi(optarg); break;
		case O_DETACH: if (detach) { *detach = 1; break; } goto bad;
		case O_KEEP: if (keep) { *keep = 1; break; } goto bad;
		default:
			goto bad;
		}
	}
	return cmd_one_id(cmd, argc, argv, &o->id);
bad:
	pc_err_clear();
	return pc_fail(EINVAL, "%s: unknown option (see paracell help)", cmd);
}

int cmd_create(struct pc_cmd_ctx *x, int argc, char **argv)
{
	struct pc_create_opts o = { 0 };
	struct pc_container c;

	if (cmd_create_opts("create", argc, argv, &o, NULL, NULL))
		return cmd_fail();
	if (pc_container_create(&x->g, &o, &c))
		return cmd_fail();
	pc_container_release(&c);
	return 0;
}
