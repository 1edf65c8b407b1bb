// SPDX-License-Identifier: Apache-2.0
#include "devfilter.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "err.h"

struct rule {
	int allow;
	uint32_t type;		/* BPF_DEVCG_DEV_*, 0 for all */
	int64_t major, minor;	/* -1 for any */
	uint32_t access;	/* BPF_DEVCG_ACC_* */
};

struct prog {
	struct bpf_insn *insn;
	size_t n, cap;
};

static int emit(struct prog *p, uint8_t code, uint8_t dst, uint8_t src, int16_t off, int32_t imm)
{
	if (p->n == p->cap) {
		struct bpf_insn *ni = realloc(p->insn, (p->cap = p->cap ? p->cap * 2 : 64) *
					      sizeof(*ni));
		if (!ni)
			return -ENOMEM;
		p->insn = ni;
	}
	p->insn[p->n++] = (struct bpf_insn){ .code = code, .dst_reg = dst, .src_reg = src,
					     .off = off, .imm = imm };
	return 0;
}

/* r2 = type, r3 = access, r4 = major, r5 = minor */
static int prologue(struct prog *p)
{
	int ret = 0;

	ret |= emit(p, BPF_LDX | BPF_MEM | BPF_W, 2, 1, 0, 0);
	ret |= emit(p, BPF_ALU64 | BPF_MOV | BPF_X, 3, 2, 0, 0);
	ret |= emit(p, BPF_ALU64 | BPF_AND | BPF_K, 2, 0, 0, 0xffff);
	ret |= emit(p, BPF_ALU64 | BPF_RSH | BPF_K, 3, 0, 0, 16);
	ret |= emit(p, BPF_LDX | BPF_MEM | BPF_W, 4, 1, 4, 0);
	ret |= emit(p, BPF_LDX | BPF_MEM | BPF_W, 5, 1, 8, 0);
	return ret ? -ENOMEM : 0;
}

/* One rule: fall through to "return allow" when it matches, else jump
 * past it. Jump offsets are counted from the next instruction. */
static int rule_block(struct prog *p, const struct rule *r)
{
	int k = (r->type != 0) + (r->major >= 0) + (r->minor >= 0);
	int left = k + 5, ret = 0;	/* instructions left in the block, this one included */

	/* the access asked for must lie within the rule's: (r3 & ~A) == 0 */
	ret |= emit(p, BPF_ALU64 | BPF_MOV | BPF_X, 0, 3, 0, 0);
	ret |= emit(p, BPF_ALU64 | BPF_AND | BPF_K, 0, 0, 0, (int32_t)(~r->access & 7));
	left -= 2;
	ret |= emit(p, BPF_JMP | BPF_JNE | BPF_K, 0, 0, (int16_t)(left - 1), 0);
	left--;
	if (r->type) {
		ret |= emit(p, BPF_JMP | BPF_JNE | BPF_K, 2, 0, (int16_t)(left - 1), (int32_t)r->type);
		left--;
	}
	if (r->major >= 0) {
		ret |= emit(p, BPF_JMP | BPF_JNE | BPF_K, 4, 0, (int16_t)(left - 1), (int32_t)r->major);
		left--;
	}
	if (r->minor >= 0) {
		ret |= emit(p, BPF_JMP | BPF_JNE | BPF_K, 5, 0, (int16_t)(left - 1), (int32_t)r->minor);
		left--;
	}
	ret |= emit(p, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, r->allow);
	ret |= emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
	return ret ? -ENOMEM : 0;
}

static int parse_rule(json_t *j, struct rule *r)
{
	const char *type = json_string_value(json_object_get(j, "type"));
	const char *access = json_string_value(json_object_get(j, "access"));
	json_t *maj = json_object_get(j, "major"), *min = json_object_get(j, "minor");

	memset(r, 0, sizeof(*r));
	r->allow = json_is_true(json_object_get(j, "allow"));
	if (!type || !strcmp(type, "a"))
		r->type = 0;
	else if (!strcmp(type, "c"))
		r->type = BPF_DEVCG_DEV_CHAR;
	else if (!strcmp(type, "b"))
		r->type = BPF_DEVCG_DEV_BLOCK;
	else
		return pc_fail(EINVAL, "device rule: bad type \"%s\"", type);
	r->major = json_is_integer(maj) ? json_integer_value(maj) : -1;
	r->minor = json_is_integer(min) ? json_integer_value(min) : -1;
	if (!access || !*access)
		access = "rwm";
	for (; *access; access++)
		r->access |= *access == 'r' ? BPF_DEVCG_ACC_READ :
			     *access == 'w' ? BPF_DEVCG_ACC_WRITE :
			     *access == 'm' ? BPF_DEVCG_ACC_MKNOD : 0;
	return 0;
}

/* "c 1:3 rwm" -> rule */
static int parse_text(const char *s, struct rule *r)
{
	char type, acc[4] = "", maj[16], min[16];
	json_t *j;
	int ret;

	if (sscanf(s, "%c %15[^:]:%15s %3s", &type, maj, min, acc) != 4)
		return pc_fail(EINVAL, "device rule \"%s\"", s);
	j = json_pack("{s:b, s:s#, s:s}", "allow", 1, "type", &type, 1, "access", acc);
	if (!j)
		return -ENOMEM;
	if (strcmp(maj, "*"))
		json_object_set_new(j, "major", json_integer(atoi(maj)));
	if (strcmp(min, "*"))
		json_object_set_new(j, "minor", json_integer(atoi(min)));
	ret = parse_rule(j, r);
	json_decref(j);
	return ret;
}

static int build(json_t *rules, const char *const *extra, size_t nextra, struct prog *p)
{
	size_t n = json_array_size(rules), i;
	int default_allow = 1, ret;
	struct rule r;

	if ((ret = prologue(p)))
		return ret;
	/* the last rule decides: emit from last to first */
	for (i = nextra; i > 0; i--)
		if ((ret = parse_text(extra[i - 1], &r)) || (ret = rule_block(p, &r)))
			return ret;
	for (i = n; i > 0; i--) {
		if ((ret = parse_rule(json_array_get(rules, i - 1), &r)))
			return ret;
		if (!r.type && r.major < 0 && r.minor < 0 && r.access == 7) {
			default_allow = r.allow;	/* "a": everything after decides */
			break;
		}
		if ((ret = rule_block(p, &r)))
			return ret;
	}
	if (emit(p, BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, default_allow) ||
	    emit(p, BPF_JMP | BPF_EXIT, 0, 0, 0, 0))
		return -ENOMEM;
	return 0;
}

static long bpf(int cmd, union bpf_attr *attr)
{
	return syscall(SYS_bpf, cmd, attr, sizeof(*attr));
}

static uint32_t prog_id(int fd)
{
	struct bpf_prog_info info = { 0 };
	union bpf_attr a = { 0 };

	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = sizeof(info);
	a.info.info = (uint64_t)(uintptr_t)&info;
	return bpf(BPF_OBJ_GET_INFO_BY_FD, &a) < 0 ? 0 : info.id;
}

/* Detach every device program of the cgroup but keep (an update replaces
 * the filter: attach the new one first, so no moment goes unfiltered). */
static void detach_others(int cg, int keep)
{
	uint32_t ids[64], i, mine = prog_id(keep);
	union bpf_attr q = { 0 };

	q.query.target_fd = (uint32_t)cg;
	q.query.attach_type = BPF_CGROUP_DEVICE;
	q.query.prog_ids = (uint64_t)(uintptr_t)ids;
	q.query.prog_cnt = 64;
	if (!mine || bpf(BPF_PROG_QUERY, &q) < 0)
		return;
	for (i = 0; i < q.query.prog_cnt; i++) {
		union bpf_attr g = { .prog_id = ids[i] }, d = { 0 };
		int fd;

		if (ids[i] == mine || (fd = (int)bpf(BPF_PROG_GET_FD_BY_ID, &g)) < 0)
			continue;
		d.target_fd = (uint32_t)cg;
		d.attach_bpf_fd = (uint32_t)fd;
		d.attach_type = BPF_CGROUP_DEVICE;
		bpf(BPF_PROG_DETACH, &d);
		close(fd);
	}
}

int pc_devfilter_attach(const char *cgroup_dir, json_t *rules,
			const char *const *extra_allow, size_t nextra)
{
	struct prog p = { 0 };
	union bpf_attr a = { 0 };
	static char log[65536];
	int prog = -1, cg = -1, ret;

	ret = build(rules, extra_allow, nextra, &p);
	if (ret)
		goto out;
	a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
	a.insns = (uint64_t)(uintptr_t)p.insn;
	a.insn_cnt = (uint32_t)p.n;
	a.license = (uint64_t)(uintptr_t)"Apache-2.0";
	prog = (int)bpf(BPF_PROG_LOAD, &a);
	if (prog < 0) {
		/* again with the verifier's log, for the message */
		ret = errno;
		a.log_buf = (uint64_t)(uintptr_t)log;
		a.log_size = sizeof(log);
		a.log_level = 1;
		bpf(BPF_PROG_LOAD, &a);
		log[sizeof(log) - 1] = '\0';
		ret = pc_failx(ret, "load the device filter (verifier: %.300s)",
			       strlen(log) > 300 ? log + strlen(log) - 300 : log);
		goto out;
	}
	cg = open(cgroup_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cg < 0) {
		ret = pc_failx(errno, "open %s", cgroup_dir);
		goto out;
	}
	memset(&a, 0, sizeof(a));
	a.target_fd = (uint32_t)cg;
	a.attach_bpf_fd = (uint32_t)prog;
	a.attach_type = BPF_CGROUP_DEVICE;
	a.attach_flags = BPF_F_ALLOW_MULTI;
	if (bpf(BPF_PROG_ATTACH, &a) < 0) {
		ret = pc_failx(errno, "attach the device filter to %s", cgroup_dir);
		goto out;
	}
	detach_others(cg, prog);
out:
	if (cg >= 0)
		close(cg);
	if (prog >= 0)
		close(prog);
	free(p.insn);
	return ret;
}
