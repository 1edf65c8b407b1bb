// SPDX-License-Identifier: Apache-2.0
#include "terminal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <termios.h>
#include <unistd.h>

#include "err.h"

int pc_console_connect(const char *path)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(addr.sun_path))
		return pc_fail(ENAMETOOLONG, "console socket path %s too long", path);
	strcpy(addr.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return pc_failx(errno, "console socket");
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		int err = errno;
		close(fd);
		return pc_failx(err, "connect to console socket %s", path);
	}
	return fd;
}

static int send_fd(int sock, int fd, const char *name)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	struct iovec iov = { (void *)name, strlen(name) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;

	memset(cbuf, 0, sizeof(cbuf));
	c = CMSG_FIRSTHDR(&msg);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &msg, MSG_NOSIGNAL) < 0)
		return pc_failx(errno, "send the console to the console socket");
	return 0;
}

int pc_console_recv(int sock, int *fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))], buf[4096];
	struct iovec iov = { buf, sizeof(buf) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;

	if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) < 0)
		return pc_failx(errno, "receive the console");
	c = CMSG_FIRSTHDR(&msg);
	if (!c || c->cmsg_type != SCM_RIGHTS)
		return pc_fail(EPROTO, "no console received");
	memcpy(fd, CMSG_DATA(c), sizeof(int));
	return 0;
}

int pc_console_setup(int sock, unsigned int height, unsigned int width, uid_t uid)
{
	struct winsize ws = { .ws_row = (unsigned short)height, .ws_col = (unsigned short)width };
	int master, slave = -1, ret;
	char name[64];

	master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (master < 0)
		return pc_failx(errno, "open /dev/ptmx");
	if (unlockpt(master) < 0 || ptsname_r(master, name, sizeof(name))) {
		ret = pc_failx(errno, "unlock the pty");
		goto out;
	}
	slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0) {
		ret = pc_failx(errno, "open %s", name);
		goto out;
	}
	/* the process's user owns its terminal (the gid, tty from devpts's
	 * gid=5, stays); as runc, an owner the namespace cannot map, or a
	 * read-only /dev, leaves it as it is */
	if (fchown(slave, uid, (gid_t)-1) < 0 && errno != EINVAL && errno != EPERM &&
	    errno != EROFS) {
		ret = pc_failx(errno, "chown %s to %u", name, (unsigned int)uid);
		goto out;
	}
	if (height && width)
		ioctl(slave, TIOCSWINSZ, &ws);
	ret = send_fd(sock, master, name);
	if (ret)
		goto out;
	if (setsid() < 0 || ioctl(slave, TIOCSCTTY, 0) < 0) {
		ret = pc_failx(errno, "make %s the controlling terminal", name);
		goto out;
	}
	if (dup2(slave, 0) < 0 || dup2(slave, 1) < 0 || dup2(slave, 2) < 0)
		ret = pc_failx(errno, "dup the console to stdio");
out:
	if (slave >= 0)
		close(slave);
	close(master);
	return ret;
}

static int pump(int from, int to)
{
	char buf[4096];
	ssize_t n = read(from, buf, sizeof(buf)), w;

	if (n <= 0)
		return -1;
	while (n > 0) {
		w = write(to, buf, (size_t)n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		n -= w;
	}
	return 0;
}

void pc_console_relay(int master)
{
	struct pollfd p[2] = { { master, POLLIN, 0 }, { 0, POLLIN, 0 } };
	struct termios raw, saved;
	int tty = isatty(0) && !tcgetattr(0, &saved);

	if (tty) {
		raw = saved;
		cfmakeraw(&raw);
		tcsetattr(0, TCSANOW, &raw);
	}
	for (;;) {
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (p[0].revents & (POLLIN | POLLHUP | POLLERR)) {
			if (pump(master, 1))
				break;
		}
		if (p[1].revents & POLLIN) {
			if (pump(0, master))
				p[1].fd = -1;
		} else if (p[1].revents & (POLLHUP | POLLERR)) {
			p[1].fd = -1;
		}
	}
	if (tty)
		tcsetattr(0, TCSANOW, &saved);
}
