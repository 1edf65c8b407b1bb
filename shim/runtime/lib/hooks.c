// SPDX-License-Identifier: Apache-2.0
#include "hooks.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "err.h"

struct hook {
	const char *path;
	const char **argv, **envp;
	int timeout;		/* seconds, 0: none */
};

static int strv(json_t *arr, const char *first, const char ***out)
{
	size_t i, n = json_array_size(arr);
	const char **v = calloc(n + 2, sizeof(*v));

	if (!v)
		return -ENOMEM;
	for (i = 0; i < n; i++)
		if (!(v[i] = json_string_value(json_array_get(arr, i)))) {
			free(v);
			return pc_fail(EINVAL, "hook: args and env must be strings");
		}
	if (!n && first)
		v[0] = first;
	*out = v;
	return 0;
}

static int wait_timeout(pid_t pid, int secs, int *status)
{
	time_t end = time(NULL) + secs;
	pid_t r;

	for (;;) {
		r = waitpid(pid, status, secs ? WNOHANG : 0);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return -errno;
		if (secs && time(NULL) >= end) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			return -ETIMEDOUT;
		}
		if (secs)
			poll(NULL, 0, 10);
	}
}

static int run_one(const struct hook *h, const char *input)
{
	int pfd[2], status, ret;
	void (*old)(int);
	pid_t pid;
	size_t len = strlen(input);

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return pc_failx(errno, "hook pipe");
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return pc_failx(errno, "fork hook");
	}
	if (pid == 0) {
		dup2(pfd[0], 0);
		execve(h->path, (char *const *)h->argv, (char *const *)h->envp);
		_exit(127);
	}
	close(pfd[0]);
	old = signal(SIGPIPE, SIG_IGN);	/* a hook need not read its stdin */
	if (write(pfd[1], input, len) < 0 && errno != EPIPE)
		pc_failx(errno, "write state to hook");
	close(pfd[1]);
	signal(SIGPIPE, old);
	ret = wait_timeout(pid, h->timeout, &status);
	if (ret == -ETIMEDOUT)
		return pc_fail(ETIMEDOUT, "hook %s timed out", h->path);
	if (ret)
		return pc_failx(-ret, "wait for hook %s", h->path);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		return pc_fail(EIO, "hook %s failed: %s %d", h->path,
			       WIFEXITED(status) ? "exit status" : "signal",
			       WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	return 0;
}

int pc_hooks_run(json_t *hooks, const char *kind, json_t *state)
{
	json_t *list = json_object_get(hooks, kind), *e;
	char *input = NULL;
	size_t i;
	int ret = 0;

	if (!json_array_size(list))
		return 0;
	input = json_dumps(state, JSON_COMPACT);
	if (!input)
		return -ENOMEM;
	json_array_foreach(list, i, e) {
		struct hook h = { .path = json_string_value(json_object_get(e, "path")) };
		json_t *t = json_object_get(e, "timeout");

		if (!h.path) {
			ret = pc_fail(EINVAL, "%s hook %zu has no path", kind, i);
			break;
		}
		h.timeout = json_is_integer(t) ? (int)json_integer_value(t) : 0;
		if ((ret = strv(json_object_get(e, "args"), h.path, &h.argv)))
			break;
		if ((ret = strv(json_object_get(e, "env"), NULL, &h.envp))) {
			free(h.argv);
			break;
		}
		ret = run_one(&h, input);
		free(h.argv);
		free(h.envp);
		if (ret) {
			pc_fail(-ret, "%s hook", kind);
			break;
		}
	}
	free(input);
	return ret;
}
