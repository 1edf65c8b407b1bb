// SPDX-License-Identifier: Apache-2.0
/* Each command's help, as runc prints it for "runc CMD -h" and "runc help
 * CMD": NAME, USAGE and OPTIONS. */
#include <stdio.h>
#include <string.h>

#include "cmd.h"

static const struct {
	const char *name, *usage, *options;
} helps[] = {
	{ "create", "[command options] <container-id>",
	  "   --bundle value, -b value  path to the root of the bundle directory, defaults to the current directory\n"
	  "   --console-socket value    path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal\n"
	  "   --pid-file value          specify the file to write the process id to\n"
	  "   --no-pivot                do not use pivot root to jail process inside rootfs\n"
	  "   --no-new-keyring          accepted; the container keeps the caller's session keyring\n"
	  "   --preserve-fds value      pass N additional file descriptors to the container (default: 0)\n" },
	{ "start", "<container-id>", NULL },
	{ "run", "[command options] <container-id>",
	  "   --bundle value, -b value  path to the root of the bundle directory, defaults to the current directory\n"
	  "   --console-socket value    path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal\n"
	  "   --detach, -d              detach from the container's process\n"
	  "   --keep                    do not delete the container after it exits\n"
	  "   --pid-file value          specify the file to write the process id to\n"
	  "   --no-pivot                do not use pivot root to jail process inside rootfs\n"
	  "   --no-new-keyring          accepted; the container keeps the caller's session keyring\n"
	  "   --preserve-fds value      pass N additional file descriptors to the container (default: 0)\n" },
	{ "state", "<container-id>", NULL },
	{ "kill", "[command options] <container-id> [signal]",
	  "   --all, -a  send the specified signal to all processes inside the container\n" },
	{ "delete", "[command options] <container-id>",
	  "   --force, -f  forcibly delete the container if it is still running (uses SIGKILL)\n" },
	{ "list", "[command options]",
	  "   --format value, -f value  select one of: table or json (default: \"table\")\n"
	  "   --quiet, -q               display only container IDs\n" },
	{ "ps", "[command options] <container-id> [ps options]",
	  "   --format value, -f value  select one of: table or json (default: \"table\")\n" },
	{ "exec", "[command options] <container-id> <command> [command options]  || -p process.json <container-id>",
	  "   --console-socket value             path to an AF_UNIX socket which will receive a file descriptor referencing the master end of the console's pseudoterminal\n"
	  "   --cwd value                        current working directory in the container\n"
	  "   --env value, -e value              set environment variables\n"
	  "   --tty, -t                          allocate a pseudo-TTY\n"
	  "   --user value, -u value             UID (format: <uid>[:<gid>])\n"
	  "   --additional-gids value, -g value  additional gids\n"
	  "   --process value, -p value          path to the process.json\n"
	  "   --detach, -d                       detach from the container's process\n"
	  "   --pid-file value                   specify the file to write the process id to\n"
	  "   --process-label value              set the asm process label for the process commonly used with selinux\n"
	  "   --apparmor value                   set the apparmor profile for the process\n"
	  "   --no-new-privs                     set the no new privileges value for the process\n"
	  "   --cap value, -c value              add a capability to the bounding set for the process\n"
	  "   --preserve-fds value               pass N additional file descriptors to the container (default: 0)\n"
	  "   --cgroup value                     run the process in an (existing) sub-cgroup(s)\n"
	  "   --ignore-paused                    allow exec in a paused container\n" },
	{ "pause", "<container-id>", NULL },
	{ "resume", "<container-id>", NULL },
	{ "update", "[command options] <container-id>",
	  "   --resources value, -r value  path to the file containing the resources to update or '-' to read from the standard input\n"
	  "   --cpu-period value           CPU CFS period to be used for hardcapping (in usecs)\n"
	  "   --cpu-quota value            CPU CFS hardcap limit (in usecs)\n"
	  "   --cpu-shares value           CPU shares (relative weight vs. other containers)\n"
	  "   --cpuset-cpus value          CPU(s) to use\n"
	  "   --cpuset-mems value          memory node(s) to use\n"
	  "   --memory value               memory limit (in bytes)\n"
	  "   --memory-reservation value   memory reservation or soft_limit (in bytes)\n"
	  "   --pids-limit value           maximum number of pids allowed in the container\n" },
	{ "spec", "[command options]",
	  "   --bundle value, -b value  path to the root of the bundle directory\n" },
	{ "features", "", NULL },
	{ "events", "[command options] <container-id>",
	  "   --interval value  set the stats collection interval (default: 5s)\n"
	  "   --stats           display the container's stats then exit\n" },
	{ "checkpoint", "<container-id>", NULL },
	{ "restore", "<container-id>", NULL },
};

int cmd_help(const char *cmd, const char *summary)
{
	size_t i;

	for (i = 0; i < sizeof(helps) / sizeof(helps[0]); i++) {
		if (strcmp(cmd, helps[i].name))
			continue;
		printf("NAME:\n   paracell %s - %s\n\nUSAGE:\n   paracell %s%s%s\n",
		       cmd, summary, cmd, *helps[i].usage ? " " : "", helps[i].usage);
		if (helps[i].options)
			printf("\nOPTIONS:\n%s", helps[i].options);
		return 0;
	}
	return -1;
}

bool cmd_wants_help(const char *cmd, int argc, char **argv)
{
	/* exec's and ps's arguments after the container's id are the
	 * process's: only options before the first argument count there;
	 * the other commands take -h anywhere, as runc's do */
	bool stop = !strcmp(cmd, "exec") || !strcmp(cmd, "ps");
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help") ||
		    !strcmp(argv[i], "-help"))
			return true;
		if (argv[i][0] != '-' && stop)
			break;
	}
	return false;
}
