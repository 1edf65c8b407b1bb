/* SPDX-License-Identifier: Apache-2.0 */
/* Container cgroups on v1 (one hierarchy per controller under
 * /sys/fs/cgroup/<ctrl>) or v2 (unified at /sys/fs/cgroup). Paths are
 * relative to each hierarchy's root, e.g. "/default/web". */
#ifndef PC_CGROUP_H
#define PC_CGROUP_H

#include <jansson.h>
#include <stdbool.h>
#include <sys/types.h>

extern const char *pc_cgroup_root;	/* "/sys/fs/cgroup"; tests may move it */

/* 1 when the unified hierarchy is mounted at the root, 0 for v1. */
int pc_cgroup_is_v2(void);
/* Create the cgroup (every v1 hierarchy, or the v2 directory with its
 * ancestors' controllers enabled) and apply resources (may be NULL). */
int pc_cgroup_create(const char *path, json_t *resources);
/* Apply linux.resources to an existing cgroup (create, update). */
int pc_cgroup_apply(const char *path, json_t *resources);
int pc_cgroup_enter(const char *path, pid_t pid);
/* Pids in the cgroup (malloc'd array). */
int pc_cgroup_pids(const char *path, pid_t **pids, size_t *n);
int pc_cgroup_freeze(const char *path, bool freeze);
/* 1 frozen, 0 not, -errno when there is no freezer. */
int pc_cgroup_frozen(const char *path);
/* runc's stats object (cpu, memory, pids) read from the cgroup. */
json_t *pc_cgroup_stats(const char *path);
/* Remove the cgroup everywhere with the cgroups made under it, deepest
 * first; what still holds one is thawed and killed. Goes on past an error
 * (the first is returned); absent is fine. */
int pc_cgroup_destroy(const char *path);

#endif
