// SPDX-License-Identifier: Apache-2.0
/*
 * The direct gate's C side (docs/xgate.md, "The direct gate"): gate.S's
 * ck_direct_entry has put the program's registers in this thread's K
 * frame, the stub's index in its RCX slot (RCX is the syscall's). The
 * number is the program's EAX, untrusted as on the trap path; the index
 * names a site in ck's table (stubs.c), which gives the way back;
 * the call then goes through the same policy and handlers as a trap
 * (ck_serve), and back through ck_direct_exit and the exit trampoline.
 * No signal, no frame copy, no rt_sigreturn: a forwarded call is one
 * host syscall, a call ck answers itself none.
 *
 * What the direct gate does not serve goes on to the trap path, by
 * returning to the site's own syscall with EAX = the number ("bounced"):
 *   - calls that need the whole context of a trap frame (the extended
 *     state, the frame's mask or the exit's rt_sigreturn): the signal
 *     calls, clone, fork, vfork, execve, sigaltstack;
 *   - in a process of more than one task, any call while a signal the
 *     program catches may come in (one it catches and does not block):
 *     inside ck such a signal must wait, which the trap path's SIGSYS
 *     mask does and the direct gate cannot without two more host
 *     syscalls. T_DIRECT (the stubs' check) is 0 then, so this happens
 *     only when another thread changed an action since this thread's
 *     last return. A process's only task (ck_solo) takes the gate all the
 *     same: a signal in ck is deferred (sigdefer.c) and the call leaves
 *     as a trap.
 */
#include <asm/signal.h>
#include <linux/errno.h>

#include "ck.h"

_Static_assert(offsetof(struct ck_cb, tblk) == CB_TBLK, "CB_TBLK");
_Static_assert(offsetof(struct ck_cb, frame) + offsetof(struct ck_frame, uc) +
	       offsetof(struct ck_ucontext, uc_mcontext) == CB_SC, "CB_SC");
_Static_assert(offsetof(struct sigcontext, r8) == SC_R8 &&
	       offsetof(struct sigcontext, r15) == SC_R15 &&
	       offsetof(struct sigcontext, rdi) == SC_RDI &&
	       offsetof(struct sigcontext, rbx) == SC_RBX &&
	       offsetof(struct sigcontext, rdx) == SC_RDX &&
	       offsetof(struct sigcontext, rax) == SC_RAX &&
	       offsetof(struct sigcontext, rsp) == SC_RSP &&
	       offsetof(struct sigcontext, eflags) == SC_EFLAGS,
	       "struct sigcontext");
_Static_assert(offsetof(struct ck_tblk, direct) == T_DIRECT, "T_DIRECT");

/* Calls served only on the trap path (see the top of the file). */
static int trap_only(long nr)
{
	switch (nr) {
	case __NR_rt_sigreturn: case __NR_rt_sigsuspend: case __NR_pause:
	case __NR_rt_sigprocmask: case __NR_rt_sigaction:
	case __NR_sigaltstack: case __NR_clone: case __NR_clone3:
	case __NR_fork: case __NR_vfork: case __NR_execve:
	case __NR_execveat:
		return 1;
	default:
		return 0;
	}
}

/*
 * No signal the program catches can come in while ck runs the call, or
 * one that does is deferred (the process's only task: sigdefer.c).
 */
static int quiet(const struct ck_task *t)
{
	return !(__atomic_load_n(&ck_proc.caught, __ATOMIC_RELAXED) &
		 ~*t->sigmask) || ck_solo(t);
}

void ck_direct_arm(struct ck_task *t)
{
	ck_solo_update(t);
	t->tblk->direct = !ck_env.no_direct && quiet(t);
}

/*
 * A nested entry (intr.c) came during the call (cb->intr.mask_changed):
 * it changed the host mask and may have recorded a signal to deliver. Leave as the trap path does
 * (its rt_sigreturn puts the program's mask back, ck_intr_exit delivers):
 * the frame's extended state is the registers' own, saved here with
 * XSAVE (ck touches none of it); the software bytes and the header's
 * XCOMP_BV stay those of the thread's last kernel-made frame.
 */
static __attribute__((noreturn)) void leave_as_trap(struct ck_cb *cb,
						    long ret)
{
	uint32_t lo, hi;

	__asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
	__asm__ volatile("xsave64 (%0)" : : "r"(cb->frame.xsave), "a"(lo),
			 "d"(hi) : "memory");
	ck_intr_exit(cb, ret);
	ck_return_to_user(cb, ret);
}

/*
 * gate.S's ck_direct_exit found a signal deferred (sigdefer.c) after
 * leave()'s own look: RAX as leave() left it in the K2 block.
 */
__attribute__((noreturn)) void ck_direct_leave_trap(struct ck_cb *cb);
void ck_direct_leave_trap(struct ck_cb *cb)
{
	cb->intr.mask_changed = 0;
	leave_as_trap(cb, (long)cb->tblk->rax);
}

/* A signal here finds the program's context in the K2 block. */
int ck_direct_at_exit(uint64_t rip)
{
	return rip >= ck_direct_marks[2] && rip < ck_direct_marks[3];
}

/* Back to the program at rip with RAX = rax, RCX = rcx. */
static __attribute__((noreturn)) void leave(struct ck_task *t, uint64_t rip,
					    uint64_t rax, uint64_t rcx)
{
	struct ck_cb *cb = t->cb;
	struct sigcontext *sc = &cb->frame.uc.uc_mcontext;
	struct ck_tblk *tb = cb->tblk;

	if (cb->intr.mask_changed) {
		cb->intr.mask_changed = 0;
		leave_as_trap(cb, (long)rax);
	}
	ck_pager_flush();
	ck_direct_arm(t);
	tb->rax = rax;
	tb->rcx = rcx;
	tb->rdx = sc->rdx;
	ck_exit_slots(tb, rip, sc->rsp, sc->eflags);
	ck_direct_exit(cb);
}

void ck_handle_direct(struct ck_cb *cb)
{
	struct ck_task *t = &ck_task[cb - ck_cb];
	struct sigcontext *sc = &cb->frame.uc.uc_mcontext;
	uint64_t idx = sc->rcx, site, sys;
	const struct ck_dsite *d;
	long a[6], nr = (int)sc->rax, ret;

	/* A forged index, or a site unmapped since: no call to make. */
	if (!ck_mutant(DIRECT_INDEX) && idx >= CK_MAX_DSITES)
		ck_abort();
	d = &ck_dsites[idx];
	site = __atomic_load_n(&d->site, __ATOMIC_ACQUIRE);
	if (!site && !ck_mutant(DIRECT_INDEX))
		ck_abort();
	sys = site + d->span;
	/* The registers as the site's syscall leaves them. */
	sc->rip = sys + 2;
	sc->rcx = sys + 2;
	sc->r11 = sc->eflags;
	if (trap_only(nr) || !quiet(t) || ck_env.no_direct) {
		CK_COUNT(bounced, 1);
		sc->rip = sys;
		leave(t, sys, (uint64_t)nr, 0);
	}
	ck_syscall_args(sc, a);
	CK_COUNT(handled, 1);
	CK_COUNT(direct, 1);
	ret = ck_serve(t, 0, nr, a, sys);
	leave(t, sys + 2, (uint64_t)ret, sys + 2);
}
