/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The filters a hostfilter test runs a forked child under, and the child's
 * set-up, shared by the unit test and the VM test (hostfilter_vsyscall).
 * Include after install.h and the hostfilter-test-*.h headers.
 */
#ifndef PARACELL_TEST_FILTER_CHILD_H
#define PARACELL_TEST_FILTER_CHILD_H

#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

enum filt { F_NONE, F_CK, F_VSYS, F_NOGUARD };

/*
 * In the child: no core dump for a SIGSYS kill, then filter f (F_NONE:
 * none). Exits 100 or 101 if either step fails.
 */
static inline void filter_child_enter(enum filt f)
{
	struct rlimit no_core = { 0, 0 };
	long r = 0;

	if (setrlimit(RLIMIT_CORE, &no_core) ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0))
		_exit(100);
	if (f == F_CK)
		r = ck_hostfilter_install();
	else if (f == F_VSYS)
		r = ck_hostfilter_load(hf_test_vsys, HF_TEST_VSYS_LEN);
	else if (f == F_NOGUARD)
		r = ck_hostfilter_load(hf_test_noguard, HF_TEST_NOGUARD_LEN);
	if (r)
		_exit(101);
}

#endif
