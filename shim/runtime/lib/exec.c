// SPDX-License-Identifier: Apache-2.0
/* exec: a new process in a running container's namespaces and cgroup,
 * from --process FILE or from the container's own process with the
 * command line's overrides. */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "err.h"
#include "init.h"
#include "json_big.h"
#include "log.h"
#include "lsm.h"
#include "platform.h"
#include "proc.h"
#include "spec.h"
#include "sync.h"
#include "terminal.h"
#include "util.h"

struct exec_ctx {
	struct pc_spec spec;
	json_t *pjson;
	struct pc_process proc;
	int sync[2], console[2];
	int join_fd[PC_MAX_JOIN], join_type[PC_MAX_JOIN], njoin;
	int pidns_fd, root_fd;
	pid_t pid;
	struct pc_xgate xg;
	bool xgate;
};

static int set_user(json_t *p, const char *user)
{
	unsigned int uid, gid = 0;
	int n = sscanf(user, "%u:%u", &uid, &gid);
	json_t *u;

	if (n < 1)
		return pc_fail(EINVAL, "--user must be uid[:gid], got \"%s\"", user);
	u = json_pack("{s:I, s:I}", "uid", (json_int_t)uid, "gid", (json_int_t)gid);
	return u && !json_object_set_new(p, "user", u) ? 0 : -ENOMEM;
}

static int add_caps(json_t *p, const char *const *caps)
{
	static const char *const sets[] = { "bounding", "effective", "permitted", "ambient" };
	json_t *c = json_object_get(p, "capabilities");
	size_t i, k;

	if (!caps || !caps[0])
		return 0;
	if (!json_is_object(c)) {
		c = json_object();
		if (!c || json_object_set_new(p, "capabilities", c))
			return -ENOMEM;
	}
	for (k = 0; k < 4; k++) {
		json_t *a = json_object_get(c, sets[k]);
		if (!json_is_array(a)) {
			a = json_array();
			if (!a || json_object_set_new(c, sets[k], a))
				return -ENOMEM;
		}
		for (i = 0; caps[i]; i++)
			json_array_append_new(a, json_string(caps[i]));
	}
	return 0;
}

/* --additional-gids: each value one gid or a comma-separated list. */
static int add_gids(json_t *p, const char *const *gids)
{
	json_t *u = json_object_get(p, "user"), *a;
	size_t i;

	if (!gids || !gids[0])
		return 0;
	if (!json_is_object(u) && (!(u = json_object()) || json_object_set_new(p, "user", u)))
		return -ENOMEM;
	a = json_object_get(u, "additionalGids");
	if (!json_is_array(a) &&
	    (!(a = json_array()) || json_object_set_new(u, "additionalGids", a)))
		return -ENOMEM;
	for (i = 0; gids[i]; i++) {
		const char *s = gids[i];
		char *end;

		do {
			unsigned long g = strtoul(s, &end, 10);

			if (end == s || (*end && *end != ',') || *s == '-' || g >= UINT32_MAX)
				return pc_fail(EINVAL, "--additional-gids: bad gid list \"%s\"",
					       gids[i]);
			if (json_array_append_new(a, json_integer((json_int_t)g)))
				return -ENOMEM;
			s = end + 1;
		} while (*end);
	}
	return 0;
}

/* The command line's labels and gids, over FILE's process too. */
static int overrides(json_t *p, const struct pc_exec_opts *o)
{
	if ((o->apparmor && json_object_set_new(p, "apparmorProfile", json_string(o->apparmor))) ||
	    (o->process_label &&
	     json_object_set_new(p, "selinuxLabel", json_string(o->process_label))))
		return -ENOMEM;
	return add_gids(p, o->gids);
}

/* The process object: FILE's, or the container's with overrides. */
static int build_process(const struct pc_container *c, const struct pc_exec_opts *o, json_t **out)
{
	json_error_t jerr;
	json_t *p, *a;
	size_t i;
	int ret = -ENOMEM;

	if (o->process_file) {
		p = pc_json_load_file(o->process_file, &jerr);
		if (!p)
			return pc_fail(EINVAL, "process %s: %s", o->process_file, jerr.text);
		*out = p;
		return json_is_object(p) ? overrides(p, o) : 0;
	}
	if (!o->args || !o->args[0])
		return pc_fail(EINVAL, "exec needs a command (or --process FILE)");
	p = json_deep_copy(json_object_get(c->st.config, "process"));
	if (!p)
		p = json_pack("{s:s}", "cwd", "/");
	if (!p)
		return -ENOMEM;
	a = json_array();
	for (i = 0; a && o->args[i]; i++)
		json_array_append_new(a, json_string(o->args[i]));
	if (!a || json_object_set_new(p, "args", a) ||
	    json_object_set_new(p, "terminal", json_boolean(o->tty)))
		goto fail;
	if (o->cwd && json_object_set_new(p, "cwd", json_string(o->cwd)))
		goto fail;
	if (o->env && o->env[0]) {
		json_t *env = json_object_get(p, "env");
		if (!json_is_array(env)) {
			env = json_array();
			if (!env || json_object_set_new(p, "env", env))
				goto fail;
		}
		for (i = 0; o->env[i]; i++)
			json_array_append_new(env, json_string(o->env[i]));
	}
	if (o->no_new_privs && json_object_set_new(p, "noNewPrivileges", json_true()))
		goto fail;
	if ((o->user && (ret = set_user(p, o->user))) || (ret = add_caps(p, o->caps)) ||
	    (ret = overrides(p, o)))
		goto fail;
	*out = p;
	return 0;
fail:
	json_decref(p);
	return ret;
}

static int same_ns(const char *a, const char *b)
{
	struct stat sa, sb;

	return !stat(a, &sa) && !stat(b, &sb) && sa.st_ino == sb.st_ino && sa.st_dev == sb.st_dev;
}

static int open_namespaces(const struct pc_container *c, struct exec_ctx *x)
{
	size_t i;

	for (i = 0; i < x->spec.nnamespaces; i++) {
		int type = x->spec.namespaces[i].type, fd;
		char *mine = pc_strfmt("/proc/self/ns/%s", pc_ns_proc_name(type));
		char *theirs = pc_strfmt("/proc/%d/ns/%s", c->st.pid, pc_ns_proc_name(type));

		if (!mine || !theirs) {
			free(mine);
			free(theirs);
			return -ENOMEM;
		}
		fd = same_ns(mine, theirs) ? -2 : open(theirs, O_RDONLY | O_CLOEXEC);
		free(mine);
		if (fd == -1) {
			int err = errno;
			pc_failx(err, "open %s", theirs);
			free(theirs);
			return -err;
		}
		free(theirs);
		if (fd == -2)
			continue;
		if (type == CLONE_NEWPID) {
			x->pidns_fd = fd;
			continue;
		}
		x->join_fd[x->njoin] = fd;
		x->join_type[x->njoin++] = type;
	}
	return 0;
}

static int prepare(const struct pc_container *c, const struct pc_exec_opts *o, struct exec_ctx *x)
{
	char *text;
	int ret;

	if (pc_container_status(c) == PC_STOPPED)
		return pc_fail(EINVAL, "cannot exec in a stopped container");
	if (pc_container_status(c) == PC_PAUSED && !o->ignore_paused)
		return pc_fail(EINVAL, "cannot exec in a paused container "
			       "(use --ignore-paused to override)");
	text = json_dumps(c->st.config, 0);
	if (!text)
		return pc_fail(EINVAL, "state has no config");
	ret = pc_spec_parse(text, &x->spec);
	free(text);
	if (ret || (ret = build_process(c, o, &x->pjson)) ||
	    (ret = pc_process_parse(x->pjson, &x->proc)))
		return ret;
	if ((ret = pc_lsm_check(&x->proc, NULL)))
		return ret;
	if (x->proc.terminal && o->detach && !o->console_socket)
		return pc_fail(EINVAL, "cannot allocate tty if paracell will detach without "
			       "setting console socket");
	if (x->proc.terminal) {
		if (o->console_socket) {
			x->console[0] = pc_console_connect(o->console_socket);
			if (x->console[0] < 0)
				return x->console[0];
		} else if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, x->console) < 0) {
			return pc_failx(errno, "socketpair");
		}
	}
	if (c->st.platform && !strcmp(c->st.platform, "xgate")) {
		/* the container's platform, whatever this invocation selects */
		if ((ret = pc_platform_check(PC_PLATFORM_XGATE)) ||
		    (ret = pc_xgate_check(NULL, &x->proc, o->preserve_fds)) ||
		    (ret = pc_xgate_prepare(x->spec.seccomp, &x->xg)))
			return ret;
		x->xgate = true;
		pc_log("info", "exec in container %s: platform xgate, backend %s", c->st.id,
		       pc_xgate_backend(&x->xg));
	}
	if ((ret = open_namespaces(c, x)))
		return ret;
	text = pc_strfmt("/proc/%d/root", c->st.pid);
	x->root_fd = text ? open(text, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	ret = x->root_fd < 0 ? pc_failx(errno, "open %s", text ? text : "root") : 0;
	free(text);
	return ret;
}

/* --cgroup SUB: an existing sub-cgroup of the container's, for every
 * controller (runc's CONTROLLER:PATH form is refused). */
static int exec_cgroup(const struct pc_container *c, const char *sub, char **out)
{
	const char *s = sub;

	if (!sub) {
		*out = c->st.cgroup ? strdup(c->st.cgroup) : NULL;
		return c->st.cgroup && !*out ? -ENOMEM : 0;
	}
	while (*s == '/')
		s++;
	if (strchr(s, ':'))
		return pc_fail(ENOTSUP, "exec --cgroup %s: the CONTROLLER:PATH form is not "
			       "supported; give a sub-cgroup for all controllers", sub);
	if (!*s || !strcmp(s, "..") || strstr(s, "../") || strstr(s, "/..") ||
	    !c->st.cgroup || !*c->st.cgroup)
		return pc_fail(EINVAL, "exec --cgroup %s: not a sub-cgroup of the container's", sub);
	*out = pc_strfmt("%s/%s", c->st.cgroup, s);
	return *out ? 0 : -ENOMEM;
}

static int spawn(struct pc_container *c, const struct pc_exec_opts *o, struct exec_ctx *x)
{
	struct pc_init_args a = {
		.proc = &x->proc, .seccomp = x->spec.seccomp, .sync_fd = x->sync[1],
		.fifo_fd = -1, .console_fd = x->console[1] >= 0 ? x->console[1] : x->console[0],
		.close_fd = c->lock_fd, .root_fd = x->root_fd, .njoin = x->njoin,
		.preserve_fds = o->preserve_fds, .xgate = x->xgate ? &x->xg : NULL,
	};
	char *cgroup = NULL;
	int ret;

	memcpy(a.join_fd, x->join_fd, sizeof(a.join_fd));
	memcpy(a.join_type, x->join_type, sizeof(a.join_type));
	if ((ret = exec_cgroup(c, o->cgroup, &cgroup)) || (ret = pc_sync_pair(x->sync))) {
		free(cgroup);
		return ret;
	}
	ret = pc_init_spawn(&a, x->sync, x->pidns_fd, o->detach ? CLONE_PARENT : 0,
			    cgroup, &x->pid);
	free(cgroup);
	return ret;
}

static void ctx_free(struct exec_ctx *x)
{
	int i;

	for (i = 0; i < x->njoin; i++)
		close(x->join_fd[i]);
	for (i = 0; i < 2; i++) {
		if (x->sync[i] >= 0)
			close(x->sync[i]);
		if (x->console[i] >= 0)
			close(x->console[i]);
	}
	if (x->pidns_fd >= 0)
		close(x->pidns_fd);
	if (x->root_fd >= 0)
		close(x->root_fd);
	if (x->xgate)
		pc_xgate_free(&x->xg);
	pc_process_free(&x->proc);
	json_decref(x->pjson);
	pc_spec_free(&x->spec);
}

int pc_container_exec(const struct pc_global *g, struct pc_container *c,
		      const struct pc_exec_opts *o, int *status)
{
	struct exec_ctx x = { .sync = { -1, -1 }, .console = { -1, -1 }, .pidns_fd = -1,
			      .root_fd = -1 };
	int ret, master = -1;

	(void)g;
	*status = 0;
	ret = prepare(c, o, &x);
	if (!ret)
		ret = spawn(c, o, &x);
	if (!ret)
		ret = pc_pid_file(o->pid_file, x.pid);
	if (ret) {
		if (x.pid > 0) {
			kill(x.pid, SIGKILL);
			if (!o->detach)
				waitpid(x.pid, NULL, 0);
		}
		goto out;
	}
	if (o->detach)
		goto out;
	/* the container lock is not held while the process runs */
	close(c->lock_fd);
	c->lock_fd = -1;
	if (x.console[1] >= 0) {
		close(x.console[1]);
		x.console[1] = -1;
		if (!pc_console_recv(x.console[0], &master)) {
			pc_console_relay(master);
			close(master);
		}
	}
	ret = pc_wait_forward(x.pid, status);
out:
	ctx_free(&x);
	return ret;
}
