/* SPDX-License-Identifier: Apache-2.0 */
/* OCI hooks (prestart, createRuntime, poststart, poststop): each runs with
 * the container's state JSON on stdin, in the runtime's namespaces. */
#ifndef PC_HOOKS_H
#define PC_HOOKS_H

#include <jansson.h>
#include <stdbool.h>

/* Run hooks[kind] in order; the first failure stops them and is returned.
 * warn_only (poststart, poststop): as the spec says, a failure is logged as
 * a warning and the hooks after it still run; 0 is returned. */
int pc_hooks_run(json_t *hooks, const char *kind, json_t *state, bool warn_only);

#endif
