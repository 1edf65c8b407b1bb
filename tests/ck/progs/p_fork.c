// SPDX-License-Identifier: Apache-2.0
/*
 * p_fork: fork trees with wait, a pipe between processes, copy-on-write,
 * getppid, process groups and sessions, waitid, vfork and clone without
 * CLONE_VM. Prints only facts that are the same natively and under ck.
 */
#include <sched.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "common.h"

static int global = 1;

/* A tree: each node forks `width` children to `depth`; exit = nodes. */
static int tree(int depth, int width)
{
	int i, st, n = 1;
	pid_t pid;

	if (depth == 0)
		return 1;
	for (i = 0; i < width; i++) {
		pid = fork();
		if (pid < 0)
			fail_errno("fork");
		if (pid == 0)
			_exit(tree(depth - 1, width));
	}
	for (i = 0; i < width; i++) {
		pid = wait(&st);
		check(pid > 0 && WIFEXITED(st), "wait in the tree");
		n += WEXITSTATUS(st);
	}
	return n;
}

int main(void)
{
	int p[2], st;
	pid_t me = getpid(), pid;
	char buf[64] = { 0 };
	siginfo_t si;

	printf("tree of depth 3, width 3: %d processes\n", tree(3, 3));

	check(pipe(p) == 0, "pipe");
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		global = 2;
		dprintf(p[1], "child: ppid is parent %d, global %d",
			getppid() == me, global);
		_exit(7);
	}
	close(p[1]);
	check(read(p[0], buf, sizeof(buf) - 1) > 0, "read the pipe");
	printf("%s\n", buf);
	check(waitpid(pid, &st, 0) == pid, "waitpid");
	printf("child exit %d, parent's global still %d\n", WEXITSTATUS(st),
	       global);

	pid = fork();
	if (pid == 0) {
		pid_t sid = setsid();

		_exit(sid == getpid() && getpgid(0) == getpid() &&
		      getsid(0) == getpid() ? 3 : 4);
	}
	check(waitid(P_PID, pid, &si, WEXITED) == 0, "waitid");
	printf("setsid child: waitid code %s status %d\n",
	       si.si_code == CLD_EXITED ? "CLD_EXITED" : "other", si.si_status);

	pid = fork();
	if (pid == 0) {
		_exit(setpgid(0, 0) == 0 && getpgrp() == getpid() ? 5 : 6);
	}
	check(wait4(pid, &st, 0, NULL) == pid, "wait4");
	printf("setpgid child: %d\n", WEXITSTATUS(st));

	pid = vfork();
	if (pid == 0)
		_exit(9);
	check(waitpid(pid, &st, 0) == pid, "waitpid vfork");
	printf("vfork child: %d\n", WEXITSTATUS(st));

	pid = syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0);
	if (pid == 0)
		_exit(11);
	check(waitpid(pid, &st, 0) == pid, "waitpid clone");
	printf("clone child: %d\n", WEXITSTATUS(st));

	check(waitpid(-1, &st, WNOHANG) < 0 && errno == ECHILD, "no children");
	printf("no children left\n");
	return 0;
}
