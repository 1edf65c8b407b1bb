/* SPDX-License-Identifier: Apache-2.0 */
/* JSON with integers up to UINT64_MAX. jansson's integers are int64 and it
 * refuses larger literals ("too big integer"), while the runtime-spec has
 * uint64 fields that clients fill with UINT64_MAX (RLIM_INFINITY from
 * `docker run --ulimit core=-1:-1`). A pre-scan rewrites each integer
 * literal in (INT64_MAX, UINT64_MAX] into a string that no document can
 * hold otherwise: a NUL followed by the digits. The uint64 getter reads
 * such a string back exactly; every other getter sees a string it refuses.
 * A string of that form already in the text (the runtime's own state.json
 * holds the config so) reads the same; any other "\u0000" is refused, as
 * jansson does by default. */
#ifndef PC_JSON_BIG_H
#define PC_JSON_BIG_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* json_loads(text, 0, err) with big integers kept (see above). */
json_t *pc_json_loads(const char *text, json_error_t *err);
/* The same on a whole file, or on a stream read to its end. */
json_t *pc_json_load_file(const char *path, json_error_t *err);
json_t *pc_json_loadf(FILE *f, json_error_t *err);
/* An integer literal above INT64_MAX, as the loader keeps it. */
bool pc_json_is_big(const json_t *v);
/* A string that is a string in the document (not a big integer). */
bool pc_json_is_str(const json_t *v);
/* A uint64 field: an integer >= 0 or a big one. -EINVAL for another type,
 * -ERANGE for a negative integer. */
int pc_json_u64(const json_t *v, uint64_t *out);

#endif
