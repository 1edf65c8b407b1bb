/* SPDX-License-Identifier: Apache-2.0 */
#ifndef PARACELL_TOOLS_READFILE_H
#define PARACELL_TOOLS_READFILE_H

#include <stddef.h>

/*
 * Reads the whole regular file path into a malloc'd buffer (*data, *size;
 * *data may be NULL for an empty file). Returns 0 or -errno.
 */
int read_file(const char *path, unsigned char **data, size_t *size);

#endif
