// SPDX-License-Identifier: Apache-2.0
/* create: the runtime's side. The container's init is cloned with
 * CLONE_PARENT (the caller's subreaper, e.g. containerd's shim, is its
 * parent from the start), placed in its cgroups, then set up; it waits on
 * <root>/<id>/exec.fifo until "start" opens it. */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "err.h"
#include "fault.h"
#include "hooks.h"
#include "init.h"
#include "log.h"
#include "lsm.h"
#include "platform.h"
#include "proc.h"
#include "rootfs.h"
#include "scmp_profile.h"
#include "spec.h"
#include "sync.h"
#include "sysctl.h"
#include "terminal.h"
#include "util.h"

struct create_ctx {
	struct pc_spec spec;
	char *bundle, *rootfs, *cgroup;
	int fifo_fd, console_fd, relay_fd, sync[2];
	bool made_dir, made_cgroup;
	pid_t pid;
	int join_fd[PC_MAX_JOIN], join_type[PC_MAX_JOIN], njoin;
	int pidns_fd;
	struct pc_xgate xg;
	bool xgate;
};

static int resolve_paths(struct create_ctx *x, const struct pc_create_opts *o)
{
	char buf[PATH_MAX];
	char *cfg;
	int ret;

	if (!realpath(o->bundle ? o->bundle : ".", buf))
		return pc_failx(errno, "bundle %s", o->bundle ? o->bundle : ".");
	x->bundle = strdup(buf);
	cfg = pc_strfmt("%s/config.json", buf);
	if (!x->bundle || !cfg) {
		free(cfg);
		return -ENOMEM;
	}
	ret = pc_spec_load(cfg, &x->spec);
	free(cfg);
	if (ret)
		return ret;
	if (!x->spec.has_process)
		return pc_fail(EINVAL, "config: process is required");
	cfg = x->spec.root_path[0] == '/' ? strdup(x->spec.root_path)
					  : pc_strfmt("%s/%s", x->bundle, x->spec.root_path);
	if (!cfg)
		return -ENOMEM;
	if (!realpath(cfg, buf)) {
		ret = pc_failx(errno, "rootfs %s", cfg);
		free(cfg);
		return ret;
	}
	free(cfg);
	x->rootfs = strdup(buf);
	return x->rootfs ? 0 : -ENOMEM;
}

/* Namespaces given by path are opened now (a bad path fails create before
 * anything runs); the rest are new. */
static int plan_namespaces(struct create_ctx *x, int *clone_flags, int *unshare_flags)
{
	size_t i;

	for (i = 0; i < x->spec.nnamespaces; i++) {
		const struct pc_namespace *n = &x->spec.namespaces[i];
		int fd;

		if (!n->path) {
			/* pid and user at clone: the pid namespace then belongs
			 * to the new user namespace, as do those unshared later */
			if (n->type == CLONE_NEWPID || n->type == CLONE_NEWUSER)
				*clone_flags |= n->type;
			else
				*unshare_flags |= n->type;
			continue;
		}
		fd = open(n->path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return pc_failx(errno, "open namespace %s", n->path);
		if (n->type == CLONE_NEWPID) {
			x->pidns_fd = fd;
			continue;
		}
		x->join_fd[x->njoin] = fd;
		x->join_type[x->njoin++] = n->type;
	}
	return 0;
}

static int make_state_dir(const struct pc_global *g, const char *id, struct pc_container *c,
			  struct create_ctx *x)
{
	int ret;

	ret = pc_mkdir_p(g->root, 0711);
	if (ret)
		return pc_failx(-ret, "create root %s", g->root);
	c->dir = pc_strfmt("%s/%s", g->root, id);
	if (!c->dir)
		return -ENOMEM;
	if (mkdir(c->dir, 0711) < 0)
		return errno == EEXIST ? pc_fail(EEXIST, "container with given ID already exists")
				       : pc_failx(errno, "create %s", c->dir);
	x->made_dir = true;
	c->lock_fd = open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->lock_fd < 0 || flock(c->lock_fd, LOCK_EX) < 0)
		return pc_failx(errno, "lock %s", c->dir);
	return 0;
}

static int make_fifo(struct pc_container *c, struct create_ctx *x)
{
	char *path = pc_strfmt("%s/exec.fifo", c->dir);
	int ret = 0;

	if (!path)
		return -ENOMEM;
	/* 0622: the program's user (any uid) opens it to write; only root reads */
	if (mkfifo(path, 0622) < 0 || chmod(path, 0622) < 0)
		ret = pc_failx(errno, "mkfifo %s", path);
	else if ((x->fifo_fd = open(path, O_PATH | O_CLOEXEC)) < 0)
		ret = pc_failx(errno, "open %s", path);
	free(path);
	return ret;
}

static int spawn(const struct pc_create_opts *o, struct pc_container *c, struct create_ctx *x,
		 int clone_flags, int unshare_flags)
{
	struct pc_init_args a = {
		.spec = &x->spec, .proc = &x->spec.process, .seccomp = x->spec.seccomp,
		.rootfs = x->rootfs, .bundle = x->bundle, .id = o->id, .sync_fd = x->sync[1],
		.fifo_fd = x->fifo_fd, .console_fd = x->console_fd, .close_fd = c->lock_fd,
		.root_fd = -1, .njoin = x->njoin, .unshare_flags = unshare_flags,
		.new_user = (clone_flags & CLONE_NEWUSER) != 0, .cgroup = x->cgroup,
		.no_pivot = o->no_pivot,
		.preserve_fds = o->preserve_fds, .xgate = x->xgate ? &x->xg : NULL,
	};

	memcpy(a.join_fd, x->join_fd, sizeof(a.join_fd));
	memcpy(a.join_type, x->join_type, sizeof(a.join_type));
	return pc_init_spawn(&a, x->sync, x->pidns_fd,
			     clone_flags | (o->foreground ? 0 : CLONE_PARENT), x->cgroup, &x->pid);
}

/* prestart and createRuntime: the container exists (namespaces, mounts),
 * its program has not started. A failing one fails create. */
static int run_create_hooks(struct pc_container *c, struct create_ctx *x)
{
	json_t *st;
	int ret;

	if (!x->spec.hooks)
		return 0;
	st = pc_container_state_json(c);
	if (!st)
		return -ENOMEM;
	ret = pc_hooks_run(x->spec.hooks, "prestart", st, false);
	if (!ret)
		ret = pc_hooks_run(x->spec.hooks, "createRuntime", st, false);
	json_decref(st);
	return ret;
}

/* What state.json records, saved at once with no process (pid 0): before
 * anything outside the state directory exists, so that a create killed at
 * any later step leaves a container that list shows and delete --force
 * removes (its cgroup with it). */
static int record(const struct pc_global *g, const struct pc_create_opts *o,
		  struct pc_container *c, struct create_ctx *x)
{
	char created[64];

	pc_rfc3339(created, sizeof(created), 1);
	c->st.id = strdup(o->id);
	c->st.bundle = strdup(x->bundle);
	c->st.rootfs = strdup(x->rootfs);
	c->st.created = strdup(created);
	c->st.owner = strdup("");
	c->st.platform = strdup(pc_platform_name(g->platform));
	c->st.cgroup = strdup(x->cgroup);
	if (x->xgate && !(c->st.backend = strdup(pc_xgate_backend(&x->xg))))
		return -ENOMEM;
	if (!c->st.id || !c->st.bundle || !c->st.rootfs || !c->st.created ||
	    !c->st.owner || !c->st.platform || !c->st.cgroup)
		return -ENOMEM;
	if (x->spec.annotations)
		c->st.annotations = json_incref(x->spec.annotations);
	c->st.config = json_incref(x->spec.json);
	return pc_state_save(c->dir, &c->st);
}

/* The init is set up and waits for RUN: record its pid, run the create
 * hooks, then let it go on to wait for start. The state is committed
 * before the init is released, as runc saves it before procRun: if the
 * runtime dies before RUN, the init exits on its own. */
static int commit(const struct pc_create_opts *o, struct pc_container *c, struct create_ctx *x)
{
	int ret;

	c->st.pid = x->pid;
	ret = pc_proc_stat(x->pid, &c->st.start_time, NULL);
	if (ret)
		return pc_failx(-ret, "read /proc/%d/stat", x->pid);
	if ((ret = pc_state_save(c->dir, &c->st)))
		return ret;
	pc_fault_point("recorded");
	if ((ret = run_create_hooks(c, x)) || (ret = pc_pid_file(o->pid_file, x->pid)))
		return ret;
	pc_fault_point("hooked");
	ret = pc_sync_send(x->sync[0], PC_SYNC_RUN, 0, NULL);
	return ret ? pc_failx(-ret, "release the container process") : 0;
}

/* The console socket, or for run -t without one a socketpair whose other
 * end brings the pty master back to the runtime, which relays it. */
static int open_console(const struct pc_create_opts *o, struct create_ctx *x)
{
	int sv[2];

	if (o->console_socket) {
		x->console_fd = pc_console_connect(o->console_socket);
		return x->console_fd < 0 ? x->console_fd : 0;
	}
	if (!x->spec.process.terminal)
		return 0;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
		return pc_failx(errno, "socketpair");
	x->relay_fd = sv[0];
	x->console_fd = sv[1];
	return 0;
}

static void undo(struct pc_container *c, struct create_ctx *x, bool foreground)
{
	unsigned long long start;

	if (x->pid > 0 && !pc_proc_stat(x->pid, &start, NULL)) {
		kill(x->pid, SIGKILL);
		if (foreground)
			waitpid(x->pid, NULL, 0);
		else
			pc_proc_wait_gone(x->pid, start, 2000);
	}
	if (x->made_cgroup)
		pc_cgroup_destroy(x->cgroup);
	if (x->made_dir)
		pc_rm_rf(c->dir);
	pc_container_release(c);
}

static void ctx_free(struct create_ctx *x)
{
	int i;

	for (i = 0; i < x->njoin; i++)
		close(x->join_fd[i]);
	if (x->pidns_fd >= 0)
		close(x->pidns_fd);
	if (x->fifo_fd >= 0)
		close(x->fifo_fd);
	if (x->console_fd >= 0)
		close(x->console_fd);
	if (x->relay_fd >= 0)
		close(x->relay_fd);
	for (i = 0; i < 2; i++)
		if (x->sync[i] >= 0)
			close(x->sync[i]);
	if (x->xgate)
		pc_xgate_free(&x->xg);
	free(x->bundle);
	free(x->rootfs);
	free(x->cgroup);
	pc_spec_free(&x->spec);
}

/* The config's devices are usable in the container: append an allow rule
 * for each to the device cgroup rules (as runc does). */
static int allow_devices(struct create_ctx *x)
{
	json_t *res, *rules;
	size_t i;

	if (!x->spec.ndevices)
		return 0;
	res = x->spec.resources ? x->spec.resources : json_object();
	rules = json_object_get(res, "devices");
	if (!json_is_array(rules)) {
		rules = json_array();
		if (!rules || json_object_set_new(res, "devices", rules))
			return -ENOMEM;
	}
	for (i = 0; i < x->spec.ndevices; i++) {
		const struct pc_device *d = &x->spec.devices[i];
		char type[2] = { d->type == 'u' ? 'c' : d->type, '\0' };

		if (d->type == 'p')
			continue;
		json_array_append_new(rules, json_pack("{s:b, s:s, s:I, s:I, s:s}", "allow", 1,
						       "type", type, "major", (json_int_t)d->major,
						       "minor", (json_int_t)d->minor, "access", "rwm"));
	}
	if (!x->spec.resources) {
		/* keep it alive in the document, as resources always is */
		json_object_set_new(json_object_get(x->spec.json, "linux"), "resources", res);
		x->spec.resources = res;
	}
	return 0;
}

static int prepare(const struct pc_global *g, const struct pc_create_opts *o, struct create_ctx *x,
		   int *clone_flags, int *unshare_flags)
{
	int ret;

	if ((ret = pc_id_valid(o->id)) || (ret = pc_platform_check(g->platform)))
		return ret;
	if (g->systemd_cgroup)
		return pc_fail(ENOTSUP, "--systemd-cgroup is not supported");
	if ((ret = resolve_paths(x, o)) || (ret = pc_seccomp_check(x->spec.seccomp)) ||
	    (ret = pc_sysctl_check(&x->spec)) || (ret = pc_rootfs_check(&x->spec)) ||
	    (ret = pc_lsm_check(&x->spec.process, x->spec.mount_label)))
		return ret;
	if (x->spec.process.terminal && !o->console_socket && !o->foreground)
		return pc_fail(EINVAL, "cannot allocate tty if paracell will detach without "
			       "setting console socket");
	if (!x->spec.process.terminal && o->console_socket)
		return pc_fail(EINVAL, "cannot use console socket if paracell will not detach "
			       "or allocate tty");
	/* the cgroup's path under any hierarchy must fit a path */
	if (x->spec.cgroups_path && strnlen(x->spec.cgroups_path, PATH_MAX) >= PATH_MAX - 64)
		return pc_fail(ENAMETOOLONG, "config: linux.cgroupsPath is longer than %d bytes",
			       PATH_MAX - 64);
	x->cgroup = x->spec.cgroups_path && *x->spec.cgroups_path
		    ? (x->spec.cgroups_path[0] == '/' ? strdup(x->spec.cgroups_path)
						      : pc_strfmt("/%s", x->spec.cgroups_path))
		    : pc_strfmt("/%s", o->id);
	if (!x->cgroup)
		return -ENOMEM;
	if ((ret = allow_devices(x)) || (ret = plan_namespaces(x, clone_flags, unshare_flags)))
		return ret;
	if (g->platform != PC_PLATFORM_XGATE)
		return 0;
	/* last: a refusal above leaves no memfd or device fd to close */
	if ((ret = pc_xgate_check(&x->spec, &x->spec.process, o->preserve_fds)) ||
	    (ret = pc_xgate_prepare(x->spec.seccomp, &x->xg)))
		return ret;
	x->xgate = true;
	pc_log("info", "container %s: platform xgate, backend %s", o->id,
	       pc_xgate_backend(&x->xg));
	return 0;
}

int pc_container_create(const struct pc_global *g, const struct pc_create_opts *o,
			struct pc_container *c)
{
	struct create_ctx x = { .fifo_fd = -1, .console_fd = -1, .relay_fd = -1,
				.sync = { -1, -1 }, .pidns_fd = -1 };
	int clone_flags = 0, unshare_flags = 0, ret;

	memset(c, 0, sizeof(*c));
	c->lock_fd = c->console = -1;
	ret = prepare(g, o, &x, &clone_flags, &unshare_flags);
	if (ret)
		goto fail;
	if ((ret = make_state_dir(g, o->id, c, &x)) || (ret = make_fifo(c, &x)))
		goto fail;
	pc_fault_point("dir");
	if ((ret = open_console(o, &x)) || (ret = record(g, o, c, &x)))
		goto fail;
	pc_fault_point("state");
	ret = pc_cgroup_create(x.cgroup, x.spec.resources);
	if (ret)
		goto fail;
	x.made_cgroup = true;
	pc_fault_point("cgroup");
	if ((ret = pc_sync_pair(x.sync)) ||
	    (ret = spawn(o, c, &x, clone_flags, unshare_flags)))
		goto fail;
	pc_fault_point("ready");
	if ((x.relay_fd >= 0 && (ret = pc_console_recv(x.relay_fd, &c->console))) ||
	    (ret = commit(o, c, &x)))
		goto fail;
	pc_fault_point("released");
	ctx_free(&x);
	return 0;
fail:
	undo(c, &x, o->foreground);
	ctx_free(&x);
	return ret;
}
