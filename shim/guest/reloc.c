// SPDX-License-Identifier: Apache-2.0
/*
 * Relocation of one instruction into a trampoline (reloc.h). What the
 * trampoline does is what the instruction did at its site: the same
 * operation on the same operands (a RIP-relative operand names the same
 * address), then on to the instruction after the site, or to the branch's
 * target. A call would push the trampoline's address, which the program
 * would then see and return to: refused, as are branches whose encoding
 * cannot grow to rel32 (loop, jrcxz) and xbegin.
 */
#include "reloc.h"

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static int rel32(uint64_t next, uint64_t target, uint32_t *out)
{
	int64_t d = (int64_t)(target - next);

	if (d < INT32_MIN || d > INT32_MAX)
		return CK_RELOC_ERANGE;
	*out = (uint32_t)d;
	return 0;
}

int ck_reloc_tramp(const uint8_t *b, const struct ck_insn *in, uint64_t from,
		   uint64_t to, uint8_t *out)
{
	uint64_t next = from + in->len, target;
	uint32_t r;
	int n = 0, i;

	if (in->flags & CK_INSN_REL) {
		target = next + (uint64_t)(int64_t)in->rel;
		if (in->prefixes || in->rex || (in->kind != CK_KIND_JMP &&
						 in->kind != CK_KIND_JCC))
			return CK_RELOC_EBRANCH;
		if (in->kind == CK_KIND_JMP) {
			out[n++] = 0xe9;
		} else {	/* 7x rel8 or 0F 8x rel32: 0F 8x rel32 */
			out[n++] = 0x0f;
			out[n++] = (uint8_t)(0x80 | (in->opcode & 0x0f));
		}
		if (rel32(to + (uint64_t)n + 4, target, &r))
			return CK_RELOC_ERANGE;
		put32(out + n, r);
		n += 4;
	} else {
		for (i = 0; i < in->len; i++)
			out[i] = b[i];
		n = in->len;
		if (in->flags & CK_INSN_RIPREL) {
			int32_t d = (int32_t)((uint32_t)b[in->disp_off] |
					      (uint32_t)b[in->disp_off + 1] << 8 |
					      (uint32_t)b[in->disp_off + 2] << 16 |
					      (uint32_t)b[in->disp_off + 3] << 24);

			if (in->disp_len != 4 ||
			    rel32(to + in->len, next + (uint64_t)(int64_t)d, &r))
				return CK_RELOC_ERANGE;
			put32(out + in->disp_off, r);
		}
	}
	out[n] = 0xe9;
	if (rel32(to + (uint64_t)n + 5, next, &r))
		return CK_RELOC_ERANGE;
	put32(out + n + 1, r);
	return n + 5;
}

void ck_reloc_site(uint8_t *site, size_t len, uint64_t from, uint64_t to)
{
	size_t i = 2;

	if (len >= 5) {
		site[0] = 0xe9;
		put32(site + 1, (uint32_t)(to - (from + 5)));
		i = 5;
	} else {
		site[0] = 0xcd;
		site[1] = 0x80;
	}
	for (; i < len; i++)
		site[i] = 0xcc;
}
