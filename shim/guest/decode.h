/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ck's x86-64 instruction-length decoder (DESIGN.md section 3, "The module
 * enforces, ck rewrites"): from an instruction start, the instruction's
 * length and what rewriting needs (relative branches and their targets,
 * RIP-relative operands, the forbidden instructions and syscall).
 *
 * It decodes as a 64-bit CPU fetches: legacy prefixes (any number, any
 * order), REX (only the last one before the opcode counts; a REX followed
 * by a legacy prefix is ignored, but stays part of the instruction), the
 * one-byte map, 0F, 0F 38, 0F 3A, 3DNow! (0F 0F ... ib), VEX (C4/C5), EVEX
 * (62, maps 1, 2, 3, 5, 6) and XOP (8F, maps 8, 9, 10). Lengths come from
 * the Intel SDM (and AMD APM for 3DNow!, XOP and SSE4a) opcode maps.
 *
 * Freestanding: no libc, no writable data, tables are plain bytes (no
 * pointers, so nothing to relocate). Built into ck and, for tests, on the
 * host.
 */
#ifndef CK_DECODE_H
#define CK_DECODE_H

#include <stddef.h>
#include <stdint.h>

#define CK_INSN_MAX		15	/* the CPU's limit (#GP beyond) */

/* Errors (negative errno values, as Linux numbers them). */
#define CK_DECODE_EINVAL	(-22)	/* EINVAL: #UD in 64-bit mode */
#define CK_DECODE_ETOOLONG	(-7)	/* E2BIG: more than 15 bytes */
#define CK_DECODE_ETRUNC	(-61)	/* ENODATA: the buffer ends inside */
/*
 * EOPNOTSUPP: an operand-size prefix (66, no REX.W) on a relative jump or
 * call: Intel ignores it (rel32, 64-bit RIP), AMD takes rel16 and truncates
 * RIP to 16 bits, so length or target depends on the CPU. No compiler
 * emits it; code that has it is not rewritten.
 */
#define CK_DECODE_EVENDOR	(-95)

/* ck_insn.enc */
enum ck_insn_enc {
	CK_ENC_LEGACY = 0,	/* incl. 0F, 0F 38, 0F 3A, 3DNow! */
	CK_ENC_VEX = 1,
	CK_ENC_EVEX = 2,
	CK_ENC_XOP = 3,
};

/* ck_insn.map: the opcode map (VEX/EVEX/XOP: their map field). */
#define CK_MAP_ONE		0	/* one-byte opcodes */
#define CK_MAP_0F		1
#define CK_MAP_0F38		2
#define CK_MAP_0F3A		3
#define CK_MAP_EVEX5		5	/* AVX512-FP16 */
#define CK_MAP_EVEX6		6
#define CK_MAP_XOP8		8
#define CK_MAP_XOP9		9
#define CK_MAP_XOPA		10
#define CK_MAP_3DNOW		15	/* 0F 0F modrm ... ib: opcode = the ib */

/* ck_insn.kind */
enum ck_insn_kind {
	CK_KIND_OTHER = 0,
	CK_KIND_SYSCALL,	/* 0F 05 */
	CK_KIND_WRPKRU,		/* 0F 01 EF */
	CK_KIND_XRSTOR,		/* 0F AE /5, memory (XRSTOR, XRSTOR64) */
	CK_KIND_WRFSBASE,	/* 0F AE /2, register (F3 for WRFSBASE) */
	CK_KIND_WRGSBASE,	/* 0F AE /3, register (F3 for WRGSBASE) */
	CK_KIND_JMP,		/* EB rel8, E9 rel32 */
	CK_KIND_JCC,		/* 70-7F rel8, 0F 80-8F rel32 */
	CK_KIND_CALL,		/* E8 rel32 */
	CK_KIND_LOOP,		/* E0-E3 rel8: loopne, loope, loop, jrcxz */
	CK_KIND_XBEGIN,		/* C7 F8 rel32 (rel16 with 66) */
};

/* ck_insn.prefixes: the legacy prefixes seen */
#define CK_PFX_66		0x01
#define CK_PFX_67		0x02
#define CK_PFX_F0		0x04
#define CK_PFX_F2		0x08	/* F2 is the last of F2/F3 */
#define CK_PFX_F3		0x10	/* F3 is the last of F2/F3 */
#define CK_PFX_SEG		0x20	/* any of 26 2E 36 3E 64 65 */
#define CK_PFX_REX_IGNORED	0x40	/* a REX not just before the opcode */

/* ck_insn.flags */
#define CK_INSN_MODRM		0x01	/* modrm is valid */
#define CK_INSN_RIPREL		0x02	/* disp is RIP-relative (disp32) */
#define CK_INSN_REL		0x04	/* a relative branch: rel, target */

/* One decoded instruction; offsets are from the instruction's first byte. */
struct ck_insn {
	uint8_t len;		/* 1..15 */
	uint8_t enc;		/* enum ck_insn_enc */
	uint8_t map;		/* CK_MAP_* */
	uint8_t opcode;		/* within map */
	uint8_t opc_off;	/* offset of the first opcode/escape/VEX byte */
	uint8_t modrm;
	uint8_t modrm_off;
	uint8_t prefixes;	/* CK_PFX_* */
	uint8_t rex;		/* 0x40..0x4F that counts, or 0 */
	uint8_t disp_off, disp_len;	/* 0, 1 or 4 bytes (8: A0-A3 moffs) */
	uint8_t imm_off, imm_len;	/* immediates, incl. rel8/rel32 */
	uint8_t kind;		/* enum ck_insn_kind */
	uint8_t flags;		/* CK_INSN_* */
	int32_t rel;		/* CK_INSN_REL: the displacement */
	int64_t target;		/* CK_INSN_REL: off + len + rel */
};

/*
 * Decodes the instruction at buf[off] (buf has len bytes) into *insn.
 * Returns its length (1..15), or CK_DECODE_EINVAL, CK_DECODE_ETOOLONG,
 * CK_DECODE_ETRUNC (more bytes could make it an instruction: a later
 * buffer may complete it) or CK_DECODE_EVENDOR; *insn is then undefined,
 * except that after CK_DECODE_EINVAL insn->opc_off is the offset of the
 * first byte after the prefixes (the opcode, escape or VEX byte).
 */
int ck_decode(const void *buf, size_t len, size_t off, struct ck_insn *insn);

/*
 * What a decoded instruction does to the arithmetic flags (CF, PF, AF,
 * ZF, SF, OF), for the direct gate's proof that they are dead after a
 * syscall site (stubs.c). Conservative: anything not in the small table
 * is CK_FLAGS_UNKNOWN, which the proof takes as a read.
 */
enum ck_flags_effect {
	CK_FLAGS_UNKNOWN = 0,	/* not known: as if it read them */
	CK_FLAGS_READ,		/* reads some (Jcc, SETcc, CMOVcc, ADC, ...) */
	CK_FLAGS_NONE,		/* neither reads nor writes them (MOV, LEA) */
	CK_FLAGS_WRITE,		/* writes all six, reads none (CMP, TEST, ADD) */
	CK_FLAGS_RET,		/* RET, CALL: no flags pass a call (the ABI) */
};
int ck_insn_flags(const struct ck_insn *insn);

#endif
