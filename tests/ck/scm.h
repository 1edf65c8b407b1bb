/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One SCM_RIGHTS message carrying fd, with iov as its data, set up in m
 * (control data in cbuf): shared by the ck test programs and attacks.
 */
#ifndef CK_TEST_SCM_H
#define CK_TEST_SCM_H

#include <string.h>
#include <sys/socket.h>

#define SCM_ONE_FD_SPACE	CMSG_SPACE(sizeof(int))

static inline void scm_one_fd(struct msghdr *m, struct iovec *iov,
			      char cbuf[SCM_ONE_FD_SPACE], int fd)
{
	struct cmsghdr *c;

	memset(m, 0, sizeof(*m));
	m->msg_iov = iov;
	m->msg_iovlen = 1;
	m->msg_control = cbuf;
	m->msg_controllen = SCM_ONE_FD_SPACE;
	c = CMSG_FIRSTHDR(m);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
}

#endif
