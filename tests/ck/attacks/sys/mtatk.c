// SPDX-License-Identifier: Apache-2.0
/*
 * Attacks on ck from more than one thread or process sharing its memory
 * (issue #11, part 2): `mtatk MODE ARG`, run under ck by run.sh like
 * sysatk (same environment: CK_CANARY, CK_TBLK; same output: "blocked:",
 * "ORACLE:", "open:" lines; exit 0 when every step was refused).
 *
 *   vfork robust  a vfork child writes its parent's memory (as Linux
 *                 allows), registers a robust list whose one entry names a
 *                 word of its own K2 block holding its tid (the last
 *                 syscall's return, gettid), and execs: the kernel's walk
 *                 of the list at exec runs under the PKRU of the host
 *                 execveat (ck's) and would set OWNER_DIED in K2.
 *   futex requeue     a thread waiting on a word of the program's is
 *                     requeued onto ck_proc.lock (CK_LOCK, K) while two
 *                     threads contend for ck's lock (mmap/munmap): ck's
 *                     unlock wakes the program's waiter (no memory access,
 *                     so the user PKRU cannot stop it; the per-op check does).
 *   futex wait-canary FUTEX_WAIT on ck_canary with its value: ETIMEDOUT
 *                     proves the kernel read K for the program.
 *   futex wake_op-canary  FUTEX_WAKE_OP with uaddr2 = ck_canary, op SET 0.
 *   futex waitv-canary    futex_waitv with one waiter on ck_canary.
 *   toctou sendmsg    a thread flips the fd in an SCM_RIGHTS message
 *                     between /dev/null's and 1021 (ck's device) while the
 *                     main thread sends it (around calls that hold ck's
 *                     lock, so a fetch that waits runs after a flip): ck checks its copy and
 *                     hands the kernel that copy, so fd 1021 never reaches
 *                     the peer; a second fetch after the check would.
 *   toctou seal-file  another process rewrites a file's three bytes
 *                     over and over between NOPs and WRPKRU (xor eax,
 *                     ecx, edx; ...; ret) while the program maps it
 *                     PROT_EXEC and calls it: ck seals the copy it read
 *                     and scanned (one read), so each mapping is refused
 *                     or runs the NOPs; a second read after the scan
 *                     (mutant SEAL_REREAD) seals the WRPKRU unscanned,
 *                     its run opens every key (RDPKRU reads 0) and
 *                     ck_canary is read.
 *   tid selector  a thread points set_tid_address at the main thread's
 *                 selector (ck_tblk[0], K2) and exits while main runs
 *                 program code: the kernel's CLEARTID write would set it
 *                 ALLOW, and main's raw pkey_alloc(flags 1) would reach
 *                 the host (EINVAL) instead of ck (EPERM).
 *   tid robust    a thread registers a robust list whose entry names a
 *                 word of its own K2 block holding its tid (gettid's
 *                 return) and exits: the walk at its exit runs under the
 *                 PKRU of the host exit, which must be the user's.
 *   true          exits 0 (what the vfork child execs).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/futex.h>

#define ATK_NAME "mtatk"
#include "atk.h"

#define TBLK_SIZE	128
#define T_RAX		24

static int open_steps;

/* ---- vfork ---- */

struct rhead {
	struct robust_list list;
	long futex_offset;
	struct robust_list *pending;
};

static volatile int parent_word;

static int atk_vfork(const char *how)
{
	static struct rhead head;
	static struct robust_list entry;
	char *argv[] = { "mtatk", "true", NULL };
	/* This thread is slot 0; the vfork child takes slot 1. */
	volatile uint32_t *k2word = (volatile uint32_t *)
		(env_addr("CK_TBLK") + TBLK_SIZE + T_RAX);
	const char *self = (const char *)getauxval(AT_EXECFN);
	uint32_t seen;
	int st;
	pid_t pid;

	if (strcmp(how, "robust"))
		return 2;
	head.list.next = &entry;
	entry.next = &head.list;
	head.futex_offset = (long)((uintptr_t)k2word - (uintptr_t)&entry);
	head.pending = NULL;
	parent_word = 0;
	pid = vfork();
	if (pid < 0)
		return 2;
	if (pid == 0) {
		parent_word = 1;	/* the parent's memory, as Linux allows */
		syscall(SYS_set_robust_list, &head, sizeof(head));
		syscall(SYS_gettid);	/* its return lands in T_RAX */
		execve(self, argv, NULL);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) ||
	    WEXITSTATUS(st)) {
		atk_say("open", "the vfork child did not exec and exit 0 (%#x)", st);
		open_steps++;
	}
	atk_say(parent_word == 1 ? "blocked" : "open",
	    "the child's write to the parent's memory %s (as Linux)",
	    parent_word == 1 ? "seen" : "NOT seen");
	seen = *k2word;
	if (seen & FUTEX_OWNER_DIED)
		atk_say("ORACLE", "the robust-list walk at the vfork child's exec "
		    "wrote K2 (T_RAX of its block now %#x)", seen);
	else
		atk_say("blocked", "no write into K2 at the vfork child's exec "
		    "(T_RAX of its block %#x: its tid)", seen);
	return open_steps ? 3 : 0;
}

/* ---- futex ---- */

#define CANARY		0x63616e6172794b21ULL

static long sys_futex(void *uaddr, int op, uint32_t val, long val2,
		      void *uaddr2, uint32_t val3)
{
	return syscall(SYS_futex, uaddr, op, val, val2, uaddr2, val3);
}

/* Returns 1 if the step was refused (ret -1), else says "open". */
static int refused(long ret, const char *what)
{
	if (ret == -1) {
		atk_say("blocked", "%s: %s", what, strerror(errno));
		return 1;
	}
	atk_say("open", "%s returned %ld", what, ret);
	open_steps++;
	return 0;
}

static volatile uint32_t wword;
static volatile int woke, stop, waiting, requeued;

/*
 * Says the oracle itself when woken by ck's unlock: a requeued waiter
 * steals the wake meant for one of ck's own waiters, which may leave
 * other threads (main among them) asleep on ck's lock for good.
 */
static void *waiter(void *arg)
{
	int by_ck;

	(void)arg;
	waiting = 1;
	sys_futex((void *)&wword, FUTEX_WAIT_PRIVATE, 0, 0, NULL, 0);
	by_ck = requeued && !stop;	/* read before main can see woke */
	woke = 1;
	if (by_ck) {
		atk_say("ORACLE", "ck's unlock of ck_proc.lock woke the "
		    "program's requeued waiter");
		fflush(stdout);
		_exit(0);
	}
	return NULL;
}

/* Takes ck's lock again and again. */
static void *mm_loop(void *arg)
{
	(void)arg;
	while (!stop) {
		void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	return NULL;
}

static int futex_requeue(void)
{
	void *lock = (void *)env_addr("CK_LOCK");
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	pthread_t w, m[2];
	long ret;
	int i;

	if (pthread_create(&w, NULL, waiter, NULL))
		return 2;
	/* Until the waiter sleeps on wword (a loaded machine is slow). */
	requeued = 1;
	for (ret = 0, i = 0; i < 100; i++) {
		nanosleep(&ts, NULL);
		if (!waiting)
			continue;
		ret = sys_futex((void *)&wword, FUTEX_REQUEUE_PRIVATE, 0, 1,
				lock, 0);
		if (ret)
			break;
	}
	if (refused(ret, "FUTEX_REQUEUE of a program waiter onto ck_proc.lock"))
		goto out;
	for (i = 0; i < 2; i++)
		pthread_create(&m[i], NULL, mm_loop, NULL);
	for (i = 0; i < 100 && !woke; i++)
		nanosleep(&ts, NULL);
	stop = 1;
	sys_futex(lock, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
out:
	stop = 1;
	wword = 1;
	sys_futex((void *)&wword, FUTEX_WAKE_PRIVATE, 1, 0, NULL, 0);
	pthread_join(w, NULL);
	return open_steps ? 3 : 0;
}

struct waitv {
	uint64_t val;
	uint64_t uaddr;
	uint32_t flags;
	uint32_t reserved;
};

static int atk_futex(const char *how)
{
	void *canary = (void *)env_addr("CK_CANARY");
	struct timespec ts = { 0, 50 * 1000 * 1000 };
	uint32_t word = 0;
	long ret;

	if (!strcmp(how, "requeue"))
		return futex_requeue();
	if (!strcmp(how, "wait-canary")) {
		ret = sys_futex(canary, FUTEX_WAIT_PRIVATE, (uint32_t)CANARY,
				(long)&ts, NULL, 0);
		if (ret == -1 && errno == ETIMEDOUT)
			atk_say("ORACLE", "FUTEX_WAIT on ck_canary timed out: the "
			    "kernel read ck's value for the program");
		else
			refused(ret, "FUTEX_WAIT on ck_canary");
	} else if (!strcmp(how, "wake_op-canary")) {
		/* FUTEX_OP_SET 0, compare always true (EQ 0 of the old 0?) */
		ret = sys_futex(&word, FUTEX_WAKE_OP_PRIVATE, 1, 1, canary,
				FUTEX_OP(FUTEX_OP_SET, 0, FUTEX_OP_CMP_EQ, 0));
		refused(ret, "FUTEX_WAKE_OP with uaddr2 = ck_canary");
	} else if (!strcmp(how, "waitv-canary")) {
		struct waitv w = { (uint32_t)CANARY, (uintptr_t)canary,
				   0x02 /* FUTEX_32 */ | 128 /* FUTEX_PRIVATE_FLAG */, 0 };
		struct timespec abs;

		clock_gettime(CLOCK_MONOTONIC, &abs);
		abs.tv_nsec += 50 * 1000 * 1000;
		if (abs.tv_nsec >= 1000000000L) {
			abs.tv_sec++;
			abs.tv_nsec -= 1000000000L;
		}
		ret = syscall(449, &w, 1, 0, &abs, CLOCK_MONOTONIC);
		if (ret == -1 && errno == ETIMEDOUT)
			atk_say("ORACLE", "futex_waitv on ck_canary timed out: the "
			    "kernel read ck's value for the program");
		else
			refused(ret, "futex_waitv on ck_canary");
	} else {
		return 2;
	}
	return open_steps ? 3 : 0;
}

/* ---- TOCTOU ---- */

/*
 * The message header's msg_control flips between two control buffers, one
 * naming /dev/null's fd, one naming 1021 (ck's device), while two threads
 * keep ck's lock busy (mprotect of 16 MiB each, a memory call that holds it
 * over the host call): the sender's fetches of program memory wait for the
 * lock between ck's copy of the header and of the control data, and the
 * flipper runs meanwhile. ck reads the header once and hands the kernel
 * its checked copy; a kernel that read the program's header again (mutant
 * TOCTOU) would take the flipped pointer.
 */
static void *volatile *flip_at;
static void *flip_a, *flip_b;

static void *flipper(void *arg)
{
	volatile int spin;

	(void)arg;
	while (!stop) {
		*flip_at = flip_a;
		for (spin = 0; spin < 100; spin++)
			;
		*flip_at = flip_b;
		for (spin = 0; spin < 100; spin++)
			;
	}
	return NULL;
}

#define BIG	(16UL << 20)

static void *holder(void *arg)
{
	char *big = arg;

	while (!stop) {
		mprotect(big, BIG, PROT_READ);
		mprotect(big, BIG, PROT_READ | PROT_WRITE);
	}
	return NULL;
}

static void scm_fd(struct cmsghdr *c, int fd)
{
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(fd));
}

static int atk_toctou(const char *how)
{
	static union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ok, bad;
	struct msghdr m, r;
	struct iovec iov, riov;
	struct stat null_st, st;
	char rbuf[CMSG_SPACE(sizeof(int))], rb, byte = 'x', *big[2];
	int sv[2], null_fd, i, fd, sent = 0, ebadf = 0, other = 0;
	time_t end = time(NULL) + 10;
	pthread_t th, hold[2];

	if (strcmp(how, "sendmsg"))
		return 2;
	null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	if (null_fd < 0 || fstat(null_fd, &null_st) ||
	    socketpair(AF_UNIX, SOCK_DGRAM, 0, sv))
		return 2;
	scm_fd(&ok.align, null_fd);
	scm_fd(&bad.align, 1021);
	memset(&m, 0, sizeof(m));
	iov.iov_base = &byte;
	iov.iov_len = 1;
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ok.buf;
	m.msg_controllen = sizeof(ok.buf);
	flip_at = &m.msg_control;
	flip_a = ok.buf;
	flip_b = bad.buf;
	for (i = 0; i < 2; i++) {
		big[i] = mmap(NULL, BIG, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (big[i] == MAP_FAILED)
			return 2;
		memset(big[i], 1, BIG);
	}
	if (pthread_create(&th, NULL, flipper, NULL) ||
	    pthread_create(&hold[0], NULL, holder, big[0]) ||
	    pthread_create(&hold[1], NULL, holder, big[1]))
		return 2;
	for (i = 0; i < 20000 && time(NULL) < end; i++) {
		/* Raw: musl's sendmsg sends a copy of header and data. */
		if (syscall(SYS_sendmsg, sv[0], &m, 0) < 0) {
			if (errno == EBADF)
				ebadf++;
			else if (!other++)
				atk_say("open", "sendmsg: %s", strerror(errno));
			continue;
		}
		sent++;
		memset(&r, 0, sizeof(r));
		riov.iov_base = &rb;
		riov.iov_len = 1;
		r.msg_iov = &riov;
		r.msg_iovlen = 1;
		r.msg_control = rbuf;
		r.msg_controllen = sizeof(rbuf);
		if (recvmsg(sv[1], &r, 0) < 0 || !CMSG_FIRSTHDR(&r))
			continue;
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&r)), sizeof(fd));
		if (!fstat(fd, &st) && (st.st_rdev != null_st.st_rdev ||
					st.st_ino != null_st.st_ino)) {
			atk_say("ORACLE", "fd 1021 (ck's, rdev %#lx) reached the "
			    "peer after %d sendmsg calls: the kernel read the "
			    "flipped header, not ck's checked copy",
			    (unsigned long)st.st_rdev, i + 1);
			fflush(stdout);
			_exit(0);
		}
		close(fd);
	}
	stop = 1;
	pthread_join(th, NULL);
	pthread_join(hold[0], NULL);
	pthread_join(hold[1], NULL);
	atk_say("blocked", "%d sendmsg calls with msg_control flipping: %d "
	    "refused (EBADF: ck's copy named 1021), %d passed /dev/null, %d "
	    "other errors; 1021 never reached the peer", i, ebadf, sent, other);
	return 0;
}

/* The program's PKRU (RDPKRU, ECX = 0; no forbidden pattern). */
static uint32_t rdpkru(void)
{
	uint32_t eax, edx;

	__asm__ volatile(".byte 0x0f, 0x01, 0xee"
			 : "=a"(eax), "=d"(edx) : "c"(0));
	return eax;
}

/*
 * A read of the file while the other process writes it may see part of
 * each pattern ("90 90 ee" runs an OUT: #GP). That is the attack failing,
 * not ck: such a run is counted and the next mapping tried.
 */
static sigjmp_buf torn_jb;

static void torn(int sig)
{
	siglongjmp(torn_jb, sig);
}

static int atk_toctou_seal(void)
{
	/* xor eax,eax; xor ecx,ecx; xor edx,edx; 3 x NOP; ret */
	unsigned char page[4096] = { 0x31, 0xc0, 0x31, 0xc9, 0x31, 0xd2,
				     0x90, 0x90, 0x90, 0xc3 };
	unsigned char nops[3] = { 0x90, 0x90, 0x90 };
	unsigned char wrpkru[3] = { 0x0e, 0x00, 0xee };
	volatile unsigned char one = 1;	/* no WRPKRU in this binary */
	volatile uint64_t *c = (volatile uint64_t *)env_addr("CK_CANARY");
	const char *path = "/tmp/mtatk-toctou-seal.bin";
	int fd, i, refused = 0, ran = 0, other = 0, st;
	volatile int mixed = 0;
	struct sigaction sa = { .sa_handler = torn };
	pid_t parent = getpid();
	time_t end = time(NULL) + 10;
	pid_t pid;
	void *m;

	wrpkru[0] += one;
	wrpkru[1] += one;
	wrpkru[2] += one;
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0700);
	if (fd < 0 || write(fd, page, sizeof(page)) != (long)sizeof(page))
		return 2;
	unlink(path);
	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid) {	/* the other process: rewrites until its parent goes */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		for (i = 0; getppid() == parent; i ^= 1)
			if (pwrite(fd, i ? wrpkru : nops, 3, 6) != 3)
				_exit(1);
		_exit(0);
	}
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGILL, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
	sigaction(SIGFPE, &sa, NULL);
	for (i = 0; i < 3000 && time(NULL) < end; i++) {
		m = mmap(NULL, sizeof(page), PROT_READ | PROT_EXEC,
			 MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED) {
			if (errno == EPERM)
				refused++;
			else if (!other++)
				atk_say("open", "mmap: %s", strerror(errno));
			continue;
		}
		if (sigsetjmp(torn_jb, 1)) {
			munmap(m, sizeof(page));
			mixed++;
			continue;
		}
		((void (*)(void))m)();
		if (!rdpkru()) {
			atk_say("ORACLE", "after %d mappings a sealed copy ran "
				"WRPKRU (PKRU 0); ck_canary reads %#llx", i + 1,
				(unsigned long long)c[0]);
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			_exit(0);
		}
		munmap(m, sizeof(page));
		ran++;
	}
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	atk_say("blocked", "%d PROT_EXEC mappings of a file rewritten "
		"meanwhile: %d refused (EPERM: WRPKRU in ck's copy), %d ran "
		"the NOPs, %d a mix of both (a torn read), %d other errors; "
		"WRPKRU never ran", i, refused, ran, mixed, other);
	return 0;
}

/* ---- tid addresses and robust lists at a thread's exit ---- */

static volatile int thread_done;

static void *tid_thread(void *arg)
{
	if (syscall(SYS_set_tid_address, arg) < 0)
		atk_say("blocked", "set_tid_address(ck_tblk[0].selector): %s",
		    strerror(errno));
	else
		atk_say("open", "set_tid_address(ck_tblk[0].selector) accepted");
	thread_done = 1;
	syscall(SYS_exit, 0);
	return NULL;
}

static void *robust_thread(void *arg)
{
	syscall(SYS_set_robust_list, arg, sizeof(struct rhead));
	syscall(SYS_gettid);	/* its return lands in T_RAX */
	thread_done = 1;
	syscall(SYS_exit, 0);
	return NULL;
}

/* pkey_alloc(1, 0) as a raw syscall: EPERM from ck, EINVAL from the host. */
static long raw_pkey_alloc(void)
{
	long ret;

	__asm__ volatile("syscall" : "=a"(ret) : "a"(330L), "D"(1L), "S"(0L)
			 : "rcx", "r11", "memory");
	return ret;
}

static int atk_tid(const char *how)
{
	uint64_t tblk = env_addr("CK_TBLK");
	volatile unsigned long spin;
	pthread_t t;

	if (!strcmp(how, "selector")) {
		long ret;

		if (pthread_create(&t, NULL, tid_thread, (void *)tblk))
			return 2;
		/* Program code only (no syscall) until well after its exit. */
		while (!thread_done)
			;
		for (spin = 0; spin < 30000000UL; spin++)
			;
		ret = raw_pkey_alloc();
		if (ret == -EINVAL)
			atk_say("ORACLE", "the CLEARTID write at the thread's exit "
			    "zeroed main's selector in K2: a raw pkey_alloc "
			    "reached the host (EINVAL)");
		else
			atk_say("blocked", "main's raw pkey_alloc still trapped "
			    "(%ld: EPERM from ck)", ret);
		return 0;
	}
	if (!strcmp(how, "robust")) {
		static struct rhead head;
		static struct robust_list entry;
		/* Main is slot 0; the thread takes slot 1. */
		volatile uint32_t *k2word = (volatile uint32_t *)
			(tblk + TBLK_SIZE + T_RAX);
		struct timespec ts = { 0, 300 * 1000 * 1000 };

		head.list.next = &entry;
		entry.next = &head.list;
		head.futex_offset = (long)((uintptr_t)k2word -
					   (uintptr_t)&entry);
		if (pthread_create(&t, NULL, robust_thread, &head))
			return 2;
		while (!thread_done)
			;
		nanosleep(&ts, NULL);
		if (*k2word & FUTEX_OWNER_DIED)
			atk_say("ORACLE", "the robust-list walk at the thread's exit "
			    "wrote K2 (T_RAX of its block now %#x)", *k2word);
		else
			atk_say("blocked", "no write into K2 at the thread's exit "
			    "(T_RAX of its block %#x: its tid)", *k2word);
		return 0;
	}
	return 2;
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 2 && !strcmp(argv[1], "true"))
		return 0;
	if (argc == 3 && !strcmp(argv[1], "vfork"))
		return atk_vfork(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "futex"))
		return atk_futex(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "tid"))
		return atk_tid(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "toctou") &&
	    !strcmp(argv[2], "seal-file"))
		return atk_toctou_seal();
	if (argc == 3 && !strcmp(argv[1], "toctou"))
		return atk_toctou(argv[2]);
	fprintf(stderr, "usage: mtatk MODE ARG\n");
	return 2;
}
