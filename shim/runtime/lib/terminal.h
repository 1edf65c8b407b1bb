/* SPDX-License-Identifier: Apache-2.0 */
/* Container consoles: a pty opened inside the container, its master sent
 * over the console socket with SCM_RIGHTS, the slave made the controlling
 * terminal and fds 0-2. */
#ifndef PC_TERMINAL_H
#define PC_TERMINAL_H

#include <sys/types.h>

/* Connect to the console socket at path (a unix stream socket). */
int pc_console_connect(const char *path);
/* Open a pty from /dev/ptmx; give its slave to uid; send its master over
 * sock; make the slave the calling process's controlling terminal and stdio. */
int pc_console_setup(int sock, unsigned int height, unsigned int width, uid_t uid);
/* Receive one fd sent with SCM_RIGHTS. */
int pc_console_recv(int sock, int *fd);
/* Copy stdin to master and master to stdout until master hangs up. */
void pc_console_relay(int master);

#endif
