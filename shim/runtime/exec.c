// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>

#include "cmd.h"
#include "err.h"

enum { O_CONSOLE = 256, O_CWD, O_PIDFILE, O_LABEL, O_APPARMOR, O_NNP, O_PRESERVE, O_CGROUP,
       O_IGNORE_PAUSED, O_GIDS = 'g' };

static const struct option opts[] = {
	{ "console-socket", required_argument, NULL, O_CONSOLE },
	{ "cwd", required_argument, NULL, O_CWD },
	{ "env", required_argument, NULL, 'e' },
	{ "tty", no_argument, NULL, 't' },
	{ "user", required_argument, NULL, 'u' },
	{ "additional-gids", required_argument, NULL, O_GIDS },
	{ "process", required_argument, NULL, 'p' },
	{ "detach", no_argument, NULL, 'd' },
	{ "pid-file", required_argument, NULL, O_PIDFILE },
	{ "process-label", required_argument, NULL, O_LABEL },
	{ "apparmor", required_argument, NULL, O_APPARMOR },
	{ "no-new-privs", no_argument, NULL, O_NNP },
	{ "cap", required_argument, NULL, 'c' },
	{ "preserve-fds", required_argument, NULL, O_PRESERVE },
	{ "cgroup", required_argument, NULL, O_CGROUP },
	{ "ignore-paused", no_argument, NULL, O_IGNORE_PAUSED },
	{ NULL, 0, NULL, 0 },
};

static int push(const char ***v, size_t *n, const char *s)
{
	const char **nv = realloc(*v, (*n + 2) * sizeof(**v));

	if (!nv)
		return -1;
	nv[(*n)++] = s;
	nv[*n] = NULL;
	*v = nv;
	return 0;
}

int cmd_exec(struct pc_cmd_ctx *x, int argc, char **argv)
{
	struct pc_exec_opts o = { 0 };
	const char **env = NULL, **caps = NULL, **gids = NULL;
	size_t nenv = 0, ncaps = 0, ngids = 0;
	struct pc_container c;
	int ch, status = 0, ret;

	while ((ch = getopt_long(argc, argv, "+e:tu:g:p:dc:", opts, NULL)) != -1) {
		switch (ch) {
		case O_CONSOLE: o.console_socket = optarg; break;
		case O_CWD: o.cwd = optarg; break;
		case 'e': if (push(&env, &nenv, optarg)) goto fail; break;
		case 't': o.tty = true; break;
		case 'u': o.user = optarg; break;
		case 'p': o.process_file = optarg; break;
		case 'd': o.detach = true; break;
		case O_PIDFILE: o.pid_file = optarg; break;
		case O_NNP: o.no_new_privs = true; break;
		case 'c': if (push(&caps, &ncaps, optarg)) goto fail; break;
		case O_PRESERVE: o.preserve_fds = atoi(optarg); break;
		case O_IGNORE_PAUSED: o.ignore_paused = true; break;
		case O_GIDS: if (push(&gids, &ngids, optarg)) goto fail; break;
		case O_LABEL: o.process_label = optarg; break;
		case O_APPARMOR: o.apparmor = optarg; break;
		case O_CGROUP: o.cgroup = optarg; break;
		default:
			ret = cmd_usage("exec", "unknown option");
			goto out;
		}
	}
	if (optind >= argc) {
		ret = cmd_usage("exec", "usage: exec [options] ID [command args...]");
		goto out;
	}
	o.env = env;
	o.caps = caps;
	o.gids = gids;
	o.args = (const char *const *)argv + optind + 1;
	if (cmd_load(x, argv[optind], &c)) {
		pc_err_clear();
		pc_fail(ENOENT, "exec failed: container does not exist");
		goto fail;
	}
	ret = pc_container_exec(&x->g, &c, &o, &status);
	pc_container_release(&c);
	if (ret)
		goto fail;
	ret = status;
	goto out;
fail:
	cmd_fail();
	ret = 255;
out:
	free(env);
	free(caps);
	free(gids);
	return ret;
}
