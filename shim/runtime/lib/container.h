/* SPDX-License-Identifier: Apache-2.0 */
/* The runtime's operations on containers. Every call returns 0 or -errno
 * with a message recorded (err.h); nothing here exits the runtime. */
#ifndef PC_CONTAINER_H
#define PC_CONTAINER_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

#include "platform.h"
#include "state.h"

enum pc_status { PC_CREATING, PC_CREATED, PC_RUNNING, PC_PAUSED, PC_STOPPED };

struct pc_global {
	const char *root;		/* --root, default /run/paracell */
	enum pc_platform platform;
	const char *platform_source;	/* "flag", "binary name", ... */
	bool systemd_cgroup;
};

struct pc_container {
	char *dir;		/* <root>/<id> */
	int lock_fd;		/* the directory, flock(LOCK_EX) */
	int console;		/* run -t without a console socket: the pty master */
	struct pc_state st;
};

struct pc_create_opts {
	const char *id, *bundle, *pid_file, *console_socket;
	bool no_pivot;
	bool foreground;	/* run without --detach: the runtime stays the parent */
	int preserve_fds;
};

struct pc_exec_opts {
	const char *process_file;	/* --process FILE, or NULL */
	const char *const *args;	/* inline args when no FILE */
	const char *const *env;		/* --env additions */
	const char *cwd, *user, *pid_file, *console_socket;
	const char *const *caps;	/* --cap additions */
	const char *const *gids;	/* --additional-gids (each "1,2" or "1") */
	const char *apparmor, *process_label;	/* --apparmor, --process-label */
	const char *cgroup;		/* --cgroup: a sub-cgroup of the container's */
	bool tty, detach, no_new_privs, ignore_paused;
	int preserve_fds;
};

const char *pc_status_name(enum pc_status s);
/* "a-Z0-9_+-." and not "." or ".." (runc's rule). */
int pc_id_valid(const char *id);
/* Lock and load <root>/<id>; -ENOENT with "container does not exist". */
int pc_container_load(const struct pc_global *g, const char *id, struct pc_container *c);
void pc_container_release(struct pc_container *c);
/* Remove what a create that died half way left of <root>/<id> (a
 * directory without state.json); nothing else. */
int pc_container_purge(const struct pc_global *g, const char *id);
enum pc_status pc_container_status(const struct pc_container *c);
/* runc's state object, plus "platform". */
json_t *pc_container_state_json(const struct pc_container *c);
/* Ids of every container under root (sorted, NULL-terminated, malloc'd). */
int pc_container_ids(const struct pc_global *g, char ***ids);
/* Owner name of the container's directory (list's OWNER column). */
char *pc_container_owner(const struct pc_container *c);

int pc_container_create(const struct pc_global *g, const struct pc_create_opts *o,
			struct pc_container *c);
int pc_container_start(struct pc_container *c);
int pc_container_kill(struct pc_container *c, int sig, bool all);
int pc_container_delete(struct pc_container *c, bool force);
int pc_container_pause(struct pc_container *c, bool pause);
int pc_container_pids(const struct pc_container *c, pid_t **pids, size_t *n);
int pc_container_update(struct pc_container *c, json_t *resources);
/* Run a process in the container; *status gets its exit code (128+signal)
 * unless detached. */
int pc_container_exec(const struct pc_global *g, struct pc_container *c,
		      const struct pc_exec_opts *o, int *status);
/* Wait for a child the runtime created, forwarding signals; exit code. */
int pc_wait_forward(pid_t pid, int *status);
/* Write a pid file the way containerd reads it (digits, atomic). */
int pc_pid_file(const char *path, pid_t pid);

#endif
