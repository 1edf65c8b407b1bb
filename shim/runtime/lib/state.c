// SPDX-License-Identifier: Apache-2.0
#include "state.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "err.h"
#include "json_big.h"
#include "util.h"

json_t *pc_state_to_json(const struct pc_state *s)
{
	json_t *j;

	j = json_pack("{s:s, s:s, s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s}",
		      "ociVersion", PC_OCI_VERSION, "id", s->id,
		      "pid", (json_int_t)s->pid, "startTime", (json_int_t)s->start_time,
		      "bundle", s->bundle, "rootfs", s->rootfs, "created", s->created,
		      "owner", s->owner ? s->owner : "", "platform", s->platform,
		      "cgroup", s->cgroup ? s->cgroup : "");
	if (!j)
		return NULL;
	if (s->annotations && json_object_set(j, "annotations", s->annotations))
		goto fail;
	if (s->config && json_object_set(j, "config", s->config))
		goto fail;
	if (s->backend && json_object_set_new(j, "backend", json_string(s->backend)))
		goto fail;
	return j;
fail:
	json_decref(j);
	return NULL;
}

static int dup_str(json_t *j, const char *key, char **out)
{
	json_t *v = json_object_get(j, key);

	if (!json_is_string(v))
		return pc_fail(EINVAL, "state: %s missing", key);
	*out = strdup(json_string_value(v));
	return *out ? 0 : -ENOMEM;
}

int pc_state_from_json(json_t *j, struct pc_state *s)
{
	json_t *v;
	int ret;

	memset(s, 0, sizeof(*s));
	if (!json_is_object(j))
		return pc_fail(EINVAL, "state: not an object");
	if ((ret = dup_str(j, "id", &s->id)) || (ret = dup_str(j, "bundle", &s->bundle)) ||
	    (ret = dup_str(j, "rootfs", &s->rootfs)) ||
	    (ret = dup_str(j, "created", &s->created)) ||
	    (ret = dup_str(j, "owner", &s->owner)) ||
	    (ret = dup_str(j, "platform", &s->platform)) ||
	    (ret = dup_str(j, "cgroup", &s->cgroup)))
		goto fail;
	v = json_object_get(j, "pid");
	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		ret = pc_fail(EINVAL, "state: pid missing");
		goto fail;
	}
	s->pid = (pid_t)json_integer_value(v);
	v = json_object_get(j, "startTime");
	if (!json_is_integer(v)) {
		ret = pc_fail(EINVAL, "state: startTime missing");
		goto fail;
	}
	s->start_time = (unsigned long long)json_integer_value(v);
	v = json_object_get(j, "backend");
	if (json_is_string(v) && !(s->backend = strdup(json_string_value(v)))) {
		ret = -ENOMEM;
		goto fail;
	}
	v = json_object_get(j, "annotations");
	if (json_is_object(v))
		s->annotations = json_incref(v);
	v = json_object_get(j, "config");
	if (json_is_object(v))
		s->config = json_incref(v);
	return 0;
fail:
	pc_state_free(s);
	return ret;
}

int pc_state_save(const char *dir, const struct pc_state *s)
{
	char *path = pc_strfmt("%s/state.json", dir), *text = NULL;
	json_t *j = pc_state_to_json(s);
	int ret = -ENOMEM;

	if (!path || !j)
		goto out;
	text = json_dumps(j, JSON_COMPACT);
	if (!text)
		goto out;
	ret = pc_write_atomic(path, text, strlen(text), 0600);
	if (ret)
		pc_failx(-ret, "write %s", path);
out:
	free(text);
	json_decref(j);
	free(path);
	return ret;
}

int pc_state_load(const char *dir, struct pc_state *s)
{
	char *path = pc_strfmt("%s/state.json", dir);
	json_error_t jerr;
	json_t *j = NULL;
	int ret;

	if (!path)
		return -ENOMEM;
	j = pc_json_load_file(path, &jerr);	/* its config may hold big integers */
	if (!j) {
		ret = access(path, F_OK) ? -ENOENT : pc_fail(EINVAL, "state %s: %s", path, jerr.text);
		goto out;
	}
	ret = pc_state_from_json(j, s);
out:
	json_decref(j);
	free(path);
	return ret;
}

void pc_state_free(struct pc_state *s)
{
	free(s->id);
	free(s->bundle);
	free(s->rootfs);
	free(s->created);
	free(s->owner);
	free(s->platform);
	free(s->backend);
	free(s->cgroup);
	json_decref(s->annotations);
	json_decref(s->config);
	memset(s, 0, sizeof(*s));
}
