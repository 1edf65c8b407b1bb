/* SPDX-License-Identifier: Apache-2.0 */
/* Where the container kernel (ck) is: found next to the runtime binary, so
 * an installed runtime and a build tree each find their own ck (see
 * docs/install.md). The xgate launcher opens what this names. */
#ifndef PC_CKPATH_H
#define PC_CKPATH_H

#include <stddef.h>

/* Relative to the directory of the runtime binary, in order: the installed
 * layout ($(PREFIX)/bin/paracell, $(PREFIX)/lib/paracell/ck), then the
 * build tree (shim/runtime/paracell, shim/guest/build/ck). */
#define PC_CK_INSTALLED "../lib/paracell/ck"
#define PC_CK_BUILD_TREE "../guest/build/ck"

/* The first candidate for exe (the runtime binary's absolute path) that is
 * an executable regular file, canonical, into buf; 0, or -ENOENT (with a
 * message naming where it looked), -ENAMETOOLONG. */
int pc_ck_path_for(const char *exe, char *buf, size_t len);
/* A ck carrying the timing build's marker (include/paracell/ck_timing.h)
 * is refused with -EPERM, one that cannot be read with its errno: the
 * first candidate found decides, the next is not tried. */
/* Same for this process's binary (/proc/self/exe). */
int pc_ck_path(char *buf, size_t len);
/* 1 if the file at path carries the timing build's marker, 0 if not,
 * -errno if it cannot be read. */
int pc_ck_is_timing_build(const char *path);

#endif
