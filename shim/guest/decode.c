// SPDX-License-Identifier: Apache-2.0
/*
 * ck's x86-64 instruction-length decoder (decode.h). The tables are written
 * from the Intel SDM's opcode maps (volume 2, appendix A) and the AMD APM's
 * (3DNow!, XOP, SSE4a); each entry says whether a ModRM byte follows and
 * which immediate. Everything else about an instruction's length is in the
 * code: prefixes, the ModRM/SIB/displacement rules, and the few opcodes
 * whose immediate depends on the ModRM reg field or a mandatory prefix.
 * Beyond the SDM: VIA/Zhaoxin PadLock (0F A6, 0F A7, ModRM-shaped).
 */
#include "decode.h"

/* Table entries: bit 0 ModRM, bits 1-3 the immediate, bit 4 invalid. */
#define A_M		0x01	/* a ModRM byte follows */
#define A_IB		(1 << 1)	/* imm8 */
#define A_IW		(2 << 1)	/* imm16 */
#define A_IZ		(3 << 1)	/* imm16 with 66, else imm32 */
#define A_IV		(4 << 1)	/* B8-BF: imm64 with REX.W, else as Iz */
#define A_MOFFS		(5 << 1)	/* A0-A3: 8 bytes, 4 with 67 */
#define A_IWB		(6 << 1)	/* C8 ENTER: imm16 + imm8 */
#define A_GRP3		(7 << 1)	/* F6/F7: imm only for /0 and /1 */
#define A_IMM_MASK	(7 << 1)
#define A_X		0x10	/* #UD in 64-bit mode (or undefined) */
#define A_SPECIAL	0x20	/* prefix or escape, handled in code */

#define M	A_M
#define Ib	A_IB
#define Iw	A_IW
#define Iz	A_IZ
#define Iv	A_IV
#define MIb	(A_M | A_IB)
#define MIz	(A_M | A_IZ)
#define X	A_X
#define S	A_SPECIAL
#define Ob	A_MOFFS
#define G3	(A_M | A_GRP3)
#define N	0	/* opcode alone */

/* One-byte opcodes in 64-bit mode (Intel SDM table A-2). */
static const uint8_t map_one[256] = {
	/* 00 */ M, M, M, M, Ib, Iz, X, X, M, M, M, M, Ib, Iz, X, S,
	/* 10 */ M, M, M, M, Ib, Iz, X, X, M, M, M, M, Ib, Iz, X, X,
	/* 20 */ M, M, M, M, Ib, Iz, S, X, M, M, M, M, Ib, Iz, S, X,
	/* 30 */ M, M, M, M, Ib, Iz, S, X, M, M, M, M, Ib, Iz, S, X,
	/* 40 REX */ S, S, S, S, S, S, S, S, S, S, S, S, S, S, S, S,
	/* 50 */ N, N, N, N, N, N, N, N, N, N, N, N, N, N, N, N,
	/* 60 */ X, X, S, M, S, S, S, S, Iz, MIz, Ib, MIb, N, N, N, N,
	/* 70 jcc rel8 */
	Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib,
	/* 80 */ MIb, MIz, X, MIb, M, M, M, M, M, M, M, M, M, M, M, S,
	/* 90 */ N, N, N, N, N, N, N, N, N, N, X, N, N, N, N, N,
	/* A0 */ Ob, Ob, Ob, Ob, N, N, N, N, Ib, Iz, N, N, N, N, N, N,
	/* B0 */ Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib, Iv, Iv, Iv, Iv, Iv, Iv, Iv, Iv,
	/* C0 */ MIb, MIb, Iw, N, S, S, MIb, MIz, A_IWB, N, Iw, N, N, Ib, X, N,
	/* D0 */ M, M, M, M, X, X, X, N, M, M, M, M, M, M, M, M,
	/* E0 */ Ib, Ib, Ib, Ib, Ib, Ib, Ib, Ib, Iz, Iz, X, Ib, N, N, N, N,
	/* F0 */ S, N, S, S, N, N, G3, G3, N, N, N, N, N, N, M, M,
};

/* Two-byte opcodes 0F xx (Intel SDM table A-3; 0F 0F is 3DNow!). */
static const uint8_t map_0f[256] = {
	/* 00 */ M, M, M, M, X, N, N, N, N, N, X, N, X, M, N, MIb,
	/* 10 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
	/* 20 */ M, M, M, M, X, X, X, X, M, M, M, M, M, M, M, M,
	/* 30 */ N, N, N, N, N, N, X, N, S, X, S, X, X, X, X, X,
	/* 40 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
	/* 50 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
	/* 60 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
	/* 70 */ MIb, MIb, MIb, MIb, M, M, M, N, S, M, X, X, M, M, M, M,
	/* 80 jcc rel32 */
	Iz, Iz, Iz, Iz, Iz, Iz, Iz, Iz, Iz, Iz, Iz, Iz, Iz, Iz, Iz, Iz,
	/* 90 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
	/* A0 (A6, A7: VIA PadLock, F3 0F A7 C8 = rep xcryptecb) */
	N, N, N, M, MIb, M, M, M, N, N, N, M, MIb, M, M, M,
	/* B0 */ M, M, M, M, M, M, M, M, M, M, MIb, M, M, M, M, M,
	/* C0 */ M, M, MIb, M, MIb, MIb, MIb, M, N, N, N, N, N, N, N, N,
	/* D0 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
	/* E0 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
	/* F0 */ M, M, M, M, M, M, M, M, M, M, M, M, M, M, M, M,
};

/*
 * The defined 3DNow! opcodes (the imm8 after 0F 0F ModRM; AMD APM volume 5
 * and the Geode LX's PFRCPV/PFRSQRTV), one bit each.
 */
static const uint8_t map_3dnow[32] = {
	[0x0c >> 3] = 1 << (0x0c & 7) | 1 << (0x0d & 7),	/* PI2FW, PI2FD */
	[0x1c >> 3] = 1 << (0x1c & 7) | 1 << (0x1d & 7),	/* PF2IW, PF2ID */
	[0x86 >> 3] = 1 << (0x86 & 7) | 1 << (0x87 & 7),	/* PFRCPV, PFRSQRTV */
	[0x8a >> 3] = 1 << (0x8a & 7) | 1 << (0x8e & 7),	/* PFNACC, PFPNACC */
	[0x90 >> 3] = 1 << (0x90 & 7) | 1 << (0x94 & 7) |	/* PFCMPGE, PFMIN */
		      1 << (0x96 & 7) | 1 << (0x97 & 7),	/* PFRCP, PFRSQRT */
	[0x9a >> 3] = 1 << (0x9a & 7) | 1 << (0x9e & 7),	/* PFSUB, PFADD */
	[0xa0 >> 3] = 1 << (0xa0 & 7) | 1 << (0xa4 & 7) |	/* PFCMPGT, PFMAX */
		      1 << (0xa6 & 7) | 1 << (0xa7 & 7),	/* PFRCPIT1, PFRSQIT1 */
	[0xaa >> 3] = 1 << (0xaa & 7) | 1 << (0xae & 7),	/* PFSUBR, PFACC */
	[0xb0 >> 3] = 1 << (0xb0 & 7) | 1 << (0xb4 & 7) |	/* PFCMPEQ, PFMUL */
		      1 << (0xb6 & 7) | 1 << (0xb7 & 7),	/* PFRCPIT2, PMULHRW */
	[0xbb >> 3] = 1 << (0xbb & 7) | 1 << (0xbf & 7),	/* PSWAPD, PAVGUSB */
};

#undef M
#undef Ib
#undef Iw
#undef Iz
#undef Iv
#undef MIb
#undef MIz
#undef X
#undef S
#undef Ob
#undef G3
#undef N

/* Decoding state: the bytes from the instruction's start. */
struct dec {
	const uint8_t *p;
	size_t avail;		/* readable bytes from p */
	unsigned int n;		/* bytes consumed */
};

/* Whether byte i (from the start) can be read; or the error to return. */
static int need(const struct dec *d, unsigned int i)
{
	if (i >= CK_INSN_MAX)
		return CK_DECODE_ETOOLONG;
	if (i >= d->avail)
		return CK_DECODE_ETRUNC;
	return 0;
}

/* Takes the next byte into *b. */
static int next(struct dec *d, uint8_t *b)
{
	int ret = need(d, d->n);

	if (ret)
		return ret;
	*b = d->p[d->n++];
	return 0;
}

/*
 * Reads the ModRM byte, then the SIB and displacement it asks for (32/64-bit
 * addressing: 67 does not change the form in 64-bit mode). reg_only: the
 * CPU takes mod as 11 whatever it says (MOV to/from CR/DR).
 */
static int modrm(struct dec *d, struct ck_insn *in, int reg_only)
{
	unsigned int mod, rm, disp = 0;
	uint8_t m, sib;
	int ret;

	in->modrm_off = (uint8_t)d->n;
	ret = next(d, &m);
	if (ret)
		return ret;
	in->modrm = m;
	in->flags |= CK_INSN_MODRM;
	mod = m >> 6;
	rm = m & 7;
	if (mod == 3 || reg_only)
		return 0;
	if (rm == 4) {
		ret = next(d, &sib);
		if (ret)
			return ret;
		if (mod == 0 && (sib & 7) == 5)
			disp = 4;
	} else if (mod == 0 && rm == 5) {
		disp = 4;
		in->flags |= CK_INSN_RIPREL;
	}
	if (mod == 1)
		disp = 1;
	else if (mod == 2)
		disp = 4;
	if (disp) {
		in->disp_off = (uint8_t)d->n;
		in->disp_len = (uint8_t)disp;
		d->n += disp;
		ret = need(d, d->n - 1);
		if (ret)
			return ret;
	}
	return 0;
}

/* Consumes an immediate of size bytes. */
static int imm(struct dec *d, struct ck_insn *in, unsigned int size)
{
	int ret;

	if (!size)
		return 0;
	in->imm_off = (uint8_t)d->n;
	in->imm_len = (uint8_t)size;
	d->n += size;
	ret = need(d, d->n - 1);
	return ret;
}

/* The size of an Iz immediate for this instruction. */
static unsigned int iz(const struct ck_insn *in)
{
	return (in->prefixes & CK_PFX_66) && !(in->rex & 8) ? 2 : 4;
}

/*
 * VEX (C4, C5), EVEX (62) and XOP (8F) after their escape byte: #UD after
 * 66, F2, F3, F0 or REX; then the payload, opcode, ModRM and immediate.
 */
static int vex_like(struct dec *d, struct ck_insn *in, uint8_t esc)
{
	uint8_t b1, b2 = 0, b3 = 0, op;
	unsigned int map, ib = 0;
	int ret;

	if ((in->prefixes & (CK_PFX_66 | CK_PFX_F0 | CK_PFX_F2 | CK_PFX_F3)) ||
	    in->rex)
		return CK_DECODE_EINVAL;
	ret = next(d, &b1);
	if (ret)
		return ret;
	if (esc == 0xc5) {
		in->enc = CK_ENC_VEX;
		map = 1;
	} else {
		ret = next(d, &b2);
		if (ret)
			return ret;
		if (esc == 0x62) {
			in->enc = CK_ENC_EVEX;
			ret = next(d, &b3);
			if (ret)
				return ret;
			map = b1 & 7;
			/* P0 bit 3 is 0 and P1 bit 2 is 1 (SDM 2.7.1). */
			if ((b1 & 0x08) || !(b2 & 0x04))
				return CK_DECODE_EINVAL;
			if (map != 1 && map != 2 && map != 3 && map != 5 &&
			    map != 6)
				return CK_DECODE_EINVAL;
		} else {
			in->enc = esc == 0xc4 ? CK_ENC_VEX : CK_ENC_XOP;
			map = b1 & 0x1f;
			if (esc == 0xc4 && (map < 1 || map > 3))
				return CK_DECODE_EINVAL;
			if (esc == 0x8f && map > 10)
				return CK_DECODE_EINVAL;
		}
	}
	in->map = (uint8_t)map;
	ret = next(d, &op);
	if (ret)
		return ret;
	in->opcode = op;
	/* VZEROUPPER/VZEROALL: the only VEX opcode without ModRM. */
	if (in->enc == CK_ENC_VEX && map == 1 && op == 0x77)
		return 0;
	ret = modrm(d, in, 0);
	if (ret)
		return ret;
	if (map == CK_MAP_0F)	/* as the legacy map: 70-73, C2, C4-C6 */
		ib = (map_0f[op] & A_IMM_MASK) == A_IB;
	else if (map == CK_MAP_0F3A || map == CK_MAP_XOP8)
		ib = 1;
	else if (map == CK_MAP_XOPA)
		ib = 4;		/* TBM BEXTR, LWP: imm32 */
	return imm(d, in, ib);
}

/* What rewriting needs to know of a few opcodes. */
static void classify(struct ck_insn *in)
{
	unsigned int mod = in->modrm >> 6, reg = (in->modrm >> 3) & 7;
	uint8_t op = in->opcode;

	if (in->enc != CK_ENC_LEGACY)
		return;
	if (in->map == CK_MAP_ONE) {
		if (op >= 0x70 && op <= 0x7f)
			in->kind = CK_KIND_JCC;
		else if (op >= 0xe0 && op <= 0xe3)
			in->kind = CK_KIND_LOOP;
		else if (op == 0xe8)
			in->kind = CK_KIND_CALL;
		else if (op == 0xe9 || op == 0xeb)
			in->kind = CK_KIND_JMP;
		else if (op == 0xc7 && in->modrm == 0xf8)
			in->kind = CK_KIND_XBEGIN;
		else
			return;
		in->flags |= CK_INSN_REL;
		return;
	}
	if (in->map != CK_MAP_0F)
		return;
	if (op == 0x05)
		in->kind = CK_KIND_SYSCALL;
	else if (op == 0x01 && in->modrm == 0xef)
		in->kind = CK_KIND_WRPKRU;
	else if (op >= 0x80 && op <= 0x8f) {
		in->kind = CK_KIND_JCC;
		in->flags |= CK_INSN_REL;
	} else if (op == 0xae && mod != 3 && reg == 5)
		in->kind = CK_KIND_XRSTOR;
	else if (op == 0xae && mod == 3 && reg == 2)
		in->kind = CK_KIND_WRFSBASE;
	else if (op == 0xae && mod == 3 && reg == 3)
		in->kind = CK_KIND_WRGSBASE;
}

/* The immediate of a legacy-map opcode with table entry a. */
static unsigned int legacy_imm(const struct ck_insn *in, uint8_t a)
{
	switch (a & A_IMM_MASK) {
	case A_IB:
		return 1;
	case A_IW:
		return 2;
	case A_IZ:
		return iz(in);
	case A_IV:
		return (in->rex & 8) ? 8 : iz(in);
	case A_IWB:
		return 3;
	case A_GRP3:	/* TEST Eb,Ib / Ev,Iz are /0 and /1 */
		if (((in->modrm >> 3) & 7) > 1)
			return 0;
		return in->opcode == 0xf6 ? 1 : iz(in);
	default:
		return 0;
	}
}

/*
 * One-byte opcodes whose ModRM makes them #UD (SDM table A-6): LEA of a
 * register, C6/C7 other than /0 (and XABORT/XBEGIN), FE /2-/7, FF /7 and
 * the far CALL/JMP of a register, POP /1-/7 that is not XOP.
 */
static int one_byte_ud(uint8_t op, uint8_t m)
{
	unsigned int mod = m >> 6, reg = (m >> 3) & 7;

	switch (op) {
	case 0x8d:
		return mod == 3;
	case 0x8f:
		return reg != 0;
	case 0xc6:
	case 0xc7:
		return reg != 0 && m != 0xf8;
	case 0xfe:
		return reg > 1;
	case 0xff:
		return reg == 7 || (mod == 3 && (reg == 3 || reg == 5));
	default:
		return 0;
	}
}

/* The legacy maps, from the opcode (or escape) byte at d->n. */
static int legacy(struct dec *d, struct ck_insn *in, uint8_t op)
{
	unsigned int size;
	uint8_t a;
	int ret;

	if (op != 0x0f) {
		in->map = CK_MAP_ONE;
		in->opcode = op;
		a = map_one[op];
	} else {
		ret = next(d, &op);
		if (ret)
			return ret;
		if (op == 0x38 || op == 0x3a) {
			/* Every 0F 38 has ModRM; every 0F 3A also an imm8. */
			in->map = op == 0x38 ? CK_MAP_0F38 : CK_MAP_0F3A;
			ret = next(d, &op);
			if (ret)
				return ret;
			in->opcode = op;
			ret = modrm(d, in, 0);
			if (ret)
				return ret;
			return imm(d, in, in->map == CK_MAP_0F3A);
		}
		in->map = CK_MAP_0F;
		in->opcode = op;
		a = map_0f[op];
		if (op == 0x78) {
			/*
			 * 66: EXTRQ xmm, imm8, imm8; F2: INSERTQ xmm, xmm,
			 * imm8, imm8 (SSE4a); none: VMREAD; F3: undefined.
			 */
			if (in->prefixes & CK_PFX_F3)
				return CK_DECODE_EINVAL;
			ret = modrm(d, in, 0);
			if (ret)
				return ret;
			if (in->prefixes & (CK_PFX_66 | CK_PFX_F2))
				return imm(d, in, 2);
			return 0;
		}
	}
	if (a & A_X)
		return CK_DECODE_EINVAL;
	if (a & A_M) {
		/* MOV to/from CR and DR ignore mod. */
		ret = modrm(d, in, in->map == CK_MAP_0F &&
			    op >= 0x20 && op <= 0x23);
		if (ret)
			return ret;
		if (in->map == CK_MAP_ONE && one_byte_ud(op, in->modrm))
			return CK_DECODE_EINVAL;
	}
	if ((a & A_IMM_MASK) == A_MOFFS) {
		/* MOV AL/rAX <-> moffs: an address, not an immediate. */
		in->disp_off = (uint8_t)d->n;
		in->disp_len = (in->prefixes & CK_PFX_67) ? 4 : 8;
		d->n += in->disp_len;
		return need(d, d->n - 1);
	}
	size = legacy_imm(in, a);
	if (in->map == CK_MAP_0F && op == 0x0f) {
		in->map = CK_MAP_3DNOW;	/* the imm8 is the opcode */
		ret = imm(d, in, 1);
		if (ret)
			return ret;
		op = d->p[d->n - 1];
		in->opcode = op;
		if (!(map_3dnow[op >> 3] & (1 << (op & 7))))
			return CK_DECODE_EINVAL;
		return 0;
	}
	return imm(d, in, size);
}

int ck_decode(const void *buf, size_t len, size_t off, struct ck_insn *in)
{
	struct dec d;
	uint8_t b, b1;
	int ret;

	in->len = 0;
	in->enc = CK_ENC_LEGACY;
	in->map = 0;
	in->opcode = 0;
	in->opc_off = 0;
	in->modrm = 0;
	in->modrm_off = 0;
	in->prefixes = 0;
	in->rex = 0;
	in->disp_off = 0;
	in->disp_len = 0;
	in->imm_off = 0;
	in->imm_len = 0;
	in->kind = CK_KIND_OTHER;
	in->flags = 0;
	in->rel = 0;
	in->target = 0;
	if (off >= len)
		return CK_DECODE_ETRUNC;
	d.p = (const uint8_t *)buf + off;
	d.avail = len - off;
	d.n = 0;

	for (;;) {
		ret = next(&d, &b);
		if (ret)
			return ret;
		switch (b) {
		case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64:
		case 0x65:
			in->prefixes |= CK_PFX_SEG;
			break;
		case 0x66:
			in->prefixes |= CK_PFX_66;
			break;
		case 0x67:
			in->prefixes |= CK_PFX_67;
			break;
		case 0xf0:
			in->prefixes |= CK_PFX_F0;
			break;
		case 0xf2:
			in->prefixes = (in->prefixes & ~CK_PFX_F3) | CK_PFX_F2;
			break;
		case 0xf3:
			in->prefixes = (in->prefixes & ~CK_PFX_F2) | CK_PFX_F3;
			break;
		default:
			if ((b & 0xf0) == 0x40) {
				/* Only the REX just before the opcode counts. */
				if (in->rex)
					in->prefixes |= CK_PFX_REX_IGNORED;
				in->rex = b;
				continue;
			}
			goto opcode;
		}
		/* A legacy prefix after a REX: the REX is ignored. */
		if (in->rex)
			in->prefixes |= CK_PFX_REX_IGNORED;
		in->rex = 0;
	}
opcode:
	in->opc_off = (uint8_t)(d.n - 1);
	if (b == 0xc4 || b == 0xc5 || b == 0x62) {
		ret = vex_like(&d, in, b);
	} else if (b == 0x8f) {
		/* XOP when the next byte's map field is 8 or more; else POP. */
		ret = need(&d, d.n);
		if (ret)
			return ret;
		b1 = d.p[d.n];
		if ((b1 & 0x1f) >= 8) {
			ret = vex_like(&d, in, b);
		} else {
			in->map = CK_MAP_ONE;
			in->opcode = b;
			ret = modrm(&d, in, 0);
			if (!ret && one_byte_ud(b, in->modrm))
				ret = CK_DECODE_EINVAL;
		}
	} else {
		ret = legacy(&d, in, b);
	}
	if (ret)
		return ret;
	in->len = (uint8_t)d.n;
	classify(in);
	if (in->flags & CK_INSN_REL) {
		if (in->imm_len == 1)
			in->rel = (int8_t)d.p[in->imm_off];
		else if (in->imm_len == 2)
			in->rel = (int16_t)(d.p[in->imm_off] |
					    d.p[in->imm_off + 1] << 8);
		else
			in->rel = (int32_t)((uint32_t)d.p[in->imm_off] |
				(uint32_t)d.p[in->imm_off + 1] << 8 |
				(uint32_t)d.p[in->imm_off + 2] << 16 |
				(uint32_t)d.p[in->imm_off + 3] << 24);
		/* See CK_DECODE_EVENDOR; XBEGIN's rel16 is defined. */
		if (in->kind != CK_KIND_XBEGIN &&
		    (in->prefixes & CK_PFX_66) && !(in->rex & 8))
			return CK_DECODE_EVENDOR;
		in->target = (int64_t)off + d.n + in->rel;
	}
	return (int)d.n;
}

/*
 * The flags-effect table (decode.h): the common instructions after a
 * syscall in glibc, musl and Go (cmp/test of the result, moves, ret).
 * One-byte map only, legacy encoding; everything else is unknown.
 */
int ck_insn_flags(const struct ck_insn *in)
{
	unsigned int reg = (in->modrm >> 3) & 7;
	uint8_t op = in->opcode;

	if (in->enc != CK_ENC_LEGACY)
		return CK_FLAGS_UNKNOWN;
	if (in->map == CK_MAP_0F) {
		if (op == 0x1f || (op >= 0xb6 && op <= 0xb7) ||
		    (op >= 0xbe && op <= 0xbf))
			return CK_FLAGS_NONE;	/* nopl, movzx, movsx */
		if ((op >= 0x40 && op <= 0x4f) || (op >= 0x80 && op <= 0x9f))
			return CK_FLAGS_READ;	/* cmovcc, jcc, setcc */
		return CK_FLAGS_UNKNOWN;
	}
	if (in->map != CK_MAP_ONE)
		return CK_FLAGS_UNKNOWN;
	if (op < 0x40 && (op & 7) < 6) {
		/* add, or, adc, sbb, and, sub, xor, cmp: adc and sbb read CF */
		if ((op >> 3) == 2 || (op >> 3) == 3)
			return CK_FLAGS_READ;
		return CK_FLAGS_WRITE;
	}
	switch (op) {
	case 0x80: case 0x81: case 0x83:	/* group 1, as above */
		return reg == 2 || reg == 3 ? CK_FLAGS_READ : CK_FLAGS_WRITE;
	case 0x84: case 0x85: case 0xa8: case 0xa9:	/* test */
		return CK_FLAGS_WRITE;
	case 0xf6: case 0xf7:	/* test /0, neg /3 */
		return reg == 0 || reg == 3 ? CK_FLAGS_WRITE : CK_FLAGS_UNKNOWN;
	case 0x88: case 0x89: case 0x8a: case 0x8b: case 0x8d: case 0x63:
	case 0x90: case 0x98: case 0x99:
		return CK_FLAGS_NONE;	/* mov, lea, movsxd, nop, cdqe, cqo */
	case 0xc6: case 0xc7:
		return reg == 0 && in->modrm != 0xf8 ? CK_FLAGS_NONE :
		       CK_FLAGS_UNKNOWN;
	case 0xc2: case 0xc3: case 0xe8:	/* ret, call rel32 */
		return CK_FLAGS_RET;
	default:
		if ((op >= 0x50 && op <= 0x5f) || (op >= 0xb0 && op <= 0xbf))
			return CK_FLAGS_NONE;	/* push, pop, mov imm */
		if (op >= 0x70 && op <= 0x7f)
			return CK_FLAGS_READ;	/* jcc */
		return CK_FLAGS_UNKNOWN;
	}
}
