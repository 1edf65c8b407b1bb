// SPDX-License-Identifier: Apache-2.0
/* linux.resources written to the container's cgroup, on v1 (a hierarchy
 * per controller) or v2, as runc's libcontainer/cgroups fs and fs2 do. A
 * value of 0 (or none) leaves its knob as it is: update sends zeros for
 * what it does not change. -1 means unlimited. What this host's cgroups
 * cannot do is refused, before anything is written, never dropped. */
#include "cgroup.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "devfilter.h"
#include "err.h"
#include "json_big.h"
#include "util.h"

/* --- reading the request --- */

static bool present(json_t *o, const char *k)
{
	json_t *e = json_object_get(o, k);

	return e && !json_is_null(e);
}

/* An int64 field, set and not 0. */
static bool i64(json_t *o, const char *k, json_int_t *v)
{
	json_t *e = json_object_get(o, k);

	if (!json_is_integer(e) || !json_integer_value(e))
		return false;
	*v = json_integer_value(e);
	return true;
}

/* A uint64 field (to UINT64_MAX), set and not 0. */
static bool u64(json_t *o, const char *k, uint64_t *v)
{
	return !pc_json_u64(json_object_get(o, k), v) && *v;
}

static bool str(json_t *o, const char *k, const char **v)
{
	json_t *e = json_object_get(o, k);

	if (!pc_json_is_str(e) || !*json_string_value(e))
		return false;
	*v = json_string_value(e);
	return true;
}

/* memory.swappiness, when set: -1 (UINT64_MAX) is "not set", as in runc. */
static bool swappiness(json_t *mem, uint64_t *v)
{
	return !pc_json_u64(json_object_get(mem, "swappiness"), v) && *v != UINT64_MAX;
}

/* --- writing knobs --- */

/* ctrl NULL: v2's unified directory. */
static char *knob_path(const char *ctrl, const char *path, const char *file)
{
	return ctrl ? pc_strfmt("%s/%s%s/%s", pc_cgroup_root, ctrl, path, file)
		    : pc_strfmt("%s%s/%s", pc_cgroup_root, path, file);
}

static int knob(const char *ctrl, const char *path, const char *file, const char *val)
{
	char *p = knob_path(ctrl, path, file);
	int ret;

	if (!p)
		return -ENOMEM;
	ret = pc_write_str(p, val);
	if (ret)
		pc_failx(-ret, "write %s to %s", val, p);
	free(p);
	return ret;
}

__attribute__((format(printf, 4, 5)))
static int knobf(const char *ctrl, const char *path, const char *file, const char *fmt, ...)
{
	va_list ap;
	char *val;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&val, fmt, ap);
	va_end(ap);
	if (ret < 0)
		return -ENOMEM;
	ret = knob(ctrl, path, file, val);
	free(val);
	return ret;
}

static bool knob_exists(const char *ctrl, const char *path, const char *file)
{
	char *p = knob_path(ctrl, path, file);
	bool ok = p && !access(p, F_OK);

	free(p);
	return ok;
}

/* -1 is "max" on v2 and stays -1 on v1. */
static int limit(const char *ctrl, const char *path, const char *file, json_int_t v)
{
	if (v < 0 && !ctrl)
		return knob(NULL, path, file, "max");
	return knobf(ctrl, path, file, "%" PRId64, (int64_t)v);
}

/* --- device rules --- */

/* An integer field, 0 included (device numbers). */
static bool num(json_t *o, const char *k, json_int_t *v)
{
	json_t *e = json_object_get(o, k);

	if (!json_is_integer(e))
		return false;
	*v = json_integer_value(e);
	return true;
}

static int device_rule(char *b, size_t n, json_t *r)
{
	const char *type = "a", *access = "rwm";
	json_int_t maj = -1, min = -1;
	char smaj[24] = "*", smin[24] = "*";

	str(r, "type", &type);
	str(r, "access", &access);
	if (num(r, "major", &maj) && maj >= 0)
		snprintf(smaj, sizeof(smaj), "%" PRId64, (int64_t)maj);
	if (num(r, "minor", &min) && min >= 0)
		snprintf(smin, sizeof(smin), "%" PRId64, (int64_t)min);
	if (!strcmp(type, "a"))
		snprintf(b, n, "a");
	else
		snprintf(b, n, "%s %s:%s %s", type, smaj, smin, access);
	return json_is_true(json_object_get(r, "allow"));
}

/* Devices every container gets (runtime-spec's default devices and ptys). */
static const char *const default_allow[] = {
	"c 1:3 rwm", "c 1:5 rwm", "c 1:7 rwm", "c 1:8 rwm", "c 1:9 rwm",
	"c 5:0 rwm", "c 5:1 rwm", "c 5:2 rwm", "c 136:* rwm", "c 10:200 rwm",
};

static int devices_v1(const char *path, json_t *rules)
{
	char rule[96];
	size_t i;
	int ret = 0;

	for (i = 0; !ret && i < json_array_size(rules); i++) {
		int allow = device_rule(rule, sizeof(rule), json_array_get(rules, i));
		ret = knob("devices", path, allow ? "devices.allow" : "devices.deny", rule);
	}
	for (i = 0; !ret && i < sizeof(default_allow) / sizeof(default_allow[0]); i++)
		ret = knob("devices", path, "devices.allow", default_allow[i]);
	return ret;
}

static int devices_v2(const char *path, json_t *rules)
{
	char *dir = pc_strfmt("%s%s", pc_cgroup_root, path);
	int ret;

	if (!dir)
		return -ENOMEM;
	ret = pc_devfilter_attach(dir, rules, default_allow,
				  sizeof(default_allow) / sizeof(default_allow[0]));
	free(dir);
	return ret;
}

/* --- what the host cannot do: refused up front --- */

struct res {
	json_t *mem, *cpu, *pids, *blkio, *net, *huge, *unified, *devs;
};

static bool nonempty(json_t *v)
{
	return json_array_size(v) || json_object_size(v);
}

/* A weight (k: weight or leafWeight) set, for all or for a device. */
static bool blkio_has(json_t *blkio, const char *k)
{
	json_t *wd;
	uint64_t u;
	size_t i;

	if (u64(blkio, k, &u))
		return true;
	json_array_foreach(json_object_get(blkio, "weightDevice"), i, wd)
		if (u64(wd, k, &u))
			return true;
	return false;
}

static const char *const throttles[4][3] = {	/* spec key, v1 file, v2 io.max key */
	{ "throttleReadBpsDevice", "blkio.throttle.read_bps_device", "rbps=" },
	{ "throttleWriteBpsDevice", "blkio.throttle.write_bps_device", "wbps=" },
	{ "throttleReadIOPSDevice", "blkio.throttle.read_iops_device", "riops=" },
	{ "throttleWriteIOPSDevice", "blkio.throttle.write_iops_device", "wiops=" },
};

/* Anything set in blockIO (docker sends {"weight": 0} for nothing). */
static bool blkio_used(json_t *b)
{
	size_t i;

	for (i = 0; i < 4; i++)
		if (json_array_size(json_object_get(b, throttles[i][0])))
			return true;
	return blkio_has(b, "weight") || blkio_has(b, "leafWeight");
}

static bool has_ctrl(const char *ctrl)
{
	char *p = pc_strfmt("%s/%s", pc_cgroup_root, ctrl);
	struct stat st;
	bool ok = p && !stat(p, &st) && S_ISDIR(st.st_mode);

	free(p);
	return ok;
}

static int need_ctrl(const char *ctrl, const char *what)
{
	if (has_ctrl(ctrl))
		return 0;
	return pc_fail(ENOTSUP, "linux.resources.%s: this host has no %s cgroup controller",
		       what, ctrl);
}

static int check_common(const struct res *r)
{
	uint64_t v;

	if (swappiness(r->mem, &v) && v > 100)
		return pc_fail(EINVAL, "linux.resources.memory.swappiness %" PRIu64
			       ": the valid range is 0-100", v);
	if (nonempty(r->net) && present(r->net, "priorities") &&
	    !json_is_array(json_object_get(r->net, "priorities")))
		return pc_fail(EINVAL, "linux.resources.network.priorities must be an array");
	return 0;
}

static int check_v1(const struct res *r)
{
	json_int_t v;
	int ret = 0;

	if (nonempty(r->unified))
		return pc_fail(ENOTSUP, "linux.resources.unified needs cgroup v2 "
			       "(this host has cgroup v1)");
	if (i64(r->mem, "swap", &v) && !knob_exists("memory", "", "memory.memsw.limit_in_bytes"))
		return pc_fail(ENOTSUP, "linux.resources.memory.swap: this host has no swap "
			       "accounting (memory.memsw.*; boot with swapaccount=1)");
	if (i64(r->mem, "kernel", &v) && !knob_exists("memory", "", "memory.kmem.limit_in_bytes"))
		return pc_fail(ENOTSUP, "linux.resources.memory.kernel: this kernel has no "
			       "kernel memory limits");
	if (i64(r->mem, "kernelTCP", &v) &&
	    !knob_exists("memory", "", "memory.kmem.tcp.limit_in_bytes"))
		return pc_fail(ENOTSUP, "linux.resources.memory.kernelTCP: this kernel has no "
			       "kernel TCP memory limits");
	if (blkio_used(r->blkio))
		ret = need_ctrl("blkio", "blockIO");
	if (!ret && (blkio_has(r->blkio, "weight") || blkio_has(r->blkio, "leafWeight")) &&
	    !knob_exists("blkio", "", "blkio.weight") && !knob_exists("blkio", "", "blkio.bfq.weight"))
		ret = pc_fail(ENOTSUP, "linux.resources.blockIO weights: this host's I/O "
			      "schedulers have none (no blkio.weight, no blkio.bfq.weight)");
	if (!ret && json_array_size(r->huge))
		ret = need_ctrl("hugetlb", "hugepageLimits");
	if (!ret && present(r->net, "classID"))
		ret = need_ctrl("net_cls", "network.classID");
	if (!ret && json_array_size(json_object_get(r->net, "priorities")))
		ret = need_ctrl("net_prio", "network.priorities");
	return ret;
}

static int check_v2(const struct res *r)
{
	const char *key;
	json_int_t v;
	uint64_t u;
	json_t *e;

	if (json_is_true(json_object_get(r->mem, "disableOOMKiller")))
		return pc_fail(ENOTSUP, "linux.resources.memory.disableOOMKiller: cgroup v2 "
			       "cannot disable the OOM killer");
	if (swappiness(r->mem, &u))
		return pc_fail(ENOTSUP, "linux.resources.memory.swappiness: cgroup v2 has no "
			       "per-cgroup swappiness");
	if (i64(r->mem, "kernel", &v) || i64(r->mem, "kernelTCP", &v))
		return pc_fail(ENOTSUP, "linux.resources.memory.kernel/kernelTCP: cgroup v2 has "
			       "no kernel memory limits");
	if (i64(r->cpu, "realtimeRuntime", &v) || u64(r->cpu, "realtimePeriod", &u))
		return pc_fail(ENOTSUP, "linux.resources.cpu.realtime*: cgroup v2 has no "
			       "realtime scheduling limits");
	if (present(r->net, "classID") || json_array_size(json_object_get(r->net, "priorities")))
		return pc_fail(ENOTSUP, "linux.resources.network: net_cls and net_prio are "
			       "cgroup v1 controllers (this host has cgroup v2)");
	if (blkio_has(r->blkio, "leafWeight"))
		return pc_fail(ENOTSUP, "linux.resources.blockIO leafWeight: cgroup v2 has no "
			       "leaf weights");
	json_object_foreach(r->unified, key, e) {
		if (!*key || strchr(key, '/') || key[0] == '.')
			return pc_fail(EINVAL, "linux.resources.unified: bad file name \"%s\"", key);
		if (!pc_json_is_str(e))
			return pc_fail(EINVAL, "linux.resources.unified.%s must be a string", key);
	}
	return 0;
}

/* --- cgroup v1 --- */

static json_int_t current_limit(const char *path)
{
	char *p = knob_path("memory", path, "memory.limit_in_bytes"), *text = NULL;
	json_int_t v = 0;

	if (p && !pc_read_file(p, &text, NULL))
		v = (json_int_t)strtoull(text, NULL, 10);
	free(text);
	free(p);
	return v;
}

/* memory.limit_in_bytes and memory.memsw (swap is memory+swap on v1): the
 * kernel wants memsw >= limit at every step, so the order depends on the
 * current limit (runc's setMemoryAndSwap). */
static int memory_and_swap_v1(const char *path, json_t *mem)
{
	json_int_t lim = 0, swap = 0, cur;
	int ret = 0;

	i64(mem, "limit", &lim);
	i64(mem, "swap", &swap);
	if (lim == -1 && !swap && knob_exists("memory", path, "memory.memsw.limit_in_bytes"))
		swap = -1;
	if (lim && swap) {
		cur = current_limit(path);
		if (swap == -1 || (cur >= 0 && cur < swap)) {
			if (!(ret = limit("memory", path, "memory.memsw.limit_in_bytes", swap)))
				ret = limit("memory", path, "memory.limit_in_bytes", lim);
			return ret;
		}
	}
	if (lim)
		ret = limit("memory", path, "memory.limit_in_bytes", lim);
	if (!ret && swap)
		ret = limit("memory", path, "memory.memsw.limit_in_bytes", swap);
	return ret;
}

/* Linux 5.16 and later take memory.kmem.limit_in_bytes and ignore it:
 * read it back, and refuse what the kernel did not set. */
static int kmem_v1(const char *path, json_int_t v)
{
	char *p = knob_path("memory", path, "memory.kmem.limit_in_bytes"), *text = NULL;
	int ret = limit("memory", path, "memory.kmem.limit_in_bytes", v);

	if (!ret && v > 0 && p && !pc_read_file(p, &text, NULL) &&
	    strtoull(text, NULL, 10) > (unsigned long long)v)
		ret = pc_fail(ENOTSUP, "linux.resources.memory.kernel: this kernel ignores "
			      "kernel memory limits");
	free(text);
	free(p);
	return ret;
}

static int memory_v1(const char *path, json_t *mem)
{
	json_int_t v;
	uint64_t u;
	int ret = 0;

	if (i64(mem, "kernel", &v))	/* first: it may be refused */
		ret = kmem_v1(path, v);
	if (!ret)
		ret = memory_and_swap_v1(path, mem);
	if (!ret && i64(mem, "reservation", &v))
		ret = limit("memory", path, "memory.soft_limit_in_bytes", v);
	if (!ret && i64(mem, "kernelTCP", &v))
		ret = limit("memory", path, "memory.kmem.tcp.limit_in_bytes", v);
	if (!ret && swappiness(mem, &u))
		ret = knobf("memory", path, "memory.swappiness", "%" PRIu64, u);
	if (!ret && json_is_true(json_object_get(mem, "disableOOMKiller")))
		ret = knob("memory", path, "memory.oom_control", "1");
	return ret;
}

static int cpu_v1(const char *path, json_t *cpu)
{
	const char *s;
	json_int_t v;
	uint64_t u;
	int ret = 0;

	if (u64(cpu, "shares", &u))
		ret = knobf("cpu", path, "cpu.shares", "%" PRIu64, u);
	if (!ret && u64(cpu, "period", &u))
		ret = knobf("cpu", path, "cpu.cfs_period_us", "%" PRIu64, u);
	if (!ret && i64(cpu, "quota", &v))
		ret = limit("cpu", path, "cpu.cfs_quota_us", v);
	if (!ret && u64(cpu, "realtimePeriod", &u))
		ret = knobf("cpu", path, "cpu.rt_period_us", "%" PRIu64, u);
	if (!ret && i64(cpu, "realtimeRuntime", &v))
		ret = limit("cpu", path, "cpu.rt_runtime_us", v);
	if (!ret && str(cpu, "cpus", &s))
		ret = knob("cpuset", path, "cpuset.cpus", s);
	if (!ret && str(cpu, "mems", &s))
		ret = knob("cpuset", path, "cpuset.mems", s);
	return ret;
}

/* blkio's weight (10-1000) as io.weight's (1-10000), as runc converts it */
static uint64_t io_weight(uint64_t w)
{
	return w < 10 ? 1 : 1 + (w - 10) * 9999 / 990;
}

/* Each {major, minor, key} of a list as "MAJ:MIN VALUE" (prefix "" on v1,
 * "rbps=" and so on inside v2's io.max). */
static int per_device(const char *ctrl, const char *path, const char *file, json_t *list,
		      const char *key, const char *prefix, bool v2_weight)
{
	json_int_t maj, min;
	json_t *d;
	uint64_t u;
	size_t i;
	int ret = 0;

	json_array_foreach(list, i, d) {
		if (ret || !u64(d, key, &u))
			continue;
		maj = json_integer_value(json_object_get(d, "major"));
		min = json_integer_value(json_object_get(d, "minor"));
		if (v2_weight)
			u = io_weight(u);
		ret = knobf(ctrl, path, file, "%" PRId64 ":%" PRId64 " %s%" PRIu64,
			    (int64_t)maj, (int64_t)min, prefix, u);
	}
	return ret;
}

static int blkio_v1(const char *path, json_t *b)
{
	/* CFQ's files, or BFQ's where the kernel has only that */
	bool bfq = !knob_exists("blkio", path, "blkio.weight") &&
		   knob_exists("blkio", path, "blkio.bfq.weight");
	json_t *wd = json_object_get(b, "weightDevice");
	uint64_t u;
	size_t i;
	int ret = 0;

	if (u64(b, "weight", &u))
		ret = knobf("blkio", path, bfq ? "blkio.bfq.weight" : "blkio.weight",
			    "%" PRIu64, u);
	if (!ret && u64(b, "leafWeight", &u))
		ret = knobf("blkio", path, "blkio.leaf_weight", "%" PRIu64, u);
	if (!ret)
		ret = per_device("blkio", path, bfq ? "blkio.bfq.weight_device" :
				 "blkio.weight_device", wd, "weight", "", false);
	if (!ret)
		ret = per_device("blkio", path, "blkio.leaf_weight_device", wd, "leafWeight", "",
				 false);
	for (i = 0; !ret && i < 4; i++)
		ret = per_device("blkio", path, throttles[i][1],
				 json_object_get(b, throttles[i][0]), "rate", "", false);
	return ret;
}

/* hugetlb.<pageSize>.<file> for each {pageSize, limit} */
static int hugetlb(const char *ctrl, const char *path, json_t *list, const char *file)
{
	const char *size;
	json_t *h;
	uint64_t u;
	size_t i;
	int ret = 0;

	json_array_foreach(list, i, h) {
		char *f;

		if (!str(h, "pageSize", &size) || strchr(size, '/'))
			return pc_fail(EINVAL, "linux.resources.hugepageLimits[%zu].pageSize "
				       "must be a page size such as \"2MB\"", i);
		if (pc_json_u64(json_object_get(h, "limit"), &u))
			return pc_fail(EINVAL, "linux.resources.hugepageLimits[%zu].limit must "
				       "be an integer", i);
		f = pc_strfmt("hugetlb.%s.%s", size, file);
		ret = f ? knobf(ctrl, path, f, "%" PRIu64, u) : -ENOMEM;
		free(f);
		if (ret)
			return ret;
	}
	return 0;
}

static int network_v1(const char *path, json_t *net)
{
	const char *name;
	json_t *p;
	uint64_t u;
	size_t i;
	int ret = 0;

	if (present(net, "classID")) {
		if (pc_json_u64(json_object_get(net, "classID"), &u) || u > UINT32_MAX)
			return pc_fail(EINVAL, "linux.resources.network.classID must be a uint32");
		ret = knobf("net_cls", path, "net_cls.classid", "%" PRIu64, u);
	}
	json_array_foreach(json_object_get(net, "priorities"), i, p) {
		if (ret)
			break;
		if (!str(p, "name", &name) || pc_json_u64(json_object_get(p, "priority"), &u))
			return pc_fail(EINVAL, "linux.resources.network.priorities[%zu] needs "
				       "a name and a priority", i);
		ret = knobf("net_prio", path, "net_prio.ifpriomap", "%s %" PRIu64, name, u);
	}
	return ret;
}

static int pids(const char *ctrl, const char *path, json_t *p)
{
	json_int_t v;

	if (!i64(p, "limit", &v))
		return 0;
	return v > 0 ? knobf(ctrl, path, "pids.max", "%" PRId64, (int64_t)v)
		     : knob(ctrl, path, "pids.max", "max");
}

static int apply_v1(const char *path, const struct res *r)
{
	int ret;

	if ((ret = memory_v1(path, r->mem)) || (ret = cpu_v1(path, r->cpu)) ||
	    (ret = pids("pids", path, r->pids)) ||
	    (blkio_used(r->blkio) && (ret = blkio_v1(path, r->blkio))) ||
	    (ret = hugetlb("hugetlb", path, r->huge, "limit_in_bytes")) ||
	    (ret = network_v1(path, r->net)))
		return ret;
	return json_is_array(r->devs) ? devices_v1(path, r->devs) : 0;
}

/* --- cgroup v2 --- */

/* memory.swap.max is swap alone; the spec's swap is memory+swap (runc's
 * ConvertMemorySwapToCgroupV2Value). 0: leave it. */
static int swap_v2(json_int_t lim, json_int_t swap, json_int_t *out)
{
	if (lim == -1 && !swap) {
		*out = -1;
		return 0;
	}
	if (swap == -1 || !swap) {
		*out = swap;
		return 0;
	}
	if (lim <= 0)
		return pc_fail(EINVAL, "linux.resources.memory.swap needs a memory limit");
	if (swap < lim)
		return pc_fail(EINVAL, "linux.resources.memory.swap (memory+swap) must be at "
			       "least memory.limit");
	*out = swap - lim;	/* 0: the same as the limit, no swap at all */
	return 0;
}

static int memory_v2(const char *path, json_t *mem)
{
	json_int_t lim = 0, swap = 0, v, sw = 0;
	int ret;

	i64(mem, "limit", &lim);
	i64(mem, "swap", &swap);
	if ((ret = swap_v2(lim, swap, &sw)))
		return ret;
	/* the swap first, as runc: memory.max alone may not fit the old one */
	if (sw)
		ret = limit(NULL, path, "memory.swap.max", sw);
	else if (swap > 0)
		ret = knob(NULL, path, "memory.swap.max", "0");
	if (!ret && lim)
		ret = limit(NULL, path, "memory.max", lim);
	if (!ret && i64(mem, "reservation", &v))
		ret = limit(NULL, path, "memory.low", v);
	return ret;
}

static int cpu_v2(const char *path, json_t *cpu)
{
	json_int_t quota = 0;
	uint64_t u, period = 0;
	const char *s;
	int ret = 0;

	if (u64(cpu, "shares", &u))	/* runc's shares (2-262144) to weight (1-10000) */
		ret = knobf(NULL, path, "cpu.weight", "%" PRIu64,
			    u < 2 ? 1 : 1 + ((u - 2) * 9999) / 262142);
	u64(cpu, "period", &period);
	/* as runc's fs2: a quota alone keeps the period, a period alone
	 * makes the quota max */
	if (!ret && (i64(cpu, "quota", &quota) || period)) {
		char q[24] = "max";

		if (quota > 0)
			snprintf(q, sizeof(q), "%" PRId64, (int64_t)quota);
		ret = period ? knobf(NULL, path, "cpu.max", "%s %" PRIu64, q, period)
			     : knob(NULL, path, "cpu.max", q);
	}
	if (!ret && str(cpu, "cpus", &s))
		ret = knob(NULL, path, "cpuset.cpus", s);
	if (!ret && str(cpu, "mems", &s))
		ret = knob(NULL, path, "cpuset.mems", s);
	return ret;
}

static int io_v2(const char *path, json_t *b)
{
	uint64_t u;
	size_t i;
	int ret = 0;

	if (u64(b, "weight", &u))
		ret = knobf(NULL, path, "io.weight", "default %" PRIu64, io_weight(u));
	if (!ret)
		ret = per_device(NULL, path, "io.weight", json_object_get(b, "weightDevice"),
				 "weight", "", true);
	for (i = 0; !ret && i < 4; i++)
		ret = per_device(NULL, path, "io.max", json_object_get(b, throttles[i][0]),
				 "rate", throttles[i][2], false);
	return ret;
}

static int unified(const char *path, json_t *u)
{
	const char *key;
	json_t *v;
	int ret;

	json_object_foreach(u, key, v) {
		if (!knob_exists(NULL, path, key))
			return pc_fail(ENOENT, "linux.resources.unified.%s: no such file in the "
				       "cgroup (is its controller enabled?)", key);
		if ((ret = knob(NULL, path, key, json_string_value(v))))
			return ret;
	}
	return 0;
}

static int apply_v2(const char *path, const struct res *r)
{
	int ret;

	if ((ret = memory_v2(path, r->mem)) || (ret = cpu_v2(path, r->cpu)) ||
	    (ret = pids(NULL, path, r->pids)) ||
	    (blkio_used(r->blkio) && (ret = io_v2(path, r->blkio))) ||
	    (ret = hugetlb(NULL, path, r->huge, "max")))
		return ret;
	if (json_is_array(r->devs) && (ret = devices_v2(path, r->devs)))
		return ret;
	/* last, so that its files win over the fields above, as in runc */
	return unified(path, r->unified);
}

int pc_cgroup_apply(const char *path, json_t *res)
{
	struct res r = {
		json_object_get(res, "memory"), json_object_get(res, "cpu"),
		json_object_get(res, "pids"), json_object_get(res, "blockIO"),
		json_object_get(res, "network"), json_object_get(res, "hugepageLimits"),
		json_object_get(res, "unified"), json_object_get(res, "devices"),
	};
	bool v2 = pc_cgroup_is_v2();
	int ret;

	if (!json_is_object(res))
		return 0;
	if (json_array_size(json_object_get(res, "rdma")) ||
	    json_object_size(json_object_get(res, "rdma")))
		return pc_fail(ENOTSUP, "linux.resources.rdma is not supported");
	if ((ret = check_common(&r)) || (ret = v2 ? check_v2(&r) : check_v1(&r)))
		return ret;
	return v2 ? apply_v2(path, &r) : apply_v1(path, &r);
}
