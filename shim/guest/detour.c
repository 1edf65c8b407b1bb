// SPDX-License-Identifier: Apache-2.0
/*
 * Detours (docs/sealed-code.md, "Kind 2: detours"): a forbidden pattern
 * inside another instruction I (kind 2: a displacement, an immediate, or
 * running from I into the next one) is made unreachable as an instruction
 * start by rewriting I's bytes, where ck knows the instruction starts:
 * inside a function the unwind table names, decoded from its first byte
 * (unwind.c, as for kind 1). I keeps its first byte's address and no other
 * instruction start moves, so a branch to any instruction start behaves
 * as before:
 *
 *   I of 5 bytes or more   `jmp tramp` (E9 rel32) and INT3s;
 *   I of 2 to 4 bytes      `int $0x80` (CD 80, the kind-1 trap) and INT3s:
 *                          its SIGSYS (or #GP without IA32 emulation)
 *                          sets RIP to the trampoline (ck_detour_trap),
 *                          with every register as it was.
 *
 * The trampoline, in an area of its own that ck maps within rel32 reach
 * below the code and seals (scanned, as every seal), is I relocated
 * (reloc.c: a RIP-relative disp32 re-based, a jmp or jcc re-encoded) and
 * `jmp` to the instruction after I. ck checks the final bytes: no pattern
 * may start in or just before I's new bytes, nor anywhere in the area; a
 * slot whose displacements make one is left for the next. A pattern that
 * no slot covers (an immediate holding it whole, a call, a trampoline out
 * of reach) refuses the file with its offset, as before; the seal's scan
 * is the wall either way. A signal whose RIP is in a trampoline is
 * delivered as at I, or after I once I has run (ck_detour_site, through
 * stubs.c's ck_stub_site): the program sees only its own code.
 *
 * A seal with detours is not recorded (sealrec.c): its notes do not say
 * how to rebuild the trampolines, so each process builds them anew.
 */
#include <linux/errno.h>
#include <linux/mman.h>

#include <paracell/scan.h>

#include "ck.h"
#include "reloc.h"

#define SLOT		32	/* bytes per trampoline slot */
#define PER_SEAL	8	/* detours per seal */
#define MAX_DETOURS	64	/* in the process */
#define AREA_LEN	CK_PAGE	/* one page: CK_PAGE / SLOT slots */

struct detour {
	uint64_t site;		/* I's address; 0: free */
	uint64_t tramp;		/* its trampoline */
	uint8_t len;		/* I's length */
	uint8_t rlen;		/* the relocated I's length in the trampoline */
	uint8_t trap;		/* I < 5 bytes: int $0x80 at the site */
};

static struct detour detours[MAX_DETOURS];

/* One seal's plan, then its area until the seal is mapped (ck_proc's lock). */
static struct {
	struct {
		size_t hit, start;
		struct ck_insn in;
	} p[PER_SEAL];
	unsigned int n;
	struct detour d[PER_SEAL];
	unsigned int nd;
	uint64_t at;		/* the area, or 0 */
} plan CK_SCRATCH;	/* the pass's (ck.h): zeros are no plan */

int ck_detour_plan(const struct ck_code *c, size_t hit, size_t start,
		   const struct ck_insn *in)
{
	unsigned int i;

	(void)c;
	for (i = 0; i < plan.n; i++)
		if (plan.p[i].start == start)
			return 0;	/* a second pattern in the same I */
	if (plan.n == PER_SEAL)
		return -1;
	plan.p[plan.n].hit = hit;
	plan.p[plan.n].start = start;
	plan.p[plan.n].in = *in;
	plan.n++;
	return 0;
}

/*
 * Plan entry j into a free slot of the area (buf, at at): I rewritten in
 * c->buf, the trampoline in buf, both checked. 0, or -1 (nothing fits).
 */
static int place(struct ck_code *c, uint8_t *buf, uint64_t at,
		 uint8_t *used, unsigned int j)
{
	const struct ck_insn *in = &plan.p[j].in;
	size_t s = plan.p[j].start, lo = s > 2 ? s - 2 : 0;
	uint64_t site = c->addr + s, tramp;
	uint8_t old[CK_INSN_MAX], t[CK_TRAMP_MAX];
	unsigned int k;
	int n;

	memcpy(old, c->buf + s, in->len);
	for (k = 0; k < AREA_LEN / SLOT; k++) {
		if (used[k])
			continue;
		tramp = at + (uint64_t)k * SLOT;
		n = ck_reloc_tramp(old, in, site, tramp, t);
		if (n == CK_RELOC_EBRANCH)
			return -1;
		if (n < 0)
			continue;
		memcpy(buf + k * SLOT, t, (size_t)n);
		if (!ck_mutant(DETOUR_KEEP))
			ck_reloc_site(c->buf + s, in->len, site, tramp);
		/*
		 * No pattern may start in I's new bytes or just before them
		 * (one ending in them), nor in the slot or its neighbours'.
		 */
		if (ck_mutant(DETOUR_KEEP) ||
		    (!ck_scan_count(c->buf, c->len, lo, s + in->len) &&
		     !ck_scan_count(buf, AREA_LEN, k ? k * SLOT - 2 : 0,
			      (k + 1) * SLOT))) {
			used[k] = 1;
			plan.d[plan.nd].site = site;
			plan.d[plan.nd].tramp = tramp;
			plan.d[plan.nd].len = in->len;
			plan.d[plan.nd].rlen = (uint8_t)(n - 5);
			plan.d[plan.nd].trap = in->len < 5;
			plan.nd++;
			return 0;
		}
		memcpy(c->buf + s, old, in->len);
		memset(buf + k * SLOT, 0xcc, SLOT);
	}
	return -1;
}

static void unmap_area(uint64_t at)
{
	ck_sys2(__NR_munmap, at, AREA_LEN);
	ck_mm_remove(at, at + AREA_LEN);
}

long ck_detour_build(struct ck_code *c, size_t *hit)
{
	static uint8_t used[AREA_LEN / SLOT] CK_SCRATCH;
	uint64_t at;
	unsigned int j;
	uint8_t *buf;
	long p, ret = 0;

	plan.nd = 0;
	plan.at = 0;
	if (!plan.n)
		return 0;
	*hit = plan.p[0].hit;
	at = ck_hole_below(c->addr, AREA_LEN);
	if (!at || c->addr + c->len - at >= (1ULL << 31))
		return -EPERM;
	p = ck_sys6(__NR_mmap, (long)at, AREA_LEN, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
	if (IS_ERR_VAL(p) || (uint64_t)p != at) {
		if (!IS_ERR_VAL(p))
			ck_sys2(__NR_munmap, p, AREA_LEN);
		return -EPERM;
	}
	buf = ck_kalloc(AREA_LEN);
	if (!buf) {
		ck_sys2(__NR_munmap, at, AREA_LEN);
		return -ENOMEM;
	}
	memset(buf, 0xcc, AREA_LEN);	/* INT3 around the trampolines */
	memset(used, 0, sizeof(used));
	for (j = 0; j < plan.n && !ret; j++)
		if (place(c, buf, at, used, j)) {
			*hit = plan.p[j].hit;
			ret = -EPERM;
		}
	if (!ret && ck_seal_map(&(struct ck_code){ .fd = -1, .addr = at,
						   .buf = buf,
						   .len = AREA_LEN },
				R_CODE, &(uint64_t){ 0 },
				&(unsigned int){ 0 }))
		ret = -EPERM;
	unmap_area((uint64_t)buf);	/* ck_kalloc's: its region too */
	if (ret) {
		unmap_area(at);
		plan.nd = 0;
		return ret;
	}
	plan.at = at;
	c->detoured = 1;
	return 0;
}

void ck_detour_commit(const struct ck_code *c, int sealed)
{
	unsigned int i, j = 0;

	(void)c;
	plan.n = 0;
	if (!plan.at)
		return;
	if (!sealed) {
		unmap_area(plan.at);
		plan.at = 0;
		plan.nd = 0;
		return;
	}
	for (i = 0; i < MAX_DETOURS && j < plan.nd; i++)
		if (!detours[i].site)
			detours[i] = plan.d[j++];
	CK_COUNT(detours, j);
	/* No room: the sites stay, their traps and signals unmapped. */
	if (j < plan.nd)
		ck_dprintf(2, "ck: more than %u detours in the process\n",
			   MAX_DETOURS);
	plan.at = 0;
	plan.nd = 0;
}

void ck_detour_drop(uint64_t lo, uint64_t hi)
{
	unsigned int i;

	for (i = 0; i < MAX_DETOURS; i++)
		if ((detours[i].site >= lo && detours[i].site < hi) ||
		    (detours[i].tramp >= lo && detours[i].tramp < hi))
			detours[i].site = 0;
}

int ck_detour_trap(struct ck_frame *f)
{
	struct sigcontext *sc = &f->uc.uc_mcontext;
	uint64_t tramp = 0;
	unsigned int i;

	ck_proc_lock();
	for (i = 0; i < MAX_DETOURS; i++)
		if (detours[i].trap && detours[i].site &&
		    detours[i].site == sc->rip - 2)
			tramp = detours[i].tramp;
	ck_proc_unlock();
	if (!tramp)
		return 0;
	sc->rip = tramp;
	CK_COUNT(site_traps, 1);
	CK_COUNT(detour_traps, 1);
	return 1;
}

/*
 * In the relocated I: as at I (a fault there is I's); after it (the jmp
 * back): as after I, which has run. Read without ck_proc's lock, as the
 * stubs are: a signal comes while no seal of this thread's is being made.
 */
uint64_t ck_detour_site(uint64_t rip, int *start)
{
	unsigned int i;

	for (i = 0; i < MAX_DETOURS; i++) {
		const struct detour *d = &detours[i];

		if (!d->site || rip < d->tramp || rip >= d->tramp + d->rlen + 5)
			continue;
		*start = rip == d->tramp;
		return rip - d->tramp < d->rlen ? d->site : d->site + d->len;
	}
	return 0;
}
