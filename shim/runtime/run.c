// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
#include "err.h"
#include "terminal.h"

int cmd_create_opts(const char *cmd, int argc, char **argv, struct pc_create_opts *o,
		    int *detach, int *keep);

/* run = create + start; without --detach the runtime stays the parent,
 * forwards signals, deletes the container and exits with its status. */
int cmd_run(struct pc_cmd_ctx *x, int argc, char **argv)
{
	struct pc_create_opts o = { 0 };
	struct pc_container c;
	int detach = 0, keep = 0, status = 0, ret, master;
	pid_t pid;

	if (cmd_create_opts("run", argc, argv, &o, &detach, &keep))
		return cmd_fail();
	o.foreground = !detach;
	if (pc_container_create(&x->g, &o, &c))
		return cmd_fail();
	pid = c.st.pid;
	master = c.console;
	c.console = -1;
	ret = pc_container_start(&c);
	if (ret) {
		if (master >= 0)
			close(master);
		pc_container_delete(&c, true);
		pc_container_release(&c);
		return cmd_fail();
	}
	pc_container_release(&c);
	if (detach)
		return 0;
	if (master >= 0) {
		pc_console_relay(master);
		close(master);
	}
	ret = pc_wait_forward(pid, &status);
	if (!keep && !pc_container_load(&x->g, o.id, &c)) {
		if (pc_container_delete(&c, true))
			cmd_fail();
		pc_container_release(&c);
	}
	return ret ? cmd_fail() : status;
}
