/* SPDX-License-Identifier: Apache-2.0 */
/* One function per command (one file each); main.c dispatches. Each
 * returns the process exit code after reporting any error. */
#ifndef PC_CMD_H
#define PC_CMD_H

#include "container.h"

struct pc_cmd_ctx {
	struct pc_global g;
	const char *argv0;
};

typedef int (*pc_cmd_fn)(struct pc_cmd_ctx *x, int argc, char **argv);

int cmd_create(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_start(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_run(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_state(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_kill(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_delete(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_list(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_ps(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_exec(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_pause(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_resume(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_spec(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_features(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_update(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_events(struct pc_cmd_ctx *x, int argc, char **argv);
int cmd_unsupported(struct pc_cmd_ctx *x, int argc, char **argv);

/* Shared by the command files (cmd_util.c). */
int cmd_fail(void);				/* report the recorded error, return 1 */
int cmd_usage(const char *cmd, const char *fmt);	/* bad arguments */
/* Exactly one ID argument at argv[optind]. */
int cmd_one_id(const char *cmd, int argc, char **argv, const char **id);
/* No options, then exactly one ID. */
int cmd_no_opts(const char *cmd, int argc, char **argv, const char **id);
/* Print JSON like Go's MarshalIndent ("  ") or compact, with a newline. */
void cmd_print_json(json_t *j, int indent);
/* The command's help (runc's NAME, USAGE, OPTIONS) on stdout; -1 when
 * there is no such command (help.c). */
int cmd_help(const char *cmd, const char *summary);
/* -h, --help among the command's options (argv[0] is the command). */
bool cmd_wants_help(const char *cmd, int argc, char **argv);
/* Lock and load, reporting failure. */
int cmd_load(struct pc_cmd_ctx *x, const char *id, struct pc_container *c);

#endif
