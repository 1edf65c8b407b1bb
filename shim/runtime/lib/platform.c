// SPDX-License-Identifier: Apache-2.0
#include "platform.h"

#include <cpuid.h>
#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

int (*pc_platform_pku_probe)(void) = pc_cpu_has_pku;

const char *pc_platform_name(enum pc_platform p)
{
	return p == PC_PLATFORM_NATIVE ? "native" : "xgate";
}

int pc_platform_parse(const char *name, enum pc_platform *out)
{
	if (!strcmp(name, "xgate"))
		*out = PC_PLATFORM_XGATE;
	else if (!strcmp(name, "native"))
		*out = PC_PLATFORM_NATIVE;
	else
		return pc_fail(EINVAL, "unknown platform \"%s\" (xgate or native)", name);
	return 0;
}

/* "paracell-native" and "paracell-xgate" choose; any other name does not. */
static int from_argv0(const char *argv0, enum pc_platform *out)
{
	const char *base = argv0 ? strrchr(argv0, '/') : NULL;

	base = base ? base + 1 : argv0;
	if (!base || strncmp(base, "paracell-", 9))
		return 0;
	return pc_platform_parse(base + 9, out) ? -EINVAL : 1;
}

static int from_config(const char *path, enum pc_platform *out)
{
	json_error_t jerr;
	json_t *root = NULL, *p;
	int ret = 0;

	root = json_load_file(path, 0, &jerr);
	if (!root) {
		if (jerr.line == -1 && strstr(jerr.text, "No such file"))
			return 0;
		return pc_fail(EINVAL, "runtime config %s: %s", path, jerr.text);
	}
	p = json_object_get(root, "platform");
	if (!p)
		goto out;
	if (!json_is_string(p)) {
		ret = pc_fail(EINVAL, "runtime config %s: platform must be a string", path);
		goto out;
	}
	ret = pc_platform_parse(json_string_value(p), out);
	if (ret)
		pc_fail(EINVAL, "runtime config %s", path);
	else
		ret = 1;
out:
	json_decref(root);
	return ret;
}

int pc_platform_select(const char *flag, const char *argv0, const char *config,
		       enum pc_platform *out, const char **source)
{
	int r;

	*out = PC_PLATFORM_XGATE;
	if (flag) {
		*source = "flag";
		return pc_platform_parse(flag, out);
	}
	r = from_argv0(argv0, out);
	if (r < 0) {
		pc_err_clear();
		r = 0;
	}
	if (r) {
		*source = "binary name";
		return 0;
	}
	if (!config)
		config = getenv(PC_CONFIG_ENV);
	if (!config || !*config)
		config = PC_CONFIG_DEFAULT;
	r = from_config(config, out);
	if (r < 0)
		return r;
	*source = r ? "config file" : "default";
	return 0;
}

int pc_cpu_has_pku(void)
{
	unsigned int a, b, c, d;

	if (!__get_cpuid_count(7, 0, &a, &b, &c, &d))
		return 0;
	return (c & (1u << 3)) && (c & (1u << 4));
}

int pc_platform_check(enum pc_platform p)
{
	if (p == PC_PLATFORM_NATIVE)
		return 0;
	if (!pc_platform_pku_probe())
		return pc_fail(ENOTSUP, "platform xgate needs memory protection keys "
			       "(PKU with OSPKE, CPUID.7.0:ECX bits 3 and 4), which this "
			       "machine lacks; refusing rather than sharing the host kernel "
			       "(the native platform, --platform native or paracell-native, "
			       "runs containers without the container kernel)");
	return 0;
}
