/* SPDX-License-Identifier: Apache-2.0 */
/* The runtime's last error message: library functions return -errno and
 * record why with pc_fail(); the command layer prints and logs it. */
#ifndef PC_ERR_H
#define PC_ERR_H

/* Record a message (printf format) and return -err (err > 0). When a message
 * is already recorded, it is kept after the new one: "new: old". */
int pc_fail(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Same, with ": strerror(err)" appended. */
int pc_failx(int err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const char *pc_err_msg(void);
void pc_err_clear(void);

#endif
