// SPDX-License-Identifier: Apache-2.0
/*
 * sysatk's attacks through syscalls ck denies or bounds: the denied ones,
 * userfaultfd over K2, mappings and programs from a noexec mount.
 * Modes of sysatk (sysatk.c: the table, and the helpers in sysatk.h).
 */
#include <linux/userfaultfd.h>

#include "sysatk.h"

/* ---- 6. denied syscalls ---- */

int atk_denied(const char *how)
{
	uint64_t canary = env_addr("CK_CANARY");
	char what[256], link[128];
	long r;

	if (!strcmp(how, "pvm_writev") || !strcmp(how, "pvm_readv")) {
		uint64_t buf[8];
		struct iovec l = { buf, sizeof(buf) };
		struct iovec rem = { (void *)canary, sizeof(buf) };
		int w = how[4] == 'w';

		memset(buf, 0x43, sizeof(buf));
		r = syscall(w ? SYS_process_vm_writev : SYS_process_vm_readv,
			    getpid(), &l, 1, &rem, 1, 0);
		refused(r, how);
		if (!w && r > 0 && has_canary((void *)buf, sizeof(buf)))
			oracle("process_vm_readv read ck_canary");
	} else if (!strcmp(how, "ptrace")) {
		int pid = (int)strtol(getenv("TRACEE") ? getenv("TRACEE") : "0",
				      0, 10);
		char path[64], st[4096];
		int fd;
		long n;

		snprintf(path, sizeof(path), "ptrace(PTRACE_SEIZE, %d)", pid);
		r = syscall(SYS_ptrace, PR_SEIZE, pid, 0, 0);
		refused(r, path);
		snprintf(path, sizeof(path), "/proc/%d/status", pid);
		fd = open(path, O_RDONLY);
		n = fd < 0 ? 0 : read(fd, st, sizeof(st) - 1);
		st[n < 0 ? 0 : n] = 0;
		snprintf(what, sizeof(what), "TracerPid:\t%d\n", getpid());
		if (strstr(st, what))
			oracle("ptrace: the tracee's TracerPid is this process");
	} else if (!strcmp(how, "rseq")) {
		static struct {
			uint32_t cpu_id_start, cpu_id;
			uint64_t rseq_cs;
			uint32_t flags, pad[3];
		} __attribute__((aligned(32))) rs = { 0, (uint32_t)-1, 0, 0, {0} };

		r = syscall(SYS_rseq, &rs, sizeof(rs), 0, 0x53053053);
		refused(r, "rseq(register)");
		getppid();	/* a return to user: the kernel fills cpu_id */
		if (rs.cpu_id != (uint32_t)-1) {
			oracle("rseq is registered on the "
				 "host: the kernel wrote cpu_id %u", rs.cpu_id);
		}
	} else if (!strcmp(how, "rseq-cktext")) {
		r = syscall(SYS_rseq, (void *)0x600000001000UL, 32, 0, 0x53053053);
		refused(r, "rseq(register over ck's text)");
	} else if (!strcmp(how, "io_uring_setup")) {
		unsigned char params[120] = { 0 };

		r = syscall(SYS_io_uring_setup, 4, params);
		refused(r, how);
		fd_link((int)r, link, sizeof(link));
		if (r >= 0 && strstr(link, "io_uring")) {
			oracle("io_uring_setup gave fd "
				 "%ld -> %s", r, link);
		}
	} else if (!strcmp(how, "userfaultfd")) {
		r = syscall(SYS_userfaultfd, O_CLOEXEC);
		refused(r, how);
		fd_link((int)r, link, sizeof(link));
		if (r >= 0 && strstr(link, "userfaultfd")) {
			oracle("userfaultfd gave fd %ld -> "
				 "%s", r, link);
		}
	} else {
		return 2;
	}
	return 0;
}

/*
 * userfaultfd without the syscall: /dev/userfaultfd's USERFAULTFD_IOC_NEW
 * gives one for this mm. Registered over K2 (k2_ranges), UFFDIO_COPY fills a page ck has not touched yet with the
 * program's bytes: the kernel installs the page without a user access, so
 * PKU never sees it. The oracle: the program reads (K2 is readable) its
 * marker in memory only ck may write.
 */
#define UFFD_MARK	0x2144574e50444646ULL	/* "FFDPNWD!" */

int atk_uffd(const char *how)
{
	static uint64_t page[PAGE / 8] __attribute__((aligned(4096)));
	struct uffdio_api api = { .api = UFFD_API };
	uint64_t lo[16], hi[16], a;
	int dev, uffd, i, n, done = 0;
	long r;

	(void)how;
	for (i = 0; i < (int)(PAGE / 8); i++)
		page[i] = UFFD_MARK;
	dev = open("/dev/userfaultfd", O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		fprintf(stderr, "sysatk: /dev/userfaultfd: %s\n",
			strerror(errno));
		return 2;
	}
	uffd = ioctl(dev, USERFAULTFD_IOC_NEW, O_CLOEXEC);
	if (refused(uffd, "ioctl(/dev/userfaultfd, USERFAULTFD_IOC_NEW)"))
		return 0;
	if (refused(ioctl(uffd, UFFDIO_API, &api), "ioctl(UFFDIO_API)"))
		return 0;
	n = k2_ranges(lo, hi, 16);
	if (!n) {
		fprintf(stderr, "sysatk: no ProtectionKey 2 mapping\n");
		return 2;
	}
	for (i = 0; i < n && !done; i++) {
		struct uffdio_register reg = {
			.range = { lo[i], hi[i] - lo[i] },
			.mode = UFFDIO_REGISTER_MODE_MISSING,
		};

		r = ioctl(uffd, UFFDIO_REGISTER, &reg);
		if (r)
			continue;
		for (a = lo[i]; a < hi[i] && !done; a += PAGE) {
			struct uffdio_copy cp = {
				.dst = a, .src = (uint64_t)page, .len = PAGE,
			};

			if (ioctl(uffd, UFFDIO_COPY, &cp) || cp.copy != PAGE)
				continue;
			if (*(volatile uint64_t *)a == UFFD_MARK) {
				oracle("K2 page %#llx holds the program's "
				       "bytes (UFFDIO_COPY)",
				       (unsigned long long)a);
				done = 1;
			}
		}
	}
	if (!done)
		say("blocked", "UFFDIO_REGISTER/UFFDIO_COPY over K2", 0);
	return 0;
}

/*
 * noexec: NOEXEC is a tmpfs mounted noexec. "noexec mmap" writes code to a
 * file there and maps it PROT_EXEC (Linux: EPERM); "noexec run" is run by
 * run.sh from that mount, or from a copy without x bits (execve: EACCES),
 * so that it runs at all is the effect.
 */
int atk_noexec(const char *how)
{
	/* mov $42, %eax; ret */
	static const unsigned char ret42[] = { 0xb8, 42, 0, 0, 0, 0xc3 };
	char path[4096];
	void *p;
	int fd;

	if (!strcmp(how, "run")) {
		oracle("ck ran a program that execve refuses (noexec mount "
		       "or no x bit)");
		return 0;
	}
	if (strcmp(how, "mmap"))
		return 2;
	snprintf(path, sizeof(path), "%s/code", getenv("NOEXEC") ?
		 getenv("NOEXEC") : ".");
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (fd < 0 || write(fd, ret42, sizeof(ret42)) != sizeof(ret42)) {
		fprintf(stderr, "sysatk: %s: %s\n", path, strerror(errno));
		return 2;
	}
	p = mmap(0, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (refused(p == MAP_FAILED ? -1 : 0, "mmap PROT_EXEC of a file on a "
		    "noexec mount"))
		return 0;
	if (((int (*)(void))p)() == 42)
		oracle("code from a noexec mount ran (returned 42)");
	return 0;
}
