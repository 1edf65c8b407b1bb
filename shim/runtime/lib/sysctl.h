/* SPDX-License-Identifier: Apache-2.0 */
/* linux.sysctl: only settings the container's own namespaces hold, as
 * runc allows (checked at create, before anything is set up), then
 * written to /proc/sys inside the container. */
#ifndef PC_SYSCTL_H
#define PC_SYSCTL_H

#include "spec.h"

/* -EINVAL with a message naming the first sysctl that is not namespaced,
 * or whose namespace the container shares with the runtime. */
int pc_sysctl_check(const struct pc_spec *spec);
/* Write them (in the container's namespaces). */
int pc_sysctl_apply(const struct pc_spec *spec);

#endif
