// SPDX-License-Identifier: Apache-2.0
/*
 * p_pass: calls whose arguments ck checks and then hands the kernel as
 * its own copy. sendmsg with data and SCM_RIGHTS (a pipe's write end)
 * over a socketpair, then recvmsg: the received fd must write into the
 * pipe. rt_sigaction: SIGUSR2 to SIG_IGN, read back, raise it (ignored),
 * then back to SIG_DFL. Control data whose second header's cmsg_len is
 * near 2^64 (plain, then SCM_RIGHTS with fd 1022 beyond the data): the
 * kernel answers EINVAL, and ck must not loop on, or read past, it.
 * Prints what it sees after each step.
 */
#include <signal.h>
#include <sys/socket.h>

#include "common.h"
#include "../scm.h"

static void pass_fd(void)
{
	int sv[2], p[2], got = -1;
	char cbuf[SCM_ONE_FD_SPACE], data[8] = "", byte;
	struct iovec iov = { data, 5 };
	struct msghdr m;
	struct cmsghdr *c;

	check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	check(pipe(p) == 0, "pipe");
	memcpy(data, "hello", 5);
	scm_one_fd(&m, &iov, cbuf, p[1]);
	printf("sendmsg: %zd\n", sendmsg(sv[0], &m, 0));
	memset(data, 0, sizeof(data));
	memset(cbuf, 0, sizeof(cbuf));
	m.msg_controllen = sizeof(cbuf);
	printf("recvmsg: %zd \"%s\"\n", recvmsg(sv[1], &m, 0), data);
	c = CMSG_FIRSTHDR(&m);
	check(c && c->cmsg_type == SCM_RIGHTS, "an SCM_RIGHTS message back");
	memcpy(&got, CMSG_DATA(c), sizeof(int));
	check(write(got, "x", 1) == 1, "write through the received fd");
	check(read(p[0], &byte, 1) == 1 && byte == 'x', "the byte in the pipe");
	printf("the received fd writes into the pipe\n");
}

static void bad_cmsg_len(int type)
{
	uint64_t ctl[8] = { 16, 0, (uint64_t)-16, 0, 1022, 1022, 1022, 1022 };
	struct iovec iov = { "x", 1 };
	struct msghdr m = { 0 };
	int sv[2];

	check(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0, "socketpair");
	ctl[3] = type ? 1 | (uint64_t)type << 32 : 0;	/* SOL_SOCKET */
	m.msg_iov = &iov;
	m.msg_iovlen = 1;
	m.msg_control = ctl;
	m.msg_controllen = 32;
	errno = 0;
	printf("sendmsg, cmsg_len 2^64-16%s: %s\n",
	       type ? " (SCM_RIGHTS)" : "",
	       sendmsg(sv[0], &m, 0) < 0 ? errno_name(errno) : "sent");
	close(sv[0]);
	close(sv[1]);
}

static void ignore_usr2(void)
{
	struct sigaction sa = { 0 }, old;

	sa.sa_handler = SIG_IGN;
	check(sigaction(SIGUSR2, &sa, NULL) == 0, "sigaction SIG_IGN");
	check(sigaction(SIGUSR2, NULL, &old) == 0, "sigaction read");
	printf("SIGUSR2 handler: %s\n", old.sa_handler == SIG_IGN ? "SIG_IGN" :
	       old.sa_handler == SIG_DFL ? "SIG_DFL" : "other");
	check(raise(SIGUSR2) == 0, "raise SIGUSR2");
	printf("alive after raise(SIGUSR2)\n");
	sa.sa_handler = SIG_DFL;
	check(sigaction(SIGUSR2, &sa, &old) == 0, "sigaction SIG_DFL");
	printf("old handler: %s\n", old.sa_handler == SIG_IGN ? "SIG_IGN" : "other");
}

int main(void)
{
	pass_fd();
	bad_cmsg_len(0);
	bad_cmsg_len(SCM_RIGHTS);
	ignore_usr2();
	fflush(stdout);
	return 0;
}
