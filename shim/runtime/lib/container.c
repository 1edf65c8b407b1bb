// SPDX-License-Identifier: Apache-2.0
#include "container.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cgroup.h"
#include "err.h"
#include "proc.h"
#include "util.h"

const char *pc_status_name(enum pc_status s)
{
	static const char *const names[] = { "creating", "created", "running", "paused", "stopped" };

	return names[s];
}

int pc_id_valid(const char *id)
{
	const char *p;

	if (!id || !*id || !strcmp(id, ".") || !strcmp(id, "..") || strlen(id) > 1024)
		return pc_fail(EINVAL, "invalid container id format: %s", id ? id : "");
	for (p = id; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("_+-.", *p)))
			return pc_fail(EINVAL, "invalid container id format: %s", id);
	return 0;
}

int pc_container_load(const struct pc_global *g, const char *id, struct pc_container *c)
{
	struct stat st;
	int ret;

	memset(c, 0, sizeof(*c));
	c->lock_fd = -1;
	c->console = -1;
	if (pc_id_valid(id)) {
		pc_err_clear();
		return pc_fail(ENOENT, "container does not exist");
	}
	c->dir = pc_strfmt("%s/%s", g->root, id);
	if (!c->dir)
		return -ENOMEM;
	c->lock_fd = open(c->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (c->lock_fd < 0) {
		ret = errno == ENOENT ? pc_fail(ENOENT, "container does not exist")
				      : pc_failx(errno, "open %s", c->dir);
		goto fail;
	}
	if (flock(c->lock_fd, LOCK_EX) < 0) {
		ret = pc_failx(errno, "lock %s", c->dir);
		goto fail;
	}
	/* a delete that held the lock before us removed the directory */
	if (fstat(c->lock_fd, &st) < 0 || st.st_nlink == 0) {
		ret = pc_fail(ENOENT, "container does not exist");
		goto fail;
	}
	ret = pc_state_load(c->dir, &c->st);
	if (ret == -ENOENT)
		ret = pc_fail(ENOENT, "container does not exist");
	if (ret)
		goto fail;
	return 0;
fail:
	pc_container_release(c);
	return ret;
}

int pc_container_purge(const struct pc_global *g, const char *id)
{
	char *dir = NULL, *state = NULL;
	int fd = -1, ret = 0;

	if (pc_id_valid(id)) {
		pc_err_clear();
		return 0;
	}
	dir = pc_strfmt("%s/%s", g->root, id);
	state = pc_strfmt("%s/%s/state.json", g->root, id);
	if (!dir || !state) {
		ret = -ENOMEM;
		goto out;
	}
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || flock(fd, LOCK_EX) < 0)
		goto out;
	/* locked and still no state: a create that died half way */
	if (access(state, F_OK) < 0 && errno == ENOENT)
		ret = pc_rm_rf(dir);
out:
	if (fd >= 0)
		close(fd);
	free(dir);
	free(state);
	return ret;
}

void pc_container_release(struct pc_container *c)
{
	if (c->lock_fd >= 0)
		close(c->lock_fd);
	if (c->console >= 0)
		close(c->console);
	c->lock_fd = c->console = -1;
	pc_state_free(&c->st);
	free(c->dir);
	c->dir = NULL;
}

enum pc_status pc_container_status(const struct pc_container *c)
{
	char *fifo;
	bool created;

	if (!pc_proc_alive(c->st.pid, c->st.start_time))
		return PC_STOPPED;
	fifo = pc_strfmt("%s/exec.fifo", c->dir);
	created = fifo && !access(fifo, F_OK);
	free(fifo);
	if (created)
		return PC_CREATED;
	if (c->st.cgroup[0] && pc_cgroup_frozen(c->st.cgroup) == 1)
		return PC_PAUSED;
	return PC_RUNNING;
}

json_t *pc_container_state_json(const struct pc_container *c)
{
	enum pc_status s = pc_container_status(c);
	json_t *j;

	/* runc's order; annotations only when there are some */
	j = json_pack("{s:s, s:s, s:I, s:s, s:s, s:s, s:s}",
		      "ociVersion", PC_OCI_VERSION, "id", c->st.id,
		      "pid", (json_int_t)(s == PC_STOPPED ? 0 : c->st.pid),
		      "status", pc_status_name(s), "bundle", c->st.bundle,
		      "rootfs", c->st.rootfs, "created", c->st.created);
	if (!j)
		return NULL;
	if (c->st.annotations && json_object_size(c->st.annotations))
		json_object_set(j, "annotations", c->st.annotations);
	json_object_set_new(j, "owner", json_string(c->st.owner));
	json_object_set_new(j, "platform", json_string(c->st.platform));
	if (c->st.backend)
		json_object_set_new(j, "backend", json_string(c->st.backend));
	return j;
}

char *pc_container_owner(const struct pc_container *c)
{
	struct passwd *pw;
	struct stat st;

	if (fstat(c->lock_fd, &st) < 0)
		return strdup("");
	pw = getpwuid(st.st_uid);
	return pw ? strdup(pw->pw_name) : pc_strfmt("#%u", st.st_uid);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int pc_container_ids(const struct pc_global *g, char ***out)
{
	size_t n = 0, cap = 16;
	char **ids = calloc(cap + 1, sizeof(*ids));
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (!ids)
		return -ENOMEM;
	d = opendir(g->root);
	if (!d) {
		if (errno != ENOENT)
			ret = pc_failx(errno, "open %s", g->root);
		goto out;
	}
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.' || (de->d_type != DT_DIR && de->d_type != DT_UNKNOWN))
			continue;
		if (n == cap) {
			char **nv = realloc(ids, (cap * 2 + 1) * sizeof(*ids));
			if (!nv) {
				ret = -ENOMEM;
				break;
			}
			ids = nv;
			cap *= 2;
		}
		ids[n] = strdup(de->d_name);
		if (!ids[n]) {
			ret = -ENOMEM;
			break;
		}
		ids[++n] = NULL;
	}
	closedir(d);
out:
	ids[n] = NULL;
	qsort(ids, n, sizeof(*ids), cmp_str);
	*out = ids;
	return ret;
}

int pc_pid_file(const char *path, pid_t pid)
{
	char buf[16];
	int ret, n;

	if (!path)
		return 0;
	n = snprintf(buf, sizeof(buf), "%d", (int)pid);
	ret = pc_write_atomic(path, buf, (size_t)n, 0644);
	return ret ? pc_failx(-ret, "write pid file %s", path) : 0;
}
