// SPDX-License-Identifier: Apache-2.0
/*
 * The process's end: the Pager's last batch, ck's canary checked (and
 * --stats printed), then exit_group issued under the user PKRU (the
 * kernel's exit-time writes obey it). A thread's exit is clone.c's.
 */
#include "ck.h"

struct ck_stats ck_stats;

/*
 * On ck's own stderr (CK_FD_ERR, a dup of fd 2 made at start-up), which
 * the program cannot close: the line gets out after it closed its fd 2.
 * host_per_forwarded is every host syscall ck issued (the rt_sigreturn of
 * each trap and the exit_group included) over the forwarded calls.
 */
void ck_print_stats(void)
{
	uint64_t fwd = ck_stats.forwarded, host = ck_stats.host;
	uint64_t per = fwd ? (host * 100 + fwd / 2) / fwd : 0;

	ck_dprintf(ck_env.err_fd, "ck: stats: handled=%lu forwarded=%lu "
		   "denied=%lu host_syscalls=%lu host_per_forwarded=%lu.%s%lu "
		   "pager_batches=%lu pager_entries=%lu sealed_bytes=%lu "
		   "site_traps=%lu direct=%lu bounced=%lu direct_sites=%lu "
		   "jit_sealed_bytes=%lu jit_unsealed_bytes=%lu seal_hits=%lu "
		   "found_bytes=%lu seal_records=%lu detours=%lu detour_traps=%lu\n",
		   ck_stats.handled, fwd, ck_stats.denied, host, per / 100,
		   per % 100 < 10 ? "0" : "", per % 100,
		   ck_stats.pager_batches, ck_stats.pager_entries,
		   ck_stats.sealed, ck_stats.site_traps, ck_stats.direct,
		   ck_stats.bounced, ck_stats.direct_sites, ck_stats.jit_sealed,
		   ck_stats.jit_unsealed, ck_stats.seal_hits,
		   ck_stats.found_bytes, ck_stats.seal_records,
		   ck_stats.detours, ck_stats.detour_traps);
}

void ck_exit_group(long status)
{
	unsigned int i, intact = 1;

	ck_pager_flush();
	CK_COUNT(host, 1);	/* the exit_group below */
	for (i = 0; i < 8; i++)
		intact &= ck_canary[i] == CK_CANARY;
	if (ck_env.stats || !intact)
		ck_print_stats();
	if (!intact)
		ck_dprintf(ck_env.err_fd, "ck: canary CLOBBERED: ck's memory was written\n");
	/* Under the user PKRU: the kernel's exit-time writes obey it. */
	for (;;)
		ck_forward(__NR_exit_group, status, 0, 0, 0, 0, 0);
}

long ck_sys_exit_group(struct ck_task *t, const long *a)
{
	t->after = CK_AFTER_EXIT_GROUP;
	return a[0];
}
