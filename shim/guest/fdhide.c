// SPDX-License-Identifier: Apache-2.0
/*
 * ck's own fds are invisible (DESIGN.md section 4). Its objects sit on
 * the fixed fds CK_FD_FIRST..CK_FD_LAST (ck_fds.h), always held (an empty
 * memfd where ck has nothing: ck_hold_fd_slots). The checks, all here
 * but two: the fd arguments of each call as systab.def marks them (EBADF:
 * ck_fd_args_hidden, run by the dispatch; mmap's fd, ck_fd_hidden), dup2
 * onto them, close_range over them, SCM_RIGHTS carrying them, reopening
 * them (or any /proc/<pid>/mem) by path, chmod, chown, utimes and linkat
 * of the object behind their /proc/self/fd links, and an RLIMIT_NOFILE
 * under them. The ioctls that carry an fd are checked in ioctl.c, and
 * their entries in the listings of /proc/self/fd dropped in procfs.c.
 */
#include <asm-generic/resource.h>
#include <linux/close_range.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/memfd.h>
#include <linux/mman.h>
#include <linux/socket.h>
#include <asm/stat.h>

#include "ck.h"

static long forbidden_open_check(long fd);

/*
 * The fd arguments of a call (bit i of r->fds: argument i) naming one of
 * ck's fds: -EBADF, as for a closed one; else 0.
 */
long ck_fd_args_hidden(const struct ck_systab *r, const long *a)
{
	unsigned int i;

	for (i = 0; i < 6; i++)
		if ((r->fds & (1U << i)) && ck_fd_hidden(a[i]))
			return -EBADF;
	return 0;
}

/* Is fd (as the kernel takes it: an int) one of ck's? */
int ck_fd_hidden(long fd)
{
	return CK_IS_CK_FD(fd) && !ck_mutant(FD_HIDE);
}

/*
 * Is fd (just opened for the program) one of ck's objects, a mem file
 * (-EACCES), or the procfs entry of one of ck's fds (-ENOENT, as for an
 * fd that is not open)? 0 if the program may have it.
 */
static long forbidden_open(long fd)
{
	if (ck_mutant(PROC_MEM))
		return 0;
	return forbidden_open_check(fd);
}

/*
 * The files behind ck's fds (device, cell, and what holds the seal slot),
 * one entry per slot: looked up at start-up (ck_learn_own_files), before
 * the program can touch any fd, and again each time something new goes on
 * the seal slot (every seal, and the memfd that holds the slot after a
 * refused one), so that no object of ck's is left out.
 */
static const int ck_obj_fds[] = { CK_FD_SELF, CK_FD_DEV, CK_FD_CELL, CK_FD_SEAL };
_Static_assert(CK_ARRAY_SIZE(ck_obj_fds) == CK_OBJ_SLOTS, "ck's fds");

void ck_learn_own_file(int fd)
{
	struct stat st = { 0 };
	unsigned int i;

	for (i = 0; i < CK_ARRAY_SIZE(ck_obj_fds); i++) {
		if (ck_obj_fds[i] != fd)
			continue;
		ck_proc.objs[i].valid = !ck_sys2(__NR_fstat, fd, &st);
		ck_proc.objs[i].dev = st.st_dev;
		ck_proc.objs[i].ino = st.st_ino;
	}
}

void ck_learn_own_files(void)
{
	unsigned int i;

	for (i = 0; i < CK_ARRAY_SIZE(ck_obj_fds); i++)
		ck_learn_own_file(ck_obj_fds[i]);
}

static int is_ck_object(const struct stat *st)
{
	const struct ck_obj *o = ck_proc.objs;
	unsigned int i;

	for (i = 0; i < CK_OBJ_SLOTS; i++)
		if (o[i].valid && o[i].dev == st->st_dev &&
		    o[i].ino == st->st_ino)
			return 1;
	return 0;
}

/*
 * procfs wherever it is mounted: a mem file (/proc/<pid>/mem or
 * .../task/<tid>/mem) reads and writes any page whatever its pkey; the
 * fdinfo of ck's fds tells what they are. Fails closed: an fd ck cannot
 * examine, or a procfs file it cannot name, is refused.
 */
static long forbidden_open_check(long fd)
{
	char link[256];
	struct stat theirs;
	long len;

	if (ck_sys2(__NR_fstat, fd, &theirs) || is_ck_object(&theirs))
		return -EACCES;
	len = ck_procfs_link(fd, link, sizeof(link));
	if (len <= 0)
		return len;	/* not procfs (0), or not to be named */
	if (len >= 4 && !strcmp(link + len - 4, "/mem"))
		return -EACCES;
	/* ck's fd's fdinfo, or its magic link itself (O_PATH|O_NOFOLLOW) */
	return ck_proc_names_ck_fd(link, len) ? -ENOENT : 0;
}

long ck_sys_openat(struct ck_task *t, const long *a)
{
	long fd, err;

	(void)t;
	fd = ck_forward_args(a, __NR_openat);
	if (fd >= 0 && (err = forbidden_open(fd))) {
		if (err == -EACCES && ck_selfexe_is(fd) &&	/* /proc/self/exe */
		    ck_selfexe_names_own(a[0], a[1], 1))
			return ck_selfexe_reopen(fd, a[2]);
		ck_sys1(__NR_close, fd);
		return ck_refuse(err);
	}
	return fd;
}

/*
 * The object a path names, resolved once as a call would (O_PATH, with
 * O_NOFOLLOW if it does not follow a last symlink), as an O_PATH fd the
 * caller closes; -EACCES for an object of ck's (/proc/self/fd/N of ck's
 * fds, or a symlink to it, names the host object behind it).
 */
static long open_checked(long dirfd, long path, int nofollow)
{
	struct stat st;
	long fd;

	fd = ck_sys_user(__NR_openat, dirfd, path, O_PATH | O_CLOEXEC |
			 (nofollow ? O_NOFOLLOW : 0), 0, 0, 0);
	if (fd >= 0 && (ck_sys2(__NR_fstat, fd, &st) || is_ck_object(&st))) {
		ck_sys1(__NR_close, fd);
		fd = ck_refuse(-EACCES);
	}
	return fd;
}

/*
 * chmod, chown and utimes by path: the object is checked (open_checked)
 * and the call made on that O_PATH fd (an empty path with AT_EMPTY_PATH,
 * or its /proc/self/fd link for fchmodat, which takes no flags), so a
 * path re-pointed in between changes nothing. AT_EMPTY_PATH and a NULL
 * path name the dirfd, which the fd rule checks. Flags Linux refuses, and
 * utimensat's times it cannot read, fail first, as they do there.
 */
static long path_attr(struct ck_task *t, const long *a, long nr,
		      long flags)
{
	char *pass = (char *)t->cb->pass;
	long b[6] = { a[0], a[1], a[2], a[3], a[4], a[5] }, fd, ret;
	int n;

	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (nr == __NR_utimensat && a[2] &&
	    !ck_user_ok((uint64_t)a[2], 32, PROT_READ))
		return -EFAULT;
	if (!a[1] || (flags & AT_EMPTY_PATH) || ck_mutant(FD_HIDE))
		return ck_forward_args(a, nr);
	fd = open_checked(a[0], a[1], flags & AT_SYMLINK_NOFOLLOW);
	if (fd < 0)
		return fd;
	n = ck_fd_path(pass, fd);
	if (nr == __NR_fchmodat) {
		b[0] = AT_FDCWD;
		b[1] = (long)pass;
	} else {
		b[0] = fd;
		b[1] = (long)(pass + n);	/* "" */
		b[nr == __NR_fchownat ? 4 : 3] = (flags & ~AT_SYMLINK_NOFOLLOW) |
						 AT_EMPTY_PATH;
	}
	ret = ck_forward_args(b, nr);
	ck_sys1(__NR_close, fd);
	return ret;
}

/*
 * linkat following a last symlink can link the object behind a magic
 * /proc/self/fd/N link into a directory: the object is checked as for
 * path_attr, and the link made from that O_PATH fd's own /proc/self/fd
 * link. Without AT_SYMLINK_FOLLOW the kernel links no magic link's
 * target; an empty path with AT_EMPTY_PATH names the dirfd (checked by
 * the fd rule), and goes to the kernel as ck's own "".
 */
long ck_sys_linkat(struct ck_task *t, const long *a)
{
	char *pass = (char *)t->cb->pass;
	long b[6] = { a[0], (long)pass, a[2], a[3], a[4], 0 }, fd, ret;
	long flags = (int)a[4];
	char first = 1;

	if (flags & ~(long)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!(flags & AT_SYMLINK_FOLLOW) || ck_mutant(FD_HIDE))
		return ck_forward_args(a, __NR_linkat);
	if ((flags & AT_EMPTY_PATH) &&
	    ck_copy_from_user(&first, (uint64_t)a[1], 1))
		return -EFAULT;
	if (!first) {
		pass[0] = 0;
		return ck_forward_args(b, __NR_linkat);
	}
	fd = open_checked(a[0], a[1], 0);
	if (fd < 0)
		return fd;
	ck_fd_path(pass, fd);
	b[0] = AT_FDCWD;
	b[4] = flags & ~(long)AT_EMPTY_PATH;
	ret = ck_forward_args(b, __NR_linkat);
	ck_sys1(__NR_close, fd);
	return ret;
}

long ck_sys_fchmodat(struct ck_task *t, const long *a)
{
	return path_attr(t, a, __NR_fchmodat, 0);
}

long ck_sys_fchownat(struct ck_task *t, const long *a)
{
	return path_attr(t, a, __NR_fchownat, (int)a[4]);
}

long ck_sys_utimensat(struct ck_task *t, const long *a)
{
	return path_attr(t, a, __NR_utimensat, (int)a[3]);
}

long ck_sys_dup2(struct ck_task *t, const long *a)
{
	long b[6] = { a[0], a[1], 0, 0, 0, 0 };

	(void)t;
	/* The kernel takes both as unsigned int. */
	if ((unsigned int)a[0] != (unsigned int)a[1])
		return ck_forward_args(b, __NR_dup3);
	b[1] = F_GETFD;		/* dup2(fd, fd) is fd if fd is open */
	b[0] = ck_forward_args(b, __NR_fcntl);
	return b[0] < 0 ? b[0] : (long)(unsigned int)a[0];
}

/* The kernel takes unsigned int bounds: compare what it will see. */
long ck_sys_close_range(struct ck_task *t, const long *a)
{
	unsigned int first = (unsigned int)a[0], last = (unsigned int)a[1];
	long b[6] = { first, last, a[2], 0, 0, 0 }, ret = 0;

	(void)t;
	if ((unsigned int)a[2] & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if (ck_mutant(CLOSE_RANGE))
		return ck_forward_args(a, __NR_close_range);
	if (first < CK_FD_FIRST) {
		b[1] = last < CK_FD_FIRST ? (long)last : CK_FD_FIRST - 1;
		ret = ck_forward_args(b, __NR_close_range);
	}
	if (!ret && last > CK_FD_LAST) {
		b[0] = first > CK_FD_LAST ? (long)first : CK_FD_LAST + 1;
		b[1] = (long)last;
		ret = ck_forward_args(b, __NR_close_range);
	}
	return ret;
}

/*
 * SCM_RIGHTS naming one of ck's fds would hand it to another process.
 * The kernel is given ck's checked copy of the message header and its
 * control data (in K2), never the program's memory again: another thread,
 * or another process sharing that memory, could change it in between.
 */
struct ck_msghdr {
	uint64_t name;
	uint32_t namelen;
	uint32_t pad;
	uint64_t iov;
	uint64_t iovlen;
	uint64_t control;
	uint64_t controllen;
	int32_t flags;
	int32_t pad2;
};

long ck_sys_sendmsg(struct ck_task *t, const long *a)
{
	uint8_t *pass = t->cb->pass;
	struct ck_msghdr *msg = (struct ck_msghdr *)pass;
	uint8_t *ctl = pass + sizeof(*msg);
	long b[6] = { a[0], (long)msg, a[2], 0, 0, 0 };
	uint64_t off = 0;

	if (ck_mutant(SCM_RIGHTS))
		return ck_forward_args(a, __NR_sendmsg);
	if (ck_copy_from_user(msg, (uint64_t)a[1], sizeof(*msg)))
		return -EFAULT;
	if (msg->controllen > CK_PASS_SIZE - sizeof(*msg))
		return -ENOBUFS;
	if (msg->controllen &&
	    ck_copy_from_user(ctl, msg->control, msg->controllen))
		return -EFAULT;
	while (off + 16 <= msg->controllen) {
		uint64_t len = *(uint64_t *)(ctl + off);
		int level = *(int *)(ctl + off + 8), type = *(int *)(ctl + off + 12);
		uint64_t i;

		/* As the kernel's CMSG_OK (off + 16 <= controllen here). */
		if (len < 16 || len > msg->controllen - off)
			break;
		if (level == 1 /* SOL_SOCKET */ && type == 1 /* SCM_RIGHTS */)
			for (i = 16; i + 4 <= len; i += 4)
				if (CK_IS_CK_FD(*(int *)(ctl + off + i)))
					return -EBADF;
		off += CK_ALIGN_UP(len, 8);
	}
	/* The TOCTOU mutant lets the kernel read the program's message. */
	if (ck_mutant(TOCTOU))
		return ck_forward_args(a, __NR_sendmsg);
	if (msg->controllen)
		msg->control = (uint64_t)ctl;
	return ck_forward_args(b, __NR_sendmsg);
}

/*
 * This process's RLIMIT_NOFILE never goes under 1024: ck's fds sit at
 * 1020..1023 and each seal is moved onto 1023, which dup3 refuses at or
 * over the limit (every executable file mapping would then fail). A lower
 * limit is raised to 1024, soft and hard: the program may open more than
 * it asked for, and reads back 1024. Other processes' limits are theirs.
 */
#define CK_NOFILE_MIN	(CK_FD_LAST + 1)

long ck_sys_prlimit64(struct ck_task *t, const long *a)
{
	uint64_t *lim = (uint64_t *)t->cb->pass;
	long b[6] = { a[0], a[1], (long)lim, a[3], 0, 0 };
	int pid = (int)a[0], i;

	if ((unsigned int)a[1] != RLIMIT_NOFILE || !a[2] ||
	    (pid && pid != ck_self_id(t, __NR_getpid)))
		return ck_forward_args(a, __NR_prlimit64);
	/* struct rlimit64: soft, hard */
	if (ck_copy_from_user(lim, (uint64_t)a[2], 16))
		return -EFAULT;
	for (i = 0; i < 2; i++)
		if (lim[i] < CK_NOFILE_MIN)
			lim[i] = CK_NOFILE_MIN;
	return ck_forward_args(b, __NR_prlimit64);
}

/*
 * Puts something of ck's on fd slot if nothing is there: an empty memfd.
 * ck's numbers stay taken while the program runs (ck_hold_fd_slots), or
 * the kernel could hand one to the program, which could not use it.
 */
long ck_hold_fd_slot(long slot)
{
	long fd, ret = 0;

	if (ck_sys3(__NR_fcntl, slot, F_GETFD, 0) >= 0)
		return 0;
	fd = ck_sys2(__NR_memfd_create, "ck-slot", MFD_CLOEXEC);
	if (fd >= 0 && fd != slot) {
		ret = ck_sys3(__NR_dup3, fd, slot, O_CLOEXEC);
		ck_sys1(__NR_close, fd);
	}
	return fd < 0 ? fd : ret < 0 ? ret : 0;
}

/*
 * ck's fd numbers stay taken for as long as the program runs, also where
 * ck has nothing on them (no device or cell on the fallback backend; the
 * seal slot before the first seal): a free one could go to the program
 * (the lowest free number once 0..1019 are in use, or F_DUPFD from 1020),
 * which could not use it, and ck's next seal would replace it. An empty
 * memfd of ck's own holds each (ck_hold_fd_slot; ck_learn_own_files() then
 * counts it among ck's objects, so /proc/self/fd/N cannot reopen it).
 */
void ck_hold_fd_slots(void)
{
	long slot;

	for (slot = CK_FD_FIRST; slot <= CK_FD_LAST; slot++)
		if (ck_hold_fd_slot(slot))
			ck_die(125, "cannot hold fd %ld (RLIMIT_NOFILE under %d?)",
			       slot, CK_FD_LAST + 1);
}
