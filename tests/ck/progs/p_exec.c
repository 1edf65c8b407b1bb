// SPDX-License-Identifier: Apache-2.0
/*
 * p_exec chain N: execs itself N times (through AT_EXECFN, the path it was
 * run by), each image printing its counter, argv, PCTEST_LEVEL from envp,
 * AT_EXECFN's basename, and that fd 50 (opened O_CLOEXEC by the first
 * image) is closed and fd 51 (plain) kept.
 * p_exec errors: execve of a missing file (ENOENT), of a file without an
 * x bit (EACCES), of garbage with one (ENOEXEC), each returning to the
 * caller; then a `#!` script naming this program with one argument.
 * p_exec spawn: posix_spawn of itself in "show" mode, and its exit status.
 * Files are written in the current directory (the harness's fresh one).
 */
#include <fcntl.h>
#include <spawn.h>
#include <sys/auxv.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "common.h"

extern char **environ;

static const char *base(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "(null)";
}

static void show(int argc, char **argv)
{
	const char *lvl = getenv("PCTEST_LEVEL");

	printf("argc %d argv0 %s", argc, base(argv[0]));
	for (int i = 1; i < argc; i++)
		printf(" [%s]", i == 2 && strchr(argv[i], '/') ? base(argv[i]) : argv[i]);
	printf("\nPCTEST_LEVEL %s AT_EXECFN %s fd50 %s fd51 %s\n",
	       lvl ? lvl : "(unset)",
	       base((const char *)getauxval(AT_EXECFN)),
	       fcntl(50, F_GETFD) < 0 ? "closed" : "open",
	       fcntl(51, F_GETFD) < 0 ? "closed" : "open");
	fflush(stdout);
}

static void try_exec(const char *what, const char *path)
{
	char *argv[] = { (char *)path, NULL };

	execve(path, argv, environ);
	printf("execve %s: %s\n", what, strerror(errno));
}

static void put(const char *name, const char *text, mode_t mode)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0 || write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		fail_errno(name);
	close(fd);
	chmod(name, mode);
}

int main(int argc, char **argv)
{
	const char *self = (const char *)getauxval(AT_EXECFN);
	char env[64], cnt[16], script[4200];

	if (argc >= 2 && !strcmp(argv[1], "show")) {
		show(argc, argv);
		return 3;
	}
	if (argc >= 3 && !strcmp(argv[1], "script-arg")) {
		show(argc, argv);
		return 0;
	}
	if (argc >= 3 && !strcmp(argv[1], "chain")) {
		int n = atoi(argv[2]), k = argc >= 4 ? atoi(argv[3]) : 0;

		show(argc, argv);
		if (k == 0) {
			if (dup3(open("/dev/null", O_RDONLY), 50, O_CLOEXEC) != 50 ||
			    dup2(open("/dev/null", O_RDONLY), 51) != 51)
				fail_errno("dup");
		}
		if (k >= n)
			return 0;
		snprintf(cnt, sizeof(cnt), "%d", k + 1);
		snprintf(env, sizeof(env), "PCTEST_LEVEL=%d", k + 1);
		char *nargv[] = { argv[0], "chain", argv[2], cnt, NULL };
		char *nenv[] = { env, "PCTEST_X=y", NULL };
		execve(self, nargv, nenv);
		fail_errno("execve self");
	}
	if (argc >= 2 && !strcmp(argv[1], "errors")) {
		try_exec("missing", "./missing");
		put("nox", "#!/bin/true\n", 0644);
		try_exec("no x bit", "./nox");
		put("garbage", "\x01\x02garbage, not a program\n", 0755);
		try_exec("garbage", "./garbage");
		snprintf(script, sizeof(script), "#! %s script-arg \n", self);
		put("s.sh", script, 0755);
		char *sargv[] = { "s.sh", "x y", NULL };
		fflush(stdout);
		execve("./s.sh", sargv, environ);
		fail_errno("execve script");
	}
	if (argc >= 2 && !strcmp(argv[1], "spawn")) {
		char *sargv[] = { "child", "show", "spawned", NULL };
		pid_t pid;
		int st, ret = posix_spawn(&pid, self, NULL, NULL, sargv, environ);

		if (ret)
			printf("posix_spawn: %s\n", strerror(ret));
		else if (waitpid(pid, &st, 0) != pid)
			fail_errno("waitpid");
		else
			printf("child exited %d\n", WEXITSTATUS(st));
		return 0;
	}
	fprintf(stderr, "usage: p_exec chain N | errors | spawn\n");
	return 2;
}
