// SPDX-License-Identifier: Apache-2.0
/* start, kill, delete, pause/resume, ps and update on a loaded (locked)
 * container, with runc's rules and wording. */
#include "container.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cgroup.h"
#include "err.h"
#include "hooks.h"
#include "log.h"
#include "proc.h"
#include "util.h"

/* Hooks whose failure only warns, the later ones still running
 * (poststart, poststop). */
static void run_hooks(struct pc_container *c, const char *kind)
{
	json_t *hooks = json_object_get(c->st.config, "hooks"), *st;

	if (!json_is_object(hooks) || !json_array_size(json_object_get(hooks, kind)))
		return;
	st = pc_container_state_json(c);
	if (st)
		pc_hooks_run(hooks, kind, st, true);
	json_decref(st);
}

int pc_container_start(struct pc_container *c)
{
	enum pc_status s = pc_container_status(c);
	char *fifo, b;
	struct pollfd p;
	int fd = -1, ret = 0;

	if (s == PC_STOPPED)
		return pc_fail(EINVAL, "cannot start a container that has stopped");
	if (s != PC_CREATED)
		return pc_fail(EINVAL, "cannot start an already running container");
	fifo = pc_strfmt("%s/exec.fifo", c->dir);
	if (!fifo)
		return -ENOMEM;
	fd = open(fifo, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		ret = pc_failx(errno, "open %s", fifo);
		goto out;
	}
	p.fd = fd;
	p.events = POLLIN;
	for (;;) {
		int r = poll(&p, 1, 100);

		if (r < 0 && errno != EINTR) {
			ret = pc_failx(errno, "wait for the container process");
			break;
		}
		if (r > 0 && read(fd, &b, 1) == 1)
			break;
		if (!pc_proc_alive(c->st.pid, c->st.start_time)) {
			ret = pc_fail(ESRCH, "cannot start a container that has stopped");
			break;
		}
	}
	unlink(fifo);
	if (!ret)
		run_hooks(c, "poststart");
out:
	if (fd >= 0)
		close(fd);
	free(fifo);
	return ret;
}

static int kill_all(struct pc_container *c, int sig)
{
	pid_t *pids = NULL;
	size_t i, n = 0;
	int ret;

	ret = c->st.cgroup[0] ? pc_cgroup_pids(c->st.cgroup, &pids, &n) : -ENOENT;
	if (ret == -ENOENT) {
		if (pc_proc_alive(c->st.pid, c->st.start_time))
			kill(c->st.pid, sig);
		return 0;
	}
	if (ret)
		return pc_failx(-ret, "list the container's processes");
	for (i = 0; i < n; i++)
		kill(pids[i], sig);
	free(pids);
	return 0;
}

int pc_container_kill(struct pc_container *c, int sig, bool all)
{
	enum pc_status s = pc_container_status(c);
	int ret;

	if (all) {
		ret = kill_all(c, sig);
		if (!ret && s == PC_PAUSED && sig == SIGKILL)
			pc_cgroup_freeze(c->st.cgroup, false);
		return ret;
	}
	if (s == PC_STOPPED)
		return pc_fail(ESRCH, "container not running");
	if (kill(c->st.pid, sig) < 0)
		return errno == ESRCH ? pc_fail(ESRCH, "container not running")
				      : pc_failx(errno, "kill");
	if (s == PC_PAUSED && sig == SIGKILL)
		pc_cgroup_freeze(c->st.cgroup, false);
	return 0;
}

/* A pid namespace of its own (new, not joined): when its init dies the
 * kernel kills everything in it, so whatever else is in the cgroup is not
 * the container's (another container given the same cgroupsPath). */
static bool private_pidns(const struct pc_container *c)
{
	json_t *ns = json_object_get(json_object_get(c->st.config, "linux"), "namespaces"), *n;
	size_t i;

	json_array_foreach(ns, i, n) {
		json_t *path = json_object_get(n, "path");

		if (json_is_string(json_object_get(n, "type")) &&
		    !strcmp(json_string_value(json_object_get(n, "type")), "pid"))
			return !json_is_string(path) || !*json_string_value(path);
	}
	return false;
}

/* The live processes of the cgroup, zombies left out. */
static size_t live_in_cgroup(const struct pc_container *c, pid_t **pids)
{
	size_t n = 0, i, live = 0;
	unsigned long long st;
	char state;

	if (!c->st.cgroup[0] || pc_cgroup_pids(c->st.cgroup, pids, &n))
		return 0;
	for (i = 0; i < n; i++)
		if (!pc_proc_stat((*pids)[i], &st, &state) && state != 'Z')
			(*pids)[live++] = (*pids)[i];
	return live;
}

static int destroy(struct pc_container *c)
{
	bool own_pidns = private_pidns(c);
	pid_t *pids = NULL;
	size_t n, i, others = 0;
	int ret = 0;

	/* without a pid namespace, children of init can outlive it: all
	 * go; with one, only what is left of the init (its pid in the
	 * cgroup), the rest belongs to others that share the cgroup. A
	 * state without the init's pid tells nothing apart: all go. */
	n = live_in_cgroup(c, &pids);
	for (i = 0; i < n; i++) {
		if (own_pidns && c->st.pid > 0 && pids[i] != c->st.pid)
			others++;
		else
			kill(pids[i], SIGKILL);
	}
	free(pids);
	if (others)	/* runc leaves them running, and the cgroup to its last user */
		pc_log("warning", "cgroup %s is still used by %zu other process(es): left in place",
		       c->st.cgroup, others);
	else if ((ret = pc_cgroup_destroy(c->st.cgroup)))
		return ret;
	run_hooks(c, "poststop");
	ret = pc_rm_rf(c->dir);
	return ret ? pc_failx(-ret, "remove %s", c->dir) : 0;
}

int pc_container_delete(struct pc_container *c, bool force)
{
	enum pc_status s = pc_container_status(c);
	int ret;

	if (s == PC_RUNNING || s == PC_PAUSED) {
		if (!force)
			return pc_fail(EBUSY, "cannot delete container %s that is not stopped: %s",
				       c->st.id, pc_status_name(s));
		/* with its own pid namespace, killing the init (below) kills
		 * the container and nothing else that shares its cgroup */
		if (!private_pidns(c))
			kill_all(c, SIGKILL);
		if (s == PC_PAUSED)
			pc_cgroup_freeze(c->st.cgroup, false);
	}
	if (s != PC_STOPPED) {
		kill(c->st.pid, SIGKILL);
		ret = pc_proc_wait_gone(c->st.pid, c->st.start_time, 10000);
		if (ret)
			return pc_failx(-ret, "wait for container %s to stop", c->st.id);
	}
	return destroy(c);
}

int pc_container_pause(struct pc_container *c, bool pause)
{
	enum pc_status s = pc_container_status(c);

	if (s == PC_STOPPED)
		return pc_fail(EINVAL, "container not running");
	if (pause && s != PC_RUNNING && s != PC_CREATED)
		return pc_fail(EINVAL, "container not running");
	if (!pause && s != PC_PAUSED)
		return pc_fail(EINVAL, "container not paused");
	return pc_cgroup_freeze(c->st.cgroup, pause);
}

int pc_container_pids(const struct pc_container *c, pid_t **pids, size_t *n)
{
	int ret;

	*pids = NULL;
	*n = 0;
	if (pc_container_status(c) == PC_STOPPED)
		return 0;
	ret = pc_cgroup_pids(c->st.cgroup, pids, n);
	return ret ? pc_failx(-ret, "list the processes of cgroup %s", c->st.cgroup) : 0;
}

int pc_container_update(struct pc_container *c, json_t *resources)
{
	if (pc_container_status(c) == PC_STOPPED)
		return pc_fail(EINVAL, "container not running");
	return pc_cgroup_apply(c->st.cgroup, resources);
}

static volatile pid_t forward_to;

static void forward(int sig)
{
	if (forward_to > 0)
		kill(forward_to, sig);
}

int pc_wait_forward(pid_t pid, int *status)
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2,
				    SIGWINCH, SIGCONT };
	struct sigaction sa = { .sa_handler = forward }, old[8];
	size_t i;
	int st, ret = 0;

	forward_to = pid;
	for (i = 0; i < 8; i++)
		sigaction(sigs[i], &sa, &old[i]);
	while (waitpid(pid, &st, 0) < 0) {
		if (errno != EINTR) {
			ret = pc_failx(errno, "wait for %d", pid);
			break;
		}
	}
	for (i = 0; i < 8; i++)
		sigaction(sigs[i], &old[i], NULL);
	forward_to = 0;
	if (!ret)
		*status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	return ret;
}
