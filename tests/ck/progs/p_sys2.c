// SPDX-License-Identifier: Apache-2.0
/*
 * p_sys2 DIR: the calls part 2 added to ck's table (systab.def, from
 * scripts/syscall-profile), each made once by its raw syscall (no libc
 * routing: musl's epoll_wait is epoll_pwait, its time() the vDSO) and its
 * outcome printed; then each fd-taking one naming 1021, 1022 and 1023,
 * which natively are not open and under ck are ck's own: EBADF both ways.
 * Prints only what holds on every run, natively and under ck alike.
 */
#define _GNU_SOURCE
#include <fcntl.h>
/* <linux/membarrier.h>: musl-gcc has no kernel headers. */
#define MEMBARRIER_CMD_QUERY 0
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED 8
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED 16
#include <sched.h>
#include <sys/epoll.h>
#include <sys/inotify.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <time.h>

#include "common.h"

#define Y2020 1577836800L

static char path[4096];

static const char *at(const char *dir, const char *name)
{
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* "name: ok" when r >= 0, else its errno's name. */
static long say(const char *name, long r)
{
	printf("%s: %s\n", name, r >= 0 ? "ok" : errno_name(errno));
	return r;
}

/* A call that must succeed: its value. */
static long must(const char *name, long r)
{
	if (r < 0)
		fail_errno(name);
	return r;
}

static void files(const char *dir)
{
	char buf[64] = { 0 };
	struct stat st;
	int p[2], q[2], fd, fd2;
	long r;

	fd = must("open f", open(at(dir, "f"), O_RDWR | O_CREAT, 0600));
	must("write f", write(fd, "hello, world\n", 13));
	say("flock LOCK_EX", syscall(SYS_flock, fd, 2 /* LOCK_EX */));
	say("flock LOCK_UN", syscall(SYS_flock, fd, 8 /* LOCK_UN */));
	say("fadvise64", syscall(SYS_fadvise64, fd, 0, 0, 2 /* SEQUENTIAL */));
	say("fallocate", syscall(SYS_fallocate, fd, 0, 0, 4096));
	say("readahead", syscall(SYS_readahead, fd, 0, 13) >= 0 ? 0 :
	    (errno == EINVAL ? 0 : -1));
	say("syncfs", syscall(SYS_syncfs, fd));
	say("sync", syscall(SYS_sync));
	must("truncate", syscall(SYS_truncate, at(dir, "f"), 13));
	must("stat f", stat(at(dir, "f"), &st));
	printf("truncate size: %lld\n", (long long)st.st_size);

	must("pipe2", syscall(SYS_pipe2, p, O_CLOEXEC));
	must("pipe2 q", syscall(SYS_pipe2, q, 0));
	must("lseek", lseek(fd, 0, SEEK_SET));
	r = syscall(SYS_sendfile, p[1], fd, NULL, 5);
	printf("sendfile: %ld\n", r);
	r = syscall(SYS_tee, p[0], q[1], 5, 0);
	printf("tee: %ld\n", r);
	must("read p", read(p[0], buf, 5));
	printf("sent: %.5s\n", buf);
	must("read q", read(q[0], buf, 5));
	printf("teed: %.5s\n", buf);
	{
		loff_t off = 7;

		r = syscall(SYS_splice, fd, &off, p[1], NULL, 5, 0);
		printf("splice: %ld\n", r);
		must("read p", read(p[0], buf, 5));
		printf("spliced: %.5s\n", buf);
	}
	fd2 = must("open g", open(at(dir, "g"), O_RDWR | O_CREAT, 0600));
	{
		loff_t in = 0, out = 0;

		r = syscall(SYS_copy_file_range, fd, &in, fd2, &out, 13, 0);
		printf("copy_file_range: %ld\n", r);
	}
	must("pread g", pread(fd2, buf, 13, 0));
	printf("copied: %.12s\n", buf);

	say("mknodat fifo", syscall(SYS_mknodat, AT_FDCWD, at(dir, "fifo"),
				    S_IFIFO | 0600, 0));
	say("mknod fifo2", syscall(SYS_mknod, at(dir, "fifo2"), S_IFIFO | 0600, 0));
	must("stat fifo", stat(at(dir, "fifo"), &st));
	printf("fifo is a fifo: %s\n", S_ISFIFO(st.st_mode) ? "yes" : "no");
	must("stat fifo2", stat(at(dir, "fifo2"), &st));
	printf("fifo2 is a fifo: %s\n", S_ISFIFO(st.st_mode) ? "yes" : "no");

	/* tmpfs may lack user xattrs: the errno is the same both ways. */
	say("setxattr", syscall(SYS_setxattr, at(dir, "f"), "user.a", "1", 1, 0));
	say("lsetxattr", syscall(SYS_lsetxattr, at(dir, "f"), "user.b", "2", 1, 0));
	say("fsetxattr", syscall(SYS_fsetxattr, fd, "user.c", "3", 1, 0));
	say("getxattr", syscall(SYS_getxattr, at(dir, "f"), "user.a", buf, 8));
	say("lgetxattr", syscall(SYS_lgetxattr, at(dir, "f"), "user.b", buf, 8));
	say("fgetxattr", syscall(SYS_fgetxattr, fd, "user.c", buf, 8));
	say("listxattr", syscall(SYS_listxattr, at(dir, "f"), buf, sizeof(buf)));
	say("llistxattr", syscall(SYS_llistxattr, at(dir, "f"), buf, sizeof(buf)));
	say("flistxattr", syscall(SYS_flistxattr, fd, buf, sizeof(buf)));
	say("removexattr", syscall(SYS_removexattr, at(dir, "f"), "user.a"));
	say("lremovexattr", syscall(SYS_lremovexattr, at(dir, "f"), "user.b"));
	say("fremovexattr", syscall(SYS_fremovexattr, fd, "user.c"));
	close(fd);
	close(fd2);
	close(p[0]);
	close(p[1]);
	close(q[0]);
	close(q[1]);
}

static void events(const char *dir)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.u64 = 77 }, got;
	struct itimerspec its = { .it_value = { 0, 1000000 } }, cur;
	char ibuf[512];
	uint64_t n = 0;
	int ep, p[2], efd, tfd, in;
	long r;

	must("pipe2", syscall(SYS_pipe2, p, 0));
	ep = must("epoll_create1", syscall(SYS_epoll_create1, EPOLL_CLOEXEC));
	close(must("epoll_create", syscall(SYS_epoll_create, 4)));
	say("epoll_create 0", syscall(SYS_epoll_create, 0));
	must("epoll_ctl", syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, p[0], &ev));
	printf("epoll_wait empty: %ld\n",
	       syscall(SYS_epoll_wait, ep, &got, 1, 0));
	must("write p", write(p[1], "x", 1));
	r = syscall(SYS_epoll_wait, ep, &got, 1, 1000);
	printf("epoll_wait: %ld data %llu\n", r, (unsigned long long)got.data.u64);
	got.data.u64 = 0;
	r = syscall(SYS_epoll_pwait, ep, &got, 1, 1000, NULL, 8);
	printf("epoll_pwait NULL mask: %ld data %llu\n", r,
	       (unsigned long long)got.data.u64);
	close(ep);

	efd = must("eventfd2", syscall(SYS_eventfd2, 3, O_NONBLOCK));
	must("read eventfd", read(efd, &n, 8));
	printf("eventfd2 count: %llu\n", (unsigned long long)n);
	close(efd);
	efd = must("eventfd", syscall(SYS_eventfd, 5));
	must("read eventfd", read(efd, &n, 8));
	printf("eventfd count: %llu\n", (unsigned long long)n);
	close(efd);

	tfd = must("timerfd_create", syscall(SYS_timerfd_create, CLOCK_MONOTONIC, 0));
	must("timerfd_settime", syscall(SYS_timerfd_settime, tfd, 0, &its, NULL));
	must("read timerfd", read(tfd, &n, 8));
	printf("timerfd expired: %s\n", n >= 1 ? "yes" : "no");
	must("timerfd_gettime", syscall(SYS_timerfd_gettime, tfd, &cur));
	printf("timerfd disarmed: %s\n",
	       !cur.it_value.tv_sec && !cur.it_value.tv_nsec ? "yes" : "no");
	close(tfd);

	in = must("inotify_init1", syscall(SYS_inotify_init1, IN_CLOEXEC));
	close(must("inotify_init", syscall(SYS_inotify_init)));
	r = must("inotify_add_watch",
		 syscall(SYS_inotify_add_watch, in, dir, IN_CREATE));
	close(must("create n", open(at(dir, "n"), O_WRONLY | O_CREAT, 0600)));
	must("read inotify", read(in, ibuf, sizeof(ibuf)));
	printf("inotify: %s created\n",
	       ((struct inotify_event *)ibuf)->name);
	say("inotify_rm_watch", syscall(SYS_inotify_rm_watch, in, r));
	close(in);

	{
		int sv[2];
		char b1[4] = { 0 };
		struct iovec iov = { b1, sizeof(b1) };
		struct mmsghdr m = { .msg_hdr = { .msg_iov = &iov, .msg_iovlen = 1 } };

		must("socketpair", syscall(SYS_socketpair, AF_UNIX, SOCK_DGRAM, 0, sv));
		must("send", write(sv[0], "abc", 3));
		r = syscall(SYS_recvmmsg, sv[1], &m, 1, 0, NULL);
		printf("recvmmsg: %ld len %u %s\n", r, m.msg_len, b1);
		close(sv[0]);
		close(sv[1]);
	}
	close(p[0]);
	close(p[1]);
}

static void process(void)
{
	struct timeval tv;
	struct itimerval it;
	struct { uint32_t version; int pid; } hdr = { 0x20080522, 0 };
	struct { uint32_t eff, perm, inh; } data[2];
	struct sched_param sp;
	unsigned char mask[128];
	unsigned cpu = ~0u, node = ~0u;
	long r, t;
	int prio;

	must("gettimeofday", syscall(SYS_gettimeofday, &tv, NULL));
	printf("gettimeofday after 2020: %s\n", tv.tv_sec > Y2020 ? "yes" : "no");
	t = must("time", syscall(SYS_time, NULL));
	printf("time after 2020: %s\n", t > Y2020 ? "yes" : "no");
	{
		long tt = 0;

		must("time(&t)", syscall(SYS_time, &tt));
		printf("time stored: %s\n", tt > Y2020 ? "yes" : "no");
	}
	say("times", syscall(SYS_times, NULL) == -1 ? -1 : 0);
	must("getitimer", syscall(SYS_getitimer, ITIMER_REAL, &it));
	printf("getitimer disarmed: %s\n",
	       !it.it_value.tv_sec && !it.it_value.tv_usec ? "yes" : "no");

	say("setresuid same", syscall(SYS_setresuid, -1, -1, -1));
	say("setresgid same", syscall(SYS_setresgid, -1, -1, -1));
	say("setreuid same", syscall(SYS_setreuid, -1, -1));
	say("setregid same", syscall(SYS_setregid, -1, -1));
	say("setuid own", syscall(SYS_setuid, getuid()));
	say("setgid own", syscall(SYS_setgid, getgid()));
	printf("setfsuid query: %s\n",
	       syscall(SYS_setfsuid, -1) == (long)geteuid() ? "euid" : "other");
	printf("setfsgid query: %s\n",
	       syscall(SYS_setfsgid, -1) == (long)getegid() ? "egid" : "other");
	{
		gid_t g[64];
		int ng = getgroups(64, g);

		say("setgroups own", ng < 0 ? -1 : syscall(SYS_setgroups, ng, g));
	}
	say("capget", syscall(SYS_capget, &hdr, data));

	errno = 0;
	prio = (int)syscall(SYS_getpriority, PRIO_PROCESS, 0);
	printf("getpriority: %d\n", prio);
	say("setpriority same", syscall(SYS_setpriority, PRIO_PROCESS, 0, 20 - prio));
	r = must("sched_getaffinity", syscall(SYS_sched_getaffinity, 0, sizeof(mask), mask));
	say("sched_setaffinity same", syscall(SYS_sched_setaffinity, 0, r, mask));
	say("sched_getparam", syscall(SYS_sched_getparam, 0, &sp));
	printf("sched_getscheduler: %ld\n", syscall(SYS_sched_getscheduler, 0));
	printf("sched_get_priority_max FIFO: %ld\n",
	       syscall(SYS_sched_get_priority_max, SCHED_FIFO));
	printf("sched_get_priority_min FIFO: %ld\n",
	       syscall(SYS_sched_get_priority_min, SCHED_FIFO));
	say("sched_yield", syscall(SYS_sched_yield));
	must("getcpu", syscall(SYS_getcpu, &cpu, &node, NULL));
	printf("getcpu in range: %s\n",
	       cpu < 4096 && node < 4096 ? "yes" : "no");

	r = syscall(SYS_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	printf("membarrier query has private expedited: %s\n",
	       r >= 0 && (r & MEMBARRIER_CMD_PRIVATE_EXPEDITED) ? "yes" : "no");
	say("membarrier register private expedited",
	    syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0));
	say("membarrier private expedited",
	    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0));
}

/* Each fd-taking call naming 1021..1023: EBADF natively and under ck. */
static void hidden(const char *dir)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct itimerspec its = { .it_value = { 1, 0 } };
	char buf[16];
	int ep, p[2], fd, k, bad = 0, n = 0;
	long r[24];
	size_t i, m;

	ep = must("epoll_create1", syscall(SYS_epoll_create1, 0));
	must("pipe2", syscall(SYS_pipe2, p, 0));
	fd = must("open h", open(at(dir, "h"), O_RDWR | O_CREAT, 0600));
	for (k = 1021; k <= 1023; k++) {
		m = 0;
		r[m++] = syscall(SYS_flock, k, 8);
		r[m++] = syscall(SYS_fadvise64, k, 0, 0, 0);
		r[m++] = syscall(SYS_fallocate, k, 0, 0, 1);
		r[m++] = syscall(SYS_readahead, k, 0, 1);
		r[m++] = syscall(SYS_sendfile, k, fd, NULL, 1);
		r[m++] = syscall(SYS_sendfile, p[1], k, NULL, 1);
		r[m++] = syscall(SYS_copy_file_range, k, NULL, fd, NULL, 1, 0);
		r[m++] = syscall(SYS_copy_file_range, fd, NULL, k, NULL, 1, 0);
		r[m++] = syscall(SYS_splice, k, NULL, p[1], NULL, 1, 0);
		r[m++] = syscall(SYS_splice, p[0], NULL, k, NULL, 1, 0);
		r[m++] = syscall(SYS_tee, k, p[1], 1, 0);
		r[m++] = syscall(SYS_tee, p[0], k, 1, 0);
		r[m++] = syscall(SYS_syncfs, k);
		r[m++] = syscall(SYS_mknodat, k, "x", S_IFIFO | 0600, 0);
		r[m++] = syscall(SYS_fgetxattr, k, "user.a", buf, sizeof(buf));
		r[m++] = syscall(SYS_flistxattr, k, buf, sizeof(buf));
		r[m++] = syscall(SYS_fsetxattr, k, "user.a", "1", 1, 0);
		r[m++] = syscall(SYS_fremovexattr, k, "user.a");
		r[m++] = syscall(SYS_epoll_ctl, ep, EPOLL_CTL_ADD, k, &ev);
		r[m++] = syscall(SYS_epoll_ctl, k, EPOLL_CTL_ADD, p[0], &ev);
		r[m++] = syscall(SYS_epoll_wait, k, &ev, 1, 0);
		r[m++] = syscall(SYS_epoll_pwait, k, &ev, 1, 0, NULL, 8);
		r[m++] = syscall(SYS_timerfd_settime, k, 0, &its, NULL);
		r[m++] = syscall(SYS_timerfd_gettime, k, &its);
		for (i = 0; i < m; i++) {
			n++;
			if (r[i] != -1 || errno != EBADF) {
				bad++;
				printf("fd %d, call %zu: not EBADF\n", k, i);
			}
		}
		/* errno of the last one only: the rest were checked above. */
		if (syscall(SYS_inotify_add_watch, k, dir, IN_CREATE) != -1 ||
		    errno != EBADF)
			printf("fd %d: inotify_add_watch not EBADF\n", k), bad++;
		if (syscall(SYS_inotify_rm_watch, k, 1) != -1 || errno != EBADF)
			printf("fd %d: inotify_rm_watch not EBADF\n", k), bad++;
		if (syscall(SYS_recvmmsg, k, NULL, 0, 0, NULL) != -1 ||
		    errno != EBADF)
			printf("fd %d: recvmmsg not EBADF\n", k), bad++;
		n += 3;
	}
	printf("fd-taking calls on 1021..1023: %d, not EBADF: %d\n", n, bad);
	close(fd);
	close(ep);
	close(p[0]);
	close(p[1]);
}

int main(int argc, char **argv)
{
	if (argc != 2)
		check(0, "usage: p_sys2 DIR");
	files(argv[1]);
	events(argv[1]);
	process();
	hidden(argv[1]);
	return 0;
}
