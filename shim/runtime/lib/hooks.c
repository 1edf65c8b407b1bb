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
#include "log.h"

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

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Milliseconds to the deadline (0: none) for poll, at most tick. */
static int until(long long end, int tick)
{
	long long left;

	if (!end)
		return tick;
	left = end - now_ms();
	return left <= 0 ? 0 : left < tick ? (int)left : tick;
}

/* 1 when the hook exited (*status set), 0 while it runs, -errno. */
static int reaped(pid_t pid, int *status)
{
	pid_t r = waitpid(pid, status, WNOHANG);

	if (r == pid)
		return 1;
	return r < 0 && errno != EINTR ? -errno : 0;
}

/* Feed the state to the hook's stdin (fd, non-blocking) and wait for it to
 * exit; past the deadline (ms, 0: none) it is killed. The write must not
 * block: a hook that does not read a state over the pipe's 64 KiB would
 * hold the runtime past its timeout. */
static int feed_and_wait(pid_t pid, int fd, const char *in, size_t len, long long end,
			 int *status)
{
	size_t off = 0;
	int ret;

	for (;;) {
		struct pollfd p = { .fd = fd, .events = POLLOUT };

		if (fd >= 0 && off == len) {
			close(fd);
			fd = -1;
		}
		if (poll(fd >= 0 ? &p : NULL, fd >= 0, until(end, 10)) > 0) {
			ssize_t w = write(fd, in + off, len - off);

			if (w > 0) {
				off += (size_t)w;
			} else if (w < 0 && errno != EAGAIN && errno != EINTR) {
				close(fd);	/* EPIPE: the hook need not read */
				fd = -1;
			}
		}
		if ((ret = reaped(pid, status)))
			break;
		if (end && now_ms() >= end) {
			kill(pid, SIGKILL);
			waitpid(pid, status, 0);
			ret = -ETIMEDOUT;
			break;
		}
	}
	if (fd >= 0)
		close(fd);
	return ret < 0 ? ret : 0;
}

static int run_one(const struct hook *h, const char *input)
{
	int pfd[2], status, ret;
	void (*old)(int);
	pid_t pid;

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
	fcntl(pfd[1], F_SETFL, O_NONBLOCK);
	old = signal(SIGPIPE, SIG_IGN);	/* a hook need not read its stdin */
	ret = feed_and_wait(pid, pfd[1], input, strlen(input),
			    h->timeout > 0 ? now_ms() + h->timeout * 1000LL : 0, &status);
	signal(SIGPIPE, old);
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

int pc_hooks_run(json_t *hooks, const char *kind, json_t *state, bool warn_only)
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
		} else {
			h.timeout = json_is_integer(t) ? (int)json_integer_value(t) : 0;
			if (!(ret = strv(json_object_get(e, "args"), h.path, &h.argv)) &&
			    !(ret = strv(json_object_get(e, "env"), NULL, &h.envp)))
				ret = run_one(&h, input);
			free(h.argv);
			free(h.envp);
			if (ret)
				pc_fail(-ret, "%s hook", kind);
		}
		if (ret && !warn_only)
			break;
		if (ret) {
			pc_log("warning", "%s", pc_err_msg());
			pc_err_clear();
			ret = 0;
		}
	}
	free(input);
	return ret;
}
