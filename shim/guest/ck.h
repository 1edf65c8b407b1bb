/* SPDX-License-Identifier: Apache-2.0 */
/* ck, the container kernel: shared types and the interfaces between files. */
#ifndef CK_H
#define CK_H

/* ck is one static binary: every symbol binds locally (no GOT). */
#pragma GCC visibility push(hidden)

#include <stddef.h>
#include <stdint.h>
#include <asm/sigcontext.h>
#include <linux/paracell.h>
#include <paracell/ck_timing.h>

#include "ck_fds.h"
#include "ck_layout.h"
#include "ck_mutants.h"
#include "rt.h"
#include "sys.h"
#include "systab.h"

/* The kernel's stack_t (sigaltstack, uc_stack). */
struct ck_stack {
	uint64_t ss_sp;
	int32_t ss_flags;
	int32_t pad;
	uint64_t ss_size;
};

/* The kernel's struct sigaction for rt_sigaction (x86-64). */
struct ck_ksigaction {
	void *handler;
	unsigned long flags;
	void *restorer;
	uint64_t mask;
};

/* What ck needs of the kernel's struct ucontext (asm/ucontext.h). */
struct ck_ucontext {
	uint64_t uc_flags;
	uint64_t uc_link;
	struct ck_stack uc_stack;
	struct sigcontext uc_mcontext;
	uint64_t uc_sigmask;
};

#define CK_BOUNCE_SIZE	CK_XSAVE_MAX
#define CK_PASS_SIZE	8192

/* An rt_sigframe in K memory: pretcode, ucontext, siginfo, then xsave. */
struct ck_frame {
	uint64_t pretcode;
	struct ck_ucontext uc;
	uint8_t info[CK_SIGINFO_SIZE];
	uint8_t xsave[CK_XSAVE_MAX] __attribute__((aligned(64)));
};

/* Per thread, in K2 (user-readable, ck-writable); the GS base. */
struct ck_tblk {
	uint8_t selector;
	uint8_t pad[7];
	uint64_t magic;
	uint64_t ret_rip;
	uint64_t rax;
	uint64_t rdx;
	uint64_t rcx;
	uint64_t copy_armed;	/* 1 while ck_user_copy's window is open */
	uint64_t rflags;	/* the program's, popped by the exit trampoline */
	uint64_t rsp;		/* the program's, loaded after that pop */
	uint64_t self;		/* its own address: the timing build's GS base */
	uint64_t direct;	/* 1: the stubs take the direct gate (stubs.c) */
	/*
	 * The single-step exit's iretq frame (ck_exit_slots): RIP, CS,
	 * RFLAGS (with TF), RSP, SS.
	 */
	uint64_t iret[5];
};

/* Per thread, in K. Its size is 1 << CB_SIZE_SHIFT. */
struct ck_cb {
	uint64_t magic;
	uint64_t in_ck;
	uint64_t kstack_top;
	uint64_t alt_lo;
	uint64_t alt_hi;
	uint64_t in_window;
	uint64_t window_rsp;
	struct ck_tblk *tblk;
	uint8_t *bounce;	/* CK_BOUNCE_SIZE bytes of pkey KB */
	/*
	 * CK_PASS_SIZE bytes of K2: what ck checked and hands the kernel in
	 * place of the program's memory (readable under the user PKRU, which
	 * the program's threads and other processes cannot write).
	 */
	uint8_t *pass;
	/*
	 * intr.c: where a signal that comes while this thread is in ck
	 * resumes it (armed: CK_INTR_*, 0 = nowhere), and what it found.
	 */
	struct ck_intr {
		uint64_t armed;		/* CB_INTR_ARMED */
		uint64_t ctx[8];	/* ck_intr_save's, CB_INTR_CTX */
		uint64_t win;		/* the window's host mask */
		uint64_t old;		/* ck's host mask, to put back */
		uint64_t during;	/* a call's own mask (ppoll...) */
		int has_during;
		int pad;
		long result;		/* the call's, as the nested entry read it */
		int how;		/* what the nested entry found */
		int sig;		/* a signal to deliver at the exit, or 0 */
		/*
		 * Set by a nested entry, which leaves the host mask at old
		 * (by default everything but SIGSEGV/SIGBUS blocked): an exit
		 * without rt_sigreturn (the direct gate) must put the
		 * program's back and clear it.
		 */
		int mask_changed;		/* CB_INTR_MASK_CHANGED */
		uint8_t info[CK_SIGINFO_SIZE];	/* its siginfo (data only) */
		/*
		 * sigdefer.c: signals blocked in the host mask and queued
		 * again until the exit (a process of one task); cleared by
		 * ck_intr_exit, where the exit puts the program's mask back.
		 */
		uint64_t deferred;
	} intr;
	struct ck_frame frame __attribute__((aligned(64)));
	/*
	 * CK_PASS_SIZE bytes of K: what ck reads from the host for itself
	 * (a procfs fd listing before ck's entries leave it). Never the pass
	 * buffer: K2 is readable by every thread of the program.
	 */
	uint8_t scratch[CK_PASS_SIZE] __attribute__((aligned(8)));
} __attribute__((aligned(1 << CB_SIZE_SHIFT)));

extern struct ck_tblk ck_tblk[CK_MAX_THREADS];
extern struct ck_cb ck_cb[CK_MAX_THREADS];

/* What the trap path does once a handler has returned (ck_task.after). */
enum ck_after {
	CK_AFTER_RETURN = 0,	/* resume the program with the value */
	CK_AFTER_EXIT_GROUP,	/* end the process, the value its status */
	/* part 2: deliver a signal, end the thread */
};

/*
 * A thread of the program as ck serves it (thread.c): its control block
 * (K) and K2 block, its signal state (the program's signal mask is the
 * one in the frame its exit's rt_sigreturn installs) and what the trap
 * path must do after the current call. Only its own thread touches it:
 * no lock (ck_proc's lock, part 2, is never needed for it).
 */
struct ck_task {
	struct ck_cb *cb;
	struct ck_tblk *tblk;
	uint64_t *sigmask;	/* &cb->frame.uc.uc_sigmask */
	enum ck_after after;
	/*
	 * clone.c, under ck_proc.lock: live while the thread runs; tid its
	 * host tid (the slot is free again once tgkill says it is gone).
	 * The rest is the child's clone request, read by its first code.
	 */
	int live;
	int tid;
	int refused;	/* the current call was refused by policy (ck_refuse) */
	unsigned long clone_flags;
	uint64_t ptid, ctid;
	/*
	 * signal.c: the program's sigaltstack for this thread (ss_size 0:
	 * none), never over ck's ranges. The host's is ck's own (thread.c).
	 */
	struct ck_stack altstack;
	/*
	 * vfork.c: 1 in a vfork child (another process on this mm, run on
	 * this slot until it execs or exits); cleartid is the host's
	 * clear_child_tid as the program set it (clone or set_tid_address).
	 */
	int vfork;
	uint64_t cleartid;
	/* intr.c: the current call's interruptible class (systab.def). */
	int intr;
	/*
	 * siginstall.c: the ck_proc.sig_gen this thread's host mask covers
	 * while in ck (~0: it blocks everything); sigwait: in ck's own
	 * rt_sigtimedwait (sigsuspend, pause), where it may stay for ever.
	 */
	uint64_t sig_gen;
	int sigwait;
};
extern struct ck_task ck_task[CK_MAX_THREADS];
/* This thread's task (GS was checked at the gate). */
struct ck_task *ck_this_task(void);

#define CK_FD_FIRST	CK_FD_LOG
#define CK_FD_LAST	CK_FD_SEAL
#define CK_IS_CK_FD(fd)	((int)(fd) >= CK_FD_FIRST && (int)(fd) <= CK_FD_LAST)

/* A canary in K: an attack that reads or writes ck's memory meets it. */
#define CK_CANARY	0x63616e6172794b21ULL	/* "!Kyranac" */
extern volatile uint64_t ck_canary[8];

/*
 * The process's objects, as ck keeps them (vma.c, fdhide.c, pager.c,
 * brk.c, maps.c): every thread of the process shares them.
 */
#define CK_MAX_REGIONS	4096
#define CK_PAGER_MAX	64
/* ck's binary, device, cell and seal (its log and stderr are the user's). */
#define CK_OBJ_SLOTS	(CK_FD_LAST - CK_FD_SELF + 1)
#define CK_MAPS_BUF	8192

/* A recorded mapping (vma.c). enum ck_kind: its owner and rules. */
/*
 * R_JIT: sealed code made from the program's anonymous memory (jit.c).
 * R_FILE: a private file mapping without PROT_EXEC, the host's own (page
 * cache shared with every process that maps the file, as natively); the
 * Pager never binds or unbinds it, JIT sealing copies it like R_ANON.
 */
enum ck_kind { R_FREE, R_CK, R_ANON, R_SHARED, R_CODE, R_BRK, R_STACK, R_JIT,
	       R_FILE };
struct ck_region {
	uint64_t start, end;
	int prot;
	enum ck_kind kind;
};

/* The file behind one of ck's fds (fdhide.c). */
struct ck_obj {
	int valid;
	uint64_t dev, ino;
};

/*
 * The process: what its threads share. ck_proc.lock (clone.c: a futex
 * lock of ck's, taken in the ck domain only, recursive for its owner)
 * guards all of it: the region table (the memory handlers hold it from
 * check to host call, ck_user_ok takes it), the Pager queue, the thread
 * slots (ck_task's live/tid) and nthreads; ck's fd objects are written at
 * start-up only. The lock order is ck_proc.lock, then a task's own state;
 * it is never held across a forwarded syscall (those can block) nor a
 * copy of program memory. ck_stats (the counters) and ck_env (start-up facts) are
 * process-wide too, kept at their own symbols (the attack suites find
 * ck_stats by name).
 */
struct ck_proc {
	struct ck_region regions[CK_MAX_REGIONS];	/* sorted, vma.c */
	unsigned int nregions;
	uint64_t brk_start, brk_cur;			/* brk.c */
	struct ck_obj objs[CK_OBJ_SLOTS];		/* fdhide.c */
	struct paracell_pager_entry pager[CK_PAGER_MAX];	/* pager.c */
	unsigned int npager;
	int lock;					/* clone.c */
	unsigned int lock_owner, lock_depth;
	unsigned int nthreads;		/* live threads of the program */
	/*
	 * signal.c: the program's actions (index signal - 1) and the
	 * signals whose host action is ck_signal_entry (a handler's).
	 */
	struct ck_ksigaction actions[64];
	uint64_t actions_known;	/* read from the host once (exec keeps IGN) */
	uint64_t caught;
	/*
	 * siginstall.c: installers of a first handler per signal (counts and
	 * their bits: ck's SIGSYS sa_mask is caught | installing_bits), and
	 * the generation bumped once such a mask is the host's.
	 */
	uint16_t installing[64];
	uint64_t installing_bits;
	uint64_t sig_gen;
	/*
	 * clone.c: the process's pid as getpid gives it, read once at
	 * start-up (main.c; every exec: ck restarts) and by a fork child's
	 * ck. Linux changes a process's pid at no other time.
	 */
	int pid;
	/*
	 * sigdefer.c: 1 once this process's only task is known to be alone
	 * on its memory (ck_solo); ck_task_new clears it before a clone.
	 */
	int solo;
};
extern struct ck_proc ck_proc;

/* Counters printed by --stats. */
struct ck_stats {
	uint64_t handled;	/* program syscalls that reached ck */
	uint64_t forwarded;	/* of those, forwarded to the host */
	uint64_t denied;	/* refused by policy (never reached the host) */
	uint64_t host;		/* host syscalls ck issued, forwarded included */
	uint64_t pager_batches;
	uint64_t pager_entries;
	uint64_t sealed;	/* bytes of code sealed (sites.c) */
	uint64_t site_traps;	/* rewritten sites emulated (siteemu.c) */
	uint64_t direct;	/* of handled, served through the direct gate */
	uint64_t bounced;	/* direct entries sent on to the trap path */
	uint64_t direct_sites;	/* syscall sites rewritten (stubs.c) */
	uint64_t jit_sealed;	/* of sealed, bytes of JIT code (jit.c) */
	uint64_t jit_unsealed;	/* bytes of JIT code made writable again */
	uint64_t seal_hits;	/* seals the lookup found (sealrec.c) */
	uint64_t found_bytes;	/* bytes in them (not in sealed) */
	uint64_t seal_records;	/* seals recorded for their file */
	uint64_t detours;	/* kind-2 sites detoured (detour.c) */
	uint64_t detour_traps;	/* of site_traps, sent to a trampoline */
};
extern struct ck_stats ck_stats;
/* Threads share the counters: every increment is atomic. */
#define CK_COUNT(field, n) \
	__atomic_fetch_add(&ck_stats.field, (n), __ATOMIC_RELAXED)

/* The facts start-up learns. */
struct ck_env {
	int stats;		/* --stats */
	int exec;		/* --exec: started by the program's execve */
	int trace;		/* --trace FILE: on CK_FD_LOG */
	int err_fd;		/* CK_FD_ERR, or 2 if fd 2 was closed at start */
	int cell_fd;		/* CK_FD_CELL, or -1 on the fallback */
	int no_dev;		/* --no-dev: the fallback, never /dev/paracell */
	int no_direct;		/* --no-direct: every syscall on the trap path */
	unsigned int pkru_xsave_off;	/* CPUID.(0xD,9).EBX */
	unsigned int xsave_size;
	uint64_t hwcap, hwcap2, clktck, minsigstksz, vdso, secure;
	uint64_t uid, euid, gid, egid;
	struct ck_frame tmpl;	/* a kernel-made frame: the program's start */
};
extern struct ck_env ck_env;

/* A syscall's six arguments as the kernel takes them from the registers. */
static inline void ck_syscall_args(const struct sigcontext *sc, long a[6])
{
	a[0] = (long)sc->rdi;
	a[1] = (long)sc->rsi;
	a[2] = (long)sc->rdx;
	a[3] = (long)sc->r10;
	a[4] = (long)sc->r8;
	a[5] = (long)sc->r9;
}

/* gate.S */
void ck_sigsys_entry(void);
void ck_signal_entry(void);
void ck_exit_trampoline(void);
extern const uint64_t ck_exit_trampoline_len;
extern const uint64_t ck_exit_step_off;	/* its iretq (single steps) */
void ck_no_restorer(void);
/* The direct gate (direct.c): the stubs' target, and its exit. */
void ck_direct_entry(void);
__attribute__((noreturn)) void ck_direct_exit(struct ck_cb *cb);
__attribute__((noreturn)) void ck_sigreturn(void *uc);
/* The trap exit's end: cb out of ck, then ck_sigreturn(uc). */
__attribute__((noreturn)) void ck_exit_sigreturn(struct ck_cb *cb, void *uc);
/* gate.S: [out of ck, end) in ck_exit_sigreturn (sigdefer.c). */
extern const uint64_t ck_exit_marks[2];
__attribute__((noreturn)) void ck_abort(void);
/*
 * ck's only way to touch program memory (DESIGN.md section 4): n bytes
 * (at most CK_BOUNCE_SIZE) through this thread's bounce buffer, the
 * program's side under CK_PKRU_COPY, so a pointer into K or K2 faults
 * (the process dies) instead of reaching ck's memory. to_user: dst is the
 * program's, src ck's; else the other way round. Range checks come first
 * (ck_user_ok): this is the second wall, not the first.
 */
void ck_user_copy(void *dst, const void *src, size_t n, int to_user);

/* forward.c: a program syscall forwarded under the user PKRU */
long ck_forward_args(const long *a, long nr);
/* The same with the call's own signal mask (ppoll...): see intr.c. */
long ck_forward_during(struct ck_task *t, const long *a, long nr,
		       const uint64_t *during);

/*
 * intr.c: a signal while this thread is in ck (DESIGN.md section 4).
 * SIGSEGV and SIGBUS are never blocked in ck and their host action is
 * always ck's entry: a fault in the copy window makes the copy fail.
 */
#define CK_SIG_FAULTS	((1ULL << (11 - 1)) | (1ULL << (7 - 1)))
long ck_intr_save(uint64_t ctx[8]) __attribute__((returns_twice));
__attribute__((noreturn)) void ck_intr_resume(const uint64_t ctx[8], long v);
__attribute__((noreturn)) void ck_intr_nested(struct ck_cb *cb, int sig,
					      uint64_t info, uint64_t uc);
__attribute__((noreturn)) void ck_intr_unarmed(struct ck_cb *cb, int sig,
					       uint64_t info, uint64_t uc);
/*
 * signal.c: a SIGSEGV or SIGBUS sent while ck ran where it cannot wait:
 * ends the process by it if that is what Linux would do, else returns.
 */
void ck_sig_sent_in_ck(struct ck_task *t, int sig, const uint8_t *si);
/*
 * sigdefer.c: t is its process's only task on this memory (no thread, no
 * vfork child, every thread that ran gone from the host); and a signal
 * that came where ck cannot take it, blocked and queued again to the
 * thread, ck resumed through the kernel's frame at uc. Only for a solo
 * task.
 */
int ck_solo(const struct ck_task *t);
/* At each exit: ck_proc.solo found again once the other tasks are gone. */
void ck_solo_update(const struct ck_task *t);
__attribute__((noreturn)) void ck_defer(struct ck_cb *cb, int sig,
					const uint8_t *si, uint64_t uc);
/* ck_user_copy from a nested entry: the interrupted copy's state kept. */
void ck_defer_copy(struct ck_cb *cb, void *dst, const void *src, size_t n,
		   int to_user);
/* ck_handle_signal's first look: the trap exit's end (returns if not). */
void ck_defer_at_exit(struct ck_cb *cb, uint64_t uc);
/* ck_handle_signal's case of a signal in ck's text outside ck (in_ck 0). */
__attribute__((noreturn)) void ck_sig_in_ck_text(struct ck_cb *cb,
						 struct ck_ucontext *uc);
/* The syscall table's interruptible class of nr (CK_INTR_*), or 0. */
int ck_intr_class(long nr);
/*
 * A forwarded call of an interruptible row (the class dispatch put in
 * t->intr): a caught signal the program lets in ends or restarts it;
 * *during: the call's own mask (ppoll...) or NULL.
 */
long ck_intr_forward(struct ck_task *t, long nr, const long *a,
		     const uint64_t *during);
/* ck_user_copy armed: -EFAULT if the program's side faulted. */
int ck_intr_copy(struct ck_cb *cb, void *dst, const void *src, size_t n,
		 int to_user);
/* A signal a nested entry took, delivered at this exit (ret: RAX). */
void ck_intr_exit(struct ck_cb *cb, long ret);

/* trap.c: the trap path */
void ck_handle_sigsys(struct ck_cb *cb, struct ck_ucontext *uc);
/* The kernel's frame at uc (on the altstack) into cb->frame, checked. */
void ck_copy_entry_frame(struct ck_cb *cb, const struct ck_ucontext *uc);
long ck_dispatch(struct ck_task *t, long nr, const long *a);
/*
 * A policy refusal (denylist, ENOSYS, ck's fds, a handler's check): marks
 * the current call refused, which the trap path counts (--stats) and
 * logs (--trace) once; returns err.
 */
long ck_refuse(long err);
__attribute__((noreturn)) void ck_return_to_user(struct ck_cb *cb, long ret);
void ck_exit_slots(struct ck_tblk *tb, uint64_t rip, uint64_t rsp,
		   uint64_t rflags);
void ck_exit_context(const struct ck_tblk *tb, struct sigcontext *sc);
void ck_frame_set_pkru(struct ck_frame *f, uint32_t pkru);

/* thread.c: control blocks, altstacks, GS, Syscall User Dispatch */
int ck_thread_init(struct ck_cb *cb, struct ck_tblk *t);
/*
 * cb's K stack (allocated once, kept for the slot's next thread): its top,
 * or 0. Start-up runs on slot 0's, so ck has no stack of its own besides.
 */
uint64_t ck_thread_kstack(struct ck_cb *cb);
/*
 * Drops the pages of cb's K stack below the caller's frame (the calling
 * thread's own stack: nothing live is there). Start-up's frames go deeper
 * than a trap's.
 */
void ck_thread_kstack_trim(struct ck_cb *cb);
/* The blocks of a new thread (memory kept for the slot's next thread). */
int ck_thread_alloc(struct ck_cb *cb, struct ck_tblk *t);
/* The calling thread's GS, altstack and SUD. */
int ck_thread_arm(struct ck_cb *cb, struct ck_tblk *t);

/* clone.c */
void ck_proc_lock(void);
void ck_proc_unlock(void);
/* The lock, if c (a vfork child now gone from this mm) left it held. */
void ck_proc_unlock_for(struct ck_task *c);
/* A free slot's task with its blocks, live (a thread: counted). */
struct ck_task *ck_task_new(int thread);
void ck_task_drop(struct ck_task *c, int thread);
/*
 * ck's own pid (nr __NR_getpid) or tid (__NR_gettid) as the host knows
 * them: the kept ids, the host's in a vfork child (its parent's task).
 */
long ck_self_id(const struct ck_task *t, long nr);
/* clone's tid addresses: the program's writable memory, never ck's. */
int ck_clone_tids_ok(unsigned long flags, uint64_t ptid, uint64_t ctid);

/* signal.c: a SIGSYS that is no program syscall ends the process. */
/* signal.c: sig is SIGSYS, ck's own (sigsend.c refuses to send it). */
int ck_signal(long sig);
__attribute__((noreturn)) void ck_die_of_sigsys(void);
/* The process dies of sig, its action reset to the default first. */
__attribute__((noreturn)) void ck_die_of(int sig);
/*
 * intr.c's delivery at the exit: sig's handler (info in the frame) with
 * the context ck's frame holds, *during the mask while it runs or NULL.
 */
__attribute__((noreturn)) void ck_deliver(struct ck_task *t, int sig,
					  const uint64_t *during);
/* The program's action for sig restarts calls (SA_RESTART). */
int ck_signal_restarts(int sig);
/* At start-up: SIGSEGV and SIGBUS to ck's entry, the program's recorded. */
long ck_signals_faults_install(void);
/* ck_signal_entry's C side: the program's handler on a frame ck builds. */
__attribute__((noreturn)) void ck_handle_signal(struct ck_cb *cb,
						struct ck_ucontext *uc);
/* ck's SIGSYS action: its sa_mask holds every signal ck catches. */
long ck_sigsys_install(uint64_t caught);

/* siginstall.c: the handler-install race (docs/signals.md) */
/* What ck's SIGSYS action blocks: caught, or being installed. */
uint64_t ck_sig_guarded(void);
/* At each program syscall's entry: blocks the guarded ones if sig_gen moved. */
void ck_sig_entry(struct ck_task *t);
/* This thread blocks every signal until its exit (waited for by none). */
void ck_sig_block_all(struct ck_task *t);
/* Until no other thread is in ck on a host mask older than generation g. */
void ck_sig_install_wait(const struct ck_task *me, uint64_t g);
/* me is the only live thread and every other that ran is gone (tgkill). */
int ck_alone(const struct ck_task *me);
/*
 * Just before the host execve: the caught signals' host actions back to
 * SIG_DFL (as execve leaves them) and the host mask the program's, which
 * the new program inherits.
 */
void ck_signals_exec(void);

/* fdhide.c: ck's fds invisible */
/* -EBADF if an fd argument r marks names one of ck's fds, else 0. */
long ck_fd_args_hidden(const struct ck_systab *r, const long *a);
int ck_fd_hidden(long fd);
/* Records ck's device and cell files, which no open may reach. */
void ck_learn_own_files(void);
void ck_learn_own_file(int fd);
/* Puts an empty memfd of ck's on fd slot if nothing is there. */
long ck_hold_fd_slot(long slot);
void ck_hold_fd_slots(void);

/* procfs.c */
/* "/proc/self/fd/FD" at buf (32 bytes); returns its length. */
int ck_fd_path(char *buf, long fd);
/*
 * The path a procfs fd names, NUL-terminated in link (size bytes): its
 * length; 0 if fd is not on procfs; -EACCES if ck cannot name it.
 */
long ck_procfs_link(long fd, char *link, long size);
/* selfexe.c: /proc/self/exe names the program's file, not ck's. */
void ck_selfexe_note(long fd);
const char *ck_selfexe_path(void);
int ck_selfexe_is(long fd);
int ck_selfexe_names_own(long dirfd, long path, int user);
long ck_selfexe_reopen(long fd, long flags);
int ck_proc_names_ck_fd(const char *link, long len);

/* exit.c */
__attribute__((noreturn)) void ck_exit_group(long status);
void ck_print_stats(void);

/* vma.c: the region table of the address space. */
int ck_mm_add(uint64_t start, uint64_t end, int prot, enum ck_kind kind);
/* The recorded mapping holding addr (one line of /proc/self/maps at start). */
int ck_mm_region_of(uint64_t addr, uint64_t *lo, uint64_t *hi);
void ck_mm_remove(uint64_t start, uint64_t end);
/* True if [start, end) meets any of ck's own ranges (R_CK). */
int ck_mm_overlaps_ck(uint64_t start, uint64_t end);
/*
 * The kind shared by all of [start, end), or R_FREE if mixed or partly
 * unmapped; R_CODE if sealed code lies anywhere in it, else R_JIT if JIT
 * code does.
 */
enum ck_kind ck_mm_kind_of(uint64_t start, uint64_t end);
/* Gives [start, end)'s records prot, splitting them at the edges. */
void ck_mm_set_prot(uint64_t start, uint64_t end, int prot);
/* The prot of the record holding addr (0 if none). */
int ck_mm_prot_at(uint64_t addr);
/* True if [p, p + len) is program memory with at least prot. */
int ck_user_ok(uint64_t p, uint64_t len, int prot);

/* maps.c: /proc/self/maps */
int ck_mm_init(void);
/* A prot no mapping has, for ck_mm_resync: forget the holes only. */
#define CK_RESYNC_HOLES	(-1)
void ck_mm_resync(uint64_t start, uint64_t end, int prot);

/* uaccess.c */
int ck_copy_from_user(void *dst, uint64_t src, size_t len);
int ck_copy_to_user(uint64_t dst, const void *src, size_t len);

/* kalloc.c */
/* Anonymous memory for ck itself (K, or pkey), page granular. */
void *ck_kalloc(size_t len);
/* Keeps [start, start + len) out of core dumps (MADV_DONTDUMP). */
int ck_no_dump(uint64_t start, uint64_t len);
void *ck_kalloc_key(size_t len, int pkey);
/* Program memory: mmap RW anonymous at addr (0: anywhere), recorded. */
long ck_map_user(uint64_t addr, uint64_t len, enum ck_kind kind, int fixed);
/*
 * Scratch: zero-initialised statics a start-up or a seal pass writes and
 * nothing reads after it (scratch.ld gathers them on pages of their own,
 * keyed K with the rest of ck's data). ck_scratch_release gives all of
 * them back (MADV_DONTNEED: zeros again, as at start-up) once the program
 * is loaded (main.c) and after each code mapping (mmap.c), under ck_proc's
 * lock: nothing that uses scratch may run then.
 */
#define CK_SCRATCH	__attribute__((section(".bss.ck_scratch")))
void ck_scratch_release(void);

/* mmap.c */
long ck_mm_host_range(const long *a);

/* brk.c */
int ck_brk_init(uint64_t start);

/* pager.c */
/*
 * The policy: how much of a brk growth, an anonymous mmap's head or a
 * stack's top ck binds ahead of use (--pager-policy, --no-bind).
 */
enum ck_bind_site { CK_BIND_BRK, CK_BIND_MMAP, CK_BIND_STACK, CK_BIND_SITES };
/* 1: arg was a Pager option (taken), 0: it is not, -EINVAL: bad value. */
int ck_pager_option(const char *arg);
/* The option that gives an exec'd ck the same policy, or 0 if default. */
const char *ck_pager_exec_arg(void);
/* How many bytes of a len-byte growth at site the policy binds. */
uint64_t ck_pager_bind_len(enum ck_bind_site site, uint64_t len);
void ck_pager_add(uint32_t op, uint64_t addr, uint64_t npages);
/* Binds [start, start + len) in this syscall's batch. */
void ck_pager_bind(uint64_t start, uint64_t len);
void ck_pager_flush(void);

/* seal.c */
/* -EPERM if fd's file is on a noexec mount. */
long ck_noexec(long fd);

/*
 * sites.c: all code the program gets, from a file: the bytes in K at buf
 * (len, a whole number of pages; from file offset off of fd), rewritten
 * at each real XRSTOR/WRPKRU (kind 1), sealed and mapped at addr. -EPERM
 * with refused set (and a message naming path, or fd's file, and the
 * offset) for any other pattern; -EPERM without it if addr meets ck's
 * ranges; else ck_seal_map's errors.
 */
struct ck_code {
	const char *path;
	long fd;
	uint64_t off;
	uint64_t addr;
	uint8_t *buf;
	size_t len;
	uint64_t fill;	/* file bytes read from off, the rest zeros; 0: len */
	int refused;
	int detoured;	/* it holds detours: never recorded (detour.c) */
	int record;	/* the lookup missed and the seal may be recorded */
	int found;	/* found_fd is a seal the lookup found (sealrec.c) */
	long found_fd;
};
long ck_code_seal(struct ck_code *c);
/*
 * sealrec.c (docs/sealed-code.md, "Seals found by their file"): before ck
 * reads c's bytes (c->fd, off, len, fill and addr set), asks the module
 * for the seal recorded for them: 1 if it was found and mapped with its
 * sites, 0 on a miss (c->record says whether ck_code_seal may record the
 * seal it makes), -errno if the found seal was mapped but its sites or
 * data pages could not be (nothing left mapped at c->addr).
 */
long ck_code_found(struct ck_code *c);
/* sealrec.c: the notes recorded with a seal (under ck_proc's lock). */
void ck_sealrec_begin(const struct ck_code *c);
void ck_sealrec_put(const void *p, size_t n);
void ck_sealrec_count(unsigned int what, uint64_t n);
#define CK_REC_SITES	0	/* ck_sealrec_count: kind-1 sites */
#define CK_REC_DATA	1	/* data pages */
#define CK_REC_DSITES	2	/* direct sites */
#define CK_REC_DIST	3	/* the stub area's distance below the code */
#define CK_REC_AREA	4	/* the stub area's length */
struct paracell_scan_hit;
long ck_sealrec_store(const struct ck_code *c, struct paracell_scan_hit *hit);
/*
 * seal.c: seals c->buf (c->len bytes) and maps it at c->addr, recorded
 * as kind (R_CODE or R_JIT): 0, or -errno (-EPERM: *hit, or *hit_kind 0
 * if the range meets ck's own ranges).
 */
long ck_seal_map(struct ck_code *c, enum ck_kind kind, uint64_t *hit_off,
		 unsigned int *hit_kind);
/* How many forbidden patterns start in buf[lo, hi) (buf holds len bytes). */
unsigned int ck_scan_count(const uint8_t *buf, size_t len, size_t lo,
			   size_t hi);

/*
 * jit.c: anonymous memory asked PROT_EXEC, sealed in place (0; -EACCES
 * for a forbidden pattern, with a message; -ENOMEM over a hole), and
 * every JIT seal in [start, end) made anonymous read-write again.
 */
long ck_jit_seal(uint64_t addr, uint64_t len);
long ck_jit_unseal(uint64_t start, uint64_t end);

/* A rewritten site: its address, and the instruction's original bytes. */
#define CK_MAX_SITES		64
#define CK_SITES_PER_SEAL	8
struct ck_site {
	uint64_t addr;
	uint8_t len;
	uint8_t bytes[15];
};
/* The site at addr (under ck_proc's lock), or NULL. */
const struct ck_site *ck_site_at(uint64_t addr);
void ck_sites_drop(uint64_t lo, uint64_t hi);
/* The sites and data pages of a seal, ck_code_install's to add. */
#define CK_MAX_DATA	32	/* data-only pages per seal */
struct ck_code_notes {
	struct ck_site sites[CK_SITES_PER_SEAL];
	unsigned int nsites;
	size_t data[CK_MAX_DATA];	/* buffer offsets of data-only pages */
	unsigned int ndata;
};
long ck_code_install(const struct ck_code *c, const struct ck_code_notes *n);
/*
 * siteemu.c: the int $0x80 at frame RIP - 2 is a site: emulates it in the
 * frame (RIP past the instruction) and returns 1; else 0.
 */
int ck_site_trap(struct ck_frame *f);
/*
 * siteemu.c: the frame is a #GP (SIGSEGV, SI_KERNEL) at a site's int $0x80
 * (a host without IA32 emulation): emulates it as above and returns 1.
 */
#define CK_SI_KERNEL	0x80	/* si_code of a signal the kernel raised */
int ck_site_gp(struct ck_frame *f);

/*
 * stubs.c, direct.c: the direct gate. A rewritten site: the address of
 * its first instruction (0 once gone) and the span's length, its syscall
 * there. Written under ck_proc's lock, read by the gate without it.
 */
#define CK_MAX_DSITES		8192
#define CK_DSITES_PER_SEAL	2048
#define CK_MAX_STUB_AREAS	256
struct ck_dsite {
	uint64_t site;
	uint32_t span;
	uint32_t pad;
};
extern struct ck_dsite ck_dsites[CK_MAX_DSITES];
struct ck_elfview;
/*
 * Rewrites c->buf's provable sites to stubs it maps and seals nearby;
 * ck_direct_commit records them once c is sealed (or unmaps the stubs).
 */
void ck_direct_rewrite(struct ck_code *c, const struct ck_elfview *v);
void ck_direct_commit(const struct ck_code *c, int sealed);
/*
 * A found seal's stub area, rebuilt from its notes (n sites at rec) at
 * dist below c->addr, as ck_direct_rewrite left it: 0, or -errno (the
 * place is taken, no room in ck's tables, notes that do not fit c).
 */
long ck_direct_replay(const struct ck_code *c, uint64_t dist, uint64_t len,
		      unsigned int n, const uint8_t *rec, size_t rec_len);
void ck_direct_drop(uint64_t lo, uint64_t hi);
/*
 * The site address a stub's rip stands for, or 0 (signals: as if there);
 * *start = 1 at the stub's first byte.
 */
uint64_t ck_stub_site(uint64_t rip, int *start);
/* stubs.c: a free range of len bytes below addr, within rel32 reach, or 0. */
uint64_t ck_hole_below(uint64_t addr, uint64_t len);

/*
 * detour.c (docs/sealed-code.md, "Kind 2: detours"): a kind-2 pattern at
 * c->buf[hit], inside the instruction in at c->buf[start], to be detoured
 * through a trampoline: 0, or -1 (too many in this seal).
 */
struct ck_insn;
int ck_detour_plan(const struct ck_code *c, size_t hit, size_t start,
		   const struct ck_insn *in);
/*
 * Maps this seal's trampolines and rewrites the planned sites in c->buf:
 * 0 (none planned, or all done), or -EPERM with *hit set to the pattern
 * that no trampoline could cover.
 */
long ck_detour_build(struct ck_code *c, size_t *hit);
/* Records the seal's detours once c is sealed, or unmaps its area. */
void ck_detour_commit(const struct ck_code *c, int sealed);
/* The detours whose site or trampoline is in [lo, hi): forgotten. */
void ck_detour_drop(uint64_t lo, uint64_t hi);
/* A trap detour at RIP - 2: RIP set to its trampoline, 1; else 0. */
int ck_detour_trap(struct ck_frame *f);
/* The program's address a trampoline's rip stands for, or 0 (as stubs). */
uint64_t ck_detour_site(uint64_t rip, int *start);
/* Sets t's T_DIRECT for its return to the program. */
void ck_direct_arm(struct ck_task *t);
/* rip is in the direct exit past its in_ck store (as the trampoline). */
int ck_direct_at_exit(uint64_t rip);
/* gate.S's marks in the direct gate: in, recheck, out, end (sigdefer.c). */
extern const uint64_t ck_direct_marks[4];
/* gate.S: where the SIGSYS entry has stored in_ck (sigdefer.c). */
extern const uint64_t ck_sigsys_in;
/* trap.c: a call's policy and handler, shared by both gates. */
long ck_serve(struct ck_task *t, uint32_t arch, long nr, const long *a,
	      uint64_t ip);

/* main.c: a cell for this mm on CK_FD_CELL (start-up, fork child) */
void ck_cell_open(void);

/* fork.c: a clone that is a fork (no CLONE_VM) or a vfork */
long ck_fork_clone(struct ck_task *t, const long *a);

/* vfork.c: CLONE_VM|CLONE_VFORK, the parent suspended, memory shared */
long ck_vfork(struct ck_task *t, unsigned long flags, uint64_t sp,
	      uint64_t ptid, uint64_t ctid, uint64_t tls);
/* A vfork child's exec: nothing left for the kernel to write under ck's PKRU. */
void ck_vfork_exec(struct ck_task *t);
/* A vfork child's rt_sigaction with a new action (not SIGSYS). */
long ck_vfork_sigaction(struct ck_task *t, const long *a);

/* loader.c */
struct ck_image {
	uint64_t entry;
	uint64_t sp;
};
int ck_load(const char *path, const char *execfn, char **argv, char **envp,
	    struct ck_image *img);
int ck_exec_probe(long fd, const char *path, char *buf, size_t len);
/*
 * shebang.c: line (NUL-ended, "#!..." as read from the file, at most
 * binfmt_script's 256 bytes) split in place into the interpreter and its
 * optional argument (*arg NULL if none); -ENOEXEC without a newline or an
 * interpreter.
 */
int ck_parse_shebang(char *line, char **interp, char **arg);
/* exec.c: ck's own binary on CK_FD_SELF, kept across the host execve */
/* fd: ck's binary as the launcher handed it (--self-fd), or -1: open
 * /proc/self/exe */
void ck_exec_self_open(long fd);

/* profile.c: the OCI seccomp profile on the program's calls (--seccomp) */
int ck_profile_load(const char *hex);
const char *ck_profile_hex(void);
/* 0 with *decided = 0: go on; else *decided = 1 and the call's answer
 * (refused); a kill action does not return. */
long ck_profile_check(uint32_t arch, int nr, const long *a, uint64_t ip,
		      int *decided);

#endif
