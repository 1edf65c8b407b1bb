/* SPDX-License-Identifier: Apache-2.0 */
/* The --log file: one JSON object per line, {"level","msg","time"}. */
#ifndef PC_LOG_H
#define PC_LOG_H

/* Open (append, create) the log file; NULL means stderr only. */
int pc_log_open(const char *path, int json);
void pc_log_close(void);
/* Append one line at level "error"/"warning"/"info"/"debug". */
void pc_log(const char *level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Report an error: message on stderr and an "error" line in the log. */
void pc_log_error(const char *msg);
/* Current time as RFC 3339; nanoseconds when nano != 0. */
void pc_rfc3339(char *buf, unsigned long len, int nano);
extern int pc_log_debug;

#endif
