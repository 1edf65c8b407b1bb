// SPDX-License-Identifier: Apache-2.0
/* ps: the container's pids as JSON, or the host's "ps -ef" (or the given
 * ps options) filtered to them, like runc. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmd.h"
#include "err.h"

static const struct option opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ NULL, 0, NULL, 0 },
};

static int pid_col(const char *header)
{
	char *h = strdup(header), *tok, *save = NULL;
	int i = 0, col = -1;

	for (tok = h ? strtok_r(h, " \t\n", &save) : NULL; tok;
	     tok = strtok_r(NULL, " \t\n", &save), i++)
		if (!strcmp(tok, "PID")) {
			col = i;
			break;
		}
	free(h);
	return col;
}

static int field_pid(const char *line, int col)
{
	char *l = strdup(line), *tok, *save = NULL;
	int i = 0, pid = -1;

	for (tok = l ? strtok_r(l, " \t\n", &save) : NULL; tok;
	     tok = strtok_r(NULL, " \t\n", &save), i++)
		if (i == col) {
			pid = atoi(tok);
			break;
		}
	free(l);
	return pid;
}

/* Run ps with args (default -ef) and a pipe for its output. */
static FILE *run_ps(int argc, char **argv, pid_t *child)
{
	char **av = calloc((size_t)argc + 3, sizeof(*av));
	int fd[2], i;
	FILE *f;

	if (!av || pipe2(fd, O_CLOEXEC) < 0) {
		free(av);
		return NULL;
	}
	av[0] = "ps";
	for (i = 0; i < argc; i++)
		av[i + 1] = argv[i];
	if (!argc)
		av[1] = "-ef";
	*child = fork();
	if (*child == 0) {
		dup2(fd[1], 1);
		execvp("ps", av);
		_exit(127);
	}
	free(av);
	close(fd[1]);
	if (*child < 0) {
		close(fd[0]);
		return NULL;
	}
	f = fdopen(fd[0], "r");
	if (!f)
		close(fd[0]);
	return f;
}

static int table(pid_t *pids, size_t n, int argc, char **argv)
{
	int col = -1, first = 1, ret = 0, st;
	size_t cap = 0, i;
	char *line = NULL;
	pid_t child;
	FILE *f;

	f = run_ps(argc, argv, &child);
	if (!f)
		return pc_failx(errno, "run ps");
	while (getline(&line, &cap, f) > 0) {
		if (first) {
			first = 0;
			col = pid_col(line);
			if (col < 0) {
				ret = pc_fail(EINVAL, "couldn't find PID field in ps output");
				break;
			}
			fputs(line, stdout);
			continue;
		}
		int pid = field_pid(line, col);
		for (i = 0; i < n; i++)
			if (pids[i] == pid) {
				fputs(line, stdout);
				break;
			}
	}
	free(line);
	fclose(f);
	waitpid(child, &st, 0);
	if (!ret && first)
		ret = pc_fail(EIO, "ps printed nothing");
	return ret;
}

int cmd_ps(struct pc_cmd_ctx *x, int argc, char **argv)
{
	int ch, json = 0, ret;
	struct pc_container c;
	pid_t *pids = NULL;
	size_t n = 0, i;
	json_t *arr;

	while ((ch = getopt_long(argc, argv, "+f:", opts, NULL)) != -1) {
		if (ch == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			json = !strcmp(optarg, "json");
		else
			return cmd_usage("ps", "--format is table or json");
	}
	if (optind >= argc)
		return cmd_usage("ps", "usage: ps [--format F] ID [ps options]");
	if (cmd_load(x, argv[optind], &c))
		return cmd_fail();
	ret = pc_container_pids(&c, &pids, &n);
	pc_container_release(&c);
	if (ret)
		return cmd_fail();
	if (json) {
		arr = json_array();
		for (i = 0; arr && i < n; i++)
			json_array_append_new(arr, json_integer(pids[i]));
		n ? cmd_print_json(arr, 0) : (void)printf("null\n");
		json_decref(arr);
	} else {
		ret = table(pids, n, argc - optind - 1, argv + optind + 1);
	}
	free(pids);
	return ret ? cmd_fail() : 0;
}
