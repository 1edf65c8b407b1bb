/* SPDX-License-Identifier: Apache-2.0 */
/* /proc facts about a process: start time (stat field 22) and liveness. */
#ifndef PC_PROC_H
#define PC_PROC_H

#include <stdbool.h>
#include <sys/types.h>

/* Start time (clock ticks since boot) and state letter of pid. */
int pc_proc_stat(pid_t pid, unsigned long long *start_time, char *state);
/* true when pid exists, is not a zombie, and started at start_time: a reused
 * pid is never taken for the container. */
bool pc_proc_alive(pid_t pid, unsigned long long start_time);
/* Wait up to ms milliseconds for pc_proc_alive() to become false. */
int pc_proc_wait_gone(pid_t pid, unsigned long long start_time, int ms);

#endif
