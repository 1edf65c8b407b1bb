/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The fixed descriptor numbers ck keeps its own host objects on. They sit
 * just under the usual RLIMIT_NOFILE soft limit (1024), away from the low
 * numbers programs use. The host seccomp filter (hostfilter/) allows
 * PROT_EXEC only in an mmap(MAP_SHARED) of CK_FD_SEAL: ck dup3()s each seal
 * fd to CK_FD_SEAL just before mapping it.
 */
#ifndef CK_FDS_H
#define CK_FDS_H

#define CK_FD_LOG 1018	/* --trace FILE: ck's log of refused calls */
#define CK_FD_ERR 1019	/* ck's stderr, a dup of fd 2 at start-up */
#define CK_FD_SELF 1020	/* ck's own binary, for execve (exec.c) */
#define CK_FD_DEV 1021	/* /dev/paracell, handed over by the runtime */
#define CK_FD_CELL 1022	/* this process's cell */
#define CK_FD_SEAL 1023	/* the seal being mapped executable */

#endif
