// SPDX-License-Identifier: Apache-2.0
/* Sealed code: PARACELL_SEAL on the module, a sealed memfd on the fallback. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "internal.h"

#define SEAL_PAGE 4096UL


static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

static int fallback_seal(const void *code, size_t len,
			 struct paracell_scan_hit *hit)
{
	const int seals = F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW |
			  F_SEAL_SEAL;
	int fd, ret;

	ret = -EPERM;
	if (paracell_scan_seal(code, len, SEAL_PAGE, hit))
		goto err;
	fd = memfd_create("paracell-seal", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	ret = -errno;
	if (fd < 0)
		goto err;
	ret = write_all(fd, code, len);
	if (!ret && fcntl(fd, F_ADD_SEALS, seals))
		ret = -errno;
	if (ret)
		goto err_close;
	return fd;
err_close:
	close(fd);
err:
	return ret;
}

static int module_seal(struct paracell_cell *cell, const void *code,
		       size_t len, struct paracell_scan_hit *hit)
{
	struct paracell_seal req = {
		.buf = (uint64_t)(uintptr_t)code,
		.len = len,
	};
	int fd = ioctl(cell->fd, PARACELL_SEAL, &req);

	if (fd >= 0)
		return fd;
	if (errno == EPERM && req.hit_kind != PARACELL_SCAN_NONE) {
		hit->offset = (size_t)req.hit_offset;
		hit->kind = req.hit_kind;
	}
	return -errno;
}

int paracell_seal(struct paracell_cell *cell, const void *code, size_t len,
		  struct paracell_scan_hit *hit)
{
	struct paracell_scan_hit local = { 0, PARACELL_SCAN_NONE };
	int ret;

	if (!len || len > PARACELL_SEAL_MAX_BYTES)
		return -EINVAL;
	if (cell->backend == PARACELL_BACKEND_MODULE) {
		ret = module_seal(cell, code, len, &local);
	} else {
		/* The module counts for itself; the fallback counts here. */
		ret = fallback_seal(code, len, &local);
		if (ret >= 0) {
			cell->stats.seals++;
			cell->stats.sealed_bytes += len;
		} else if (ret == -EPERM) {
			cell->stats.seal_refusals++;
		}
	}
	if (hit)
		*hit = local;
	return ret;
}
