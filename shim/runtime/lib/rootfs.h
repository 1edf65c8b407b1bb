/* SPDX-License-Identifier: Apache-2.0 */
/* The container's filesystem view, built inside its new mount namespace:
 * config mounts (paths resolved inside the rootfs with openat2
 * RESOLVE_IN_ROOT), default and config devices, pivot_root, masked and
 * read-only paths, read-only root. */
#ifndef PC_ROOTFS_H
#define PC_ROOTFS_H

#include <stdbool.h>

#include "spec.h"

/* Everything up to and including pivot_root (or MS_MOVE+chroot when
 * no_pivot). bundle resolves relative bind sources; cgroup is the
 * container's cgroup path, bound in where cgroup v1 cannot be mounted (in
 * a user namespace). */
int pc_rootfs_prepare(const struct pc_spec *spec, const char *rootfs,
		      const char *bundle, const char *cgroup, bool no_pivot);
/* At create, before anything is set up: without a mount namespace of its
 * own the container shares the runtime's, which is never changed, so
 * whatever needs a mount there (mounts, masked and read-only paths, a
 * read-only root, rootfsPropagation, devices) is refused, as is joining a
 * mount namespace by path. */
int pc_rootfs_check(const struct pc_spec *spec);
/* Without a mount namespace: chroot into rootfs, nothing mounted. */
int pc_rootfs_chroot(const char *rootfs);
/* After pivot: masked and read-only paths, read-only root, propagation. */
int pc_rootfs_finish(const struct pc_spec *spec);
/* Open path inside the directory rootfd, never leaving it (symlinks and ".."
 * resolve as if rootfd were "/"). */
int pc_open_in_root(int rootfd, const char *path, int flags);

#endif
