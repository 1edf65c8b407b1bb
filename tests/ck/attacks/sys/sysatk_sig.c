// SPDX-License-Identifier: Apache-2.0
/*
 * sysatk's signal attacks: ck's SIGSYS (F_SETSIG, timer_create), a fault
 * code queued to itself, sigaltstack over ck's memory.
 * Modes of sysatk (sysatk.c: the table, and the helpers in sysatk.h).
 */
#include "sysatk.h"

/* ---- 9. ck's signal, SIGSYS ---- */

/*
 * timer_create with SIGEV_SIGNAL SIGSYS: the kernel would then raise ck's
 * signal at the process when the timer fires; and rt_sigtimedwait on a set
 * naming SIGSYS would let the program take it. The oracle: the timer is
 * made, and the SIGSYS it raises is taken by sigtimedwait.
 */
static int atk_sigsys_timer(void)
{
	struct sigevent ev;
	struct itimerspec its = { { 0, 0 }, { 0, 10000000 } };
	struct timespec ts = { 1, 0 };
	sigset_t s;
	timer_t tm;

	memset(&ev, 0, sizeof(ev));
	ev.sigev_notify = SIGEV_SIGNAL;
	ev.sigev_signo = SIGSYS;
	if (refused(syscall(SYS_timer_create, CLOCK_MONOTONIC, &ev, &tm),
		    "timer_create(SIGEV_SIGNAL, SIGSYS)"))
		return 0;
	oracle("timer_create made a timer that raises ck's signal");
	sigemptyset(&s);
	sigaddset(&s, SIGSYS);
	if (syscall(SYS_timer_settime, tm, 0, &its, NULL))
		return 0;
	if (syscall(SYS_rt_sigtimedwait, &s, NULL, &ts, 8) == SIGSYS)
		oracle("rt_sigtimedwait took ck's SIGSYS");
	return 0;
}

/*
 * A SIGSEGV queued to itself with a fault's si_code (SEGV_MAPERR), which
 * Linux lets a process send itself: ck tells a fault in its own code from
 * a sent SIGSEGV by that code (shim/guest/intr.c). "tg": with
 * rt_tgsigqueueinfo. SIGSEGV is blocked first, so the signal waits; the
 * oracle: the call succeeds and rt_sigtimedwait takes a SIGSEGV with
 * the forged code.
 */
int atk_fakefault(const char *how)
{
	struct timespec ts = { 0, 0 };
	siginfo_t si, got;
	sigset_t s;
	long r;

	sigemptyset(&s);
	sigaddset(&s, SIGSEGV);
	if (sigprocmask(SIG_BLOCK, &s, NULL))
		return 2;
	memset(&si, 0, sizeof(si));
	si.si_signo = SIGSEGV;
	si.si_code = SEGV_MAPERR;
	si.si_addr = (void *)0x1000;
	if (!strcmp(how, "tg"))
		r = syscall(SYS_rt_tgsigqueueinfo, getpid(), gettid(), SIGSEGV,
			    &si);
	else if (!strcmp(how, "pid"))
		r = syscall(SYS_rt_sigqueueinfo, getpid(), SIGSEGV, &si);
	else
		return 2;
	if (refused(r, "queue SIGSEGV with si_code SEGV_MAPERR to itself"))
		return 0;
	if (syscall(SYS_rt_sigtimedwait, &s, &got, &ts, 8) == SIGSEGV &&
	    got.si_code == SEGV_MAPERR)
		oracle("a SIGSEGV with a fault's si_code that no fault raised "
		       "was queued");
	return 0;
}

/*
 * F_SETSIG SIGSYS on a pipe: the kernel would then raise ck's signal for
 * the pipe's I/O events. "hi": the command with bit 32 set, which the
 * kernel drops (it takes an unsigned int).
 */
int atk_sigsys(const char *how)
{
	long cmd = F_SETSIG;
	int p[2];

	if (!strcmp(how, "timer"))
		return atk_sigsys_timer();
	if (strcmp(how, "setsig") && strcmp(how, "setsig-hi"))
		return 2;
	if (pipe(p))
		return 2;
	if (!strcmp(how, "setsig-hi"))
		cmd |= 1L << 32;
	if (refused(syscall(SYS_fcntl, p[0], cmd, SIGSYS),
		    "fcntl(pipe, F_SETSIG, SIGSYS)"))
		return 0;
	if (fcntl(p[0], F_GETSIG) == SIGSYS)
		oracle("F_GETSIG answers SIGSYS: the kernel now raises ck's "
		       "signal for this pipe's I/O");
	return 0;
}

/*
 * A sigaltstack over ck's memory: the frames of the program's handlers
 * would be written there. "canary": on ck_canary (K); "tblk": on the K2
 * thread blocks; "overlap": ending 8 bytes into ck_canary from program
 * memory below it. Through: the call succeeds and the stack read back
 * is the one asked for.
 */
int atk_altstack(const char *how)
{
	uint64_t sp, size = 65536;
	stack_t ss, cur;

	if (!strcmp(how, "canary"))
		sp = env_addr("CK_CANARY");
	else if (!strcmp(how, "tblk"))
		sp = env_addr("CK_TBLK");
	else if (!strcmp(how, "overlap"))
		sp = env_addr("CK_CANARY") + 8 - size;
	else
		return 2;
	memset(&ss, 0, sizeof(ss));
	ss.ss_sp = (void *)(uintptr_t)sp;
	ss.ss_size = size;
	if (refused(syscall(SYS_sigaltstack, &ss, NULL),
		    "sigaltstack over ck's memory"))
		return 0;
	if (!sigaltstack(NULL, &cur) && (uint64_t)(uintptr_t)cur.ss_sp == sp)
		oracle("sigaltstack set over ck's memory at %#llx",
		       (unsigned long long)sp);
	return 0;
}
