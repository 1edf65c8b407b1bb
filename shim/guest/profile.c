// SPDX-License-Identifier: Apache-2.0
/*
 * The container's OCI seccomp profile, applied by ck to the program's own
 * syscalls (docs/trust-model.md, "The OCI seccomp profile"). The runtime
 * compiles linux.seccomp with libseccomp to classic BPF and hands it over
 * as `--seccomp HEX` (16 hex digits per instruction: code, jt, jf, k, as
 * struct sock_filter's bytes). ck checks it as the kernel's
 * seccomp_check_filter would, keeps it in K, runs it on every program
 * syscall before anything else (the number and arguments as the program
 * passed them, the arch the trap reports) and acts on the result as the
 * kernel does: ERRNO returns the errno (the call never reaches the host),
 * ALLOW and LOG go on, TRACE and USER_NOTIF answer ENOSYS (no tracer, no
 * listener), TRAP and KILL_* end the process by SIGSYS (no program
 * handler can exist: SIGSYS is ck's). Installed on the host instead, the
 * filter would judge ck's own calls, not the program's. Passed on across
 * execve (exec.c), as the kernel keeps a filter.
 */
#include <linux/errno.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "ck.h"

#define PROFILE_MAX	BPF_MAXINSNS
#define DATA_WORDS	16	/* struct seccomp_data: 64 bytes */

static struct {
	unsigned int len;
	struct sock_filter insn[PROFILE_MAX];
	char hex[PROFILE_MAX * 16 + 1];	/* as it came, for execve */
} profile;

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* The instructions seccomp accepts (kernel/seccomp.c, seccomp_check_filter). */
static int insn_ok(const struct sock_filter *f, unsigned int pc, unsigned int n)
{
	unsigned int k = f->k;

	switch (f->code) {
	case BPF_LD | BPF_W | BPF_ABS:
		return !(k & 3) && k < DATA_WORDS * 4;
	case BPF_LD | BPF_W | BPF_LEN: case BPF_LDX | BPF_W | BPF_LEN:
	case BPF_LD | BPF_IMM: case BPF_LDX | BPF_IMM:
	case BPF_MISC | BPF_TAX: case BPF_MISC | BPF_TXA:
	case BPF_RET | BPF_K: case BPF_RET | BPF_A:
	case BPF_ALU | BPF_ADD | BPF_K: case BPF_ALU | BPF_ADD | BPF_X:
	case BPF_ALU | BPF_SUB | BPF_K: case BPF_ALU | BPF_SUB | BPF_X:
	case BPF_ALU | BPF_MUL | BPF_K: case BPF_ALU | BPF_MUL | BPF_X:
	case BPF_ALU | BPF_DIV | BPF_X: case BPF_ALU | BPF_MOD | BPF_X:
	case BPF_ALU | BPF_AND | BPF_K: case BPF_ALU | BPF_AND | BPF_X:
	case BPF_ALU | BPF_OR | BPF_K: case BPF_ALU | BPF_OR | BPF_X:
	case BPF_ALU | BPF_XOR | BPF_K: case BPF_ALU | BPF_XOR | BPF_X:
	case BPF_ALU | BPF_LSH | BPF_X: case BPF_ALU | BPF_RSH | BPF_X:
	case BPF_ALU | BPF_NEG:
		return 1;
	case BPF_ALU | BPF_DIV | BPF_K: case BPF_ALU | BPF_MOD | BPF_K:
		return k != 0;
	case BPF_ALU | BPF_LSH | BPF_K: case BPF_ALU | BPF_RSH | BPF_K:
		return k < 32;
	case BPF_LD | BPF_MEM: case BPF_LDX | BPF_MEM:
	case BPF_ST: case BPF_STX:
		return k < BPF_MEMWORDS;
	case BPF_JMP | BPF_JA:
		return k < n - pc - 1;
	case BPF_JMP | BPF_JEQ | BPF_K: case BPF_JMP | BPF_JEQ | BPF_X:
	case BPF_JMP | BPF_JGT | BPF_K: case BPF_JMP | BPF_JGT | BPF_X:
	case BPF_JMP | BPF_JGE | BPF_K: case BPF_JMP | BPF_JGE | BPF_X:
	case BPF_JMP | BPF_JSET | BPF_K: case BPF_JMP | BPF_JSET | BPF_X:
		return pc + 1 + f->jt < n && pc + 1 + f->jf < n;
	default:
		return 0;
	}
}

int ck_profile_load(const char *hex)
{
	size_t len = strlen(hex), i;
	unsigned int n, pc;
	unsigned char *b = (unsigned char *)profile.insn;

	if (!len || len % 16 || len / 16 > PROFILE_MAX)
		return -EINVAL;
	n = (unsigned int)(len / 16);
	for (i = 0; i < len; i += 2) {
		int hi = hexval(hex[i]), lo = hexval(hex[i + 1]);

		if (hi < 0 || lo < 0)
			return -EINVAL;
		b[i / 2] = (unsigned char)(hi << 4 | lo);
	}
	for (pc = 0; pc < n; pc++)
		if (!insn_ok(&profile.insn[pc], pc, n))
			return -EINVAL;
	if (BPF_CLASS(profile.insn[n - 1].code) != BPF_RET)
		return -EINVAL;
	memcpy(profile.hex, hex, len + 1);
	profile.len = n;
	return 0;
}

const char *ck_profile_hex(void)
{
	return profile.len ? profile.hex : 0;
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t v)
{
	switch (op) {
	case BPF_ADD: return a + v;
	case BPF_SUB: return a - v;
	case BPF_MUL: return a * v;
	case BPF_DIV: return v ? a / v : 0;
	case BPF_MOD: return v ? a % v : 0;
	case BPF_AND: return a & v;
	case BPF_OR: return a | v;
	case BPF_XOR: return a ^ v;
	case BPF_LSH: return v < 32 ? a << v : 0;
	case BPF_RSH: return v < 32 ? a >> v : 0;
	default: return -a;	/* BPF_NEG */
	}
}

/* The filter's verdict on one call (checked at load: it ends, in range). */
static uint32_t run(const uint32_t *d)
{
	uint32_t A = 0, X = 0, M[BPF_MEMWORDS] = { 0 }, v;
	unsigned int pc;

	for (pc = 0; pc < profile.len; pc++) {
		const struct sock_filter *f = &profile.insn[pc];

		v = BPF_SRC(f->code) == BPF_X ? X : f->k;
		switch (BPF_CLASS(f->code)) {
		case BPF_LD:
			A = BPF_MODE(f->code) == BPF_ABS ? d[f->k / 4] :
			    BPF_MODE(f->code) == BPF_LEN ? DATA_WORDS * 4 :
			    BPF_MODE(f->code) == BPF_MEM ? M[f->k] : f->k;
			break;
		case BPF_LDX:
			X = BPF_MODE(f->code) == BPF_LEN ? DATA_WORDS * 4 :
			    BPF_MODE(f->code) == BPF_MEM ? M[f->k] : f->k;
			break;
		case BPF_ST: M[f->k] = A; break;
		case BPF_STX: M[f->k] = X; break;
		case BPF_MISC:
			if (BPF_MISCOP(f->code) == BPF_TAX)
				X = A;
			else
				A = X;
			break;
		case BPF_ALU:
			A = alu(BPF_OP(f->code), A, v);
			break;
		case BPF_JMP:
			switch (BPF_OP(f->code)) {
			case BPF_JA: pc += f->k; break;
			case BPF_JEQ: pc += A == v ? f->jt : f->jf; break;
			case BPF_JGT: pc += A > v ? f->jt : f->jf; break;
			case BPF_JGE: pc += A >= v ? f->jt : f->jf; break;
			default: pc += (A & v) ? f->jt : f->jf; break;
			}
			break;
		default:	/* BPF_RET */
			return BPF_RVAL(f->code) == BPF_A ? A : f->k;
		}
	}
	return SECCOMP_RET_KILL_PROCESS;
}

long ck_profile_check(uint32_t arch, int nr, const long *a, uint64_t ip, int *decided)
{
	uint32_t d[DATA_WORDS], ret, data;
	unsigned int i;

	*decided = 0;
	if (!profile.len || ck_mutant(PROFILE))
		return 0;
	d[0] = (uint32_t)nr;
	d[1] = arch;
	d[2] = (uint32_t)ip;
	d[3] = (uint32_t)(ip >> 32);
	for (i = 0; i < 6; i++) {
		d[4 + 2 * i] = (uint32_t)a[i];
		d[5 + 2 * i] = (uint32_t)((uint64_t)a[i] >> 32);
	}
	ret = run(d);
	data = ret & SECCOMP_RET_DATA;
	switch (ret & SECCOMP_RET_ACTION_FULL) {
	case SECCOMP_RET_ALLOW:
	case SECCOMP_RET_LOG:
		return 0;
	case SECCOMP_RET_ERRNO:
		*decided = 1;
		return ck_refuse(-(long)(data > 4095 ? 4095 : data));
	case SECCOMP_RET_TRACE:
	case SECCOMP_RET_USER_NOTIF:
		*decided = 1;
		return ck_refuse(-ENOSYS);
	default:	/* TRAP, KILL_THREAD, KILL_PROCESS */
		CK_COUNT(denied, 1);
		ck_die_of_sigsys();
	}
}
