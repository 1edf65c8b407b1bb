/* SPDX-License-Identifier: Apache-2.0 */
/* The last steps before a container process runs its program: rlimits,
 * oom score, user and groups, capabilities (libcap), no_new_privs,
 * seccomp, cwd, and the program's path looked up in the process's PATH. */
#ifndef PC_PROCESS_H
#define PC_PROCESS_H

#include <jansson.h>

#include "spec.h"

int pc_process_rlimits(const struct pc_process *p);
int pc_process_oom(const struct pc_process *p);
/* Find args[0] like execvp in p->env's PATH; *out is malloc'd. */
int pc_process_lookup(const struct pc_process *p, char **out);
/* Switch to the process's identity and capabilities; seccomp (may be NULL)
 * is loaded at the point runc loads it (before the switch without
 * no_new_privs, last with it). */
int pc_process_identity(const struct pc_process *p, json_t *seccomp);
/* execve the resolved path; returns only on failure. */
int pc_process_exec(const struct pc_process *p, const char *path);

#endif
