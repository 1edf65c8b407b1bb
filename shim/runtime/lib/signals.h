/* SPDX-License-Identifier: Apache-2.0 */
/* Signal names and numbers as runc's kill accepts them. */
#ifndef PC_SIGNALS_H
#define PC_SIGNALS_H

/* "9", "KILL", "SIGKILL", "SIGRTMIN+3", "RTMAX-1" -> number ("0": 0, which
 * probes); -EINVAL else. */
int pc_signal_parse(const char *s);

#endif
