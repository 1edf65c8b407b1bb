// SPDX-License-Identifier: Apache-2.0
/*
 * sysatk's attacks through new tasks and images: raw thread clones, a
 * fork child, execve.
 * Modes of sysatk (sysatk.c: the table, and the helpers in sysatk.h).
 */
#include "sysatk.h"

/*
 * Threads (issue #11). A raw clone of a thread, the child running inline:
 * it resumes after the syscall with RAX 0 on stack, issues arch_prctl
 * (ARCH_GET_GS, out) as its first instruction (ck refuses it; the host
 * would answer with ck's GS base), then exit.
 */
#define ARCH_GET_GS_	0x1004
#define THR_FLAGS	(CLONE_VM | CLONE_SIGHAND | CLONE_THREAD)

static long raw_thread(unsigned long flags, void *stack, void *ctid,
		       uint64_t *gs_out)
{
	register long r10 __asm__("r10") = (long)ctid;
	register long r8 __asm__("r8") = 0;
	register long r9 __asm__("r9") = (long)gs_out;
	long ret;

	__asm__ volatile("syscall\n\t"
			 "testq %%rax, %%rax\n\t"
			 "jnz 1f\n\t"
			 "movl $158, %%eax\n\t"	/* arch_prctl */
			 "movl $0x1004, %%edi\n\t"
			 "movq %%r9, %%rsi\n\t"
			 "syscall\n\t"
			 "movl $60, %%eax\n\t"	/* exit */
			 "xorl %%edi, %%edi\n\t"
			 "syscall\n\t"
			 "ud2\n"
			 "1:"
			 : "=a"(ret)
			 : "a"(56), "D"(flags), "S"(stack), "d"(0),
			   "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	return ret;
}

static void *tid_canary(void *arg)
{
	refused(syscall(SYS_set_tid_address, arg),
		"set_tid_address(ck_canary) in a thread");
	syscall(SYS_exit, 0);
	return NULL;
}

int atk_thr(const char *how)
{
	void *canary = (void *)env_addr("CK_CANARY");
	static char stack[65536] __attribute__((aligned(16)));
	static volatile uint64_t gs;
	struct timespec ts = { 0, 200 * 1000 * 1000 };
	long ret;

	if (!strcmp(how, "cleartid")) {
		ret = raw_thread(THR_FLAGS | CLONE_CHILD_CLEARTID,
				 stack + sizeof(stack), canary, (void *)&gs);
		if (ret < 0) {
			errno = (int)-ret;
			ret = -1;
		}
		refused(ret, "clone(CHILD_CLEARTID = ck_canary)");
	} else if (!strcmp(how, "tidaddr")) {
		pthread_t t;

		if (pthread_create(&t, NULL, tid_canary, canary))
			return 2;
	} else if (!strcmp(how, "rawfirst")) {
		ret = raw_thread(THR_FLAGS, stack + sizeof(stack), NULL,
				 (void *)&gs);
		if (ret < 0)
			return 2;
		nanosleep(&ts, NULL);
		if (gs)
			oracle("a new thread's first syscall reached the host "
			       "(GS base %#lx)", (unsigned long)gs);
		else
			say("blocked", "the new thread's raw arch_prctl", NULL);
		return 0;
	} else {
		return 2;
	}
	/* The kernel's CLEARTID write, if any, is done by then. */
	nanosleep(&ts, NULL);
	return 0;
}

/* ---- 11. a fork child (shim/guest/fork.c) ---- */

/*
 * "raw": the child's first instructions after the fork are a raw
 * pkey_alloc (ck denies it: EPERM; the host, which the filter lets ck
 * call it, answers ENOSPC or a key), reported through the exit status.
 * "cell": the child binds 64 pages with MAP_POPULATE (ck's Pager, on the
 * child's cell) and counts its faults on touching them: on the parent's
 * cell, which refuses another mm, the bind does nothing and each touch
 * faults.
 */
int atk_fork(const char *how)
{
	long pid, r2 = 0;
	int st;

	if (!strcmp(how, "raw")) {
		__asm__ volatile("syscall\n\t"
				 "test %%rax, %%rax\n\t"
				 "jnz 1f\n\t"
				 "mov $330, %%eax\n\t"	/* pkey_alloc */
				 "xor %%edi, %%edi\n\t"
				 "xor %%esi, %%esi\n\t"
				 "syscall\n\t"
				 "mov %%rax, %%rdx\n\t"
				 "xor %%eax, %%eax\n"
				 "1:"
				 : "=a"(pid), "=d"(r2)
				 : "a"(57L)
				 : "rcx", "r11", "rdi", "rsi", "memory");
		if (pid == 0)
			_exit(r2 == -EPERM ? 0 : 1);
	} else if (!strcmp(how, "cell")) {
		pid = fork();
		if (pid == 0) {
			struct rusage a, b;
			volatile char *m = mmap(0, 64 * PAGE,
						PROT_READ | PROT_WRITE,
						MAP_PRIVATE | MAP_ANONYMOUS |
						MAP_POPULATE, -1, 0);
			size_t i;

			if (m == MAP_FAILED)
				_exit(2);
			getrusage(RUSAGE_SELF, &a);
			for (i = 0; i < 64; i++)
				m[i * PAGE] = 1;
			getrusage(RUSAGE_SELF, &b);
			_exit(b.ru_minflt - a.ru_minflt > 32 ? 1 : 0);
		}
	} else {
		return 2;
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st) > 1)
		return 2;
	if (WEXITSTATUS(st))
		oracle("fork child (%s): %s", how, !strcmp(how, "raw") ?
		       "its raw pkey_alloc reached the host" :
		       "its Pager binds did nothing (the parent's cell)");
	else
		say("blocked", "fork child", how);
	return 0;
}

/* ---- 12. execve (shim/guest/exec.c) ---- */

extern char **environ;

/*
 * "noexec", "nox": execve of this program's copy on the noexec mount, or
 * of its copy without x bits, which then prints the oracle ("noexec run").
 * "selffd": a fork child's raw execveat of fd 1020 (ck's own binary) with
 * options of its own before "--": EBADF, as for any of ck's fds; without
 * the fd check (mutant FD_HIDE) ck's binary runs as the child's program.
 * "raw": execve of this program again, which as "exec rawfirst" makes a
 * raw pkey_alloc first thing in main (ck denies it: EPERM; without SUD
 * re-armed after the exec, the host answers ENOSPC or a key).
 */
int atk_exec(const char *how)
{
	const char *dir = getenv("NOEXEC") ? getenv("NOEXEC") : ".";
	const char *self = (const char *)getauxval(AT_EXECFN);
	char *run[] = { "sysatk", "noexec", "run", NULL };
	char *raw[] = { "sysatk", "exec", "rawfirst", NULL };
	char path[4096];
	long r;

	if (!strcmp(how, "rawfirst")) {
		__asm__ volatile("syscall"
				 : "=a"(r)
				 : "a"(330L), "D"(0L), "S"(0L)	/* pkey_alloc */
				 : "rcx", "r11", "memory");
		if (r != -EPERM)
			oracle("after execve, a raw pkey_alloc reached the "
			       "host (%ld)", r);
		else
			say("blocked", "raw pkey_alloc after execve", 0);
		return 0;
	}
	if (!strcmp(how, "selffd")) {
		/* ck's own binary on 1020, with options of the program's. */
		char *forged[] = { "ck", "--stats", "--", "/bin/sh", NULL };
		int st;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			r = syscall(SYS_execveat, 1020, "", forged, environ,
				    AT_EMPTY_PATH);
			_exit(r == -1 && errno == EBADF ? 0 : 1);
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid)
			return 2;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
			say("blocked", "execveat(1020, \"\", forged options)",
			    "EBADF");
		else
			oracle("execveat of ck's fd 1020 ran ck's binary "
			       "(status 0x%x)", st);
		return 0;
	}
	if (!strcmp(how, "raw")) {
		fflush(stdout);
		execve(self, raw, environ);
		fprintf(stderr, "sysatk: execve %s: %s\n", self, strerror(errno));
		return 2;
	}
	if (!strcmp(how, "noexec"))
		snprintf(path, sizeof(path), "%s/sysatk", dir);
	else if (!strcmp(how, "nox"))
		snprintf(path, sizeof(path), "%s/../sysatk-nox", dir);
	else
		return 2;
	fflush(stdout);
	r = execve(path, run, environ);
	refused(r, !strcmp(how, "nox") ? "execve of a file without an x bit" :
		"execve of a file on a noexec mount");
	return 0;
}
