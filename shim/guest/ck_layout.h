/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Constants and field offsets shared by ck's C code and gate.S.
 * (Only #defines: this header is included from assembly.)
 */
#ifndef CK_LAYOUT_H
#define CK_LAYOUT_H

/*
 * ck allocates pkeys 1, 2 and 3 first thing; start-up checks it got them.
 * K holds ck's data, K2 the thread blocks (the SUD selector must be
 * user-readable), KB each thread's bounce buffer: the only memory besides
 * the program's that ck's copies from and to the program can reach.
 */
#ifndef CK_TIMING
#define CK_PKEY_K		1
#define CK_PKEY_K2		2
#define CK_PKEY_KB		3
#else
/*
 * The timing build (docs/timing.md) allocates no pkeys: ck's memory stays
 * on pkey 0 (pkey_mprotect with -1 is mprotect). It isolates nothing.
 */
#define CK_PKEY_K		(-1)
#define CK_PKEY_K2		(-1)
#define CK_PKEY_KB		(-1)
#endif

/* PKRU: two bits per key, AD = 1 << 2k, WD = 2 << 2k. */
#define CK_PKRU_INIT		0x55555554	/* the kernel's default */
/* ck domain: keys 0, K, K2, KB open; 4..15 access-disabled. */
#define CK_PKRU_CK		0x55555500
/* user domain: key 0 open, K no access, K2 read-only, 3..15 disabled. */
#define CK_PKRU_USER		0x5555556c
/* ck's copies of program memory: the user domain plus KB. */
#define CK_PKRU_COPY		0x5555552c

/* EFLAGS bits the program may leave set that ck's code must not run with. */
#define CK_EFLAGS_TF		0x100
#define CK_EFLAGS_DF		0x400
#define CK_EFLAGS_AC		0x40000
/* What ck's exit trampoline runs with: IF and the always-set bit 1. */
#define CK_EFLAGS_PLAIN		0x202

/* Syscall User Dispatch selector values. */
#define CK_SEL_ALLOW		0
#define CK_SEL_BLOCK		1

#define CK_MAX_THREADS		128
#define CK_TBLK_SHIFT		7
#define CK_TBLK_SIZE		(1 << CK_TBLK_SHIFT)
#define CK_TBLK_MAGIC		0x6b636b6c62743233	/* "32tblkck" */
#define CK_CB_MAGIC		0x62636b6370617261

/* struct ck_tblk (K2, the GS base): */
#define T_SELECTOR		0
#define T_MAGIC			8
#define T_RET_RIP		16
#define T_RAX			24
#define T_RDX			32
#define T_RCX			40
#define T_COPY_ARMED		48
#define T_RFLAGS		56
#define T_RSP			64
#define T_SELF			72
#define T_DIRECT		80	/* stubs.c: 1 if the direct gate is open */
#define T_IRET			88	/* the single-step exit's iretq frame */

/* struct ck_cb (K): */
#define CB_MAGIC		0
#define CB_IN_CK		8
#define CB_KSTACK_TOP		16
#define CB_ALT_LO		24
#define CB_ALT_HI		32
#define CB_IN_WINDOW		40
#define CB_WINDOW_RSP		48
#define CB_TBLK			56
#define CB_BOUNCE		64
/* struct ck_intr at cb->intr (intr.c): */
#define CB_INTR_ARMED		80
#define CB_INTR_CTX		88
#define CK_CTX_RSP		48	/* in the saved context */
#define CB_INTR_WIN		152
#define CB_INTR_OLD		160
#define CB_INTR_MASK_CHANGED	200
/* What the thread is armed for (cb->intr.armed). */
#define CK_INTR_ARM		1	/* a forwarded call, host mask unchanged */
#define CK_INTR_WAIT		2	/* the same, signals let in (the window mask) */
#define CK_INTR_COPY		3	/* ck_user_copy: a fault is EFAULT */
/* cb->frame: its ucontext and siginfo, its xsave area (trap.c). */
#define CB_FRAME_UC		392
#define CK_UC_SIZE		304	/* struct ck_ucontext */
#define CK_UC_MCONTEXT		40	/* its uc_mcontext */
#define CK_SIGINFO_SIZE		128
#define CB_FRAME_XSAVE		832
#define CK_XSAVE_MAX		(16 * 1024)
#define CK_XSTATE_BV_OFF	512	/* in an xsave area */
/* cb->frame.uc.uc_mcontext, and struct sigcontext's fields (direct.c). */
#define CB_SC			432
#define SC_R8			0
#define SC_R9			8
#define SC_R10			16
#define SC_R11			24
#define SC_R12			32
#define SC_R13			40
#define SC_R14			48
#define SC_R15			56
#define SC_RDI			64
#define SC_RSI			72
#define SC_RBP			80
#define SC_RBX			88
#define SC_RDX			96
#define SC_RAX			104
#define SC_RCX			112
#define SC_RSP			120
#define SC_RIP			128
#define SC_EFLAGS		136
#define SC_FPSTATE		184
#define CB_SIZE_SHIFT		15	/* sizeof(struct ck_cb) == 32 KiB */

#endif
