/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mutant builds of ck, for tests only (`make -C shim/guest mutants`): each
 * is built with -DCK_MUTANT_MASK=<bits of CK_MUT_*> and lacks the checks
 * guarded by ck_mutant(NAME) (or, in gate.S, CK_MUTANT_IS(NAME)) for each
 * NAME in the mask. Most mutants lack one check (build/mutants/NAME); where
 * two layers stop the same attack, a combined mutant (build/mutants/A+B,
 * listed in the Makefile's CK_MUTANT_COMBOS) shows what the pair guards.
 * `make mutants` runs every attack against its mutant and expects it to
 * get through, and against the real ck, where it must be stopped. Normal
 * builds compile every ck_mutant() to 0. One #define per line, numbered
 * from 1 (at most 63).
 */
#ifndef CK_MUTANTS_H
#define CK_MUTANTS_H

#define CK_MUT_FD_HIDE		1	/* fd arguments naming ck's fds */
#define CK_MUT_CK_RANGES	2	/* memory syscalls over ck's ranges */
#define CK_MUT_WX		3	/* W^X and PROT_EXEC only from seals */
#define CK_MUT_PROC_MEM		4	/* /proc/<pid>/mem and ck-fd reopen */
#define CK_MUT_DENYLIST		5	/* the denied syscalls */
#define CK_MUT_USER_PKRU	6	/* user PKRU: forwards, copies, ck_user_ok */
#define CK_MUT_SCM_RIGHTS	7	/* ck's fds in SCM_RIGHTS */
#define CK_MUT_CLOSE_RANGE	8	/* close_range over ck's fds */
#define CK_MUT_HOSTFILTER	9	/* no host seccomp filter */
#define CK_MUT_EXIT_BLOCK	10	/* trampoline's selector check */
#define CK_MUT_GS_CHECK		11	/* the gate's GS checks */
#define CK_MUT_ALTSTACK		12	/* the gate's RSP-on-altstack check */
#define CK_MUT_LOAD_SCAN	13	/* the scan of code at load and mmap */
#define CK_MUT_EXIT_CMP		14	/* the compare after the exit WRPKRU */
#define CK_MUT_WINDOW		15	/* the window's owner/RSP check */
#define CK_MUT_COPY_CMP		16	/* the compare after the copy WRPKRU */
#define CK_MUT_USER_OK		17	/* ck_user_ok's refusal of ck's ranges */
#define CK_MUT_GATE_CMP		18	/* the compares after the other WRPKRUs */
#define CK_MUT_PKRU_INIT	19	/* the handler's PKRU = init check */
#define CK_MUT_SIGNALS		20	/* SIGSYS in rt_sigaction/F_SETSIG/kill/tgkill */
#define CK_MUT_LOAD_BOUNDS	21	/* the loader's segment bounds checks */
#define CK_MUT_FLAGS		22	/* clearing DF/AC/TF at the gate */
#define CK_MUT_DUMP		23	/* K memory left out of core dumps */
#define CK_MUT_COPY_ARMED	24	/* the copy window's armed/GS check */
#define CK_MUT_IOCTL		25	/* userfaultfd ioctls (type 0xAA) */
#define CK_MUT_NOEXEC		26	/* noexec mounts and the program's X bit */
#define CK_MUT_K2_READS		27	/* ck's own reads into K2, not K */
#define CK_MUT_TID_ADDR		28	/* clone's tid addresses checked */
#define CK_MUT_THREAD_SUD	29	/* SUD armed in a new thread */
#define CK_MUT_FORK_SUD		30	/* a fork child's SUD re-armed */
#define CK_MUT_FORK_CELL	31	/* a fork child's own cell */
#define CK_MUT_EXEC_SUD		32	/* SUD armed in ck started by execve */
#define CK_MUT_SIGRETURN_HOST	33	/* the program's rt_sigreturn to the host */
#define CK_MUT_SIGFRAME		34	/* handler frames written unchecked */
#define CK_MUT_SIGMASK		35	/* caught signals unblocked inside ck */
#define CK_MUT_INTR_SIGRETURN	36	/* a nested entry resumes by its frame */
#define CK_MUT_COPY_FAULT	37	/* the copy window unarmed: a fault kills */
#define CK_MUT_QUEUE_CODE	38	/* queued SIGSEGV/SIGBUS with a fault's si_code */
#define CK_MUT_UNARMED_SIGRETURN	39	/* an unarmed nested entry resumes by its frame */
#define CK_MUT_SIG_INSTALL	40	/* waiting out threads in ck at a handler install */
#define CK_MUT_VFORK_EXEC	41	/* a vfork child's robust list cleared at exec */
#define CK_MUT_FUTEX_ADDR	42	/* futex addresses outside ck's ranges */
#define CK_MUT_TOCTOU		43	/* sendmsg hands the kernel the copy it checked */
#define CK_MUT_STEP_SLOTS	44	/* a signal at the single-step exit: the program's context */
#define CK_MUT_SEAL_VARIANT	45	/* the bytes read and --no-direct in a seal record's key */
#define CK_MUT_DIRECT_CMP	46	/* the compare after the direct WRPKRU */
#define CK_MUT_DIRECT_GS	47	/* the direct gate's GS checks */
#define CK_MUT_DIRECT_IN_CK	48	/* the direct gate's not-in-ck check */
#define CK_MUT_DIRECT_FLAGS	49	/* TF/DF/AC cleared at the direct gate */
#define CK_MUT_DIRECT_INDEX	50	/* the stub index checked against ck's table */
#define CK_MUT_DIRECT_KSTACK	51	/* the direct gate's switch to the K stack */
#define CK_MUT_DIRECT_SCAN	52	/* the rescan of rewritten site bytes */
#define CK_MUT_PROFILE		53	/* the OCI seccomp profile (profile.c) */
#define CK_MUT_STUB_RIP		54	/* a signal in a stub delivered at its site */
#define CK_MUT_SIG_IN_CK	55	/* a signal in ck's text ends the process */
#define CK_MUT_FRAME_PKRU	56	/* the user PKRU in a handler's frame */
#define CK_MUT_DETOUR_KEEP	57	/* a detoured site's pattern removed, the seal scanned */
#define CK_MUT_DETOUR_RIP	58	/* a signal in a trampoline delivered at its site */
#define CK_MUT_JIT_SCAN		59	/* the scan of JIT code made executable */
#define CK_MUT_XRSTOR_PKRU	60	/* the XRSTOR emulation's PKRU mask */
#define CK_MUT_SEAL_REREAD	61	/* seal ck's scanned copy, not the file anew */
#define CK_MUT_UNARMED_DEFER_MT	62	/* an unarmed signal deferred with other tasks on the memory */

#if defined(__ASSEMBLER__) || !defined(__cplusplus)
#ifdef CK_MUTANT_MASK
#define CK_MUTANT_IS(n)	((CK_MUTANT_MASK >> CK_MUT_##n) & 1)
#else
#define CK_MUTANT_IS(n)	0
#endif
#define ck_mutant(n)	CK_MUTANT_IS(n)
#endif

#endif
