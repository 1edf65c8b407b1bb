// SPDX-License-Identifier: Apache-2.0
/*
 * Glue for test_profile (built with ck's own headers): profile.c, the very
 * file ck links, with what it calls outside itself: ck_refuse() and the
 * refusal counter, ck_die_of_sigsys() as a longjmp back to the test, and
 * a host syscall that fails (rt.c's memcpy and strlen come along).
 */
#include <setjmp.h>
#include <linux/errno.h>

#include "ck.h"
#include "glue_profile.h"

struct ck_stats ck_stats;
static int refused;
static jmp_buf kill_jmp;

/* rt.c's output and ck_die need it; the profile makes no host call. */
long ck_sys6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	(void)nr; (void)a1; (void)a2; (void)a3; (void)a4; (void)a5; (void)a6;
	return -ENOSYS;
}

long ck_refuse(long err)
{
	refused = 1;
	return err;
}

void ck_die_of_sigsys(void)
{
	longjmp(kill_jmp, 1);
}

int tp_load(const char *hex)
{
	return ck_profile_load(hex);
}

int tp_check(uint32_t arch, int nr, const long *a, long *ret)
{
	int decided;

	refused = 0;
	if (setjmp(kill_jmp))
		return TP_KILLED;
	*ret = ck_profile_check(arch, nr, a, 0x401000, &decided);
	if (decided != refused)
		return -1;
	return decided ? TP_DECIDED : TP_GO_ON;
}
