/* SPDX-License-Identifier: Apache-2.0 */
/* Runtime <-> container-process handshake over a SOCK_SEQPACKET pair:
 * GO (the runtime placed the child in its cgroups), READY (the child is set
 * up and waits to exec), RUN (create: the runtime recorded the container in
 * state.json, the child may wait for start), ERROR (the child failed; the
 * message says why). */
#ifndef PC_SYNC_H
#define PC_SYNC_H

enum pc_sync_type { PC_SYNC_GO = 1, PC_SYNC_READY, PC_SYNC_ERROR, PC_SYNC_RUN };

int pc_sync_pair(int fds[2]);
int pc_sync_send(int fd, enum pc_sync_type type, int err, const char *msg);
/* Wait for want; an ERROR message is recorded with pc_fail and its errno
 * returned; EOF means the peer died. */
int pc_sync_wait(int fd, enum pc_sync_type want);

#endif
