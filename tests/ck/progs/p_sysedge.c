// SPDX-License-Identifier: Apache-2.0
/*
 * p_sysedge DIR: syscalls at their edges, where ck once answered
 * differently from Linux (found by a differential review): the upper half
 * of the syscall number and of int arguments, which Linux ignores; the
 * order of Linux's checks (bad flags, bad pointers before the path); a
 * query of SIGSYS's action; the task's name; an ioctl naming fd 1023
 * (not open natively, ck's under ck: EBADF both ways). Prints return
 * values and errno names.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include "common.h"

#define HI	(1L << 32)

static const char *res(long r)
{
	static char buf[32];

	if (r < 0)
		return errno_name(errno);
	snprintf(buf, sizeof(buf), "%ld", r);
	return buf;
}

int main(int argc, char **argv)
{
	char name[32] = "", path[256], comm[32] = "";
	long sa[4] = { 1, 1, 1, 1 }, act[4] = { 0 }, dfl[4] = { 0 };
	int fd;

	check(argc == 2, "usage: p_sysedge DIR");
	errno = 0;
	printf("getuid with bit 32 set in the number: %s\n",
	       res(syscall(HI | SYS_getuid) == (long)getuid() ? 0 : -1));

	fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
	printf("dup2(fd|1<<32, fd|1<<32): %s\n",
	       res(syscall(SYS_dup2, HI | fd, HI | fd) == fd ? 0 : -1));
	printf("dup2(fd|1<<32, fd): %s\n",
	       res(syscall(SYS_dup2, HI | fd, fd) == fd ? 0 : -1));

	printf("rt_sigaction(SIGSYS, NULL, &old): %s",
	       res(syscall(SYS_rt_sigaction, SIGSYS, 0, sa, 8)));
	printf(", handler %s\n", sa[0] == 0 ? "SIG_DFL" : "other");
	printf("rt_sigaction(SIGSYS, NULL, &old, size 7): %s\n",
	       res(syscall(SYS_rt_sigaction, SIGSYS, 0, sa, 7)));
	/* Go sets an action for every signal: SIGSYS's is read back. */
	act[0] = (long)SIG_IGN;
	printf("rt_sigaction(SIGSYS, SIG_IGN, NULL): %s\n",
	       res(syscall(SYS_rt_sigaction, SIGSYS, act, 0, 8)));
	printf("rt_sigaction(SIGSYS, SIG_DFL, &old): %s",
	       res(syscall(SYS_rt_sigaction, SIGSYS, dfl, sa, 8)));
	printf(", old handler %s\n", sa[0] == (long)SIG_IGN ?
	       "SIG_IGN" : "other");

	printf("prctl(PR_GET_NAME|1<<32): %s",
	       res(syscall(SYS_prctl, HI | PR_GET_NAME, name, 0, 0, 0)));
	printf(", name %s\n", name);
	fd = open("/proc/self/comm", O_RDONLY | O_CLOEXEC);
	if (fd >= 0 && read(fd, comm, sizeof(comm) - 1) > 0)
		printf("/proc/self/comm: %s", comm);
	close(fd);
	printf("arch_prctl(ARCH_GET_FS|1<<32): %s\n",
	       res(syscall(SYS_arch_prctl, HI | 0x1003, &sa[0])));

	printf("close_range(1021, 1023, 0x80): %s\n",
	       res(syscall(SYS_close_range, 1021, 1023, 0x80)));
	snprintf(path, sizeof(path), "%s/missing", argv[1]);
	printf("fchownat(missing, flags 0x1): %s\n",
	       res(syscall(SYS_fchownat, AT_FDCWD, path, 0, 0, 0x1)));
	printf("utimensat(missing, flags 0x1): %s\n",
	       res(syscall(SYS_utimensat, AT_FDCWD, path, 0, 0x1)));
	printf("utimensat(missing, times at 8): %s\n",
	       res(syscall(SYS_utimensat, AT_FDCWD, path, 8, 0)));
	printf("linkat(missing, AT_SYMLINK_FOLLOW|0x4): %s\n",
	       res(syscall(SYS_linkat, AT_FDCWD, path, AT_FDCWD, path,
			   AT_SYMLINK_FOLLOW | 0x4)));

	snprintf(path, sizeof(path), "%s/f", argv[1]);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	printf("ioctl(file, FICLONE, 1023): %s\n",
	       res(ioctl(fd, 0x40049409, 1023)));
	close(fd);
	unlink(path);
	return 0;
}
