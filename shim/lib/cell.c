// SPDX-License-Identifier: Apache-2.0
/* Opening and closing cells, on the module or the fallback backend. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"

static int device_absent(int err)
{
	return err == ENOENT || err == ENODEV || err == ENXIO;
}

/* Creates a cell on devfd; returns the cell fd or -errno. */
static int module_create_cell(int devfd)
{
	struct paracell_create_cell req = { .flags = PARACELL_CELL_CLOEXEC };
	int ver, fd;

	ver = ioctl(devfd, PARACELL_GET_API_VERSION);
	if (ver < 0)
		return -errno;
	if (ver != PARACELL_API_VERSION)
		return -EPROTO;
	fd = ioctl(devfd, PARACELL_CREATE_CELL, &req);
	return fd < 0 ? -errno : fd;
}

/* Opens the module's cell into cell->fd; -ENODEV when there is no device. */
static int module_open(struct paracell_cell *cell, int devfd)
{
	int own = -1, ret;

	if (devfd < 0) {
		own = open(PARACELL_DEVICE, O_RDWR | O_CLOEXEC);
		if (own < 0)
			return device_absent(errno) ? -ENODEV : -errno;
		devfd = own;
	}
	ret = module_create_cell(devfd);
	if (ret >= 0) {
		cell->fd = ret;
		cell->backend = PARACELL_BACKEND_MODULE;
		ret = 0;
	}
	if (own >= 0)
		close(own);
	return ret;
}

int paracell_cell_open(struct paracell_cell **cellp, int devfd,
		       unsigned int flags)
{
	struct paracell_cell *cell;
	int ret = -EINVAL;

	if (flags & ~(PARACELL_OPEN_FALLBACK | PARACELL_OPEN_PER_RANGE))
		goto err;
	ret = -ENOMEM;
	cell = calloc(1, sizeof(*cell));
	if (!cell)
		goto err;
	cell->fd = -1;
	cell->flags = flags;
	cell->pm.pidfd = -1;
	cell->backend = PARACELL_BACKEND_FALLBACK;
	ret = (flags & PARACELL_OPEN_FALLBACK) ? 0 : module_open(cell, devfd);
	if (ret == -ENODEV)
		ret = 0;
	if (ret)
		goto err_free;
	*cellp = cell;
	return 0;
err_free:
	free(cell);
err:
	return ret;
}

void paracell_cell_close(struct paracell_cell *cell)
{
	if (!cell)
		return;
	if (cell->fd >= 0)
		close(cell->fd);
	pmadvise_close(cell);
	free(cell);
}

enum paracell_backend paracell_cell_backend(const struct paracell_cell *cell)
{
	return cell->backend;
}

const char *paracell_backend_name(enum paracell_backend backend)
{
	switch (backend) {
	case PARACELL_BACKEND_MODULE:
		return "module";
	case PARACELL_BACKEND_FALLBACK:
		return "fallback";
	}
	return "unknown";
}

int paracell_cell_fd(const struct paracell_cell *cell)
{
	return cell->fd;
}

int paracell_set_xgate(struct paracell_cell *cell, int pkey_k, int pkey_k2,
		       uint32_t pkru_ck)
{
	struct paracell_xgate x = {
		.pkey_k = pkey_k, .pkey_k2 = pkey_k2, .pkru_ck = pkru_ck,
	};

	if (pkey_k <= 0 || pkey_k2 <= 0 || pkey_k == pkey_k2)
		return -EINVAL;
	if (cell->backend == PARACELL_BACKEND_FALLBACK)
		return 0;
	return ioctl(cell->fd, PARACELL_SET_XGATE, &x) ? -errno : 0;
}

int paracell_cell_stats(struct paracell_cell *cell,
			struct paracell_cell_stats *stats)
{
	if (cell->backend == PARACELL_BACKEND_FALLBACK) {
		*stats = cell->stats;
		return 0;
	}
	return ioctl(cell->fd, PARACELL_CELL_STATS, stats) ? -errno : 0;
}
