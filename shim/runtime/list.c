// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "err.h"
#include "log.h"
#include "util.h"

static const struct option opts[] = {
	{ "format", required_argument, NULL, 'f' },
	{ "quiet", no_argument, NULL, 'q' },
	{ NULL, 0, NULL, 0 },
};

#define NCOL 6

/* Go's tabwriter(minwidth 12, padding 3) as runc uses it. */
static void print_table(char *(*rows)[NCOL], size_t n)
{
	size_t w[NCOL] = { 0 }, i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < NCOL; k++)
			if (strlen(rows[i][k]) + 3 > w[k])
				w[k] = strlen(rows[i][k]) + 3;
	for (k = 0; k < NCOL; k++)
		if (w[k] < 12)
			w[k] = 12;
	for (i = 0; i < n; i++) {
		for (k = 0; k < NCOL - 1; k++)
			printf("%-*s", (int)w[k], rows[i][k]);
		printf("%s\n", rows[i][NCOL - 1]);
	}
}

/* A container whose state cannot be read (a create that died before it
 * wrote any, a damaged file): listed with what is known, its id and
 * owner, as "unknown"; the reason goes to stderr. NULL when its directory
 * is gone (deleted meanwhile). */
static json_t *unreadable(struct pc_cmd_ctx *x, const char *id, struct pc_container *c)
{
	char *msg = strdup(pc_err_msg());

	pc_err_clear();
	memset(c, 0, sizeof(*c));
	c->console = -1;
	c->dir = pc_strfmt("%s/%s", x->g.root, id);
	c->lock_fd = c->dir ? open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
	if (c->lock_fd < 0) {
		free(msg);
		return NULL;
	}
	pc_log("warning", "load container %s: %s", id, msg ? msg : "");
	free(msg);
	return json_pack("{s:s, s:s, s:i, s:s, s:s, s:s, s:s}", "ociVersion", PC_OCI_VERSION,
			 "id", id, "pid", 0, "status", "unknown", "bundle", "", "rootfs", "",
			 "created", "");
}

static int row(struct pc_cmd_ctx *x, const char *id, json_t *arr, char *r[NCOL])
{
	struct pc_container c;
	char *owner;
	json_t *j;

	if (pc_container_load(&x->g, id, &c)) {
		j = unreadable(x, id, &c);
		if (!j) {
			pc_container_release(&c);
			return 1;
		}
	} else {
		j = pc_container_state_json(&c);
	}
	owner = pc_container_owner(&c);
	pc_container_release(&c);
	if (!j || !owner) {
		json_decref(j);
		free(owner);
		return -ENOMEM;
	}
	json_object_set_new(j, "owner", json_string(owner));
	r[0] = strdup(id);
	r[1] = pc_strfmt("%lld", (long long)json_integer_value(json_object_get(j, "pid")));
	r[2] = strdup(json_string_value(json_object_get(j, "status")));
	r[3] = strdup(json_string_value(json_object_get(j, "bundle")));
	r[4] = strdup(json_string_value(json_object_get(j, "created")));
	r[5] = owner;
	json_array_append_new(arr, j);
	return 0;
}

int cmd_list(struct pc_cmd_ctx *x, int argc, char **argv)
{
	char **ids = NULL, *(*rows)[NCOL] = NULL;
	int ch, quiet = 0, json = 0, ret = 0;
	json_t *arr = json_array();
	size_t n = 1, i, k;

	while ((ch = getopt_long(argc, argv, "+f:q", opts, NULL)) != -1) {
		if (ch == 'q')
			quiet = 1;
		else if (ch == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "table")))
			json = !strcmp(optarg, "json");
		else
			return cmd_usage("list", "--format is table or json");
	}
	if (!arr || pc_container_ids(&x->g, &ids))
		goto fail;
	for (i = 0; ids[i]; i++)
		;
	rows = calloc(i + 1, sizeof(*rows));
	if (!rows)
		goto fail;
	rows[0][0] = strdup("ID"); rows[0][1] = strdup("PID"); rows[0][2] = strdup("STATUS");
	rows[0][3] = strdup("BUNDLE"); rows[0][4] = strdup("CREATED"); rows[0][5] = strdup("OWNER");
	for (i = 0; ids[i]; i++) {
		int r = row(x, ids[i], arr, rows[n]);
		if (r < 0)
			goto fail;
		if (r == 0)
			n++;
	}
	if (quiet)
		for (i = 1; i < n; i++)
			printf("%s\n", rows[i][0]);
	else if (json)
		json_array_size(arr) ? cmd_print_json(arr, 0) : (void)printf("null\n");
	else
		print_table(rows, n);
	goto out;
fail:
	ret = cmd_fail();
out:
	for (i = 0; rows && i < n; i++)
		for (k = 0; k < NCOL; k++)
			free(rows[i][k]);
	free(rows);
	for (i = 0; ids && ids[i]; i++)
		free(ids[i]);
	free(ids);
	json_decref(arr);
	return ret;
}
