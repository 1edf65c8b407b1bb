// SPDX-License-Identifier: Apache-2.0
#include "xgate.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ckpath.h"
#include "err.h"
#include "process.h"
#include "scmp_profile.h"

#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#define PARACELL_DEVICE "/dev/paracell"

const char *pc_xgate_backend(const struct pc_xgate *xg)
{
	return xg->dev_fd >= 0 ? "module" : "fallback";
}

/* Does the bind source (a path on the host) show /dev/paracell? */
static bool shows_device(const char *source)
{
	char real[PATH_MAX];
	size_t n;

	if (!source || !realpath(source, real))
		return false;
	n = strlen(real);
	return !strcmp(real, "/") || (!strncmp(PARACELL_DEVICE, real, n) &&
				      (PARACELL_DEVICE[n] == '/' || !PARACELL_DEVICE[n]));
}

/* The device stays on the host side: ck gets it as an fd, the program
 * never (a device node or a bind mount of it). */
static int no_device(const struct pc_spec *s)
{
	struct stat st;
	bool have = !stat(PARACELL_DEVICE, &st) && S_ISCHR(st.st_mode);
	size_t i;

	for (i = 0; i < s->ndevices; i++) {
		const struct pc_device *d = &s->devices[i];

		if (!strcmp(d->path, PARACELL_DEVICE) ||
		    (have && (d->type == 'c' || d->type == 'u') &&
		     d->major == (long)major(st.st_rdev) && d->minor == (long)minor(st.st_rdev)))
			return pc_fail(EPERM, "platform xgate: linux.devices gives the container "
				       "%s (%s); ck alone holds the device", PARACELL_DEVICE, d->path);
	}
	for (i = 0; i < s->nmounts; i++)
		if (s->mounts[i].bind && shows_device(s->mounts[i].source))
			return pc_fail(EPERM, "platform xgate: the bind mount of %s on %s shows "
				       "%s in the container; ck alone holds the device",
				       s->mounts[i].source, s->mounts[i].destination,
				       PARACELL_DEVICE);
	return 0;
}

int pc_xgate_check(const struct pc_spec *spec, const struct pc_process *p, int preserve_fds)
{
	size_t i;
	int ret;

	if (spec && (ret = no_device(spec)))
		return ret;
	if (3 + preserve_fds > PC_XGATE_FD_MIN)
		return pc_fail(EINVAL, "platform xgate: --preserve-fds %d reaches fd %d, "
			       "where ck keeps its own fds (%d-1023)", preserve_fds,
			       PC_XGATE_FD_MIN, PC_XGATE_FD_MIN);
	for (i = 0; i < p->nrlimits; i++)
		if (p->rlimits[i].resource == RLIMIT_NOFILE && p->rlimits[i].soft < 1024)
			return pc_fail(EINVAL, "platform xgate: RLIMIT_NOFILE soft limit %llu "
				       "is under 1024; ck keeps its fds at %d-1023",
				       (unsigned long long)p->rlimits[i].soft, PC_XGATE_FD_MIN);
	return 0;
}

/* ck's binary copied into a sealed memfd, as runc runs from a copy of
 * itself: nothing the container does can reach the host's file through
 * /proc/self/exe, and no later change of that file reaches a container. */
static int ck_memfd(int *out)
{
	char path[PATH_MAX];
	struct stat st;
	off_t off = 0;
	int src, fd, ret;

	if ((ret = pc_ck_path(path, sizeof(path))))
		return ret;
	src = open(path, O_RDONLY | O_CLOEXEC);
	if (src < 0 || fstat(src, &st) < 0) {
		ret = pc_failx(errno, "open the container kernel %s", path);
		goto out_src;
	}
	fd = memfd_create("paracell-ck", MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_EXEC);
	if (fd < 0 && errno == EINVAL)	/* before Linux 6.3 */
		fd = memfd_create("paracell-ck", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (fd < 0) {
		ret = pc_failx(errno, "memfd for the container kernel");
		goto out_src;
	}
	while (off < st.st_size) {
		ssize_t n = sendfile(fd, src, &off, (size_t)(st.st_size - off));

		if (n <= 0) {
			ret = pc_failx(n < 0 ? errno : EIO, "copy the container kernel %s", path);
			goto out_fd;
		}
	}
	if (fchmod(fd, 0555) < 0 ||
	    fcntl(fd, F_ADD_SEALS, F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) < 0) {
		ret = pc_failx(errno, "seal the container kernel's memfd");
		goto out_fd;
	}
	close(src);
	*out = fd;
	return 0;
out_fd:
	close(fd);
out_src:
	if (src >= 0)
		close(src);
	return ret;
}

int pc_xgate_prepare(json_t *seccomp, struct pc_xgate *xg)
{
	int ret;

	xg->ck_fd = xg->dev_fd = -1;
	xg->seccomp_hex = NULL;
	if ((ret = ck_memfd(&xg->ck_fd)))
		return ret;
	xg->dev_fd = open(PARACELL_DEVICE, O_RDWR | O_CLOEXEC);
	if (xg->dev_fd < 0 && errno != ENOENT && errno != ENODEV && errno != ENXIO) {
		ret = pc_failx(errno, "open %s", PARACELL_DEVICE);
		goto fail;
	}
	if (seccomp && (ret = pc_seccomp_export_hex(seccomp, &xg->seccomp_hex)))
		goto fail;
	return 0;
fail:
	pc_xgate_free(xg);
	return ret;
}

void pc_xgate_free(struct pc_xgate *xg)
{
	if (xg->ck_fd >= 0)
		close(xg->ck_fd);
	if (xg->dev_fd >= 0)
		close(xg->dev_fd);
	free(xg->seccomp_hex);
	xg->ck_fd = xg->dev_fd = -1;
	xg->seccomp_hex = NULL;
}

int pc_xgate_exec(const struct pc_xgate *xg, const struct pc_process *p, const char *path)
{
	const char **argv;
	size_t n = 0, i, nargs;

	pc_process_umask(p);
	for (nargs = 0; p->args[nargs]; nargs++)
		;
	argv = calloc(nargs + 12, sizeof(*argv));
	if (!argv)
		return -ENOMEM;
	/* not CLOEXEC: ck keeps both across its own execve */
	if (dup3(xg->ck_fd, PC_XGATE_FD_SELF, 0) < 0 ||
	    (xg->dev_fd >= 0 && dup3(xg->dev_fd, PC_XGATE_FD_DEV, 0) < 0)) {
		free(argv);
		return pc_failx(errno, "put the container kernel's fds at %d-%d",
				PC_XGATE_FD_SELF, PC_XGATE_FD_DEV);
	}
	argv[n++] = "ck";
	argv[n++] = "--self-fd";
	argv[n++] = "1020";
	if (xg->dev_fd >= 0) {
		argv[n++] = "--dev-fd";
		argv[n++] = "1021";
	} else {
		argv[n++] = "--no-dev";
	}
	if (xg->seccomp_hex) {
		argv[n++] = "--seccomp";
		argv[n++] = xg->seccomp_hex;
	}
	/* PATH EXECFN ARGV: the program's argv[0] stays its own, as execve */
	argv[n++] = "--exec";
	argv[n++] = "--";
	argv[n++] = path;
	argv[n++] = path;
	for (i = 0; i < nargs; i++)
		argv[n++] = p->args[i];
	argv[n] = NULL;
	syscall(SYS_execveat, PC_XGATE_FD_SELF, "", argv, p->env, AT_EMPTY_PATH);
	free(argv);
	return pc_failx(errno, "exec the container kernel");
}
