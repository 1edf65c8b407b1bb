// SPDX-License-Identifier: Apache-2.0
/* paracell: runc's command line over the runtime library. Global flags,
 * platform selection, dispatch; the only place the process exits. */
#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ckpath.h"
#include "cmd.h"
#include "err.h"
#include "log.h"
#include "platform.h"
#include "state.h"

#ifndef PC_VERSION
#define PC_VERSION "unknown"
#endif
#ifndef PC_COMMIT
#define PC_COMMIT "unknown"
#endif

static const struct { const char *name; pc_cmd_fn fn; const char *help; } cmds[] = {
	{ "create", cmd_create, "create a container" },
	{ "start", cmd_start, "run the user process of a created container" },
	{ "run", cmd_run, "create and start a container" },
	{ "state", cmd_state, "output the state of a container" },
	{ "kill", cmd_kill, "send a signal to the container's init (--all: every process)" },
	{ "delete", cmd_delete, "delete a container and what it holds" },
	{ "list", cmd_list, "list the containers under --root" },
	{ "ps", cmd_ps, "list the processes of a container" },
	{ "exec", cmd_exec, "run a new process inside a container" },
	{ "pause", cmd_pause, "freeze every process of a container" },
	{ "resume", cmd_resume, "thaw a paused container" },
	{ "update", cmd_update, "update a container's resource limits" },
	{ "spec", cmd_spec, "write a default config.json" },
	{ "features", cmd_features, "show what this runtime supports" },
	{ "events", cmd_events, "cgroup statistics (--stats: once; else every --interval)" },
	{ "checkpoint", cmd_unsupported, "(not supported)" },
	{ "restore", cmd_unsupported, "(not supported)" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "paracell: OCI runtime with runc's command line (ParaCell)\n\n"
		"usage: paracell [global options] command [options] [arguments]\n\n"
		"global options:\n"
		"  --root DIR         state directory (default /run/paracell)\n"
		"  --log FILE         append log lines to FILE (default: stderr)\n"
		"  --log-format F     text (default) or json\n"
		"  --platform P       xgate (container kernel, needs PKU) or native;\n"
		"                     else the binary's name (paracell-native), else\n"
		"                     \"platform\" in $%s or %s, else xgate\n"
		"  --debug            log at debug level too\n"
		"  --systemd-cgroup, --rootless V, --criu P: as runc\n"
		"  --log_dir, --driver, --kernel, --initrd, --default_cpus,\n"
		"  --default_memory: runV's, accepted and ignored\n"
		"  -v, --version, -h, --help\n\ncommands:\n", PC_CONFIG_ENV, PC_CONFIG_DEFAULT);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-11s %s\n", cmds[i].name, cmds[i].help);
}

/* runc's lines: version, commit, spec, libseccomp (no go) */
static void version(void)
{
	const struct scmp_version *v = seccomp_version();
	char ck[PATH_MAX];

	printf("paracell version %s\ncommit: %s\nspec: %s\n", PC_VERSION, PC_COMMIT,
	       PC_OCI_VERSION);
	if (v)
		printf("libseccomp: %u.%u.%u\n", v->major, v->minor, v->micro);
	if (pc_ck_path(ck, sizeof(ck)) == 0)
		printf("ck: %s\n", ck);
	else
		printf("ck: not found (%s)\n", pc_err_msg());
	pc_err_clear();
}

static int help(const char *cmd)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmd, cmds[i].name))
			return cmd_help(cmd, cmds[i].help);
	pc_fail(EINVAL, "No help topic for '%s'", cmd);
	return cmd_fail();
}

enum { OPT_ROOT = 256, OPT_LOG, OPT_LOGFMT, OPT_DEBUG, OPT_SYSTEMD, OPT_ROOTLESS, OPT_CRIU,
       OPT_PLATFORM, OPT_RUNV };

static const struct option global_opts[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "log-format", required_argument, NULL, OPT_LOGFMT },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ "systemd-cgroup", no_argument, NULL, OPT_SYSTEMD },
	{ "rootless", required_argument, NULL, OPT_ROOTLESS },
	{ "criu", required_argument, NULL, OPT_CRIU },
	{ "platform", required_argument, NULL, OPT_PLATFORM },
	{ "log_dir", required_argument, NULL, OPT_RUNV },
	{ "driver", required_argument, NULL, OPT_RUNV },
	{ "kernel", required_argument, NULL, OPT_RUNV },
	{ "initrd", required_argument, NULL, OPT_RUNV },
	{ "default_cpus", required_argument, NULL, OPT_RUNV },
	{ "default_memory", required_argument, NULL, OPT_RUNV },
	{ "version", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

struct globals {
	const char *log, *platform, *runv;
	int json;
};

static int parse_globals(int argc, char **argv, struct pc_cmd_ctx *x, struct globals *gl)
{
	int c;

	while ((c = getopt_long_only(argc, argv, "+vh", global_opts, NULL)) != -1) {
		switch (c) {
		case OPT_ROOT: x->g.root = optarg; break;
		case OPT_LOG: gl->log = optarg; break;
		case OPT_LOGFMT: gl->json = strcmp(optarg, "text") != 0; break;
		case OPT_DEBUG: pc_log_debug = 1; break;
		case OPT_SYSTEMD: x->g.systemd_cgroup = true; break;
		case OPT_ROOTLESS: case OPT_CRIU: break;
		case OPT_PLATFORM: gl->platform = optarg; break;
		case OPT_RUNV: gl->runv = optarg; break;
		case 'v': version(); return 1;
		case 'h': usage(stdout); return 1;
		default: return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct pc_cmd_ctx x = { .g = { .root = "/run/paracell" }, .argv0 = argv[0] };
	struct globals gl = { .json = 0 };	/* runc's default: text */
	const char *cmd;
	size_t i;
	int r;

	r = parse_globals(argc, argv, &x, &gl);
	if (r)
		return r > 0 ? 0 : 2;
	if (pc_log_open(gl.log, gl.json))
		return cmd_fail();
	if (gl.runv)
		pc_log("warning", "runV options are accepted and ignored by paracell");
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	if (!strcmp(cmd, "help")) {
		/* "help CMD" is CMD's help, as "CMD -h" */
		if (optind + 1 < argc)
			return help(argv[optind + 1]);
		usage(stdout);
		return 0;
	}
	if (cmd_wants_help(cmd, argc - optind, argv + optind))
		return help(cmd);
	pc_log("debug", "paracell %s (commit %s): %s", PC_VERSION, PC_COMMIT, cmd);
	if (pc_platform_select(gl.platform, argv[0], NULL, &x.g.platform, &x.g.platform_source))
		return cmd_fail();
	argc -= optind;
	argv += optind;
	optind = 0;	/* full getopt reinitialisation for the command */
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmd, cmds[i].name)) {
			r = cmds[i].fn(&x, argc, argv);
			pc_log_close();
			return r;
		}
	pc_fail(EINVAL, "No help topic for '%s'", cmd);
	return cmd_fail();
}
