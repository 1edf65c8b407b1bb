// SPDX-License-Identifier: Apache-2.0
/* update --resources FILE|- ID (LinuxResources JSON, as containerd's shim
 * sends it), or runc's flags: --memory, --memory-reservation, --cpu-shares,
 * --cpu-quota, --cpu-period, --cpuset-cpus, --cpuset-mems, --pids-limit. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "err.h"
#include "json_big.h"

enum { O_RES = 'r', O_MEM = 256, O_MEMRES, O_SHARES, O_QUOTA, O_PERIOD, O_CPUS, O_MEMS, O_PIDS };

static const struct option opts[] = {
	{ "resources", required_argument, NULL, O_RES },
	{ "memory", required_argument, NULL, O_MEM },
	{ "memory-reservation", required_argument, NULL, O_MEMRES },
	{ "cpu-shares", required_argument, NULL, O_SHARES },
	{ "cpu-quota", required_argument, NULL, O_QUOTA },
	{ "cpu-period", required_argument, NULL, O_PERIOD },
	{ "cpuset-cpus", required_argument, NULL, O_CPUS },
	{ "cpuset-mems", required_argument, NULL, O_MEMS },
	{ "pids-limit", required_argument, NULL, O_PIDS },
	{ NULL, 0, NULL, 0 },
};

/* "64m", "1g", "4096", "-1" */
static int bytes(const char *s, json_int_t *out)
{
	char *end;
	long long v = strtoll(s, &end, 10);

	switch (*end | 0x20) {
	case 'k': v <<= 10; end++; break;
	case 'm': v <<= 20; end++; break;
	case 'g': v <<= 30; end++; break;
	default: break;
	}
	if ((*end | 0x20) == 'b')
		end++;
	if (end == s || *end)
		return pc_fail(EINVAL, "update: bad size \"%s\"", s);
	*out = v;
	return 0;
}

/* Set res.group.key from a flag's value. */
static int set(json_t *res, const char *group, const char *key, const char *val, int size)
{
	json_t *g = json_object_get(res, group);
	json_int_t v = 0;
	char *end;

	if (!g && (json_object_set_new(res, group, g = json_object()) || !g))
		return -ENOMEM;
	if (!strcmp(key, "cpus") || !strcmp(key, "mems"))
		return json_object_set_new(g, key, json_string(val)) ? -ENOMEM : 0;
	if (size) {
		if (bytes(val, &v))
			return -EINVAL;
	} else {
		v = strtoll(val, &end, 10);
		if (end == val || *end)
			return pc_fail(EINVAL, "update: bad number \"%s\"", val);
	}
	return json_object_set_new(g, key, json_integer(v)) ? -ENOMEM : 0;
}

static int flag(json_t *res, int ch, const char *v)
{
	switch (ch) {
	case O_MEM: return set(res, "memory", "limit", v, 1);
	case O_MEMRES: return set(res, "memory", "reservation", v, 1);
	case O_SHARES: return set(res, "cpu", "shares", v, 0);
	case O_QUOTA: return set(res, "cpu", "quota", v, 0);
	case O_PERIOD: return set(res, "cpu", "period", v, 0);
	case O_CPUS: return set(res, "cpu", "cpus", v, 0);
	case O_MEMS: return set(res, "cpu", "mems", v, 0);
	case O_PIDS: return set(res, "pids", "limit", v, 0);
	default: return pc_fail(EINVAL, "update: unknown option");
	}
}

int cmd_update(struct pc_cmd_ctx *x, int argc, char **argv)
{
	json_t *res = json_object(), *file_res = NULL;
	const char *file = NULL, *id;
	struct pc_container c;
	json_error_t jerr;
	int ch, ret = -ENOMEM;

	if (!res)
		return cmd_fail();
	while ((ch = getopt_long(argc, argv, "+r:", opts, NULL)) != -1) {
		if (ch == O_RES)
			file = optarg;
		else if ((ret = flag(res, ch, optarg)))
			goto out;
	}
	if ((ret = cmd_one_id("update", argc, argv, &id)))
		goto out;
	if (file) {
		file_res = !strcmp(file, "-") ? pc_json_loadf(stdin, &jerr)
					      : pc_json_load_file(file, &jerr);
		if (!file_res) {
			ret = pc_fail(EINVAL, "update: resources: %s", jerr.text);
			goto out;
		}
		/* flags given too override the file, as with runc */
		json_object_update_missing(res, file_res);
	}
	ret = cmd_load(x, id, &c);
	if (!ret) {
		ret = pc_container_update(&c, res);
		pc_container_release(&c);
	}
out:
	json_decref(file_res);
	json_decref(res);
	return ret ? cmd_fail() : 0;
}
