// SPDX-License-Identifier: Apache-2.0
/* features: the runtime-spec features.json, plus the platform this
 * invocation selected as the annotation io.paracell.platform. */
#include <errno.h>
#include <ctype.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include "cmd.h"
#include "platform.h"
#include "spec.h"

#ifndef PC_VERSION
#define PC_VERSION "unknown"
#endif

static json_t *strings(const char *const *v)
{
	json_t *a = json_array();

	for (; a && *v; v++)
		json_array_append_new(a, json_string(*v));
	return a;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(json_string_value(*(json_t *const *)a), json_string_value(*(json_t *const *)b));
}

static json_t *mount_options(void)
{
	json_t *a = json_array(), *v[128];
	size_t i, n;

	for (n = 0; n < 128 && pc_mount_option_name(n); n++)
		v[n] = json_string(pc_mount_option_name(n));
	qsort(v, n, sizeof(v[0]), cmp);
	for (i = 0; a && i < n; i++)
		json_array_append_new(a, v[i]);
	return a;
}

static json_t *capabilities(void)
{
	json_t *a = json_array();
	cap_value_t c;

	for (c = 0; a && cap_valid(c); c++) {
		char *name = cap_to_name(c), *p;
		if (!name)
			continue;
		for (p = name; *p; p++)
			*p = (char)toupper((unsigned char)*p);
		json_array_append_new(a, json_string(name));
		cap_free(name);
	}
	return a;
}

int cmd_features(struct pc_cmd_ctx *x, int argc, char **argv)
{
	static const char *const hooks[] = { "prestart", "createRuntime", "createContainer",
					     "startContainer", "poststart", "poststop", NULL };
	static const char *const ns[] = { "cgroup", "ipc", "mount", "network", "pid", "user",
					  "uts", NULL };
	static const char *const actions[] = { "SCMP_ACT_ALLOW", "SCMP_ACT_ERRNO", "SCMP_ACT_KILL",
		"SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL_THREAD", "SCMP_ACT_LOG", "SCMP_ACT_TRACE",
		"SCMP_ACT_TRAP", NULL };
	static const char *const ops[] = { "SCMP_CMP_EQ", "SCMP_CMP_GE", "SCMP_CMP_GT",
		"SCMP_CMP_LE", "SCMP_CMP_LT", "SCMP_CMP_MASKED_EQ", "SCMP_CMP_NE", NULL };
	/* what scmp_profile.c resolves with libseccomp, as runc lists them */
	static const char *const archs[] = { "SCMP_ARCH_AARCH64", "SCMP_ARCH_ARM",
		"SCMP_ARCH_MIPS", "SCMP_ARCH_MIPS64", "SCMP_ARCH_MIPS64N32", "SCMP_ARCH_MIPSEL",
		"SCMP_ARCH_MIPSEL64", "SCMP_ARCH_MIPSEL64N32", "SCMP_ARCH_PPC", "SCMP_ARCH_PPC64",
		"SCMP_ARCH_PPC64LE", "SCMP_ARCH_RISCV64", "SCMP_ARCH_S390", "SCMP_ARCH_S390X",
		"SCMP_ARCH_X32", "SCMP_ARCH_X86", "SCMP_ARCH_X86_64", NULL };
	const struct scmp_version *sv = seccomp_version();
	char ver[32];
	json_t *j;

	(void)argc;
	(void)argv;
	snprintf(ver, sizeof(ver), "%u.%u.%u", sv->major, sv->minor, sv->micro);
	j = json_pack("{s:s, s:s, s:o, s:o, s:{s:o, s:o, s:{s:b, s:b, s:b, s:b},"
		      " s:{s:b, s:o, s:o, s:o}, s:{s:b}, s:{s:b}},"
		      " s:{s:s, s:s, s:s, s:s}}",
		      "ociVersionMin", "1.0.0", "ociVersionMax", "1.0.2-dev",
		      "hooks", strings(hooks), "mountOptions", mount_options(),
		      "linux", "namespaces", strings(ns), "capabilities", capabilities(),
		      "cgroup", "v1", 1, "v2", 1, "systemd", 0, "systemdUser", 0,
		      "seccomp", "enabled", 1, "actions", strings(actions),
		      "operators", strings(ops), "archs", strings(archs),
		      /* supported where the host has them (lsm.c), as runc means it */
		      "apparmor", "enabled", 1, "selinux", "enabled", 1,
		      "annotations", "io.github.seccomp.libseccomp.version", ver,
		      PC_PLATFORM_ANNOTATION, pc_platform_name(x->g.platform),
		      "io.paracell.platform.source", x->g.platform_source,
		      "io.paracell.version", PC_VERSION);
	if (!j)
		return 1;
	cmd_print_json(j, 4);
	json_decref(j);
	return 0;
}
