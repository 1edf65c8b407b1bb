// SPDX-License-Identifier: Apache-2.0
/*
 * A BIND larger than the memory cgroup's limit ends as a touch would: the
 * cgroup's OOM killer kills the task, and nothing is left behind (no live
 * cell, the cgroup can be removed). A touching child is the control.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "probe.h"

#define LIMIT "33554432"	/* 32 MiB */
#define NPG (128UL << 8)	/* 128 MiB */

static void run_child(const char *cg, int dev, int use_bind)
{
	char *m;
	size_t i;
	int cell;

	if (probe_cg_enter(cg))
		_exit(10);
	cell = probe_cell(dev);
	m = probe_map(NPG);
	if (cell < 0 || !m)
		_exit(11);
	if (use_bind) {
		probe_one(cell, PARACELL_PAGER_BIND, m, NPG);
		_exit(12);	/* should not get here */
	}
	for (i = 0; i < NPG; i++)
		m[i * PG] = 1;
	_exit(13);
}

static void one_case(int dev, int use_bind)
{
	const char *cg = use_bind ? "paracell-oom-bind" : "paracell-oom-touch";
	const char *how = use_bind ? "BIND" : "touch";
	long base = probe_live_cells();
	int status = 0, i, rm = -1;
	char path[128];
	pid_t pid;

	snprintf(path, sizeof(path), "/sys/fs/cgroup/%s", cg);
	ktap_require(mkdir(path, 0755) == 0 || errno == EEXIST, "mkdir %s", path);
	ktap_require(probe_cg_write(cg, "memory.max", LIMIT) == 0,
		     "memory.max of %s", cg);
	probe_cg_write(cg, "memory.swap.max", "0");
	pid = fork();
	ktap_require(pid >= 0, "fork");
	if (pid == 0)
		run_child(cg, dev, use_bind);
	waitpid(pid, &status, 0);
	if (!ktap_check(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
			"%s past memory.max: task killed by SIGKILL", how))
		ktap_diag("status 0x%x", status);
	ktap_check(probe_cg_key(cg, "memory.events", "oom_kill") >= 1,
		   "%s: the cgroup's OOM killer did it", how);
	ktap_check(probe_live_cells() == base, "%s: no cell left", how);
	/* The cgroup empties once the reaped task is gone. */
	for (i = 0; i < 100 && rm; i++) {
		rm = rmdir(path);
		if (rm)
			usleep(10000);
	}
	ktap_check(rm == 0, "%s: cgroup removed", how);
}

int main(void)
{
	int dev;

	ktap_plan(8);
	dev = probe_dev();
	one_case(dev, 0);
	one_case(dev, 1);
	close(dev);
	ktap_finish();
}
