// SPDX-License-Identifier: Apache-2.0
/*
 * JIT code (docs/sealed-code.md, "JIT"): anonymous memory the program
 * wrote and now asks to run (mprotect or mmap with PROT_EXEC: V8,
 * OpenJDK, PyPy, LuaJIT, pcre2) is sealed in place. ck copies the bytes
 * into K memory, seals its copy (the module's or the fallback's scan is
 * the wall, over the copy, so another thread writing meanwhile changes
 * only what ck copied, never what it sealed) and maps the seal over the
 * same addresses, recorded as R_JIT. A later PROT_WRITE (the W^X flip
 * back) unseals: the seal's bytes go back into fresh anonymous memory at
 * the same addresses.
 *
 * JIT memory has no unwind table ck could prove instruction starts with,
 * so by the rule for files without one, every forbidden pattern in it is
 * refused (no kind-1 rewrite, no data page): the mprotect or mmap fails
 * with EACCES, what SELinux's execmem and PaX MPROTECT answer, which JITs
 * handle (V8 and OpenJDK stop with an out-of-memory report, LuaJIT and
 * pcre2 fall back to their interpreters). RWX stays EACCES (W^X).
 *
 * Memory handlers run under ck_proc.lock (trap.c): the copies here are of
 * private anonymous memory, whose faults never wait on the program.
 */
#include <linux/errno.h>
#include <linux/mman.h>

#include <paracell/scan.h>

#include "ck.h"

/*
 * What [start, end) is: -ENOMEM if some of it is not mapped (as Linux
 * answers), -EACCES unless all of it is of kinds R_ANON, R_FILE (ck
 * seals a copy, never the file) and R_JIT, and
 * readable (ck must copy it: PROT_NONE to PROT_EXEC is refused); else 1
 * if it is all R_JIT and executable already, 0 if it needs sealing.
 */
static int jit_range(uint64_t start, uint64_t end)
{
	const struct ck_proc *p = &ck_proc;
	uint64_t at = start;
	unsigned int i;
	int sealed = 1;

	for (i = 0; i < p->nregions && at < end; i++) {
		const struct ck_region *r = &p->regions[i];

		if (r->end <= at)
			continue;
		if (r->start > at)
			return -ENOMEM;
		if ((r->kind != R_ANON && r->kind != R_FILE &&
		     r->kind != R_JIT) ||
		    !(r->prot & (PROT_READ | PROT_WRITE)))
			return -EACCES;
		sealed &= r->kind == R_JIT && (r->prot & PROT_EXEC);
		at = r->end;
	}
	return at < end ? -ENOMEM : sealed;
}

static void kfree_buf(void *buf, uint64_t len)
{
	ck_sys2(__NR_munmap, (long)buf, (long)len);
	ck_mm_remove((uint64_t)buf, (uint64_t)buf + len);
}

/* Seals [addr, addr + len) in place: 0, or -EACCES for a pattern. */
long ck_jit_seal(uint64_t addr, uint64_t len)
{
	struct ck_code c = { .fd = -1, .addr = addr, .len = len };
	uint64_t hit = 0;
	unsigned int kind = 0;
	long ret = jit_range(addr, addr + len);

	if (ret)
		return ret < 0 ? ret : 0;
	c.buf = ck_kalloc(len);
	if (!c.buf)
		return -ENOMEM;
	ret = ck_copy_from_user(c.buf, addr, len);
	if (!ret)
		ret = ck_seal_map(&c, R_JIT, &hit, &kind);
	kfree_buf(c.buf, len);
	if (ret == -EPERM && kind) {
		ck_dprintf(ck_env.err_fd, "ck: JIT code at 0x%lx: forbidden "
			   "instruction (%s) at +0x%lx: not made executable "
			   "(EACCES)\n", (unsigned long)addr,
			   paracell_scan_kind_name(kind), (unsigned long)hit);
		return -EACCES;
	}
	if (ret)
		return ret;
	CK_COUNT(sealed, len);
	CK_COUNT(jit_sealed, len);
	return 0;
}

/*
 * The part [lo, hi) of a JIT seal back to anonymous memory holding its
 * bytes, read-write (the caller then gives it the prot asked).
 */
static long unseal(uint64_t lo, uint64_t hi)
{
	void *buf = ck_kalloc(hi - lo);
	long ret, p;

	if (!buf)
		return -ENOMEM;
	ret = ck_copy_from_user(buf, lo, hi - lo);
	if (!ret) {
		p = ck_map_user(lo, hi - lo, R_ANON, 1);
		ret = IS_ERR_VAL(p) ? p : ck_copy_to_user(lo, buf, hi - lo);
	}
	kfree_buf(buf, hi - lo);
	if (!ret)
		CK_COUNT(jit_unsealed, hi - lo);
	return ret;
}

/* Every JIT seal in [start, end) back to anonymous memory. */
long ck_jit_unseal(uint64_t start, uint64_t end)
{
	const struct ck_proc *p = &ck_proc;
	unsigned int i;
	long ret;

	for (i = 0; i < p->nregions; i++) {
		const struct ck_region *r = &p->regions[i];
		uint64_t lo = r->start < start ? start : r->start;
		uint64_t hi = r->end > end ? end : r->end;

		if (r->kind != R_JIT || lo >= hi)
			continue;
		if (!(r->prot & PROT_READ)) {
			ret = ck_sys3(__NR_mprotect, lo, hi - lo, PROT_READ);
			if (ret)
				return ret;
			ck_mm_set_prot(lo, hi, PROT_READ);
		}
		ret = unseal(lo, hi);
		if (ret)
			return ret;
		i = (unsigned int)-1;	/* the table changed: again */
	}
	return 0;
}
