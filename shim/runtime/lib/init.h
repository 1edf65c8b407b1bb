/* SPDX-License-Identifier: Apache-2.0 */
/* The container process's side of create and exec, from clone to execve. */
#ifndef PC_INIT_H
#define PC_INIT_H

#include <stdbool.h>
#include <sys/types.h>

#include "spec.h"
#include "xgate.h"

#define PC_MAX_JOIN 8

struct pc_init_args {
	const struct pc_spec *spec;	/* create: the bundle's config; exec: NULL */
	const struct pc_process *proc;
	json_t *seccomp;
	const char *rootfs, *bundle;
	const char *id;		/* create: for the state the container's hooks get */
	int sync_fd;
	int fifo_fd;		/* create: O_PATH exec.fifo; exec: -1 */
	int console_fd;		/* console socket, or -1 */
	int close_fd;		/* the runtime's lock, closed at once; or -1 */
	int root_fd;		/* exec: the init's root (/proc/PID/root), or -1 */
	int join_fd[PC_MAX_JOIN], join_type[PC_MAX_JOIN];
	int njoin;		/* setns these (mount last) */
	int unshare_flags;	/* then unshare these */
	bool new_user;		/* cloned into a new user namespace */
	const char *cgroup;	/* the container's cgroup path */
	bool no_pivot;
	int preserve_fds;
	struct pc_xgate *xgate;	/* platform xgate: ck runs the program; or NULL */
};

/* Runs in the cloned child; never returns. Failures go to the runtime
 * over sync_fd, then _exit(1). */
void pc_init_run(struct pc_init_args *a) __attribute__((noreturn));
/* Clone a process running a (in pidns_fd's pid namespace when >= 0), put
 * it in cgroup (unless NULL or ""), release it and wait until it is set up.
 * sync is the pair from pc_sync_pair (the child's end is closed here); *pid
 * is set as soon as the child exists, so the caller can clean up. A create's
 * child (fifo_fd >= 0) then waits for PC_SYNC_RUN on sync[0], which the
 * caller sends once the container is recorded; it exits if the caller dies
 * before. */
int pc_init_spawn(struct pc_init_args *a, int sync[2], int pidns_fd, int flags,
		  const char *cgroup, pid_t *pid);
/* clone(2) like fork with extra flags (CLONE_NEWPID, CLONE_PARENT). */
int pc_clone(int flags);

#endif
