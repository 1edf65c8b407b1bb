/* SPDX-License-Identifier: Apache-2.0 */
/* The last steps before a container process runs its program: rlimits,
 * oom score, user and groups, capabilities (libcap), no_new_privs,
 * seccomp, cwd, and the program's path looked up in the process's PATH. */
#ifndef PC_PROCESS_H
#define PC_PROCESS_H

#include <jansson.h>
#include <sys/types.h>

#include "spec.h"

/* Set by the runtime on the new process pid (before it runs, and from
 * outside any user namespace it is in: raising a hard limit or lowering
 * the oom score needs the host's privileges). */
int pc_process_rlimits(const struct pc_process *p, pid_t pid);
int pc_process_oom(const struct pc_process *p, pid_t pid);
/* uid_map and gid_map of pid's new user namespace. */
int pc_process_idmaps(const struct pc_spec *spec, pid_t pid);
/* Find args[0] like execvp in p->env's PATH; *out is malloc'd. */
int pc_process_lookup(const struct pc_process *p, char **out);
/* Switch to the process's identity and capabilities; seccomp (may be NULL)
 * is loaded at the point runc loads it (before the switch without
 * no_new_privs, last with it). */
int pc_process_identity(const struct pc_process *p, json_t *seccomp);
/* execve the resolved path; returns only on failure. */
/* process.umask, else 022 */
void pc_process_umask(const struct pc_process *p);
int pc_process_exec(const struct pc_process *p, const char *path);

#endif
