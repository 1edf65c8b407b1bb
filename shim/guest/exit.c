// SPDX-License-Identifier: Apache-2.0
/*
 * The process's end: the Pager's last batch, ck's canary checked (and
 * --stats printed), then exit_group issued under the user PKRU (the
 * kernel's exit-time writes obey it). A thread's exit is clone.c's.
 */
#include "ck.h"

struct ck_stats ck_stats;

void ck_print_stats(void)
{
	ck_dprintf(2, "ck: stats: handled=%lu forwarded=%lu denied=%lu "
		   "host_syscalls=%lu pager_batches=%lu pager_entries=%lu\n",
		   ck_stats.handled, ck_stats.forwarded, ck_stats.denied,
		   ck_stats.host, ck_stats.pager_batches,
		   ck_stats.pager_entries);
}

void ck_exit_group(long status)
{
	unsigned int i, intact = 1;

	ck_pager_flush();
	for (i = 0; i < 8; i++)
		intact &= ck_canary[i] == CK_CANARY;
	if (ck_env.stats || !intact)
		ck_print_stats();
	if (!intact)
		ck_dprintf(2, "ck: canary CLOBBERED: ck's memory was written\n");
	/* Under the user PKRU: the kernel's exit-time writes obey it. */
	for (;;)
		ck_forward(__NR_exit_group, status, 0, 0, 0, 0, 0);
}

long ck_sys_exit_group(struct ck_task *t, const long *a)
{
	t->after = CK_AFTER_EXIT_GROUP;
	return a[0];
}
