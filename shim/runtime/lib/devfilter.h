/* SPDX-License-Identifier: Apache-2.0 */
/* Device rules on cgroup v2: linux.resources.devices compiled to a
 * BPF_PROG_TYPE_CGROUP_DEVICE program and attached to the cgroup. */
#ifndef PC_DEVFILTER_H
#define PC_DEVFILTER_H

#include <jansson.h>

/* Rules as in config.json (plus extra ones appended, e.g. defaults), the
 * last matching one deciding; no match allows only if no rule denies all. */
int pc_devfilter_attach(const char *cgroup_dir, json_t *rules,
			const char *const *extra_allow, size_t nextra);

#endif
