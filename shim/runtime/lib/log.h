/* SPDX-License-Identifier: Apache-2.0 */
/* The --log file: one JSON object per line, {"level","msg","time"}. */
#ifndef PC_LOG_H
#define PC_LOG_H

/* Open (append, create) the log file; NULL means lines go to stderr, in
 * the same format (as runc's). */
int pc_log_open(const char *path, int json);
/* Close the log; nothing is logged after (the container's init). */
void pc_log_close(void);
/* Append one line at level "error"/"warning"/"info"/"debug". */
void pc_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Report an error: an "error" line in the log and the bare message on
 * stderr; without a log file, only the line, on stderr. */
void pc_log_error(const char *msg);
/* Current time as RFC 3339; nanoseconds when nano != 0. */
void pc_rfc3339(char *buf, unsigned long len, int nano);
extern int pc_log_debug;

#endif
