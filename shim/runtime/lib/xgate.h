/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The xgate platform's launch (shim/runtime/README.md, "The xgate
 * launch"): the container's process is ck running the program. The
 * runtime, on the host side before the container process exists, copies
 * ck into a sealed memfd, opens /dev/paracell (absent: the fallback
 * backend) and compiles the OCI seccomp profile for ck; the process, after
 * everything else, puts ck on fd 1020 and the device on fd 1021 (ck's own
 * fd numbers, hidden from the program) and execs ck from its fd.
 */
#ifndef PC_XGATE_H
#define PC_XGATE_H

#include <jansson.h>

#include "spec.h"

#define PC_XGATE_FD_SELF 1020	/* shim/guest/ck_fds.h: CK_FD_SELF */
#define PC_XGATE_FD_DEV 1021	/* CK_FD_DEV */
#define PC_XGATE_FD_MIN 1018	/* ck's lowest fd: the program's end */

struct pc_xgate {
	int ck_fd;		/* sealed memfd holding ck */
	int dev_fd;		/* /dev/paracell, or -1: the fallback */
	char *seccomp_hex;	/* the profile for ck's --seccomp, or NULL */
};

/* "module" or "fallback" */
const char *pc_xgate_backend(const struct pc_xgate *xg);
/* Refuse what cannot run under ck (before anything is set up); spec
 * (create; NULL for exec): no /dev/paracell in the container. */
int pc_xgate_check(const struct pc_spec *spec, const struct pc_process *p, int preserve_fds);
/* Open ck and the device, compile the profile; undone by pc_xgate_free. */
int pc_xgate_prepare(json_t *seccomp, struct pc_xgate *xg);
void pc_xgate_free(struct pc_xgate *xg);
/* In the container process, last: exec ck with the program (path is the
 * resolved args[0]). Returns only on failure (-errno with a message). */
int pc_xgate_exec(const struct pc_xgate *xg, const struct pc_process *p, const char *path);

#endif
