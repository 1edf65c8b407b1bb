/* SPDX-License-Identifier: Apache-2.0 */
/* linux.seccomp of config.json, compiled and loaded with libseccomp. */
#ifndef PC_SECCOMP_H
#define PC_SECCOMP_H

#include <jansson.h>

/* Load the profile into the calling thread; NULL loads nothing. */
int pc_seccomp_load(json_t *profile);
/* Check the profile without loading it (create-time validation). */
int pc_seccomp_check(json_t *profile);
/* The profile compiled to classic BPF, hex (ck's --seccomp): *out is
 * malloc'd. */
int pc_seccomp_export_hex(json_t *profile, char **out);

#endif
