// SPDX-License-Identifier: Apache-2.0
/*
 * p_count MODE N: N of one operation, for tests/ck/counts.sh, which
 * counts the host syscalls (strace -f -c) against N = 0.
 *   thread N  pthread_create and join of N threads that return at once
 *   fork N    fork of N children that _exit(0), each waited for
 *   exec N    execve of itself N times (counting down), then exit
 *   sleep N   sleep N seconds (for the memory measure)
 * Prints "done".
 */
#include <pthread.h>
#include <sys/auxv.h>
#include <sys/wait.h>
#include <time.h>

#include "common.h"

extern char **environ;

static void *nothing(void *arg)
{
	return arg;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[2]) : 0, i, st;
	const char *mode = argc > 1 ? argv[1] : "";

	if (!strcmp(mode, "thread")) {
		for (i = 0; i < n; i++) {
			pthread_t t;

			if (pthread_create(&t, NULL, nothing, NULL))
				fail_errno("pthread_create");
			pthread_join(t, NULL);
		}
	} else if (!strcmp(mode, "fork")) {
		for (i = 0; i < n; i++) {
			pid_t pid = fork();

			if (pid < 0)
				fail_errno("fork");
			if (!pid)
				_exit(0);
			waitpid(pid, &st, 0);
		}
	} else if (!strcmp(mode, "exec")) {
		if (n > 0) {
			char num[16], *args[] = { argv[0], "exec", num, NULL };

			snprintf(num, sizeof(num), "%d", n - 1);
			execve((const char *)getauxval(AT_EXECFN), args,
			       environ);
			fail_errno("execve");
		}
	} else if (!strcmp(mode, "sleep")) {
		struct timespec ts = { n, 0 };

		nanosleep(&ts, NULL);
	} else {
		fprintf(stderr, "usage: p_count thread|fork|exec|sleep N\n");
		return 2;
	}
	printf("done\n");
	return 0;
}
