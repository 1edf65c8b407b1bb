// SPDX-License-Identifier: Apache-2.0
#include "init.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cgroup.h"
#include "err.h"
#include "fault.h"
#include "hooks.h"
#include "log.h"
#include "lsm.h"
#include "process.h"
#include "rootfs.h"
#include "sync.h"
#include "sysctl.h"
#include "terminal.h"
#include "util.h"

/* The init's /proc/self/fd when its root has no /proc (no mount
 * namespace), or -1. */
static int fd_dir = -1;

int pc_clone(int flags)
{
	long pid = syscall(SYS_clone, (unsigned long)(flags | SIGCHLD), NULL, NULL, NULL, 0);

	return pid < 0 ? -errno : (int)pid;
}

/* Keep the first preserve_fds after stdio free for the program. */
static int lift(int fd, int min)
{
	int nfd;

	if (fd < 0 || fd >= min)
		return fd;
	nfd = fcntl(fd, F_DUPFD_CLOEXEC, min);
	close(fd);
	return nfd;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* Close every fd from min up except those in keep (the runtime's caller
 * may have left fds open without O_CLOEXEC; none reach the container). */
static void close_others(int min, int *keep, int n)
{
	int i, lo = min;

	qsort(keep, (size_t)n, sizeof(int), cmp_int);
	for (i = 0; i < n; i++) {
		if (keep[i] < lo)
			continue;
		if (keep[i] > lo)
			syscall(SYS_close_range, (unsigned)lo, (unsigned)keep[i] - 1, 0);
		lo = keep[i] + 1;
	}
	syscall(SYS_close_range, (unsigned)lo, ~0U, 0);
}

/* The program starts with default dispositions and nothing blocked,
 * whatever the runtime's caller had. */
static void reset_signals(void)
{
	/* the kernel's sigaction: glibc's refuses its own signals (32, 33),
	 * which a caller may have left ignored too */
	struct { void (*handler)(int); unsigned long flags; void (*restorer)(void);
		 unsigned long mask; } dfl = { SIG_DFL, 0, NULL, 0 };
	sigset_t none;
	int sig;

	for (sig = 1; sig <= 64; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			syscall(SYS_rt_sigaction, sig, &dfl, NULL, sizeof(dfl.mask));
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

/* 0: the user namespace (it grants the rights to join the others), 1: the
 * rest, 2: mount (after it, paths resolve in the container) */
static int join_pass(int type)
{
	return type == CLONE_NEWUSER ? 0 : type == CLONE_NEWNS ? 2 : 1;
}

static int join_namespaces(struct pc_init_args *a)
{
	int i, pass;

	if (a->new_user && (setresgid(0, 0, 0) < 0 || setresuid(0, 0, 0) < 0))
		return pc_failx(errno, "become root of the user namespace");
	for (pass = 0; pass < 3; pass++)
		for (i = 0; i < a->njoin; i++) {
			if (join_pass(a->join_type[i]) != pass)
				continue;
			if (setns(a->join_fd[i], a->join_type[i]) < 0)
				return pc_failx(errno, "join namespace (type %#x)", a->join_type[i]);
			close(a->join_fd[i]);
		}
	if (a->unshare_flags && unshare(a->unshare_flags) < 0)
		return pc_failx(errno, "unshare namespaces %#x", a->unshare_flags);
	/* setns(mnt) leaves us at the namespace's root, which is the
	 * container's only if the runtime that created it was not chrooted:
	 * take the init's root instead */
	if (a->root_fd >= 0 && (fchdir(a->root_fd) < 0 || chroot(".") < 0 || chdir("/") < 0))
		return pc_failx(errno, "enter the container's root");
	return 0;
}

static int setup_container(struct pc_init_args *a)
{
	const struct pc_spec *s = a->spec;
	int ret;

	if (s->hostname && (a->unshare_flags & CLONE_NEWUTS) &&
	    sethostname(s->hostname, strlen(s->hostname)) < 0)
		return pc_failx(errno, "sethostname");
	if ((ret = pc_sysctl_apply(s)))
		return ret;
	if (!(a->unshare_flags & CLONE_NEWNS)) {
		/* the runtime's mount namespace (create refused whatever
		 * would mount there): no /proc in the root to reopen the
		 * exec fifo through, so keep this one */
		fd_dir = open("/proc/self/fd", O_PATH | O_DIRECTORY | O_CLOEXEC);
		if (fd_dir < 0)
			return pc_failx(errno, "open /proc/self/fd");
		return pc_rootfs_chroot(a->rootfs);
	}
	return pc_rootfs_prepare(s, a->rootfs, a->bundle, a->cgroup, a->no_pivot);
}

/* After pivot: the console needs the container's devpts. */
static int setup_late(struct pc_init_args *a)
{
	int ret;

	if (a->proc->terminal) {
		if (a->console_fd < 0)
			return pc_fail(EINVAL, "terminal requested without a console socket");
		ret = pc_console_setup(a->console_fd, a->proc->console_height,
				       a->proc->console_width, a->proc->uid);
		if (ret)
			return ret;
		close(a->console_fd);
		a->console_fd = -1;
	}
	if (a->spec && (ret = pc_rootfs_finish(a->spec)))
		return ret;
	return 0;
}

static int wait_start(int fifo_fd)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fifo_fd);
	/* blocks until "start" reads */
	fd = fd_dir >= 0 ? openat(fd_dir, path + 14, O_WRONLY | O_CLOEXEC)
			 : open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return pc_failx(errno, "open exec fifo");
	if (write(fd, "0", 1) != 1) {
		close(fd);
		return pc_failx(errno, "write exec fifo");
	}
	close(fd);
	close(fifo_fd);
	return 0;
}

/* createContainer and startContainer: run inside the container, with a
 * state whose pid is the process's own as the container sees it. */
static int container_hooks(struct pc_init_args *a, const char *kind, const char *status)
{
	json_t *st;
	int ret;

	if (!a->spec || !a->spec->hooks || !json_array_size(json_object_get(a->spec->hooks, kind)))
		return 0;
	st = json_pack("{s:s, s:s, s:i, s:s, s:s}", "ociVersion", "1.0.2-dev", "id", a->id,
		       "pid", (int)getpid(), "status", status, "bundle", a->bundle);
	if (!st)
		return -ENOMEM;
	if (a->spec->annotations)
		json_object_set(st, "annotations", a->spec->annotations);
	ret = pc_hooks_run(a->spec->hooks, kind, st, false);
	json_decref(st);
	return ret;
}

static int init_steps(struct pc_init_args *a, char **path)
{
	int ret;

	if (pc_sync_wait(a->sync_fd, PC_SYNC_GO))
		return -EPIPE;
	if ((ret = join_namespaces(a)))
		return ret;
	if (a->spec && (ret = setup_container(a)))
		return ret;
	if ((ret = setup_late(a)) || (ret = container_hooks(a, "createContainer", "created")))
		return ret;
	if (chdir(a->proc->cwd) < 0)
		return pc_failx(errno, "chdir to cwd (\"%s\") set in config.json", a->proc->cwd);
	if ((ret = pc_process_lookup(a->proc, path)))
		return ret;
	if (a->fifo_fd >= 0 && fd_dir < 0 && access("/proc/self/fd", F_OK) < 0)
		return pc_fail(ENOENT, "the container needs /proc mounted");
	if ((ret = pc_lsm_exec_labels(a->proc)) ||
	    /* under xgate ck applies the profile to the program's calls;
	     * loaded here it would filter ck's own (xgate.h) */
	    (ret = pc_process_identity(a->proc, a->xgate ? NULL : a->seccomp)))
		return ret;
	return 0;
}

void pc_init_run(struct pc_init_args *a)
{
	int min = 3 + a->preserve_fds, ret;
	char *path = NULL;

	if (a->close_fd >= 0)
		close(a->close_fd);
	pc_log_close();	/* errors go to the runtime over sync_fd */
	a->sync_fd = lift(a->sync_fd, min);
	a->fifo_fd = lift(a->fifo_fd, min);
	a->console_fd = lift(a->console_fd, min);
	int keep[PC_MAX_JOIN + 6], n = 0, i;

	keep[n++] = a->sync_fd;
	keep[n++] = a->fifo_fd;
	keep[n++] = a->console_fd;
	keep[n++] = a->root_fd = lift(a->root_fd, min);
	for (i = 0; i < a->njoin; i++)
		keep[n++] = a->join_fd[i] = lift(a->join_fd[i], min);
	if (a->xgate) {
		keep[n++] = a->xgate->ck_fd = lift(a->xgate->ck_fd, min);
		keep[n++] = a->xgate->dev_fd = lift(a->xgate->dev_fd, min);
	}
	close_others(min, keep, n);
	reset_signals();
	pc_err_clear();
	ret = init_steps(a, &path);
	if (ret) {
		pc_sync_send(a->sync_fd, PC_SYNC_ERROR, -ret, pc_err_msg());
		_exit(1);
	}
	/* a runtime that died meanwhile will never record this container;
	 * create's runtime says RUN once state.json holds this process (as
	 * runc's procRun): if it dies first, the EOF ends this process, which
	 * must not outlive a runtime that never recorded it */
	if (pc_sync_send(a->sync_fd, PC_SYNC_READY, 0, NULL))
		_exit(1);
	if (a->fifo_fd >= 0 && pc_sync_wait(a->sync_fd, PC_SYNC_RUN))
		_exit(1);
	close(a->sync_fd);
	if (a->fifo_fd >= 0 && wait_start(a->fifo_fd))
		goto fail;
	if (container_hooks(a, "startContainer", "running"))
		goto fail;
	/* nothing but stdio and the preserved fds reaches the program */
	syscall(SYS_close_range, (unsigned)min, ~0U, 4 /* CLOSE_RANGE_CLOEXEC */);
	if (a->xgate)
		pc_xgate_exec(a->xgate, a->proc, path);
	else
		pc_process_exec(a->proc, path);
fail:
	fprintf(stderr, "paracell: %s\n", pc_err_msg());
	_exit(127);
}

int pc_init_spawn(struct pc_init_args *a, int sync[2], int pidns_fd, int flags,
		  const char *cgroup, pid_t *pid)
{
	int ret;

	a->sync_fd = sync[1];
	if (pidns_fd >= 0 && setns(pidns_fd, CLONE_NEWPID) < 0)
		return pc_failx(errno, "join the pid namespace");
	ret = pc_clone(flags);
	if (ret == -EPERM && (flags & CLONE_NEWUSER))
		return pc_failx(EPERM, "clone the container process into a new user namespace "
				"(refused in a chroot, or by user.max_user_namespaces)");
	if (ret < 0)
		return pc_failx(-ret, "clone the container process");
	if (ret == 0) {
		close(sync[0]);
		pc_init_run(a);
	}
	*pid = ret;
	close(sync[1]);
	sync[1] = -1;
	pc_fault_point("cloned");
	if ((flags & CLONE_NEWUSER) && (ret = pc_process_idmaps(a->spec, *pid)))
		return ret;
	if ((cgroup && cgroup[0] && (ret = pc_cgroup_enter(cgroup, *pid))) ||
	    (ret = pc_process_oom(a->proc, *pid)) || (ret = pc_process_rlimits(a->proc, *pid)))
		return ret;
	if ((ret = pc_sync_send(sync[0], PC_SYNC_GO, 0, NULL)))
		return pc_failx(-ret, "release the container process");
	return pc_sync_wait(sync[0], PC_SYNC_READY);
}
