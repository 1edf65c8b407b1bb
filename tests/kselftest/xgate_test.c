// SPDX-License-Identifier: Apache-2.0
/*
 * The XGate descriptor: validation, the PKRU check on every cell ioctl, the
 * Pager's refusal of K/K2 memory, the owner mm (fork, SCM_RIGHTS), and no
 * second cell from an XGate mm (via the device and via pidfd_getfd). Each
 * refusal is judged by state too (pages not made resident, data kept),
 * never by the return code alone.
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktap.h"
#include "probe.h"

#define NPG 16UL

static int dev, cell, k, k2;
static uint32_t pkru_ck;

static int set_xgate(int fd, int a, int b, uint32_t pkru, uint32_t flags,
		     uint64_t res)
{
	struct paracell_xgate x = {
		.pkey_k = a, .pkey_k2 = b, .pkru_ck = pkru, .flags = flags,
		.reserved = { 0, res },
	};

	return ioctl(fd, PARACELL_SET_XGATE, &x) ? -errno : 0;
}

static void test_validation(void)
{
	int unalloc = pkey_alloc(0, 0), ret;

	ktap_require(unalloc > 0 && pkey_free(unalloc) == 0, "a freed pkey");
	/* pkey_alloc() opened the key in PKRU; pkey_free() does not undo it. */
	probe_wrpkru(pkru_ck);
	ktap_check(set_xgate(cell, 0, k2, pkru_ck, 0, 0) == -EINVAL,
		   "key 0: EINVAL");
	ktap_check(set_xgate(cell, k, k, pkru_ck, 0, 0) == -EINVAL,
		   "equal keys: EINVAL");
	ktap_check(set_xgate(cell, k, unalloc, pkru_ck, 0, 0) == -EINVAL,
		   "unallocated key %d: EINVAL", unalloc);
	ktap_check(set_xgate(cell, 16, k2, pkru_ck, 0, 0) == -EINVAL &&
		   set_xgate(cell, -1, k2, pkru_ck, 0, 0) == -EINVAL,
		   "out-of-range keys: EINVAL");
	ktap_check(set_xgate(cell, k, k2, pkru_ck, 1, 0) == -EINVAL &&
		   set_xgate(cell, k, k2, pkru_ck, 0, 1) == -EINVAL,
		   "flags or reserved set: EINVAL");
	ktap_check(set_xgate(cell, k, k2, pkru_ck, 0, 0) == 0,
		   "valid descriptor accepted");
	ret = set_xgate(cell, k, k2, pkru_ck, 0, 0);
	if (!ktap_check(ret == -EBUSY, "second SET_XGATE: EBUSY"))
		ktap_diag("got %d, PKRU now 0x%08x", ret, probe_rdpkru());
}

/* Every cell ioctl under pkru; returns how many were refused with EPERM. */
static int ioctls_refused(int fd, uint32_t pkru, char *region)
{
	struct paracell_pager_entry e = {
		.op = PARACELL_PAGER_BIND, .addr = (uintptr_t)region,
		.npages = NPG,
	};
	struct paracell_pager_batch b = { .entries = (uintptr_t)&e, .count = 1 };
	struct paracell_xgate x = { .pkey_k = k, .pkey_k2 = k2 };
	struct paracell_seal s = { .buf = (uintptr_t)"\xc3", .len = 1 };
	struct paracell_cell_stats st;
	int n = 0, r[5];

	probe_wrpkru(pkru);
	r[0] = ioctl(fd, PARACELL_PAGER_BATCH, &b) ? errno : 0;
	r[1] = ioctl(fd, PARACELL_CELL_STATS, &st) ? errno : 0;
	r[2] = ioctl(fd, PARACELL_SET_XGATE, &x) ? errno : 0;
	r[3] = ioctl(fd, PARACELL_SEAL, &s) >= 0 ? 0 : errno;
	r[4] = ioctl(fd, _IO(PARACELL_IOC_MAGIC, 0x7f)) ? errno : 0;
	probe_wrpkru(pkru_ck);
	for (int i = 0; i < 5; i++)
		n += r[i] == EPERM;
	return n;
}

static void test_pkru(char *region)
{
	const uint32_t others[] = {
		0, 0x55555554, pkru_ck | (2U << (2 * 15)),
		pkru_ck ^ (1U << (2 * k2)),
	};
	struct paracell_cell_stats st;
	unsigned int i, all = 1;

	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		int n = ioctls_refused(cell, others[i], region);

		if (n != 5)
			ktap_diag("PKRU 0x%08x: %d of 5 refused", others[i], n);
		all &= n == 5;
	}
	ktap_check(all && probe_resident(region, NPG) == 0,
		   "every cell ioctl under a PKRU other than pkru_ck: EPERM, nothing bound");
	ktap_check(probe_one(cell, PARACELL_PAGER_BIND, region, NPG) == NPG &&
		   probe_resident(region, NPG) == NPG,
		   "under pkru_ck the Pager works");
	ktap_check(ioctl(cell, PARACELL_CELL_STATS, &st) == 0 && st.batches == 1,
		   "under pkru_ck STATS works; refused batches were not run");
}

static void test_pager_keys(void)
{
	char *a = probe_map(NPG), *b = probe_map(NPG), *c = probe_map(NPG);
	struct paracell_pager_entry v[3];

	ktap_require(a && b && c, "map");
	ktap_require(pkey_mprotect(a, NPG * PG, PROT_READ | PROT_WRITE, k) == 0 &&
		     pkey_mprotect(b, NPG * PG, PROT_READ | PROT_WRITE, k2) == 0,
		     "key regions K and K2");
	memset(b, 0x77, NPG * PG);
	memset(v, 0, sizeof(v));
	v[0] = (struct paracell_pager_entry){ PARACELL_PAGER_BIND, 0, (uintptr_t)a, NPG, 0 };
	v[1] = (struct paracell_pager_entry){ PARACELL_PAGER_UNBIND, 0, (uintptr_t)b, NPG, 0 };
	v[2] = (struct paracell_pager_entry){ PARACELL_PAGER_BIND, 0, (uintptr_t)c, NPG, 0 };
	ktap_check(probe_batch(cell, v, 3) == 0 && v[0].result == -EPERM &&
		   probe_resident(a, NPG) == 0,
		   "BIND over K memory: EPERM, nothing bound");
	ktap_check(v[1].result == -EPERM && b[0] == 0x77 &&
		   b[NPG * PG - 1] == 0x77,
		   "UNBIND over K2 memory: EPERM, its data kept");
	ktap_check(v[2].result == NPG && probe_resident(c, NPG) == NPG,
		   "the pkey-0 entry beside them was done");
	munmap(a, NPG * PG);
	munmap(b, NPG * PG);
	munmap(c, NPG * PG);
}

static void test_second_cell(int early_cell, char *region)
{
	struct paracell_pager_entry e = {
		.op = PARACELL_PAGER_BIND, .addr = (uintptr_t)region,
		.npages = NPG,
	};
	struct paracell_create_cell req = { 0 };
	long live = probe_live_cells();
	int pidfd, devcopy, ret;

	madvise(region, NPG * PG, MADV_DONTNEED);
	ret = probe_batch(early_cell, &e, 1);
	ktap_check(ret == -EPERM && probe_resident(region, NPG) == 0,
		   "a cell made before the XGate: EPERM, nothing bound");
	ret = ioctl(dev, PARACELL_CREATE_CELL, &req);
	ktap_check(ret == -1 && errno == EPERM && probe_live_cells() == live,
		   "CREATE_CELL through the device: EPERM, no cell made");
	pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0);
	devcopy = (int)syscall(SYS_pidfd_getfd, pidfd, dev, 0);
	ktap_require(pidfd >= 0 && devcopy >= 0, "pidfd_getfd of the device fd");
	ret = ioctl(devcopy, PARACELL_CREATE_CELL, &req);
	ktap_check(ret == -1 && errno == EPERM && probe_live_cells() == live,
		   "CREATE_CELL through a pidfd_getfd copy: EPERM, no cell made");
	close(devcopy);
	close(pidfd);
}

/* In another mm: the cell must refuse; returns bits of what held. */
static int other_mm_probe(int fd, char *region, int try_create)
{
	int bits = 0, own;

	madvise(region, NPG * PG, MADV_DONTNEED);
	if (probe_one(fd, PARACELL_PAGER_BIND, region, NPG) == -EPERM)
		bits |= 1;
	if (probe_resident(region, NPG) == 0)
		bits |= 2;
	if (try_create) {
		own = probe_cell(dev);
		if (own >= 0 &&
		    probe_one(own, PARACELL_PAGER_BIND, region, NPG) == NPG)
			bits |= 4;
	}
	return bits;
}

static void test_fork(char *region)
{
	int status;
	pid_t pid = fork();

	ktap_require(pid >= 0, "fork");
	if (pid == 0)
		_exit(other_mm_probe(cell, region, 1));
	waitpid(pid, &status, 0);
	ktap_check(WIFEXITED(status) && (WEXITSTATUS(status) & 3) == 3,
		   "fork child using the inherited cell fd: EPERM, nothing bound");
	ktap_check(WIFEXITED(status) && (WEXITSTATUS(status) & 4),
		   "fork child (new mm) may create and use its own cell");
}

static void test_passed_fd(char *region, int sock, pid_t peer)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	uint32_t pkru = pkru_ck;
	struct iovec iov = { &pkru, sizeof(pkru) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *cm = CMSG_FIRSTHDR(&msg);
	int status;

	(void)region;
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &cell, sizeof(int));
	ktap_require(sendmsg(sock, &msg, 0) == sizeof(pkru), "send the cell fd");
	waitpid(peer, &status, 0);
	ktap_check(WIFEXITED(status) && WEXITSTATUS(status) == 3,
		   "cell fd passed to another process: EPERM, nothing bound");
}

/*
 * A process started before the cell existed; receives it by SCM_RIGHTS and,
 * as an attacker may, takes on pkru_ck so only the owner check stands.
 */
static int peer_main(int sock, char *region)
{
	char cbuf[CMSG_SPACE(sizeof(int))];
	uint32_t pkru;
	struct iovec iov = { &pkru, sizeof(pkru) };
	struct msghdr msg = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	int fd;

	if (recvmsg(sock, &msg, MSG_WAITALL) != sizeof(pkru) ||
	    !CMSG_FIRSTHDR(&msg))
		return 100;
	memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&msg)), sizeof(int));
	probe_wrpkru(pkru);
	return other_mm_probe(fd, region, 0);
}

int main(void)
{
	long base;
	int early, sv[2];
	char *region;
	pid_t peer;

	ktap_plan(20);
	region = probe_map(NPG);
	ktap_require(region && socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0,
		     "region and socketpair");
	peer = fork();
	ktap_require(peer >= 0, "fork peer");
	if (peer == 0)
		_exit(peer_main(sv[1], region));

	dev = probe_dev();
	base = probe_live_cells();
	k = pkey_alloc(0, 0);
	k2 = pkey_alloc(0, 0);
	ktap_require(k > 0 && k2 > 0, "two pkeys (PKU in the VM)");
	pkru_ck = probe_rdpkru();
	ktap_diag("K=%d K2=%d pkru_ck=0x%08x", k, k2, pkru_ck);
	cell = probe_cell(dev);
	early = probe_cell(dev);
	ktap_require(cell >= 0 && early >= 0, "two cells");

	test_validation();
	test_pkru(region);
	test_pager_keys();
	test_second_cell(early, region);
	test_fork(region);
	test_passed_fd(region, sv[0], peer);
	close(early);
	close(cell);
	close(dev);
	ktap_check(probe_live_cells() == base, "no cell left");
	ktap_finish();
}
