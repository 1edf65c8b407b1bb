// SPDX-License-Identifier: Apache-2.0
/*
 * A cell fd used after fork: each process acts on its own memory. The child
 * binds (breaking copy-on-write) and unbinds a region it shares with its
 * parent through the inherited fd; the parent's copy must not change.
 */
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "probe.h"

#define NPG 64UL

/* Child's checks, one bit each in its exit status. */
enum {
	C_BIND = 1, C_NOFAULT = 2, C_DATA = 4, C_UNBIND = 8, C_ZERO = 16,
	C_ANON = 32,
};

static int child(int cell, char *m)
{
	long a0, a1, before;
	int bits = 0;
	size_t i;

	if (probe_one(cell, PARACELL_PAGER_BIND, m, NPG) == (int64_t)NPG)
		bits |= C_BIND;
	before = probe_minflt();
	for (i = 0; i < NPG; i++)
		((volatile char *)m)[i * PG + 1] = 0x22;
	if (probe_minflt() == before)
		bits |= C_NOFAULT;
	if (m[0] == 0x11 && m[(NPG - 1) * PG] == 0x11)
		bits |= C_DATA;
	a0 = probe_anon_kb();
	if (probe_one(cell, PARACELL_PAGER_UNBIND, m, NPG) == (int64_t)NPG)
		bits |= C_UNBIND;
	a1 = probe_anon_kb();
	if (m[0] == 0 && m[1] == 0)
		bits |= C_ZERO;
	if (a0 - a1 == (long)(NPG * 4))
		bits |= C_ANON;
	return bits;
}

int main(void)
{
	int dev, cell, status, bits;
	long base;
	pid_t pid;
	char *m;
	size_t i, same = 0;

	ktap_plan(10);
	dev = probe_dev();
	base = probe_live_cells();
	cell = probe_cell(dev);
	m = probe_map(NPG);
	ktap_require(cell >= 0 && m, "cell and region");
	memset(m, 0x11, NPG * PG);

	pid = fork();
	ktap_require(pid >= 0, "fork");
	if (pid == 0)
		_exit(child(cell, m));
	waitpid(pid, &status, 0);
	ktap_require(WIFEXITED(status), "child exited normally");
	bits = WEXITSTATUS(status);
	ktap_check(bits & C_BIND, "child: BIND through the inherited fd");
	ktap_check(bits & C_NOFAULT, "child: no faults after BIND (COW broken)");
	ktap_check(bits & C_DATA, "child: BIND kept the inherited data");
	ktap_check(bits & C_UNBIND, "child: UNBIND through the inherited fd");
	ktap_check(bits & C_ZERO, "child: its unbound pages read zero");
	ktap_check(bits & C_ANON, "child: its own Anonymous dropped");
	for (i = 0; i < NPG * PG; i++)
		same += m[i] == 0x11;
	ktap_check(same == NPG * PG, "parent's memory untouched by the child");
	ktap_check(probe_one(cell, PARACELL_PAGER_UNBIND, m, NPG) == (int64_t)NPG &&
		   m[0] == 0, "parent's own UNBIND still works");
	ktap_check(probe_live_cells() == base + 1, "one cell, shared by both");
	close(cell);
	close(dev);
	ktap_check(probe_live_cells() == base, "no cell left");
	ktap_finish();
}
