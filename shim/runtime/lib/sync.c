// SPDX-License-Identifier: Apache-2.0
#include "sync.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "err.h"

struct msg {
	int type;
	int err;
	char text[3072];
};

int pc_sync_pair(int fds[2])
{
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) < 0)
		return pc_failx(errno, "socketpair");
	return 0;
}

int pc_sync_send(int fd, enum pc_sync_type type, int err, const char *text)
{
	struct msg m = { .type = type, .err = err };

	if (text)
		snprintf(m.text, sizeof(m.text), "%s", text);
	if (send(fd, &m, sizeof(m), MSG_NOSIGNAL) < 0)
		return -errno;
	return 0;
}

int pc_sync_wait(int fd, enum pc_sync_type want)
{
	struct msg m;
	ssize_t n;

	do
		n = recv(fd, &m, sizeof(m), 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return pc_failx(errno, "sync with the container process");
	if (n == 0)
		return pc_fail(EPIPE, "container process exited before it was set up");
	if (m.type == PC_SYNC_ERROR) {
		m.text[sizeof(m.text) - 1] = '\0';
		return pc_fail(m.err > 0 ? m.err : EINVAL, "%s", m.text);
	}
	if (m.type != (int)want)
		return pc_fail(EPROTO, "sync: unexpected message %d", m.type);
	return 0;
}
