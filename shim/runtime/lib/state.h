/* SPDX-License-Identifier: Apache-2.0 */
/* A container's state under --root/<id>/state.json, written atomically. */
#ifndef PC_STATE_H
#define PC_STATE_H

#include <jansson.h>
#include <sys/types.h>

#define PC_OCI_VERSION "1.0.2-dev"

struct pc_state {
	char *id;
	pid_t pid;
	unsigned long long start_time;	/* /proc/<pid>/stat field 22 */
	char *bundle;
	char *rootfs;
	char *created;		/* RFC 3339, nanoseconds */
	char *owner;
	char *platform;
	char *backend;		/* xgate: "module" or "fallback"; else NULL */
	char *cgroup;		/* cgroup path, relative to each hierarchy */
	json_t *annotations;	/* object or NULL */
	json_t *config;		/* the bundle's config.json as created */
};

json_t *pc_state_to_json(const struct pc_state *s);
int pc_state_from_json(json_t *j, struct pc_state *s);
/* dir is the container's directory; the file is dir/state.json. */
int pc_state_save(const char *dir, const struct pc_state *s);
int pc_state_load(const char *dir, struct pc_state *s);
void pc_state_free(struct pc_state *s);

#endif
