// SPDX-License-Identifier: Apache-2.0
/*
 * ck's side of the Pager: what ck decides is about to be used or is free
 * is collected while it handles one program syscall and sent as one
 * PARACELL_PAGER_BATCH before the program runs again (or at once, where
 * the order matters). Without the module the fallback does the same with
 * one madvise(2) a range.
 *
 * The policy (how much ck binds ahead of use) is ck's one option for it,
 * parsed here: --pager-policy=brk:N,mmap:N,stack:N (pages; keys left out
 * keep their default) and --no-bind (all three 0: every page the program
 * touches is a fault). MAP_POPULATE is the program's own request and is
 * bound whatever the policy.
 */
#include <linux/errno.h>
#include <linux/mman.h>

#include "ck.h"

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/*
 * Defaults, tuned on the recorded agent-like trace A of
 * tests/bench/mem (policy.py --tune: fewest reactive faults with the
 * memory bound ahead and not yet touched, plus ck's own memory a
 * process, at most 0.4% of the trace's peak above the native replay,
 * less a margin) and checked on trace B, which was recorded apart:
 * nothing of a brk growth (mostly a reservation malloc fills slowly:
 * each page bound ahead costs ~0.04% of A's peak; 8 pages, the default
 * until ck's own memory shrank to 52 KiB a process, put ck at 0.56%),
 * the first 4 pages of a writable anonymous mapping (mostly touched
 * soon), the top 16 KiB of a stack (the initial one and MAP_STACK ones:
 * what ck writes there at load and a small program's frames; natively a
 * static musl program touches one page of its stack). What ck binds is
 * never faulted on; the rest is left to the program's faults.
 * --pager-policy=brk:16384 binds a 64 MiB growth whole (the demo).
 */
#define POL_MAX_PAGES	(1UL << 18)	/* 1 GiB: brk's whole reservation */

static const uint64_t pol_default[CK_BIND_SITES] = {
	[CK_BIND_BRK] = 0, [CK_BIND_MMAP] = 4, [CK_BIND_STACK] = 4,
};

/*
 * The policy given, in .bss (written by the option): in .data it would
 * make ck's one data page anonymous in every process given a policy.
 */
static struct {
	uint64_t pages[CK_BIND_SITES];
	int set;			/* given on the command line */
} pol;

static const char *const pol_key[CK_BIND_SITES] = {
	[CK_BIND_BRK] = "brk", [CK_BIND_MMAP] = "mmap",
	[CK_BIND_STACK] = "stack",
};

static int parse_policy(const char *s)
{
	uint64_t v;
	size_t n;
	int i;

	for (;;) {
		for (i = 0; i < CK_BIND_SITES; i++) {
			n = strlen(pol_key[i]);
			if (!strncmp(s, pol_key[i], n) && s[n] == ':')
				break;
		}
		if (i == CK_BIND_SITES)
			return -EINVAL;
		s += n + 1;
		if (*s < '0' || *s > '9')
			return -EINVAL;
		for (v = 0; *s >= '0' && *s <= '9'; s++) {
			v = v * 10 + (uint64_t)(*s - '0');
			if (v > POL_MAX_PAGES)
				return -EINVAL;
		}
		pol.pages[i] = v;
		if (!*s)
			return 0;
		if (*s++ != ',')
			return -EINVAL;
	}
}

int ck_pager_option(const char *arg)
{
	static const char opt[] = "--pager-policy=";
	int i;

	if (!pol.set)	/* a key not given keeps its default */
		memcpy(pol.pages, pol_default, sizeof(pol.pages));
	if (!strcmp(arg, "--no-bind")) {
		for (i = 0; i < CK_BIND_SITES; i++)
			pol.pages[i] = 0;
	} else if (!strncmp(arg, opt, sizeof(opt) - 1)) {
		if (parse_policy(arg + sizeof(opt) - 1))
			return -EINVAL;
	} else {
		return 0;
	}
	pol.set = 1;
	return 1;
}

const char *ck_pager_exec_arg(void)
{
	static char buf[80];
	char num[24], *p = buf;
	uint64_t v;
	int i, n;

	if (!pol.set)
		return 0;
	memcpy(p, "--pager-policy=", 15);
	p += 15;
	for (i = 0; i < CK_BIND_SITES; i++) {
		if (i)
			*p++ = ',';
		n = (int)strlen(pol_key[i]);
		memcpy(p, pol_key[i], (size_t)n);
		p += n;
		*p++ = ':';
		v = pol.pages[i];
		n = 0;
		do
			num[n++] = (char)('0' + v % 10);
		while (v /= 10);
		while (n)
			*p++ = num[--n];
	}
	*p = 0;
	return buf;
}

uint64_t ck_pager_bind_len(enum ck_bind_site site, uint64_t len)
{
	uint64_t max = (pol.set ? pol.pages[site] : pol_default[site]) *
		       CK_PAGE;

	return len < max ? len : max;
}

void ck_pager_add(uint32_t op, uint64_t addr, uint64_t npages)
{
	if (!npages)
		return;
	if (ck_proc.npager == CK_PAGER_MAX)
		ck_pager_flush();
	ck_proc.pager[ck_proc.npager++] = (struct paracell_pager_entry){
		.op = op, .addr = addr, .npages = npages,
	};
}

static void pager_flush(void)
{
	struct paracell_pager_batch b = {
		.entries = (uint64_t)(uintptr_t)ck_proc.pager,
		.count = ck_proc.npager,
	};
	unsigned int i;

	if (!ck_proc.npager)
		return;
	CK_COUNT(pager_batches, 1);
	CK_COUNT(pager_entries, ck_proc.npager);
	if (ck_env.cell_fd >= 0) {
		ck_sys3(__NR_ioctl, ck_env.cell_fd, PARACELL_PAGER_BATCH, &b);
	} else {
		for (i = 0; i < ck_proc.npager; i++)
			ck_sys3(__NR_madvise, ck_proc.pager[i].addr,
				ck_proc.pager[i].npages * CK_PAGE,
				ck_proc.pager[i].op == PARACELL_PAGER_BIND ?
				MADV_POPULATE_WRITE : MADV_DONTNEED);
	}
	ck_proc.npager = 0;
}

void ck_pager_bind(uint64_t start, uint64_t len)
{
	if (len)
		ck_pager_add(PARACELL_PAGER_BIND, start, len / CK_PAGE);
}

void ck_pager_flush(void)
{
	ck_proc_lock();
	pager_flush();
	ck_proc_unlock();
}
