// SPDX-License-Identifier: Apache-2.0
/*
 * ioctl's argument policy: no userfaultfd command (type 0xAA), and the
 * commands that name a second fd (in the argument or the struct it
 * points to) may not name one of ck's.
 */
#include <linux/errno.h>

#include "ck.h"

/*
 * userfaultfd ioctls (type 0xAA: USERFAULTFD_IOC_NEW on /dev/userfaultfd,
 * then UFFDIO_*): the syscall is denied, but the device gives the same
 * thing, and UFFDIO_COPY over ck's memory installs pages of the program's
 * choosing with no user access for PKU to stop. The kernel takes the
 * command as unsigned int; the host filter refuses the type as well.
 */
#define CK_IOC_TYPE_UFFD	0xAA

/*
 * ioctls that name a second fd, in the argument itself or at the start of
 * the struct it points to: that fd may not be one of ck's (EBADF, as for
 * a closed one). A struct goes to the kernel as ck's checked copy (K2),
 * which FIDEDUPERANGE also writes its results into: that one is issued
 * from the ck domain and its results copied out.
 */
#define CK_FICLONE		0x40049409	/* _IOW(0x94, 9, int) */
#define CK_FICLONERANGE		0x4020940d	/* src_fd: s64 at 0 */
#define CK_FIDEDUPERANGE	0xc0189436	/* dest_fd: s64 at 24 + 32 i */
#define CK_LOOP_SET_FD		0x4c00
#define CK_LOOP_CHANGE_FD	0x4c06
#define CK_LOOP_CONFIGURE	0x4c0a		/* fd: u32 at 0, 304 bytes */

static long ioctl_fd_arg(struct ck_task *t, const long *a, unsigned int cmd)
{
	uint8_t *pass = t->cb->pass;
	long b[6] = { a[0], a[1], (long)pass, 0, 0, 0 }, ret;
	uint64_t size = cmd == CK_FICLONERANGE ? 32 : 304;
	uint16_t count;
	unsigned int i;

	switch (cmd) {
	case CK_FICLONE:
	case CK_LOOP_SET_FD:
	case CK_LOOP_CHANGE_FD:
		return CK_IS_CK_FD(a[2]) ? -EBADF :
		       ck_forward_args(a, __NR_ioctl);
	case CK_FICLONERANGE:
	case CK_LOOP_CONFIGURE:
		if (ck_copy_from_user(pass, (uint64_t)a[2], size))
			return -EFAULT;
		return CK_IS_CK_FD(*(int *)pass) ? -EBADF :
		       ck_forward_args(b, __NR_ioctl);
	}
	/* FIDEDUPERANGE: Linux takes at most a page of it. */
	if (ck_copy_from_user(&count, (uint64_t)a[2] + 16, 2))
		return -EFAULT;
	size = 24 + 32 * (uint64_t)count;
	if (size > CK_PAGE)
		return -ENOMEM;
	if (ck_copy_from_user(pass, (uint64_t)a[2], size))
		return -EFAULT;
	/* The kernel reads the count again: the one ck checked. */
	memcpy(pass + 16, &count, 2);
	for (i = 0; i < count; i++)
		if (CK_IS_CK_FD(*(int *)(pass + 24 + 32 * i)))
			return -EBADF;
	CK_COUNT(forwarded, 1);
	ret = ck_sys3(__NR_ioctl, a[0], a[1], pass);
	if (!ret && ck_copy_to_user((uint64_t)a[2], pass, size))
		ret = -EFAULT;
	return ret;
}

long ck_sys_ioctl(struct ck_task *t, const long *a)
{
	unsigned int cmd = (unsigned int)a[1];

	if (((cmd >> 8) & 0xff) == CK_IOC_TYPE_UFFD && !ck_mutant(IOCTL)) {
		return ck_refuse(-EPERM);
	}
	if (!ck_mutant(FD_HIDE) &&
	    (cmd == CK_FICLONE || cmd == CK_FICLONERANGE ||
	     cmd == CK_FIDEDUPERANGE || cmd == CK_LOOP_SET_FD ||
	     cmd == CK_LOOP_CHANGE_FD || cmd == CK_LOOP_CONFIGURE))
		return ioctl_fd_arg(t, a, cmd);
	return ck_forward_args(a, __NR_ioctl);
}
