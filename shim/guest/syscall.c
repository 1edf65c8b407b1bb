// SPDX-License-Identifier: Apache-2.0
/*
 * The program's syscalls (DESIGN.md sections 4 and 5), dispatched by the
 * table of systab.def. Memory syscalls are
 * ck's own (mm.c); the rest are forwarded from an allowlist, under the user
 * PKRU (gate.S), after checks: ck's own fds are invisible (any fd argument
 * naming one fails with EBADF, as do close_range over them, SCM_RIGHTS
 * carrying them, and reopening them or any /proc/<pid>/mem by path). What
 * is not on the list fails with ENOSYS, or EPERM for the denied list, and
 * never reaches the host.
 */
#include <asm/prctl.h>
#include <asm-generic/resource.h>
#include <asm/signal.h>
#include <linux/close_range.h>
#include <linux/errno.h>
#include <linux/fcntl.h>
#include <linux/mman.h>
#include <linux/prctl.h>
#include <linux/socket.h>
#include <asm/stat.h>
#include <asm/statfs.h>

#include "ck.h"

struct ck_stats ck_stats;

static long forbidden_open_check(long fd);

static long forward(const long *a, long nr)
{
	ck_stats.forwarded++;
	if (ck_mutant(USER_PKRU))	/* in the ck domain: K is reachable */
		return ck_sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	return ck_sys_user(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}

long ck_forward_args(const long *a, long nr)
{
	return forward(a, nr);
}

long ck_dispatch(struct ck_cb *cb, long nr, const long *a)
{
	const struct ck_systab *r = ck_systab_row(nr);
	unsigned int i;
	long b[6];

	(void)cb;
	if (!r || r->how == CK_HOW_ENOSYS) {
		ck_stats.denied++;
		return -ENOSYS;
	}
	if (r->how == CK_HOW_OLD) {
		nr = ck_systab_modern(nr, a, b);
		return ck_dispatch(cb, nr, b);
	}
	if (r->how == CK_HOW_DENY && !ck_mutant(DENYLIST)) {
		ck_stats.denied++;
		return -EPERM;
	}
	for (i = 0; i < 6; i++) {
		if ((r->fds & (1U << i)) && CK_IS_CK_FD(a[i]) &&
		    !ck_mutant(FD_HIDE)) {
			ck_stats.denied++;
			return -EBADF;
		}
	}
	if (r->how == CK_HOW_OWN)
		return r->fn(a);
	return forward(a, nr);
}

/*
 * Nothing on a noexec mount runs natively (execve: EACCES, mmap with
 * PROT_EXEC: EPERM). ck reads and seals what it runs, so it asks the
 * mount: -EPERM for a file there.
 */
#define CK_ST_NOEXEC	0x0008

long ck_noexec(long fd)
{
	struct statfs fs;
	long ret;

	if (ck_mutant(NOEXEC))
		return 0;
	ret = ck_sys2(__NR_fstatfs, fd, &fs);
	if (ret)
		return ret;
	return (fs.f_flags & CK_ST_NOEXEC) ? -EPERM : 0;
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
static const int ck_obj_fds[] = { CK_FD_DEV, CK_FD_CELL, CK_FD_SEAL };
static struct {
	int valid;
	uint64_t dev, ino;
} ck_objs[CK_ARRAY_SIZE(ck_obj_fds)];

void ck_learn_own_file(int fd)
{
	struct stat st = { 0 };
	unsigned int i;

	for (i = 0; i < CK_ARRAY_SIZE(ck_obj_fds); i++) {
		if (ck_obj_fds[i] != fd)
			continue;
		ck_objs[i].valid = !ck_sys2(__NR_fstat, fd, &st);
		ck_objs[i].dev = st.st_dev;
		ck_objs[i].ino = st.st_ino;
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
	unsigned int i;

	for (i = 0; i < CK_ARRAY_SIZE(ck_objs); i++)
		if (ck_objs[i].valid && ck_objs[i].dev == st->st_dev &&
		    ck_objs[i].ino == st->st_ino)
			return 1;
	return 0;
}

/* "/proc/self/fd/FD" at buf (32 bytes); returns its length. */
int ck_fd_path(char *buf, long fd)
{
	int n = 14, i;
	long v;

	memcpy(buf, "/proc/self/fd/", 14);
	for (v = fd; v >= 10; v /= 10)
		n++;
	for (v = fd, i = n; i >= 14; i--, v /= 10)
		buf[i] = (char)('0' + v % 10);
	buf[n + 1] = 0;
	return n + 1;
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

long ck_sys_openat(const long *a)
{
	long fd, err;

	fd = forward(a, __NR_openat);
	if (fd >= 0 && (err = forbidden_open(fd))) {
		ck_sys1(__NR_close, fd);
		ck_stats.denied++;
		return err;
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
		ck_stats.denied++;
		fd = -EACCES;
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
static long path_attr(const long *a, long nr, long flags)
{
	char *pass = (char *)ck_this_cb()->pass;
	long b[6] = { a[0], a[1], a[2], a[3], a[4], a[5] }, fd, ret;
	int n;

	if (flags & ~(long)(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (nr == __NR_utimensat && a[2] &&
	    !ck_user_ok((uint64_t)a[2], 32, PROT_READ))
		return -EFAULT;
	if (!a[1] || (flags & AT_EMPTY_PATH) || ck_mutant(FD_HIDE))
		return forward(a, nr);
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
	ret = forward(b, nr);
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
long ck_sys_linkat(const long *a)
{
	char *pass = (char *)ck_this_cb()->pass;
	long b[6] = { a[0], (long)pass, a[2], a[3], a[4], 0 }, fd, ret;
	long flags = (int)a[4];
	char first = 1;

	if (flags & ~(long)(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH))
		return -EINVAL;
	if (!(flags & AT_SYMLINK_FOLLOW) || ck_mutant(FD_HIDE))
		return forward(a, __NR_linkat);
	if ((flags & AT_EMPTY_PATH) &&
	    ck_copy_from_user(&first, (uint64_t)a[1], 1))
		return -EFAULT;
	if (!first) {
		pass[0] = 0;
		return forward(b, __NR_linkat);
	}
	fd = open_checked(a[0], a[1], 0);
	if (fd < 0)
		return fd;
	ck_fd_path(pass, fd);
	b[0] = AT_FDCWD;
	b[4] = flags & ~(long)AT_EMPTY_PATH;
	ret = forward(b, __NR_linkat);
	ck_sys1(__NR_close, fd);
	return ret;
}

long ck_sys_fchmodat(const long *a)
{
	return path_attr(a, __NR_fchmodat, 0);
}

long ck_sys_fchownat(const long *a)
{
	return path_attr(a, __NR_fchownat, (int)a[4]);
}

long ck_sys_utimensat(const long *a)
{
	return path_attr(a, __NR_utimensat, (int)a[3]);
}

long ck_sys_dup2(const long *a)
{
	long b[6] = { a[0], a[1], 0, 0, 0, 0 };

	/* The kernel takes both as unsigned int. */
	if ((unsigned int)a[0] != (unsigned int)a[1])
		return forward(b, __NR_dup3);
	b[1] = F_GETFD;		/* dup2(fd, fd) is fd if fd is open */
	b[0] = forward(b, __NR_fcntl);
	return b[0] < 0 ? b[0] : (long)(unsigned int)a[0];
}

/* The kernel takes unsigned int bounds: compare what it will see. */
long ck_sys_close_range(const long *a)
{
	unsigned int first = (unsigned int)a[0], last = (unsigned int)a[1];
	long b[6] = { first, last, a[2], 0, 0, 0 }, ret = 0;

	if ((unsigned int)a[2] & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC))
		return -EINVAL;
	if (first > last)
		return -EINVAL;
	if (ck_mutant(CLOSE_RANGE))
		return forward(a, __NR_close_range);
	if (first < CK_FD_FIRST) {
		b[1] = last < CK_FD_FIRST ? (long)last : CK_FD_FIRST - 1;
		ret = forward(b, __NR_close_range);
	}
	if (!ret && last > CK_FD_LAST) {
		b[0] = first > CK_FD_LAST ? (long)first : CK_FD_LAST + 1;
		b[1] = (long)last;
		ret = forward(b, __NR_close_range);
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

long ck_sys_sendmsg(const long *a)
{
	uint8_t *pass = ck_this_cb()->pass;
	struct ck_msghdr *msg = (struct ck_msghdr *)pass;
	uint8_t *ctl = pass + sizeof(*msg);
	long b[6] = { a[0], (long)msg, a[2], 0, 0, 0 };
	uint64_t off = 0;

	if (ck_mutant(SCM_RIGHTS))
		return forward(a, __NR_sendmsg);
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
	if (msg->controllen)
		msg->control = (uint64_t)ctl;
	return forward(b, __NR_sendmsg);
}

/* The kernel takes signal numbers as int: compare what it will see. */
static int ck_signal(long sig)
{
	return (int)sig == SIGSYS && !ck_mutant(SIGNALS);
}

/*
 * Handlers are part 2: only SIG_DFL and SIG_IGN, never on ck's signals.
 * The kernel gets ck's checked copy of the new action (in K2).
 */
long ck_sys_rt_sigaction(const long *a)
{
	uint64_t *act = (uint64_t *)ck_this_cb()->pass;
	long b[6] = { a[0], a[1] ? (long)act : 0, a[2], a[3], 0, 0 };

	if (ck_signal(a[0])) {
		/* A query only: SIGSYS is at SIG_DFL, as far as it can tell. */
		static const uint64_t dfl[4];

		if (a[1] || a[3] != 8)
			return -EINVAL;
		return a[2] && ck_copy_to_user((uint64_t)a[2], dfl, 32) ?
		       -EFAULT : 0;
	}
	if (a[1]) {
		/* handler, flags, restorer, mask: struct k_sigaction */
		if (ck_copy_from_user(act, (uint64_t)a[1], 32))
			return -EFAULT;
		if (act[0] > 1 /* SIG_IGN */)
			return -EPERM;
	}
	return forward(b, __NR_rt_sigaction);
}

/*
 * The program's signal mask is the one in ck's frame (its rt_sigreturn
 * installs it at the exit; the thread's mask inside ck is the handler's):
 * read and change it there, as the kernel would. SIGSYS stays ck's.
 */
long ck_sys_rt_sigprocmask(const long *a)
{
	const uint64_t never = (1ULL << (SIGKILL - 1)) | (1ULL << (SIGSTOP - 1)) |
			       (1ULL << (SIGSYS - 1));
	uint64_t *mask = &ck_this_cb()->frame.uc.uc_sigmask, set, old = *mask;

	if (a[3] != 8)
		return -EINVAL;
	if (a[1]) {
		if (ck_copy_from_user(&set, (uint64_t)a[1], 8))
			return -EFAULT;
		switch ((int)a[0]) {
		case SIG_BLOCK: *mask |= set & ~never; break;
		case SIG_UNBLOCK: *mask &= ~set; break;
		case SIG_SETMASK: *mask = set & ~never; break;
		default: return -EINVAL;
		}
	}
	if (a[2] && ck_copy_to_user((uint64_t)a[2], &old, 8))
		return -EFAULT;
	return 0;
}

long ck_sys_arch_prctl(const long *a)
{
	/* The kernel takes an int: so does the host filter's compare. */
	long b[6] = { (int)a[0], a[1], 0, 0, 0, 0 };

	if (b[0] == ARCH_SET_FS || b[0] == ARCH_GET_FS || ck_mutant(DENYLIST))
		return forward(ck_mutant(DENYLIST) ? a : b, __NR_arch_prctl);
	ck_stats.denied++;
	return -EPERM;
}

long ck_sys_prctl(const long *a)
{
	/* The kernel takes an int: so does the host filter's compare. */
	long b[6] = { (int)a[0], a[1], a[2], a[3], a[4], 0 };

	switch (b[0]) {
	case PR_SET_NAME:
	case PR_GET_NAME:
	case PR_GET_DUMPABLE:
		return forward(b, __NR_prctl);
	default:
		ck_stats.denied++;
		return -EPERM;
	}
}

long ck_sys_fcntl(const long *a)
{
	/* F_SETSIG: the kernel itself would then send ck's signal. */
	if ((unsigned int)a[1] == 10 /* F_SETSIG */ && ck_signal(a[2]))
		return -EPERM;
	return forward(a, __NR_fcntl);
}

/* SIGSYS is ck's: the program may not send it to itself to fake an entry. */
long ck_sys_kill(const long *a)
{
	if (ck_signal(a[1]))
		return -EPERM;
	return forward(a, __NR_kill);
}

long ck_sys_tgkill(const long *a)
{
	if (ck_signal(a[2]))
		return -EPERM;
	return forward(a, __NR_tgkill);
}

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

static long ioctl_fd_arg(const long *a, unsigned int cmd)
{
	uint8_t *pass = ck_this_cb()->pass;
	long b[6] = { a[0], a[1], (long)pass, 0, 0, 0 }, ret;
	uint64_t size = cmd == CK_FICLONERANGE ? 32 : 304;
	uint16_t count;
	unsigned int i;

	switch (cmd) {
	case CK_FICLONE:
	case CK_LOOP_SET_FD:
	case CK_LOOP_CHANGE_FD:
		return CK_IS_CK_FD(a[2]) ? -EBADF : forward(a, __NR_ioctl);
	case CK_FICLONERANGE:
	case CK_LOOP_CONFIGURE:
		if (ck_copy_from_user(pass, (uint64_t)a[2], size))
			return -EFAULT;
		return CK_IS_CK_FD(*(int *)pass) ? -EBADF :
		       forward(b, __NR_ioctl);
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
	ck_stats.forwarded++;
	ret = ck_sys3(__NR_ioctl, a[0], a[1], pass);
	if (!ret && ck_copy_to_user((uint64_t)a[2], pass, size))
		ret = -EFAULT;
	return ret;
}

long ck_sys_ioctl(const long *a)
{
	unsigned int cmd = (unsigned int)a[1];

	if (((cmd >> 8) & 0xff) == CK_IOC_TYPE_UFFD && !ck_mutant(IOCTL)) {
		ck_stats.denied++;
		return -EPERM;
	}
	if (!ck_mutant(FD_HIDE) &&
	    (cmd == CK_FICLONE || cmd == CK_FICLONERANGE ||
	     cmd == CK_FIDEDUPERANGE || cmd == CK_LOOP_SET_FD ||
	     cmd == CK_LOOP_CHANGE_FD || cmd == CK_LOOP_CONFIGURE))
		return ioctl_fd_arg(a, cmd);
	return forward(a, __NR_ioctl);
}

/*
 * This process's RLIMIT_NOFILE never goes under 1024: ck's fds sit at
 * 1021..1023 and each seal is moved onto 1023, which dup3 refuses at or
 * over the limit (every executable file mapping would then fail). A lower
 * limit is raised to 1024, soft and hard: the program may open more than
 * it asked for, and reads back 1024. Other processes' limits are theirs.
 */
#define CK_NOFILE_MIN	(CK_FD_LAST + 1)

long ck_sys_prlimit64(const long *a)
{
	uint64_t *lim = (uint64_t *)ck_this_cb()->pass;
	long b[6] = { a[0], a[1], (long)lim, a[3], 0, 0 };
	int pid = (int)a[0], i;

	if ((unsigned int)a[1] != RLIMIT_NOFILE || !a[2] ||
	    (pid && pid != ck_sys0(__NR_getpid)))
		return forward(a, __NR_prlimit64);
	/* struct rlimit64: soft, hard */
	if (ck_copy_from_user(lim, (uint64_t)a[2], 16))
		return -EFAULT;
	for (i = 0; i < 2; i++)
		if (lim[i] < CK_NOFILE_MIN)
			lim[i] = CK_NOFILE_MIN;
	return forward(b, __NR_prlimit64);
}

long ck_sys_msync(const long *a)
{
	long ret = ck_mm_host_range(a);

	return ret ? ret : forward(a, __NR_msync);
}

long ck_sys_mincore(const long *a)
{
	long ret = ck_mm_host_range(a);

	return ret ? ret : forward(a, __NR_mincore);
}

/* musl's raise() uses tkill: the same rule. */
long ck_sys_tkill(const long *a)
{
	if (ck_signal(a[1]))
		return -EPERM;
	return forward(a, __NR_tkill);
}

/*
 * The kernel writes 0 there when the thread exits, long after this call
 * and under whatever PKRU is live then: refuse anything but the
 * program's own writable memory (Linux would accept any address).
 */
long ck_sys_set_tid_address(const long *a)
{
	if (a[0] && !ck_user_ok((uint64_t)a[0], 4, 2 /* PROT_WRITE */) &&
	    !ck_mutant(CK_RANGES))
		return -EFAULT;
	return forward(a, __NR_set_tid_address);
}

void ck_print_stats(void)
{
	ck_dprintf(2, "ck: stats: handled=%lu forwarded=%lu denied=%lu "
		   "host_syscalls=%lu pager_batches=%lu pager_entries=%lu\n",
		   ck_stats.handled, ck_stats.forwarded, ck_stats.denied,
		   ck_stats.host, ck_stats.pager_batches,
		   ck_stats.pager_entries);
}

void ck_exit_group(long status)
{
	unsigned int i, intact = 1;

	ck_pager_flush();
	for (i = 0; i < 8; i++)
		intact &= ck_canary[i] == CK_CANARY;
	if (ck_env.stats || !intact)
		ck_print_stats();
	if (!intact)
		ck_dprintf(2, "ck: canary CLOBBERED: ck's memory was written\n");
	/* Under the user PKRU: the kernel's exit-time writes obey it. */
	for (;;)
		ck_forward(__NR_exit_group, status, 0, 0, 0, 0, 0);
}

/* One thread in part 1: its exit ends the process. */
long ck_sys_exit(const long *a)
{
	ck_exit_group(a[0]);
}

long ck_sys_exit_group(const long *a)
{
	ck_exit_group(a[0]);
}
