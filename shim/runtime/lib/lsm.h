/* SPDX-License-Identifier: Apache-2.0 */
/* AppArmor profiles and SELinux labels: process.apparmorProfile and
 * process.selinuxLabel (exec's --apparmor and --process-label) are set for
 * the program's execve where the host has that LSM, and refused where it
 * has not, as runc does; never dropped. linux.mountLabel is refused. */
#ifndef PC_LSM_H
#define PC_LSM_H

#include "spec.h"

/* The runtime's side: may the process's labels be applied here? */
int pc_lsm_check(const struct pc_process *p, const char *mount_label);
/* The container's side, before execve: label the exec. */
int pc_lsm_exec_labels(const struct pc_process *p);

#endif
