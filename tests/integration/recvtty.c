// SPDX-License-Identifier: Apache-2.0
/* recvtty SOCKET [INPUT]: the console-socket end of a container's tty, as
 * containerd's shim is. Listens on SOCKET, takes one connection, receives
 * the pty master sent with SCM_RIGHTS, writes INPUT to it (if given) and
 * copies everything the container writes to stdout until it hangs up.
 * Prints "recvtty: payload <bytes>" on stderr for the test to check. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int recv_master(int conn, int *fd)
{
	char payload[4096], cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { payload, sizeof(payload) - 1 };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	ssize_t n = recvmsg(conn, &msg, 0);

	if (n <= 0)
		return -1;
	payload[n] = '\0';
	fprintf(stderr, "recvtty: payload %zd %s\n", n, payload);
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS ||
	    c->cmsg_len != CMSG_LEN(sizeof(int)))
		return -1;
	memcpy(fd, CMSG_DATA(c), sizeof(int));
	return 0;
}

int main(int argc, char **argv)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int srv, conn, master;
	char buf[4096];
	ssize_t n;

	if (argc < 2 || strlen(argv[1]) + 4 >= sizeof(addr.sun_path)) {
		fprintf(stderr, "usage: recvtty SOCKET [INPUT]\n");
		return 2;
	}
	/* the socket appears at its name only once it listens: tests wait
	 * for the file, and a connect between bind and listen is refused */
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s.new", argv[1]);
	unlink(addr.sun_path);
	srv = socket(AF_UNIX, SOCK_STREAM, 0);
	if (srv < 0 || bind(srv, (struct sockaddr *)&addr, sizeof(addr)) < 0 ||
	    listen(srv, 1) < 0 || rename(addr.sun_path, argv[1]) < 0) {
		perror("recvtty: listen");
		return 1;
	}
	conn = accept(srv, NULL, NULL);
	if (conn < 0 || recv_master(conn, &master) < 0) {
		fprintf(stderr, "recvtty: no pty master received\n");
		return 1;
	}
	close(conn);
	close(srv);
	if (argc > 2 && write(master, argv[2], strlen(argv[2])) < 0)
		perror("recvtty: write");
	for (;;) {
		n = read(master, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)	/* EIO once the container side is closed */
			break;
		fwrite(buf, 1, (size_t)n, stdout);
		fflush(stdout);
	}
	return 0;
}
