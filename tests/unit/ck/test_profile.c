// SPDX-License-Identifier: Apache-2.0
/*
 * ck's OCI seccomp profile (shim/guest/profile.c): filters made by
 * libseccomp, as the runtime makes them, exported to BPF and handed to ck
 * as hex; each verdict checked against the rule that should decide it,
 * and malformed programs refused at load.
 */
#include <errno.h>
#include <seccomp.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <cmocka.h>

#include "glue_profile.h"

#define AUDIT_X86_64 0xc000003eU
#define AUDIT_I386 0x40000003U

/* The filter of ctx as ck's --seccomp wants it (malloc'd). */
static char *export_hex(scmp_filter_ctx ctx)
{
	int fd = memfd_create("bpf", 0);
	off_t end;
	size_t n, i;
	unsigned char *b;
	char *hex;

	assert_true(fd >= 0);
	assert_int_equal(seccomp_export_bpf(ctx, fd), 0);
	end = lseek(fd, 0, SEEK_END);
	assert_true(end > 0 && end % 8 == 0 && end <= 4096 * 8);
	n = (size_t)end;
	b = malloc(n);
	hex = malloc(n * 2 + 1);
	assert_true(b && hex);
	assert_int_equal(pread(fd, b, n, 0), end);
	for (i = 0; i < n; i++)
		sprintf(hex + 2 * i, "%02x", b[i]);
	free(b);
	close(fd);
	return hex;
}

static void load(scmp_filter_ctx ctx)
{
	char *hex = export_hex(ctx);

	assert_int_equal(tp_load(hex), 0);
	free(hex);
	seccomp_release(ctx);
}

static int check(uint32_t arch, int nr, long a0, long *ret)
{
	long a[6] = { a0, 0, 0, 0, 0, 0 };

	return tp_check(arch, nr, a, ret);
}

static void test_actions(void **state)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	long ret = 0;

	(void)state;
	assert_int_equal(seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(18), SCMP_SYS(mkdir), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_KILL_PROCESS, SCMP_SYS(uname), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_KILL, SCMP_SYS(getppid), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_TRAP, SCMP_SYS(getpgrp), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_TRACE(3), SCMP_SYS(sync), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_LOG, SCMP_SYS(getuid), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(1), SCMP_SYS(close), 1,
					  SCMP_A0(SCMP_CMP_EQ, 7)), 0);
	/* a 64-bit argument: both halves compared */
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ERRNO(2), SCMP_SYS(dup), 1,
					  SCMP_A0_64(SCMP_CMP_EQ, 0x100000007ULL)), 0);
	load(ctx);

	assert_int_equal(check(AUDIT_X86_64, SYS_mkdir, 0, &ret), TP_DECIDED);
	assert_int_equal(ret, -18);
	assert_int_equal(check(AUDIT_X86_64, SYS_sync, 0, &ret), TP_DECIDED);
	assert_int_equal(ret, -ENOSYS);	/* no tracer */
	assert_int_equal(check(AUDIT_X86_64, SYS_uname, 0, &ret), TP_KILLED);
	assert_int_equal(check(AUDIT_X86_64, SYS_getppid, 0, &ret), TP_KILLED);
	assert_int_equal(check(AUDIT_X86_64, SYS_getpgrp, 0, &ret), TP_KILLED);
	assert_int_equal(check(AUDIT_X86_64, SYS_getuid, 0, &ret), TP_GO_ON);
	assert_int_equal(check(AUDIT_X86_64, SYS_getpid, 0, &ret), TP_GO_ON);
	assert_int_equal(check(AUDIT_X86_64, SYS_close, 7, &ret), TP_DECIDED);
	assert_int_equal(ret, -1);
	assert_int_equal(check(AUDIT_X86_64, SYS_close, 8, &ret), TP_GO_ON);
	assert_int_equal(check(AUDIT_X86_64, SYS_dup, 0x100000007L, &ret), TP_DECIDED);
	assert_int_equal(ret, -2);
	assert_int_equal(check(AUDIT_X86_64, SYS_dup, 7, &ret), TP_GO_ON);
	/* another architecture: libseccomp's bad-arch action kills */
	assert_int_equal(check(AUDIT_I386, SYS_getpid, 0, &ret), TP_KILLED);
}

/* An errno default with allowed calls: what docker's profile looks like. */
static void test_default_errno(void **state)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ERRNO(EPERM));
	long ret = 0;

	(void)state;
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(read), 0), 0);
	assert_int_equal(seccomp_rule_add(ctx, SCMP_ACT_ALLOW, SCMP_SYS(write), 0), 0);
	load(ctx);
	assert_int_equal(check(AUDIT_X86_64, SYS_read, 0, &ret), TP_GO_ON);
	assert_int_equal(check(AUDIT_X86_64, SYS_write, 0, &ret), TP_GO_ON);
	assert_int_equal(check(AUDIT_X86_64, SYS_openat, 0, &ret), TP_DECIDED);
	assert_int_equal(ret, -EPERM);
	/* x32 numbers are x86_64's arch with bit 30: libseccomp refuses them */
	assert_int_not_equal(check(AUDIT_X86_64, 0x40000000 | SYS_read, 0, &ret), TP_GO_ON);
}

/* What the kernel's seccomp_check_filter refuses, ck refuses. */
static void test_bad_programs(void **state)
{
	(void)state;
	assert_int_equal(tp_load(""), -EINVAL);
	assert_int_equal(tp_load("0600000000000000f"), -EINVAL);	/* odd */
	assert_int_equal(tp_load("06000000000000zz"), -EINVAL);	/* not hex */
	/* RET ALLOW alone is fine */
	assert_int_equal(tp_load("060000000000ff7f"), 0);
	/* ld [64]: past struct seccomp_data */
	assert_int_equal(tp_load("2000000040000000" "060000000000ff7f"), -EINVAL);
	/* ld [2]: unaligned */
	assert_int_equal(tp_load("2000000002000000" "060000000000ff7f"), -EINVAL);
	/* ld [x+0] (BPF_IND): not for seccomp */
	assert_int_equal(tp_load("4000000000000000" "060000000000ff7f"), -EINVAL);
	/* jeq #0, jt past the end */
	assert_int_equal(tp_load("1500050000000000" "060000000000ff7f"), -EINVAL);
	/* ja past the end */
	assert_int_equal(tp_load("0500000001000000" "060000000000ff7f"), -EINVAL);
	/* not ending in a return */
	assert_int_equal(tp_load("060000000000ff7f" "2000000000000000"), -EINVAL);
	/* div #0 */
	assert_int_equal(tp_load("3400000000000000" "060000000000ff7f"), -EINVAL);
	/* RET ERRNO|5000 (libseccomp makes none): the kernel's MAX_ERRNO */
	assert_int_equal(tp_load("0600000088130500"), 0);
	{
		long a[6] = { 0 }, ret = 0;

		assert_int_equal(tp_check(AUDIT_X86_64, SYS_getpid, a, &ret), TP_DECIDED);
		assert_int_equal(ret, -4095);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_default_errno),
		cmocka_unit_test(test_bad_programs),
	};

	return cmocka_run_group_tests_name("ck: OCI seccomp profile", tests, NULL, NULL);
}
