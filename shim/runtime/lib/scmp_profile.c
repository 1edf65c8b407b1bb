// SPDX-License-Identifier: Apache-2.0
#include "scmp_profile.h"

#include <ctype.h>
#include <errno.h>
#include <seccomp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "err.h"
#include "json_big.h"

static int action(json_t *obj, const char *key, json_t *errno_obj, uint32_t *out)
{
	json_t *v = json_object_get(obj, key);
	const char *a;
	int err = EPERM;

	if (!json_is_string(v))
		return pc_fail(EINVAL, "seccomp: %s must be a string", key);
	a = json_string_value(v);
	if (json_is_integer(errno_obj))
		err = (int)json_integer_value(errno_obj);
	if (!strcmp(a, "SCMP_ACT_ALLOW"))
		*out = SCMP_ACT_ALLOW;
	else if (!strcmp(a, "SCMP_ACT_ERRNO"))
		*out = SCMP_ACT_ERRNO((uint32_t)err);
	else if (!strcmp(a, "SCMP_ACT_KILL") || !strcmp(a, "SCMP_ACT_KILL_THREAD"))
		*out = SCMP_ACT_KILL;
	else if (!strcmp(a, "SCMP_ACT_KILL_PROCESS"))
		*out = SCMP_ACT_KILL_PROCESS;
	else if (!strcmp(a, "SCMP_ACT_TRAP"))
		*out = SCMP_ACT_TRAP;
	else if (!strcmp(a, "SCMP_ACT_LOG"))
		*out = SCMP_ACT_LOG;
	else if (!strcmp(a, "SCMP_ACT_TRACE"))
		*out = SCMP_ACT_TRACE((uint32_t)err);
	else
		return pc_fail(EINVAL, "seccomp: unsupported action %s", a);
	return 0;
}

static int cmp_op(const char *s, enum scmp_compare *op)
{
	static const struct { const char *n; enum scmp_compare op; } ops[] = {
		{ "SCMP_CMP_NE", SCMP_CMP_NE }, { "SCMP_CMP_LT", SCMP_CMP_LT },
		{ "SCMP_CMP_LE", SCMP_CMP_LE }, { "SCMP_CMP_EQ", SCMP_CMP_EQ },
		{ "SCMP_CMP_GE", SCMP_CMP_GE }, { "SCMP_CMP_GT", SCMP_CMP_GT },
		{ "SCMP_CMP_MASKED_EQ", SCMP_CMP_MASKED_EQ },
	};
	size_t i;

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strcmp(s, ops[i].n)) {
			*op = ops[i].op;
			return 0;
		}
	return pc_fail(EINVAL, "seccomp: unknown operator %s", s);
}

static int add_rule(scmp_filter_ctx ctx, json_t *sc, uint32_t def)
{
	json_t *names = json_object_get(sc, "names"), *args = json_object_get(sc, "args");
	struct scmp_arg_cmp cmp[6];
	unsigned int ncmp = 0;
	uint32_t act;
	size_t i;
	int ret;

	ret = action(sc, "action", json_object_get(sc, "errnoRet"), &act);
	if (ret)
		return ret;
	if (act == def)
		return 0;	/* the default already does it; libseccomp refuses it */
	for (i = 0; i < json_array_size(args) && ncmp < 6; i++) {
		json_t *a = json_array_get(args, i);
		enum scmp_compare op = SCMP_CMP_EQ;

		if (!json_is_string(json_object_get(a, "op")))
			return pc_fail(EINVAL, "seccomp: args[].op must be a string");
		if ((ret = cmp_op(json_string_value(json_object_get(a, "op")), &op)))
			return ret;
		cmp[ncmp].arg = (unsigned int)json_integer_value(json_object_get(a, "index"));
		cmp[ncmp].op = op;
		cmp[ncmp].datum_a = cmp[ncmp].datum_b = 0;	/* uint64, to UINT64_MAX */
		pc_json_u64(json_object_get(a, "value"), &cmp[ncmp].datum_a);
		pc_json_u64(json_object_get(a, "valueTwo"), &cmp[ncmp].datum_b);
		ncmp++;
	}
	for (i = 0; i < json_array_size(names); i++) {
		const char *n = json_string_value(json_array_get(names, i));
		int nr = n ? seccomp_syscall_resolve_name(n) : __NR_SCMP_ERROR;

		if (nr == __NR_SCMP_ERROR)
			continue;	/* unknown on this arch: runc skips too */
		ret = seccomp_rule_add_array(ctx, act, nr, ncmp, cmp);
		if (ret == -EEXIST || (ret == -EACCES && ncmp))
			ret = 0;
		if (ret)
			return pc_failx(-ret, "seccomp: add rule for %s", n);
	}
	return 0;
}

/* linux.seccomp.architectures: each one added to the filter (the native
 * one is there already); a name libseccomp does not know is refused, as
 * runc and crun do. "SCMP_ARCH_X86_64" is libseccomp's "x86_64". */
static int add_arches(scmp_filter_ctx ctx, json_t *arches)
{
	size_t i, j;
	int ret;

	if (arches && !json_is_array(arches))
		return pc_fail(EINVAL, "seccomp: architectures must be an array");
	for (i = 0; i < json_array_size(arches); i++) {
		const char *a = json_string_value(json_array_get(arches, i));
		char low[32];
		uint32_t token = 0;

		if (a && !strncmp(a, "SCMP_ARCH_", 10) && strlen(a + 10) < sizeof(low)) {
			for (j = 0; a[10 + j]; j++)
				low[j] = (char)tolower((unsigned char)a[10 + j]);
			low[j] = '\0';
			token = seccomp_arch_resolve_name(low);
		}
		if (!token)
			return pc_fail(EINVAL, "seccomp: unknown architecture %s", a ? a : "(not a string)");
		ret = seccomp_arch_add(ctx, token);
		if (ret && ret != -EEXIST)
			return pc_failx(-ret, "seccomp: add architecture %s", a);
	}
	return 0;
}

static int build(json_t *profile, scmp_filter_ctx *out)
{
	json_t *calls = json_object_get(profile, "syscalls");
	scmp_filter_ctx ctx = NULL;
	uint32_t def;
	size_t i;
	int ret;

	ret = action(profile, "defaultAction", json_object_get(profile, "defaultErrnoRet"), &def);
	if (ret)
		return ret;
	ctx = seccomp_init(def);
	if (!ctx)
		return pc_fail(ENOMEM, "seccomp_init");
	/* libseccomp sets no_new_privs on load unless told not to: the
	 * config's process.noNewPrivileges decides (without it, the filter
	 * is loaded while CAP_SYS_ADMIN is still held, see process.c) */
	ret = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (ret) {
		seccomp_release(ctx);
		return pc_failx(-ret, "seccomp: clear the no_new_privs attribute");
	}
	ret = add_arches(ctx, json_object_get(profile, "architectures"));
	for (i = 0; i < json_array_size(calls) && !ret; i++)
		ret = add_rule(ctx, json_array_get(calls, i), def);
	if (ret) {
		seccomp_release(ctx);
		return ret;
	}
	*out = ctx;
	return 0;
}

static int compile(json_t *profile, int load)
{
	scmp_filter_ctx ctx = NULL;
	int ret;

	if (!profile)
		return 0;
	ret = build(profile, &ctx);
	if (ret)
		return ret;
	ret = load ? seccomp_load(ctx) : 0;
	seccomp_release(ctx);
	return ret ? pc_failx(-ret, "load seccomp filter") : 0;
}

int pc_seccomp_check(json_t *profile)
{
	return compile(profile, 0);
}

int pc_seccomp_load(json_t *profile)
{
	return compile(profile, 1);
}

/* The BPF libseccomp makes of the profile, as 16 hex digits per
 * instruction (struct sock_filter's bytes in memory order). */
int pc_seccomp_export_hex(json_t *profile, char **out)
{
	scmp_filter_ctx ctx = NULL;
	unsigned char *bpf = NULL;
	char *hex = NULL;
	off_t size;
	int fd = -1, ret;
	size_t i;

	if ((ret = build(profile, &ctx)))
		return ret;
	fd = memfd_create("paracell-seccomp", MFD_CLOEXEC);
	if (fd < 0) {
		ret = pc_failx(errno, "seccomp: memfd");
		goto out;
	}
	if ((ret = seccomp_export_bpf(ctx, fd))) {
		ret = pc_failx(-ret, "seccomp: export the filter");
		goto out;
	}
	size = lseek(fd, 0, SEEK_END);
	if (size <= 0 || size % 8 || !(bpf = malloc((size_t)size)) ||
	    pread(fd, bpf, (size_t)size, 0) != size ||
	    !(hex = malloc((size_t)size * 2 + 1))) {
		ret = pc_fail(EIO, "seccomp: read the exported filter");
		goto out;
	}
	for (i = 0; i < (size_t)size; i++)
		snprintf(hex + 2 * i, 3, "%02x", bpf[i]);
	*out = hex;
	hex = NULL;
out:
	free(hex);
	free(bpf);
	if (fd >= 0)
		close(fd);
	seccomp_release(ctx);
	return ret;
}
