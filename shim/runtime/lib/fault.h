/* SPDX-License-Identifier: Apache-2.0 */
/* Test-only fault points: the runtime kills itself with SIGKILL at the step
 * named by $PARACELL_TEST_KILL_AT, as a caller timing out (containerd's shim)
 * would kill it there. The integration tests use it to check that a create
 * killed at any step leaves nothing that delete --force does not remove. */
#ifndef PC_FAULT_H
#define PC_FAULT_H

void pc_fault_point(const char *step);

#endif
