// SPDX-License-Identifier: Apache-2.0
/*
 * ck's host seccomp filter (shim/guest/hostfilter), on the host, two ways:
 * - BPF level: a small classic-BPF interpreter runs the generated programs
 *   over crafted struct seccomp_data (vsyscall guard, arch, x32, every
 *   syscall number against hostlist.h, the argument rules);
 * - live: for each case a child installs the filter (through install.h,
 *   with NO_NEW_PRIVS) and does one thing; the parent checks it exited 0 or
 *   was killed by SIGSYS. Cases whose kill proves nothing unless the action
 *   works without a filter (int 0x80, the vsyscall page) run a control
 *   child first and are skipped where the host lacks the feature.
 * The hostfilter-test-* variants also allow time, gettimeofday and getcpu,
 * so a vsyscall kill in them can only come from the guard; -noguard lacks
 * the guard and must let the same call through.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <asm/prctl.h>
#include <cmocka.h>

#include "ck_fds.h"
#include "install.h"
#include "hostfilter-test-noguard.h"
#include "hostfilter-test-vsys.h"
#include "filter_child.h"

#ifndef __X32_SYSCALL_BIT
#define __X32_SYSCALL_BIT 0x40000000
#endif
#define VSYS_GETTIMEOFDAY 0xffffffffff600000UL
#define VSYS_TIME 0xffffffffff600400UL
#define USER_IP 0x00007f0000001234UL
#define I386_GETPID 20
#define ALLOW SECCOMP_RET_ALLOW
#define KILL SECCOMP_RET_KILL_PROCESS

#include "raw_syscall6.h"

static const int listed[] = {
#define X(n) __NR_##n,
#include "hostlist.h"
#undef X
};

static int is_listed(int nr)
{
	size_t i;

	for (i = 0; i < sizeof(listed) / sizeof(listed[0]); i++)
		if (listed[i] == nr)
			return 1;
	return 0;
}

/* ---- A classic BPF interpreter: the subset seccomp filters use. ---- */

struct prog {
	const char *name;
	const struct sock_filter *insns;
	size_t len;
	size_t guard;
};

static const struct prog ck_prog = { "ck", ck_hostfilter, CK_HOSTFILTER_LEN,
				     CK_HOSTFILTER_GUARD_LEN };
static const struct prog vsys_prog = { "test-vsys", hf_test_vsys,
				       HF_TEST_VSYS_LEN,
				       HF_TEST_VSYS_GUARD_LEN };
static const struct prog noguard_prog = { "test-noguard", hf_test_noguard,
					  HF_TEST_NOGUARD_LEN,
					  HF_TEST_NOGUARD_GUARD_LEN };

/* As the kernel checks it, for the opcodes we interpret: 0 or -EINVAL. */
static int bpf_validate(const struct sock_filter *p, size_t len)
{
	size_t i;
	int err = len && len <= BPF_MAXINSNS ? 0 : -EINVAL;

	for (i = 0; i < len && !err; i++) {
		switch (p[i].code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (p[i].k % 4 || p[i].k >= sizeof(struct seccomp_data))
				err = -EINVAL;
			break;
		case BPF_JMP | BPF_JA:
			if (p[i].k >= len - i - 1)
				err = -EINVAL;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
		case BPF_JMP | BPF_JGT | BPF_K:
		case BPF_JMP | BPF_JGE | BPF_K:
		case BPF_JMP | BPF_JSET | BPF_K:
			if (p[i].jt >= len - i - 1 || p[i].jf >= len - i - 1)
				err = -EINVAL;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
		case BPF_RET | BPF_K:
			break;
		default:
			err = -EINVAL;
		}
	}
	if (!err && p[len - 1].code != (BPF_RET | BPF_K))
		err = -EINVAL;
	return err;
}

static uint32_t bpf_run(const struct prog *pr, const struct seccomp_data *d)
{
	const struct sock_filter *p = pr->insns;
	uint32_t a = 0;
	size_t pc;

	for (pc = 0; pc < pr->len; pc++) {
		switch (p[pc].code) {
		case BPF_LD | BPF_W | BPF_ABS:
			memcpy(&a, (const char *)d + p[pc].k, sizeof(a));
			break;
		case BPF_JMP | BPF_JA:
			pc += p[pc].k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == p[pc].k ? p[pc].jt : p[pc].jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > p[pc].k ? p[pc].jt : p[pc].jf;
			break;
		case BPF_JMP | BPF_JGE | BPF_K:
			pc += a >= p[pc].k ? p[pc].jt : p[pc].jf;
			break;
		case BPF_JMP | BPF_JSET | BPF_K:
			pc += a & p[pc].k ? p[pc].jt : p[pc].jf;
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= p[pc].k;
			break;
		case BPF_RET | BPF_K:
			return p[pc].k;
		default:
			fail_msg("%s: opcode 0x%x at %zu", pr->name, p[pc].code,
				 pc);
		}
	}
	fail_msg("%s: ran off the end", pr->name);
	return 0;
}

static uint32_t verdict(const struct prog *pr, uint32_t arch, int nr,
			uint64_t ip, const uint64_t args[6])
{
	struct seccomp_data d = { .nr = nr, .arch = arch,
				  .instruction_pointer = ip };

	if (args)
		memcpy(d.args, args, sizeof(d.args));
	return bpf_run(pr, &d);
}

#define V(pr, nr, a0, a1, a2, a3, a4, a5)                                   \
	verdict(pr, AUDIT_ARCH_X86_64, nr, USER_IP,                         \
		(const uint64_t[6]){ (a0), (a1), (a2), (a3), (a4), (a5) })

static void test_bpf_shape(void **state)
{
	const struct prog *all[] = { &ck_prog, &vsys_prog, &noguard_prog };
	const struct sock_filter *g = ck_hostfilter;
	size_t i;

	(void)state;
	for (i = 0; i < 3; i++)
		assert_int_equal(bpf_validate(all[i]->insns, all[i]->len), 0);
	assert_int_equal(CK_HOSTFILTER_GUARD_LEN, 6);
	assert_int_equal(HF_TEST_NOGUARD_GUARD_LEN, 0);
	/* The guard: ld ip_hi; jeq ~0; ld ip_lo; and; jeq page; ret kill. */
	assert_int_equal(g[0].code, BPF_LD | BPF_W | BPF_ABS);
	assert_int_equal(g[0].k, offsetof(struct seccomp_data,
					  instruction_pointer) + 4);
	assert_int_equal(g[2].k, offsetof(struct seccomp_data,
					  instruction_pointer));
	assert_int_equal(g[5].code, BPF_RET | BPF_K);
	assert_int_equal(g[5].k, KILL);
	/* Behind the guard, libseccomp's program starts with the arch. */
	assert_int_equal(g[6].code, BPF_LD | BPF_W | BPF_ABS);
	assert_int_equal(g[6].k, offsetof(struct seccomp_data, arch));
	/* The variants differ from ck's only by their extra syscalls. */
	assert_memory_equal(hf_test_vsys + 6, hf_test_noguard,
			    sizeof(hf_test_noguard));
}

static void test_bpf_vsyscall(void **state)
{
	static const uint64_t in[] = { 0xffffffffff600000UL, VSYS_TIME,
				       0xffffffffff600800UL,
				       0xffffffffff600ffcUL };
	static const uint64_t out[] = { 0xffffffffff601000UL,
					0xffffffffff5ffffcUL,
					0x00000000ff600400UL,
					0xfffffffeff600400UL, USER_IP };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(in) / sizeof(in[0]); i++) {
		assert_int_equal(verdict(&ck_prog, AUDIT_ARCH_X86_64,
					 __NR_getpid, in[i], NULL), KILL);
		assert_int_equal(verdict(&vsys_prog, AUDIT_ARCH_X86_64,
					 __NR_time, in[i], NULL), KILL);
		assert_int_equal(verdict(&noguard_prog, AUDIT_ARCH_X86_64,
					 __NR_time, in[i], NULL), ALLOW);
	}
	for (i = 0; i < sizeof(out) / sizeof(out[0]); i++) {
		assert_int_equal(verdict(&ck_prog, AUDIT_ARCH_X86_64,
					 __NR_getpid, out[i], NULL), ALLOW);
		assert_int_equal(verdict(&vsys_prog, AUDIT_ARCH_X86_64,
					 __NR_time, out[i], NULL), ALLOW);
	}
	/*
	 * time is a forwarded row now (systab.def), so ck's own filter
	 * allows it from ck's code, and its guard still kills it from the
	 * vsyscall page.
	 */
	assert_int_equal(verdict(&ck_prog, AUDIT_ARCH_X86_64, __NR_time,
				 USER_IP, NULL), ALLOW);
	assert_int_equal(verdict(&ck_prog, AUDIT_ARCH_X86_64, __NR_time,
				 VSYS_TIME, NULL), KILL);
}

static void test_bpf_arch(void **state)
{
	static const uint32_t other[] = { AUDIT_ARCH_I386, AUDIT_ARCH_AARCH64,
					  0, AUDIT_ARCH_X86_64 & ~0x80000000U };
	size_t i;
	int nr;

	(void)state;
	for (i = 0; i < sizeof(other) / sizeof(other[0]); i++) {
		assert_int_equal(verdict(&ck_prog, other[i], I386_GETPID,
					 USER_IP, NULL), KILL);
		assert_int_equal(verdict(&ck_prog, other[i], __NR_getpid,
					 USER_IP, NULL), KILL);
	}
	for (nr = 0; nr < 1024; nr++)
		assert_int_equal(verdict(&ck_prog, AUDIT_ARCH_X86_64,
					 __X32_SYSCALL_BIT | nr, USER_IP, NULL),
				 KILL);
}

/* Every number: allowed iff listed; prctl/arch_prctl need an option. */
static void test_bpf_every_nr(void **state)
{
	static const uint64_t zero[6], ones[6] = { ~0UL, ~0UL, ~0UL, ~0UL,
						   ~0UL, ~0UL };
	uint32_t want0, want1;
	int nr, cond, n = 0;

	(void)state;
	for (nr = 0; nr < 2048; nr++) {
		cond = nr == __NR_prctl || nr == __NR_arch_prctl ||
		       nr == __NR_execveat;
		want0 = is_listed(nr) && !cond ? ALLOW : KILL;
		/* All-ones args: PROT_EXEC set, no option matches. */
		want1 = is_listed(nr) && !cond && nr != __NR_mmap &&
				nr != __NR_mprotect &&
				nr != __NR_pkey_mprotect ?
				ALLOW : KILL;
		if (verdict(&ck_prog, AUDIT_ARCH_X86_64, nr, USER_IP, zero) !=
			    want0 ||
		    verdict(&ck_prog, AUDIT_ARCH_X86_64, nr, USER_IP, ones) !=
			    want1)
			fail_msg("syscall %d: wrong verdict", nr);
		n += want0 == ALLOW;
	}
	assert_int_equal(n, sizeof(listed) / sizeof(listed[0]) - 3);
	assert_int_equal(verdict(&ck_prog, AUDIT_ARCH_X86_64, -1, USER_IP,
				 zero), KILL);
}

static void test_bpf_mmap(void **state)
{
	const struct prog *p = &ck_prog;
	const int m = __NR_mmap;
	const uint64_t rx = PROT_READ | PROT_EXEC, seal = CK_FD_SEAL;

	(void)state;
	assert_int_equal(V(p, m, 0, 4096, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), ALLOW);
	assert_int_equal(V(p, m, 0, 4096, 0x100000000UL | PROT_READ,
			   MAP_PRIVATE, 3, 0), ALLOW);
	assert_int_equal(V(p, m, 0, 4096, rx, MAP_SHARED, seal, 0), ALLOW);
	assert_int_equal(V(p, m, 0, 4096, PROT_EXEC, MAP_SHARED, seal, 0),
			 ALLOW);
	assert_int_equal(V(p, m, 1 << 20, 4096, rx,
			   MAP_SHARED | MAP_FIXED | MAP_POPULATE, seal, 8192),
			 ALLOW);
	/* PROT_EXEC anywhere else. */
	assert_int_equal(V(p, m, 0, 4096, rx, MAP_PRIVATE | MAP_ANONYMOUS,
			   -1, 0), KILL);
	assert_int_equal(V(p, m, 0, 4096, rx, MAP_PRIVATE, seal, 0), KILL);
	assert_int_equal(V(p, m, 0, 4096, rx, MAP_SHARED_VALIDATE, seal, 0),
			 KILL);
	assert_int_equal(V(p, m, 0, 4096, rx, MAP_SHARED | MAP_ANONYMOUS,
			   seal, 0), KILL);
	assert_int_equal(V(p, m, 0, 4096, rx | PROT_WRITE, MAP_SHARED, seal,
			   0), KILL);
	assert_int_equal(V(p, m, 0, 4096, rx, MAP_SHARED, CK_FD_CELL, 0),
			 KILL);
	assert_int_equal(V(p, m, 0, 4096, rx, MAP_SHARED, CK_FD_DEV, 0),
			 KILL);
	assert_int_equal(V(p, m, 0, 4096, rx, MAP_SHARED,
			   0x100000000UL | seal, 0), KILL);
	assert_int_equal(V(p, m, 0, 4096, 0x100000000UL | rx, MAP_SHARED, 3,
			   0), KILL);
}

static void test_bpf_mprotect_prctl(void **state)
{
	static const int mp[] = { __NR_mprotect, __NR_pkey_mprotect };
	static const uint64_t ok_prctl[] = {
		PR_SET_SYSCALL_USER_DISPATCH, PR_SET_NO_NEW_PRIVS,
		PR_GET_DUMPABLE, PR_SET_NAME, PR_GET_NAME,
		PR_SET_CHILD_SUBREAPER, PR_GET_CHILD_SUBREAPER, PR_CAPBSET_READ
	};
	static const uint64_t bad_prctl[] = {
		0, PR_SET_SECCOMP, PR_GET_SECCOMP, PR_SET_DUMPABLE, PR_SET_MM,
		PR_CAP_AMBIENT, PR_SET_PDEATHSIG, PR_SET_PTRACER,
		0x100000000UL | PR_SET_NAME
	};
	static const uint64_t ok_arch[] = { ARCH_SET_GS, ARCH_GET_GS,
					    ARCH_SET_FS, ARCH_GET_FS };
	static const uint64_t bad_arch[] = { 0, 0x2001, 0x2002, 0x2003,
					     ARCH_SET_CPUID, ARCH_GET_CPUID,
					     ARCH_REQ_XCOMP_PERM,
					     0x100000000UL | ARCH_SET_GS };
	const struct prog *p = &ck_prog;
	size_t i;

	(void)state;
	for (i = 0; i < 2; i++) {
		assert_int_equal(V(p, mp[i], 0, 4096, PROT_READ | PROT_WRITE,
				   0, 0, 0), ALLOW);
		assert_int_equal(V(p, mp[i], 0, 4096, PROT_NONE, 1, 0, 0),
				 ALLOW);
		assert_int_equal(V(p, mp[i], 0, 4096, PROT_EXEC, 0, 0, 0),
				 KILL);
		assert_int_equal(V(p, mp[i], 0, 4096, PROT_READ | PROT_EXEC,
				   CK_FD_SEAL, 0, 0), KILL);
	}
	for (i = 0; i < sizeof(ok_prctl) / sizeof(ok_prctl[0]); i++)
		assert_int_equal(V(p, __NR_prctl, ok_prctl[i], 1, 0, 0, 0, 0),
				 ALLOW);
	for (i = 0; i < sizeof(bad_prctl) / sizeof(bad_prctl[0]); i++)
		assert_int_equal(V(p, __NR_prctl, bad_prctl[i], 1, 0, 0, 0,
				   0), KILL);
	for (i = 0; i < sizeof(ok_arch) / sizeof(ok_arch[0]); i++)
		assert_int_equal(V(p, __NR_arch_prctl, ok_arch[i], 0, 0, 0, 0,
				   0), ALLOW);
	for (i = 0; i < sizeof(bad_arch) / sizeof(bad_arch[0]); i++)
		assert_int_equal(V(p, __NR_arch_prctl, bad_arch[i], 0, 0, 0, 0,
				   0), KILL);
}

/*
 * ioctl: everything but the userfaultfd type 0xAA (bits 8-15 of the
 * command), whatever the other bits, including the upper half the kernel
 * drops (it takes the command as unsigned int).
 */
/* execveat: only ck's own binary, CK_FD_SELF with AT_EMPTY_PATH. */
static void test_bpf_execveat(void **state)
{
	uint64_t a[6] = { CK_FD_SELF, 0, 0, 0, AT_EMPTY_PATH, 0 };

	(void)state;
	assert_true(is_listed(__NR_execveat));
	assert_false(is_listed(__NR_execve));
	assert_int_equal(verdict(&ck_prog, AUDIT_ARCH_X86_64, __NR_execveat,
				 USER_IP, a), ALLOW);
	a[0] = 3;
	assert_int_equal(verdict(&ck_prog, AUDIT_ARCH_X86_64, __NR_execveat,
				 USER_IP, a), KILL);
	a[0] = (uint64_t)AT_FDCWD;
	assert_int_equal(verdict(&ck_prog, AUDIT_ARCH_X86_64, __NR_execveat,
				 USER_IP, a), KILL);
	a[0] = CK_FD_SELF;
	a[4] = 0;
	assert_int_equal(verdict(&ck_prog, AUDIT_ARCH_X86_64, __NR_execveat,
				 USER_IP, a), KILL);
	a[4] = AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW;
	assert_int_equal(verdict(&ck_prog, AUDIT_ARCH_X86_64, __NR_execveat,
				 USER_IP, a), KILL);
}

static void test_bpf_ioctl(void **state)
{
	static const uint64_t ok_cmd[] = {
		0x5401 /* TCGETS */, 0x541b /* FIONREAD */,
		0xce00 /* PARACELL_GET_API_VERSION */, 0xab00, 0x2a00, 0xa800,
		0xaa00 ^ 0x100, 0xaa00 ^ 0x8000, 0xaa /* type 0, nr 0xaa */,
		0xc018ab3f, 0xffffffff00005401UL,
	};
	static const uint64_t bad_cmd[] = {
		0xaa00 /* USERFAULTFD_IOC_NEW */, 0xc018aa3f /* UFFDIO_API */,
		0xc020aa00 /* UFFDIO_REGISTER */, 0xc028aa03 /* UFFDIO_COPY */,
		0xc020aa04 /* UFFDIO_ZEROPAGE */, 0xaaff,
		0xffffffff0000aa00UL, 0x10000aa00UL,
	};
	const struct prog *p = &ck_prog;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok_cmd) / sizeof(ok_cmd[0]); i++)
		if (V(p, __NR_ioctl, 1, ok_cmd[i], 0, 0, 0, 0) != ALLOW)
			fail_msg("ioctl %#llx: expected ALLOW",
				 (unsigned long long)ok_cmd[i]);
	for (i = 0; i < sizeof(bad_cmd) / sizeof(bad_cmd[0]); i++)
		if (V(p, __NR_ioctl, 1, bad_cmd[i], 0, 0, 0, 0) != KILL)
			fail_msg("ioctl %#llx: expected KILL",
				 (unsigned long long)bad_cmd[i]);
}

/* ---- Live: a child installs a filter and does one thing. ---- */

/* The child's action: 0 if it saw what it expected. */
typedef int (*action_fn)(long arg);

static void child(enum filt f, action_fn fn, long arg)
{
	/*
	 * cmocka's handlers would catch a fault of the child's and run the
	 * rest of the tests there: the parent must see the fault itself (an
	 * int $0x80 raises #GP on hosts without IA32 emulation).
	 */
	signal(SIGSEGV, SIG_DFL);
	signal(SIGILL, SIG_DFL);
	signal(SIGBUS, SIG_DFL);
	signal(SIGFPE, SIG_DFL);
	filter_child_enter(f);
	_exit(fn(arg) & 0x7f);
}

/* Runs fn in a child under filter f; returns its wait status. */
static int run(enum filt f, action_fn fn, long arg)
{
	int status = -1;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		child(f, fn, arg);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	return status;
}

#define OK(st) (WIFEXITED(st) && WEXITSTATUS(st) == 0)
#define SIGSYSED(st) (WIFSIGNALED(st) && WTERMSIG(st) == SIGSYS)

static void expect_ok(const char *what, enum filt f, action_fn fn, long arg)
{
	int st = run(f, fn, arg);

	if (!OK(st))
		fail_msg("%s: expected exit 0, got status 0x%x", what, st);
}

static void expect_sigsys(const char *what, enum filt f, action_fn fn,
			  long arg)
{
	int st = run(f, fn, arg);

	if (!SIGSYSED(st))
		fail_msg("%s: expected SIGSYS, got status 0x%x", what, st);
}

static int do_write(long arg)
{
	int p[2];

	(void)arg;
	return pipe2(p, O_CLOEXEC) ||
	       ck_syscall6(__NR_write, p[1], (long)"x", 1, 0, 0, 0) != 1;
}

static int do_getpid(long arg)
{
	(void)arg;
	return ck_syscall6(__NR_getpid, 0, 0, 0, 0, 0, 0) <= 0;
}

static int do_mmap_rw(long arg)
{
	long a = ck_syscall6(__NR_mmap, 0, 8192, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	(void)arg;
	if (a < 0 && a > -4096)
		return 1;
	((volatile char *)a)[4096] = 1;
	return ck_syscall6(__NR_mprotect, a, 4096, PROT_READ, 0, 0, 0) ||
	       ck_syscall6(__NR_mprotect, a, 4096, PROT_READ | PROT_WRITE, 0,
			   0, 0) ||
	       ck_syscall6(__NR_munmap, a, 8192, 0, 0, 0, 0);
}

static int do_pkey_mprotect(long prot)
{
	long a = ck_syscall6(__NR_mmap, 0, 4096, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (a < 0 && a > -4096)
		return 1;
	/* pkey -1: no key change, works without PKU. */
	return ck_syscall6(__NR_pkey_mprotect, a, 4096, prot, -1, 0, 0) != 0;
}

static int do_mprotect(long prot)
{
	long a = ck_syscall6(__NR_mmap, 0, 4096, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (a < 0 && a > -4096)
		return 1;
	return ck_syscall6(__NR_mprotect, a, 4096, prot, 0, 0, 0) != 0;
}

static int do_mmap_anon_exec(long flags)
{
	long a = ck_syscall6(__NR_mmap, 0, 4096, PROT_READ | PROT_EXEC, flags,
			     (flags & MAP_SHARED) ? CK_FD_SEAL : -1, 0);

	return a < 0 && a > -4096;
}

/* mov eax, 42; ret */
static const unsigned char ret42[] = { 0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3 };

/* A sealed memfd holding ret42, duplicated onto fd; 0 or -1. */
static int make_seal(int fd)
{
	int m = memfd_create("seal", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (m < 0 || ftruncate(m, 4096) ||
	    pwrite(m, ret42, sizeof(ret42), 0) != sizeof(ret42) ||
	    fcntl(m, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_SHRINK |
					  F_SEAL_GROW | F_SEAL_SEAL) ||
	    dup3(m, fd, O_CLOEXEC) != fd)
		return -1;
	return 0;
}

/* arg: fd << 32 | prot << 16 | flags; calls the code if it mapped. */
static int do_mmap_fd(long arg)
{
	int fd = (int)(arg >> 32), prot = (int)(arg >> 16) & 0xffff,
	    flags = (int)arg & 0xffff;
	long a;

	if (make_seal(fd))
		return 1;
	a = ck_syscall6(__NR_mmap, 0, 4096, prot, flags, fd, 0);
	if (a < 0 && a > -4096)
		return 1;
	return ((int (*)(void))a)() != 42;
}

#define MMAP_FD(fd, prot, flags) \
	((long)(fd) << 32 | (long)(prot) << 16 | (long)(flags))

static void test_live_memory(void **state)
{
	const int rx = PROT_READ | PROT_EXEC;

	(void)state;
	expect_ok("write", F_CK, do_write, 0);
	expect_ok("getpid", F_CK, do_getpid, 0);
	expect_ok("mmap/mprotect rw", F_CK, do_mmap_rw, 0);
	expect_ok("pkey_mprotect r", F_CK, do_pkey_mprotect, PROT_READ);
	expect_sigsys("pkey_mprotect rx", F_CK, do_pkey_mprotect, rx);
	expect_sigsys("mprotect rx", F_CK, do_mprotect, rx);
	expect_sigsys("mprotect x", F_CK, do_mprotect, PROT_EXEC);
	expect_sigsys("mmap anon rx", F_CK, do_mmap_anon_exec,
		      MAP_PRIVATE | MAP_ANONYMOUS);
	expect_sigsys("mmap anon shared rx on the seal fd", F_CK,
		      do_mmap_anon_exec, MAP_SHARED | MAP_ANONYMOUS);
	/* The seal itself runs, shared on CK_FD_SEAL only. */
	expect_ok("seal shared, no filter", F_NONE, do_mmap_fd,
		  MMAP_FD(CK_FD_SEAL, rx, MAP_SHARED));
	expect_ok("seal shared", F_CK, do_mmap_fd,
		  MMAP_FD(CK_FD_SEAL, rx, MAP_SHARED));
	expect_ok("seal private, no filter", F_NONE, do_mmap_fd,
		  MMAP_FD(CK_FD_SEAL, rx, MAP_PRIVATE));
	expect_sigsys("seal private", F_CK, do_mmap_fd,
		      MMAP_FD(CK_FD_SEAL, rx, MAP_PRIVATE));
	expect_sigsys("seal shared_validate", F_CK, do_mmap_fd,
		      MMAP_FD(CK_FD_SEAL, rx, MAP_SHARED_VALIDATE));
	expect_sigsys("seal shared on CK_FD_CELL", F_CK, do_mmap_fd,
		      MMAP_FD(CK_FD_CELL, rx, MAP_SHARED));
	expect_sigsys("seal shared on fd 5", F_CK, do_mmap_fd,
		      MMAP_FD(5, rx, MAP_SHARED));
}

/* Calls syscall arg with harmless zero arguments. */
static int do_syscall0(long nr)
{
	ck_syscall6(nr, 0, 0, 0, 0, 0, 0);
	return 0;
}

static void test_live_absent(void **state)
{
	static const struct {
		const char *name;
		int nr;
	} absent[] = {
		{ "ptrace", __NR_ptrace },
		{ "process_vm_readv", __NR_process_vm_readv },
		{ "process_vm_writev", __NR_process_vm_writev },
		{ "io_uring_setup", __NR_io_uring_setup },
		{ "userfaultfd", __NR_userfaultfd },
		{ "bpf", __NR_bpf },
		{ "perf_event_open", __NR_perf_event_open },
		{ "seccomp", __NR_seccomp },
		{ "pkey_free", __NR_pkey_free },
		{ "personality", __NR_personality },
		{ "modify_ldt", __NR_modify_ldt },
		{ "set_thread_area", __NR_set_thread_area },
		{ "shmat", __NR_shmat },
		{ "pidfd_getfd", __NR_pidfd_getfd },
		{ "rseq", __NR_rseq },
		{ "execve", __NR_execve },
		{ "acct", __NR_acct },
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(absent) / sizeof(absent[0]); i++) {
		assert_false(is_listed(absent[i].nr));
		expect_sigsys(absent[i].name, F_CK, do_syscall0, absent[i].nr);
	}
}

static int do_prctl(long option)
{
	char name[16] = "hostfilter";
	long a2 = (long)name;

	if (option == PR_SET_SYSCALL_USER_DISPATCH)
		a2 = PR_SYS_DISPATCH_OFF;
	if (option == PR_SET_NO_NEW_PRIVS)
		a2 = 1;
	return ck_syscall6(__NR_prctl, option, a2, 0, 0, 0, 0) < 0;
}

static int do_arch_prctl(long code)
{
	unsigned long base = 0;
	long r;

	/* Set FS and GS to what they are: glibc's TLS lives on FS. */
	if (code == ARCH_SET_FS || code == ARCH_SET_GS) {
		r = ck_syscall6(__NR_arch_prctl,
				code == ARCH_SET_FS ? ARCH_GET_FS : ARCH_GET_GS,
				(long)&base, 0, 0, 0, 0);
		if (r)
			return 1;
		return ck_syscall6(__NR_arch_prctl, code, base, 0, 0, 0, 0) != 0;
	}
	return ck_syscall6(__NR_arch_prctl, code, (long)&base, 0, 0, 0, 0) < 0;
}

static void test_live_prctl(void **state)
{
	static const long ok[] = { PR_SET_SYSCALL_USER_DISPATCH,
				   PR_SET_NO_NEW_PRIVS, PR_GET_DUMPABLE,
				   PR_SET_NAME, PR_GET_NAME };
	static const long bad[] = { PR_SET_SECCOMP, PR_GET_SECCOMP,
				    PR_SET_DUMPABLE, PR_SET_MM,
				    PR_CAP_AMBIENT, PR_SET_PTRACER };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		expect_ok("prctl allowed option", F_CK, do_prctl, ok[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		expect_sigsys("prctl other option", F_CK, do_prctl, bad[i]);
	expect_ok("ARCH_GET_FS", F_CK, do_arch_prctl, ARCH_GET_FS);
	expect_ok("ARCH_GET_GS", F_CK, do_arch_prctl, ARCH_GET_GS);
	expect_ok("ARCH_SET_FS", F_CK, do_arch_prctl, ARCH_SET_FS);
	expect_ok("ARCH_SET_GS", F_CK, do_arch_prctl, ARCH_SET_GS);
	expect_sigsys("ARCH_MAP_VDSO_64", F_CK, do_arch_prctl, 0x2003);
	expect_sigsys("ARCH_SET_CPUID", F_CK, do_arch_prctl, ARCH_SET_CPUID);
}

/* ioctl with command cmd on /dev/null: the kernel answers ENOTTY. */
static int do_ioctl(long cmd)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	return fd < 0 ||
	       ck_syscall6(__NR_ioctl, fd, cmd, 0, 0, 0, 0) != -ENOTTY;
}

static void test_live_ioctl(void **state)
{
	(void)state;
	expect_ok("ioctl TCGETS", F_CK, do_ioctl, 0x5401);
	expect_ok("ioctl type 0xab", F_CK, do_ioctl, 0xab00);
	expect_sigsys("ioctl USERFAULTFD_IOC_NEW", F_CK, do_ioctl, 0xaa00);
	expect_sigsys("ioctl UFFDIO_COPY", F_CK, do_ioctl, 0xc028aa03);
}

static int do_x32_getpid(long arg)
{
	(void)arg;
	ck_syscall6(__X32_SYSCALL_BIT | __NR_getpid, 0, 0, 0, 0, 0, 0);
	return 0;
}

static int do_int80_getpid(long arg)
{
	long r = I386_GETPID;

	(void)arg;
	__asm__ volatile("int $0x80" : "+a"(r) : : "memory");
	return r != ck_syscall6(__NR_getpid, 0, 0, 0, 0, 0, 0);
}

static void test_live_arch(void **state)
{
	int st;

	(void)state;
	/* x32 disabled or not, seccomp sees the call first. */
	expect_sigsys("x32 getpid", F_CK, do_x32_getpid, 0);
	/* Only meaningful where int 0x80 reaches the ia32 table. */
	st = run(F_NONE, do_int80_getpid, 0);
	if (!OK(st)) {
		print_message("int 0x80 getpid fails without a filter "
			      "(status 0x%x): skipped\n", st);
		skip();
	}
	expect_sigsys("int 0x80 getpid", F_CK, do_int80_getpid, 0);
}

/* Calls the vsyscall page's time(); 0 if it returned the time. */
static int do_vsys_time(long arg)
{
	time_t t = ((time_t(*)(time_t *))VSYS_TIME)(NULL);

	(void)arg;
	return t < 1000000000;
}

static int do_time(long arg)
{
	(void)arg;
	return ck_syscall6(__NR_time, 0, 0, 0, 0, 0, 0) < 1000000000;
}

static void test_live_vsyscall(void **state)
{
	(void)state;
	if (!OK(run(F_NONE, do_vsys_time, 0))) {
		print_message("vsyscall page not executable here "
			      "(boot with vsyscall=xonly): skipped\n");
		skip();
	}
	expect_sigsys("vsyscall time", F_CK, do_vsys_time, 0);
	expect_ok("time, variant", F_VSYS, do_time, 0);
	expect_sigsys("vsyscall time, variant", F_VSYS, do_vsys_time, 0);
	expect_ok("vsyscall time, variant without guard", F_NOGUARD,
		  do_vsys_time, 0);
}

/* The raw install, without install.h's personality step. */
static long install_raw(void)
{
	struct sock_fprog prog = { CK_HOSTFILTER_LEN,
				   (struct sock_filter *)ck_hostfilter };

	return ck_syscall6(__NR_prctl, PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0, 0) ||
	       ck_syscall6(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0,
			   (long)&prog, 0, 0, 0);
}

/*
 * With READ_IMPLIES_EXEC set before the install (raw or through install.h),
 * maps PROT_READ memory: exits 0 if it is not executable, 1 if it is.
 */
static int do_rie_mmap(long raw)
{
	unsigned long a, lo, hi;
	char buf[16384], perm[5], *line;
	int fd, n;

	if (ck_syscall6(__NR_personality, READ_IMPLIES_EXEC, 0, 0, 0, 0, 0) <
		    0 ||
	    (raw ? install_raw() : ck_hostfilter_install()))
		return 2;
	a = (unsigned long)ck_syscall6(__NR_mmap, 0, 4096, PROT_READ,
				       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	fd = open("/proc/self/maps", O_RDONLY);
	n = fd < 0 ? -1 : (int)read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 2;
	buf[n] = 0;
	for (line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perm) == 3 &&
		    lo <= a && a < hi)
			return perm[2] == 'x';
	return 2;
}

static void test_live_read_implies_exec(void **state)
{
	int st;

	(void)state;
	/* Control: installed without clearing it, PROT_READ gives r-x. */
	st = run(F_NONE, do_rie_mmap, 1);
	assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	expect_ok("install clears READ_IMPLIES_EXEC", F_NONE, do_rie_mmap, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bpf_shape),
		cmocka_unit_test(test_bpf_vsyscall),
		cmocka_unit_test(test_bpf_arch),
		cmocka_unit_test(test_bpf_every_nr),
		cmocka_unit_test(test_bpf_mmap),
		cmocka_unit_test(test_bpf_mprotect_prctl),
		cmocka_unit_test(test_bpf_ioctl),
		cmocka_unit_test(test_bpf_execveat),
		cmocka_unit_test(test_live_memory),
		cmocka_unit_test(test_live_absent),
		cmocka_unit_test(test_live_prctl),
		cmocka_unit_test(test_live_ioctl),
		cmocka_unit_test(test_live_arch),
		cmocka_unit_test(test_live_vsyscall),
		cmocka_unit_test(test_live_read_implies_exec),
	};

	return cmocka_run_group_tests_name("hostfilter", tests, NULL, NULL);
}
