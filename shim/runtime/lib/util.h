/* SPDX-License-Identifier: Apache-2.0 */
/* Small file helpers shared by the runtime's modules. */
#ifndef PC_UTIL_H
#define PC_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Read a whole file (NUL-terminated) into *out (malloc'd). */
int pc_read_file(const char *path, char **out, size_t *len);
/* Write data to path.tmp and rename over path (atomic replace). */
int pc_write_atomic(const char *path, const char *data, size_t len, mode_t mode);
/* Write a string to an existing file (cgroup/proc knobs). */
int pc_write_str(const char *path, const char *s);
/* Call fn on each "/"-separated prefix of path, starting after its first
 * skip characters ("/a/b" gives "/a" then "/a/b", last true). fn may
 * modify the prefix only temporarily. Stops at the first non-zero return. */
int pc_each_prefix(const char *path, size_t skip,
		   int (*fn)(char *prefix, bool last, void *arg), void *arg);
/* mkdir -p, like mkdir(1). */
int pc_mkdir_p(const char *path, mode_t mode);
/* Remove a directory tree of plain files and directories. */
int pc_rm_rf(const char *path);
/* asprintf that returns NULL on failure. */
char *pc_strfmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
