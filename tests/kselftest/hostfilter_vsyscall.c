// SPDX-License-Identifier: Apache-2.0
/*
 * ck's host seccomp filter against the legacy entry paths that only a VM
 * booted with "vsyscall=xonly syscall.x32=y" has: the vsyscall page (whose
 * emulation bypasses Syscall User Dispatch but runs seccomp), x32 calls and
 * int 0x80. Each kill has a control: the same call in a child without a
 * filter must work, or the kill proves nothing (then: not ok, the VM was
 * booted wrong). The hostfilter-test-vsys variant also allows time,
 * gettimeofday and getcpu, so its vsyscall kill comes from the raw guard
 * alone; hostfilter-test-noguard, without the guard, must let it through.
 * Needs no module: scripts/testvm --no-module --append "vsyscall=xonly
 * syscall.x32=y" -- tests/kselftest/hostfilter_vsyscall
 */
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "install.h"
#include "hostfilter-test-noguard.h"
#include "hostfilter-test-vsys.h"
#include "filter_child.h"
#include "ktap.h"

#define X32_BIT 0x40000000L
#define I386_GETPID 20L
#define VSYS_GETTIMEOFDAY 0xffffffffff600000UL
#define VSYS_TIME 0xffffffffff600400UL
#define VSYS_GETCPU 0xffffffffff600800UL

#include "raw_syscall6.h"

static long mypid(void)
{
	return ck_syscall6(__NR_getpid, 0, 0, 0, 0, 0, 0);
}

/* Each action returns 0 if the call worked. */
static int vsys_time(void)
{
	return ((time_t(*)(time_t *))VSYS_TIME)(NULL) < 1000000000;
}

static int vsys_gettimeofday(void)
{
	struct timeval tv = { 0, 0 };

	return ((int (*)(struct timeval *, void *))VSYS_GETTIMEOFDAY)(&tv,
								      NULL) ||
	       tv.tv_sec < 1000000000;
}

static int vsys_getcpu(void)
{
	unsigned int cpu = ~0U;

	return ((long (*)(unsigned int *, unsigned int *, void *))VSYS_GETCPU)(
		       &cpu, NULL, NULL) ||
	       cpu == ~0U;
}

static int sys_time(void)
{
	return ck_syscall6(__NR_time, 0, 0, 0, 0, 0, 0) < 1000000000;
}

static int x32_getpid(void)
{
	return ck_syscall6(X32_BIT | __NR_getpid, 0, 0, 0, 0, 0, 0) != mypid();
}

static int int80_getpid(void)
{
	long r = I386_GETPID;

	__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
	return r != mypid();
}

/* Runs fn in a child under filter f; returns its wait status. */
static int run(enum filt f, int (*fn)(void))
{
	int status = -1;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	ktap_require(pid >= 0, "fork");
	if (pid == 0) {
		filter_child_enter(f);
		_exit(fn() ? 102 : 0);
	}
	ktap_require(waitpid(pid, &status, 0) == pid, "waitpid");
	return status;
}

static void check_ok(enum filt f, int (*fn)(void), const char *what)
{
	int st = run(f, fn);

	if (!ktap_check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "%s works",
			what))
		ktap_diag("wait status 0x%x", st);
}

static void check_sigsys(enum filt f, int (*fn)(void), const char *what)
{
	int st = run(f, fn);

	if (!ktap_check(WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS,
			"%s is killed by SIGSYS", what))
		ktap_diag("wait status 0x%x", st);
}

static int getpid_ok(void)
{
	return mypid() <= 0;
}

int main(void)
{
	ktap_plan(14);
	/* Controls: these work without a filter in the right VM. */
	check_ok(F_NONE, vsys_time, "unfiltered vsyscall time");
	check_ok(F_NONE, vsys_gettimeofday, "unfiltered vsyscall gettimeofday");
	check_ok(F_NONE, vsys_getcpu, "unfiltered vsyscall getcpu");
	check_ok(F_NONE, x32_getpid, "unfiltered x32 getpid");
	check_ok(F_NONE, int80_getpid, "unfiltered int 0x80 getpid");
	/* ck's filter. */
	check_ok(F_CK, getpid_ok, "filtered getpid");
	check_sigsys(F_CK, vsys_time, "filtered vsyscall time");
	check_sigsys(F_CK, vsys_gettimeofday, "filtered vsyscall gettimeofday");
	check_sigsys(F_CK, vsys_getcpu, "filtered vsyscall getcpu");
	check_sigsys(F_CK, x32_getpid, "filtered x32 getpid");
	check_sigsys(F_CK, int80_getpid, "filtered int 0x80 getpid");
	/* The guard alone: time is allowed, its vsyscall entry is not. */
	check_ok(F_VSYS, sys_time, "time syscall under the vsys variant");
	check_sigsys(F_VSYS, vsys_time, "vsyscall time under the vsys variant");
	check_ok(F_NOGUARD, vsys_time,
		 "vsyscall time under the guard-less variant");
	ktap_finish();
}
