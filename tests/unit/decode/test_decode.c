// SPDX-License-Identifier: Apache-2.0
/*
 * Unit tests of ck's instruction-length decoder (shim/guest/decode.c) on
 * hand-picked encodings, each with the length and fields the SDM gives:
 * every prefix kind, REX, the 0F/0F38/0F3A maps, 3DNow!, x87, VEX, EVEX,
 * XOP, RIP-relative operands, relative branches, the forbidden patterns
 * and syscall, the 15-byte limit, #UD opcodes and truncated buffers.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "decode.h"

#include <paracell/scan.h>

struct enc {
	const char *what;
	unsigned char b[16];
	int len;		/* expected ck_decode result */
};

#define E(what, len, ...) { what, { __VA_ARGS__ }, len }

/* Instructions and their lengths (as gas assembles them, SDM volume 2). */
static const struct enc lengths[] = {
	E("nop", 1, 0x90),
	E("ret", 1, 0xc3),
	E("push %rbp", 1, 0x55),
	E("push %r12", 2, 0x41, 0x54),
	E("mov %rsp,%rbp", 3, 0x48, 0x89, 0xe5),
	E("add $0x1,%al", 2, 0x04, 0x01),
	E("add $0x12345678,%eax", 5, 0x05, 0x78, 0x56, 0x34, 0x12),
	E("add $0x1234,%ax", 4, 0x66, 0x05, 0x34, 0x12),
	E("add $imm32,%rax", 6, 0x48, 0x05, 1, 2, 3, 4),
	E("66 REX.W add: REX.W wins, imm32", 7, 0x66, 0x48, 0x05, 1, 2, 3, 4),
	E("mov $imm64,%rax", 10, 0x48, 0xb8, 1, 2, 3, 4, 5, 6, 7, 8),
	E("mov $imm32,%eax", 5, 0xb8, 1, 2, 3, 4),
	E("mov $imm16,%ax", 4, 0x66, 0xb8, 1, 2),
	E("movabs 0x..,%al (moffs64)", 9, 0xa0, 1, 2, 3, 4, 5, 6, 7, 8),
	E("addr32 movabs (moffs32)", 6, 0x67, 0xa1, 1, 2, 3, 4),
	E("mov %eax,(%rax)", 2, 0x89, 0x00),
	E("mov %eax,(%rsp) (SIB)", 3, 0x89, 0x04, 0x24),
	E("mov %eax,0x8(%rbp)", 3, 0x89, 0x45, 0x08),
	E("mov %eax,0x1000(%rbp)", 6, 0x89, 0x85, 0, 0x10, 0, 0),
	E("mov %eax,0x0(,%rax,4) (SIB no base)", 7,
	  0x89, 0x04, 0x85, 0, 0, 0, 0),
	E("mov %eax,0x8(%rsp,%rax,2)", 4, 0x89, 0x44, 0x44, 0x08),
	E("movl $1,0x10(%rax,%rbx,8)", 8,
	  0xc7, 0x44, 0xd8, 0x10, 1, 0, 0, 0),
	E("movw $1,(%rax)", 5, 0x66, 0xc7, 0x00, 1, 0),
	E("movb $1,(%rax)", 3, 0xc6, 0x00, 1),
	E("test $1,%bl (F6 /0)", 3, 0xf6, 0xc3, 1),
	E("not %bl (F6 /2, no imm)", 2, 0xf6, 0xd3),
	E("test $imm32,%ebx (F7 /0)", 6, 0xf7, 0xc3, 1, 2, 3, 4),
	E("test $imm16,%bx", 5, 0x66, 0xf7, 0xc3, 1, 2),
	E("neg %rbx (F7 /3)", 3, 0x48, 0xf7, 0xdb),
	E("enter $8,$0", 4, 0xc8, 8, 0, 0),
	E("ret $8", 3, 0xc2, 8, 0),
	E("int $0x80", 2, 0xcd, 0x80),
	E("imul $3,%eax,%eax", 3, 0x6b, 0xc0, 3),
	E("imul $imm32,%eax,%eax", 6, 0x69, 0xc0, 1, 2, 3, 4),
	E("push $imm32", 5, 0x68, 1, 2, 3, 4),
	E("shl $3,%eax", 3, 0xc1, 0xe0, 3),
	E("pop (%rax) (8F /0)", 2, 0x8f, 0x00),
	E("ljmp *(%rax) (FF /5 memory)", 2, 0xff, 0x28),
	E("call *%rax", 2, 0xff, 0xd0),
	E("dec %al (FE /1)", 2, 0xfe, 0xc8),
	E("xabort $1", 3, 0xc6, 0xf8, 1),
	E("lock cmpxchg %ecx,(%rdx)", 4, 0xf0, 0x0f, 0xb1, 0x0a),
	E("rep stos", 3, 0xf3, 0x48, 0xab),
	E("repnz scas", 2, 0xf2, 0xae),
	E("fs mov (%rax),%rax", 4, 0x64, 0x48, 0x8b, 0x00),
	E("gs, ss, es, ds, cs prefixes", 7, 0x65, 0x36, 0x26, 0x3e, 0x2e,
	  0x8b, 0x00),
	E("addr32 lea (%eax),%eax", 3, 0x67, 0x8d, 0x00),
	E("cs nopw 0x0(%rax,%rax,1)", 10,
	  0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0),
	E("14 prefixes + nop (15 bytes)", 15, 0x66, 0x66, 0x66, 0x66, 0x66,
	  0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x2e, 0x90),
	E("REX then 66: REX ignored, still counted", 3, 0x48, 0x66, 0x90),
	E("two REX: the last counts (mov $imm32)", 7, 0x48, 0x40, 0xb8,
	  1, 2, 3, 4),
	E("REX.W then 66 mov $imm: 66 counts (imm16)", 5, 0x48, 0x66, 0xb8,
	  1, 2),
	E("fwait alone", 1, 0x9b),
	E("fnstcw (%rax)", 2, 0xd9, 0x38),
	E("fld %st(1)", 2, 0xd9, 0xc1),
	E("fldt 0x10(%rsp)", 4, 0xdb, 0x6c, 0x24, 0x10),
	/* 0F */
	E("syscall", 2, 0x0f, 0x05),
	E("ud2", 2, 0x0f, 0x0b),
	E("ud0 (%rax),%eax", 3, 0x0f, 0xff, 0x00),
	E("cpuid", 2, 0x0f, 0xa2),
	E("endbr64", 4, 0xf3, 0x0f, 0x1e, 0xfa),
	E("rdpkru", 3, 0x0f, 0x01, 0xee),
	E("wrpkru", 3, 0x0f, 0x01, 0xef),
	E("xrstor (%rsp)", 4, 0x0f, 0xae, 0x2c, 0x24),
	E("xrstor64 0x40(%rsp)", 6, 0x48, 0x0f, 0xae, 0x6c, 0x24, 0x40),
	E("wrfsbase %rax", 5, 0xf3, 0x48, 0x0f, 0xae, 0xd0),
	E("wrgsbase %eax", 4, 0xf3, 0x0f, 0xae, 0xd8),
	E("lfence", 3, 0x0f, 0xae, 0xe8),
	E("mov %cr0,%rax: mod ignored", 3, 0x0f, 0x20, 0x00),
	E("mov %rax,%dr7", 3, 0x0f, 0x23, 0x38),
	E("cmovne %eax,%ebx", 3, 0x0f, 0x45, 0xd8),
	E("shld $3,%eax,%ebx", 4, 0x0f, 0xa4, 0xc3, 3),
	E("bt $3,%eax (0F BA)", 4, 0x0f, 0xba, 0xe0, 3),
	E("pshufd $0x1b,%xmm1,%xmm0", 5, 0x66, 0x0f, 0x70, 0xc1, 0x1b),
	E("psrldq $4,%xmm0 (0F 73)", 5, 0x66, 0x0f, 0x73, 0xd8, 4),
	E("cmpps $0,%xmm1,%xmm0", 4, 0x0f, 0xc2, 0xc1, 0),
	E("pinsrw $1,%eax,%xmm0 (0F C4)", 5, 0x66, 0x0f, 0xc4, 0xc0, 1),
	E("movups 0x0(%rip),%xmm0", 7, 0x0f, 0x10, 0x05, 0, 0, 0, 0),
	E("vmread %rax,%rbx (0F 78, no imm)", 3, 0x0f, 0x78, 0xc3),
	E("extrq $1,$2,%xmm0 (66 0F 78)", 6, 0x66, 0x0f, 0x78, 0xc0, 1, 2),
	E("insertq $1,$2,%xmm1,%xmm0 (F2 0F 78)", 6,
	  0xf2, 0x0f, 0x78, 0xc1, 1, 2),
	E("popcnt %eax,%ebx", 4, 0xf3, 0x0f, 0xb8, 0xd8),
	E("prefetchw (%rax) (0F 0D)", 3, 0x0f, 0x0d, 0x08),
	E("femms", 2, 0x0f, 0x0e),
	E("3DNow! pfadd %mm1,%mm0", 4, 0x0f, 0x0f, 0xc1, 0x9e),
	E("3DNow! pfmul 0x8(%rax),%mm0", 5, 0x0f, 0x0f, 0x40, 0x08, 0xb4),
	E("3DNow! pi2fw", 4, 0x0f, 0x0f, 0xc1, 0x0c),
	E("3DNow! pavgusb", 4, 0x0f, 0x0f, 0xc1, 0xbf),
	E("3DNow! pswapd", 4, 0x0f, 0x0f, 0xc1, 0xbb),
	E("rdrand %eax", 3, 0x0f, 0xc7, 0xf0),
	E("cmpxchg16b (%rdi)", 4, 0x48, 0x0f, 0xc7, 0x0f),
	E("bswap %r8", 3, 0x49, 0x0f, 0xc8),
	E("rep xsha1 (VIA PadLock)", 4, 0xf3, 0x0f, 0xa6, 0xc8),
	E("xstore-rng (VIA PadLock)", 3, 0x0f, 0xa7, 0xc0),
	E("rep xsha512 (Zhaoxin, not in binutils 2.40)", 4,
	  0xf3, 0x0f, 0xa6, 0xe0),
	/* 0F 38, 0F 3A */
	E("pshufb %xmm1,%xmm0", 5, 0x66, 0x0f, 0x38, 0x00, 0xc1),
	E("crc32q %rax,%rbx", 6, 0xf2, 0x48, 0x0f, 0x38, 0xf1, 0xd8),
	E("movbe (%rax),%eax", 4, 0x0f, 0x38, 0xf0, 0x00),
	E("sha256rnds2", 4, 0x0f, 0x38, 0xcb, 0xc1),
	E("palignr $8,%xmm1,%xmm0", 6, 0x66, 0x0f, 0x3a, 0x0f, 0xc1, 8),
	E("pclmulqdq $0x11,0x10(%rax),%xmm0", 7,
	  0x66, 0x0f, 0x3a, 0x44, 0x40, 0x10, 0x11),
	E("sha1rnds4 $1", 5, 0x0f, 0x3a, 0xcc, 0xc1, 1),
	/* VEX */
	E("vzeroupper (C5, no ModRM)", 3, 0xc5, 0xf8, 0x77),
	E("vzeroall (C4, no ModRM)", 4, 0xc4, 0xe1, 0x7c, 0x77),
	E("vmovdqu (%rsi),%ymm0", 4, 0xc5, 0xfe, 0x6f, 0x06),
	E("vpxor %ymm2,%ymm1,%ymm0", 4, 0xc5, 0xf5, 0xef, 0xc2),
	E("vpshufd $0x1b,%xmm1,%xmm0", 5, 0xc5, 0xf9, 0x70, 0xc1, 0x1b),
	E("vpshufb (C4 map 2)", 5, 0xc4, 0xe2, 0x71, 0x00, 0xc2),
	E("vpalignr $8 (C4 map 3)", 6, 0xc4, 0xe3, 0x71, 0x0f, 0xc2, 8),
	E("vpermq $0x4e,0x20(%rax),%ymm0", 7,
	  0xc4, 0xe3, 0xfd, 0x00, 0x40, 0x20, 0x4e),
	E("andn %eax,%ebx,%ecx (BMI)", 5, 0xc4, 0xe2, 0x60, 0xf2, 0xc8),
	E("rorx $3,%eax,%ebx", 6, 0xc4, 0xe3, 0x7b, 0xf0, 0xd8, 3),
	E("kmovw %k1,%k2", 4, 0xc5, 0xf8, 0x90, 0xd1),
	E("vmovdqu 0x0(%rip),%ymm0", 8, 0xc5, 0xfe, 0x6f, 0x05, 0, 0, 0, 0),
	E("ldtilecfg (%rax) (AMX)", 5, 0xc4, 0xe2, 0x78, 0x49, 0x00),
	E("tilerelease (AMX)", 5, 0xc4, 0xe2, 0x78, 0x49, 0xc0),
	/* EVEX */
	E("vmovdqu64 (%rsi),%zmm0", 6, 0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x06),
	E("vpxorq %zmm2,%zmm1,%zmm0", 6, 0x62, 0xf1, 0xf5, 0x48, 0xef, 0xc2),
	E("vmovdqu64 0x40(%rsi),%zmm0 (disp8*N)", 7,
	  0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x46, 0x01),
	E("vpternlogd $0x96 (map 3)", 7,
	  0x62, 0xf3, 0x75, 0x48, 0x25, 0xc2, 0x96),
	E("vpshufd $0x1b (EVEX map 1 imm)", 7,
	  0x62, 0xf1, 0x7d, 0x48, 0x70, 0xc1, 0x1b),
	E("vpermb (map 2)", 6, 0x62, 0xf2, 0x75, 0x48, 0x8d, 0xc2),
	E("vaddph (map 5, FP16)", 6, 0x62, 0xf5, 0x74, 0x48, 0x58, 0xc2),
	E("vfmadd132ph (map 6)", 6, 0x62, 0xf6, 0x75, 0x48, 0x98, 0xc2),
	E("vmovdqu64 0x0(%rip),%zmm0", 10,
	  0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x05, 0, 0, 0, 0),
	/* XOP (AMD) */
	E("vprotb $1 (XOP map 8, imm8)", 6, 0x8f, 0xe8, 0x78, 0xc0, 0xc1, 1),
	E("vfrczps (XOP map 9)", 5, 0x8f, 0xe9, 0x78, 0x80, 0xc1),
	E("bextr $imm32 (XOP map A, TBM)", 9,
	  0x8f, 0xea, 0x78, 0x10, 0xc1, 1, 2, 3, 4),
};

/* Bytes every CPU refuses, or the decoder must. */
static const struct enc errors[] = {
	E("push %es: #UD in 64-bit mode", CK_DECODE_EINVAL, 0x06),
	E("aaa", CK_DECODE_EINVAL, 0x37),
	E("pusha", CK_DECODE_EINVAL, 0x60),
	E("82 /0 (alias of 80)", CK_DECODE_EINVAL, 0x82, 0xc0, 1),
	E("lcall ptr16:32 (9A)", CK_DECODE_EINVAL, 0x9a, 1, 2, 3, 4, 5, 6),
	E("into", CK_DECODE_EINVAL, 0xce),
	E("aam", CK_DECODE_EINVAL, 0xd4, 0x0a),
	E("salc", CK_DECODE_EINVAL, 0xd6),
	E("ljmp ptr16:32 (EA)", CK_DECODE_EINVAL, 0xea, 1, 2, 3, 4, 5, 6),
	E("lea %eax,%eax (register)", CK_DECODE_EINVAL, 0x8d, 0xc0),
	E("C6 /1", CK_DECODE_EINVAL, 0xc6, 0x08, 1),
	E("C7 /7 not F8", CK_DECODE_EINVAL, 0xc7, 0x38, 1, 2, 3, 4),
	E("FE /2", CK_DECODE_EINVAL, 0xfe, 0x10),
	E("FF /7", CK_DECODE_EINVAL, 0xff, 0xff),
	E("ljmp *%rax (FF /5 register)", CK_DECODE_EINVAL, 0xff, 0xe8),
	E("lcall *%rax (FF /3 register)", CK_DECODE_EINVAL, 0xff, 0xd8),
	E("8F /4 (not XOP: map field < 8)", CK_DECODE_EINVAL, 0x8f, 0xe0),
	E("3DNow! suffix 0F (undefined)", CK_DECODE_EINVAL,
	  0x0f, 0x0f, 0x0f, 0x0f),
	E("3DNow! suffix 01 (undefined)", CK_DECODE_EINVAL,
	  0x0f, 0x0f, 0xc1, 0x01),
	E("0F 04", CK_DECODE_EINVAL, 0x0f, 0x04),
	E("0F 24 (mov tr)", CK_DECODE_EINVAL, 0x0f, 0x24, 0xc0),
	E("0F 39", CK_DECODE_EINVAL, 0x0f, 0x39),
	E("F3 0F 78", CK_DECODE_EINVAL, 0xf3, 0x0f, 0x78, 0xc0, 1, 2),
	E("66 before VEX", CK_DECODE_EINVAL, 0x66, 0xc5, 0xf8, 0x77),
	E("REX before VEX", CK_DECODE_EINVAL, 0x48, 0xc5, 0xf8, 0x77),
	E("F3 before EVEX", CK_DECODE_EINVAL,
	  0xf3, 0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x06),
	E("lock before VEX", CK_DECODE_EINVAL, 0xf0, 0xc4, 0xe1, 0x7c, 0x77),
	E("VEX map 0", CK_DECODE_EINVAL, 0xc4, 0xe0, 0x7c, 0x77),
	E("VEX map 4", CK_DECODE_EINVAL, 0xc4, 0xe4, 0x7c, 0x10, 0xc0),
	E("EVEX map 4 (APX, not on this CPU generation)", CK_DECODE_EINVAL,
	  0x62, 0xf4, 0x7c, 0x48, 0x10, 0xc0),
	E("EVEX map 7", CK_DECODE_EINVAL, 0x62, 0xf7, 0x7c, 0x48, 0x10, 0xc0),
	E("EVEX P1 bit 2 clear", CK_DECODE_EINVAL,
	  0x62, 0xf1, 0xfa, 0x48, 0x6f, 0x06),
	E("EVEX P0 bit 3 set", CK_DECODE_EINVAL,
	  0x62, 0xf9, 0xfe, 0x48, 0x6f, 0x06),
	E("XOP map 11", CK_DECODE_EINVAL, 0x8f, 0xeb, 0x78, 0x10, 0xc1),
	E("15 prefixes + nop (16 bytes)", CK_DECODE_ETOOLONG,
	  0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	  0x66, 0x66, 0x66, 0x66, 0x2e, 0x90),
	E("6 prefixes + mov $imm64 (16 bytes)", CK_DECODE_ETOOLONG,
	  0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x48, 0xb8, 1, 2, 3, 4, 5, 6,
	  7, 8),
	E("6 prefixes + movl $imm32,disp32(%rax) (16 bytes)",
	  CK_DECODE_ETOOLONG,
	  0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0x2e, 0xc7, 0x80, 1, 2, 3, 4,
	  5, 6, 7, 8),
	E("66 jmp rel: Intel rel32, AMD rel16", CK_DECODE_EVENDOR,
	  0x66, 0xe9, 1, 2, 3, 4),
	E("66 call rel", CK_DECODE_EVENDOR, 0x66, 0xe8, 1, 2, 3, 4),
	E("66 jcc rel8", CK_DECODE_EVENDOR, 0x66, 0x74, 1),
	E("66 jcc rel32", CK_DECODE_EVENDOR, 0x66, 0x0f, 0x84, 1, 2, 3, 4),
	E("66 loop", CK_DECODE_EVENDOR, 0x66, 0xe2, 1),
};

static size_t enc_size(const struct enc *e)
{
	size_t n = sizeof(e->b);

	while (n > 1 && e->b[n - 1] == 0 && (int)n > e->len)
		n--;
	return n;
}

static void test_lengths(void **state)
{
	unsigned char buf[32];
	struct ck_insn in;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		/* a trailing int3 must never be taken */
		memset(buf, 0xcc, sizeof(buf));
		memcpy(buf + 3, lengths[i].b, (size_t)lengths[i].len);
		r = ck_decode(buf, 3 + (size_t)lengths[i].len + 8, 3, &in);
		if (r != lengths[i].len)
			fail_msg("%s: length %d, want %d", lengths[i].what, r,
				 lengths[i].len);
		assert_int_equal(in.len, r);
	}
}

/* Every encoding cut short is ETRUNC, never a shorter instruction. */
static void test_truncated(void **state)
{
	struct ck_insn in;
	size_t i;
	int cut, r;

	(void)state;
	for (i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
		for (cut = 0; cut < lengths[i].len; cut++) {
			r = ck_decode(lengths[i].b, (size_t)cut, 0, &in);
			if (r != CK_DECODE_ETRUNC)
				fail_msg("%s cut to %d: %d", lengths[i].what,
					 cut, r);
		}
	}
}

static void test_errors(void **state)
{
	struct ck_insn in;
	size_t i;
	int r;

	(void)state;
	for (i = 0; i < sizeof(errors) / sizeof(errors[0]); i++) {
		r = ck_decode(errors[i].b, enc_size(&errors[i]), 0, &in);
		if (r != errors[i].len)
			fail_msg("%s: %d, want %d", errors[i].what, r,
				 errors[i].len);
	}
}

/* After an #UD, opc_off says where the prefixes end. */
static void test_ud_opcode_offset(void **state)
{
	static const struct {
		unsigned char b[8];
		unsigned int opc_off;
	} ud[] = {
		{ { 0x06 }, 0 },
		{ { 0x36, 0xce }, 1 },
		{ { 0x4c, 0x4c, 0xd4, 0x0a }, 2 },
		{ { 0x66, 0xc5, 0xf8, 0x77 }, 1 },
		{ { 0xf0, 0x0f, 0x04 }, 1 },
		{ { 0x48, 0x8d, 0xc0 }, 1 },
	};
	struct ck_insn in;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ud) / sizeof(ud[0]); i++) {
		assert_int_equal(ck_decode(ud[i].b, sizeof(ud[i].b), 0, &in),
				 CK_DECODE_EINVAL);
		assert_int_equal(in.opc_off, ud[i].opc_off);
	}
}

/* The 15-byte limit is decided before the buffer's end. */
static void test_too_long_short_buffer(void **state)
{
	static const unsigned char b[15] = {
		0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
		0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66,
	};
	struct ck_insn in;

	(void)state;
	assert_int_equal(ck_decode(b, 15, 0, &in), CK_DECODE_ETOOLONG);
	assert_int_equal(ck_decode(b, 14, 0, &in), CK_DECODE_ETRUNC);
	assert_int_equal(ck_decode(b, 15, 15, &in), CK_DECODE_ETRUNC);
}

static int decode1(const unsigned char *b, size_t n, size_t off,
		   struct ck_insn *in)
{
	return ck_decode(b, n, off, in);
}

static void test_branches(void **state)
{
	/* at offset 16 of a 64-byte buffer */
	static const struct {
		unsigned char b[8];
		int len;
		unsigned int kind;
		int32_t rel;
		unsigned int imm_len;
	} br[] = {
		{ { 0x74, 0x10 }, 2, CK_KIND_JCC, 0x10, 1 },
		{ { 0x7f, 0xfe }, 2, CK_KIND_JCC, -2, 1 },
		{ { 0x0f, 0x84, 0x00, 0x01, 0, 0 }, 6, CK_KIND_JCC, 0x100, 4 },
		{ { 0x0f, 0x8f, 0xf0, 0xff, 0xff, 0xff }, 6, CK_KIND_JCC, -16,
		  4 },
		{ { 0xeb, 0x80 }, 2, CK_KIND_JMP, -128, 1 },
		{ { 0xe9, 1, 0, 0, 0 }, 5, CK_KIND_JMP, 1, 4 },
		{ { 0xe8, 0xfb, 0xff, 0xff, 0xff }, 5, CK_KIND_CALL, -5, 4 },
		{ { 0xe2, 0x02 }, 2, CK_KIND_LOOP, 2, 1 },
		{ { 0xe3, 0x02 }, 2, CK_KIND_LOOP, 2, 1 },
		{ { 0x67, 0xe3, 0x02 }, 3, CK_KIND_LOOP, 2, 1 },
		{ { 0xc7, 0xf8, 8, 0, 0, 0 }, 6, CK_KIND_XBEGIN, 8, 4 },
		{ { 0x66, 0xc7, 0xf8, 8, 0 }, 5, CK_KIND_XBEGIN, 8, 2 },
		{ { 0x3e, 0x74, 0x10 }, 3, CK_KIND_JCC, 0x10, 1 },
		{ { 0xf2, 0xe9, 1, 0, 0, 0 }, 6, CK_KIND_JMP, 1, 4 },
		{ { 0x48, 0xe9, 1, 0, 0, 0 }, 6, CK_KIND_JMP, 1, 4 },
		{ { 0x66, 0x48, 0xe8, 1, 0, 0, 0 }, 7, CK_KIND_CALL, 1, 4 },
	};
	unsigned char buf[64];
	struct ck_insn in;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(br) / sizeof(br[0]); i++) {
		memset(buf, 0x90, sizeof(buf));
		memcpy(buf + 16, br[i].b, sizeof(br[i].b));
		assert_int_equal(decode1(buf, sizeof(buf), 16, &in), br[i].len);
		assert_int_equal(in.kind, br[i].kind);
		assert_true(in.flags & CK_INSN_REL);
		assert_int_equal(in.rel, br[i].rel);
		assert_int_equal(in.imm_len, br[i].imm_len);
		assert_int_equal(in.imm_off + in.imm_len, br[i].len);
		assert_int_equal(in.target, 16 + br[i].len + br[i].rel);
	}
	/* indirect branches and ret are not relative */
	memcpy(buf, "\xff\xe0\xff\x15\0\0\0\0\xc3", 9);
	assert_int_equal(decode1(buf, 9, 0, &in), 2);
	assert_false(in.flags & CK_INSN_REL);
	assert_int_equal(decode1(buf, 9, 2, &in), 6);
	assert_false(in.flags & CK_INSN_REL);
	assert_true(in.flags & CK_INSN_RIPREL);
	assert_int_equal(in.kind, CK_KIND_OTHER);
}

static void test_riprel(void **state)
{
	static const struct {
		unsigned char b[16];
		int len;
		unsigned int disp_off, imm_len;
	} rr[] = {
		/* lea 0x10(%rip),%rax */
		{ { 0x48, 0x8d, 0x05, 0x10, 0, 0, 0 }, 7, 3, 0 },
		/* cmpl $0x5,0x10(%rip): imm after disp */
		{ { 0x83, 0x3d, 0x10, 0, 0, 0, 5 }, 7, 2, 1 },
		/* movl $imm32,0x10(%rip) */
		{ { 0xc7, 0x05, 0x10, 0, 0, 0, 1, 2, 3, 4 }, 10, 2, 4 },
		/* fs addr32 mov 0x10(%eip),%eax */
		{ { 0x64, 0x67, 0x8b, 0x05, 0x10, 0, 0, 0 }, 8, 4, 0 },
		/* vpshufb 0x10(%rip),%ymm1,%ymm0 (C4 map 2) */
		{ { 0xc4, 0xe2, 0x75, 0x00, 0x05, 0x10, 0, 0, 0 }, 9, 5, 0 },
		/* vpalignr $8,0x10(%rip): imm8 after disp */
		{ { 0xc4, 0xe3, 0x71, 0x0f, 0x05, 0x10, 0, 0, 0, 8 }, 10, 5, 1 },
		/* vpternlogd $0x96,0x10(%rip),%zmm1,%zmm0 (EVEX) */
		{ { 0x62, 0xf3, 0x75, 0x48, 0x25, 0x05, 0x10, 0, 0, 0, 0x96 },
		  11, 6, 1 },
		/* xrstor 0x10(%rip) */
		{ { 0x0f, 0xae, 0x2d, 0x10, 0, 0, 0 }, 7, 3, 0 },
	};
	struct ck_insn in;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(rr) / sizeof(rr[0]); i++) {
		assert_int_equal(decode1(rr[i].b, sizeof(rr[i].b), 0, &in),
				 rr[i].len);
		assert_true(in.flags & CK_INSN_RIPREL);
		assert_int_equal(in.disp_off, rr[i].disp_off);
		assert_int_equal(in.disp_len, 4);
		assert_int_equal(in.imm_len, rr[i].imm_len);
	}
	/* SIB with no base is disp32 but not RIP-relative */
	assert_int_equal(decode1((const unsigned char *)"\x8b\x04\x25\0\0\0\0",
				 7, 0, &in), 7);
	assert_false(in.flags & CK_INSN_RIPREL);
	assert_int_equal(in.disp_len, 4);
	/* mod 01 rm 101 is disp8(%rbp) */
	assert_int_equal(decode1((const unsigned char *)"\x8b\x45\x08", 3, 0,
				 &in), 3);
	assert_false(in.flags & CK_INSN_RIPREL);
	/* MOV from CR ignores mod: no displacement at all */
	assert_int_equal(decode1((const unsigned char *)"\x0f\x20\x05", 3, 0,
				 &in), 3);
	assert_false(in.flags & CK_INSN_RIPREL);
}

static void test_kinds(void **state)
{
	static const struct {
		unsigned char b[8];
		int len;
		unsigned int kind, enc, map, opcode;
	} k[] = {
		{ { 0x0f, 0x05 }, 2, CK_KIND_SYSCALL, CK_ENC_LEGACY,
		  CK_MAP_0F, 0x05 },
		{ { 0x0f, 0x01, 0xef }, 3, CK_KIND_WRPKRU, CK_ENC_LEGACY,
		  CK_MAP_0F, 0x01 },
		{ { 0x0f, 0x01, 0xee }, 3, CK_KIND_OTHER, CK_ENC_LEGACY,
		  CK_MAP_0F, 0x01 },	/* rdpkru */
		{ { 0x0f, 0xae, 0x2f }, 3, CK_KIND_XRSTOR, CK_ENC_LEGACY,
		  CK_MAP_0F, 0xae },
		{ { 0x48, 0x0f, 0xae, 0x6f, 0x08 }, 5, CK_KIND_XRSTOR,
		  CK_ENC_LEGACY, CK_MAP_0F, 0xae },	/* xrstor64 */
		{ { 0x0f, 0xae, 0x27 }, 3, CK_KIND_OTHER, CK_ENC_LEGACY,
		  CK_MAP_0F, 0xae },	/* xsave */
		{ { 0x0f, 0xae, 0xef }, 3, CK_KIND_OTHER, CK_ENC_LEGACY,
		  CK_MAP_0F, 0xae },	/* lfence: /5 register form */
		{ { 0xf3, 0x48, 0x0f, 0xae, 0xd7 }, 5, CK_KIND_WRFSBASE,
		  CK_ENC_LEGACY, CK_MAP_0F, 0xae },
		{ { 0xf3, 0x0f, 0xae, 0xdf }, 4, CK_KIND_WRGSBASE,
		  CK_ENC_LEGACY, CK_MAP_0F, 0xae },
		{ { 0xf3, 0x0f, 0xae, 0xc7 }, 4, CK_KIND_OTHER, CK_ENC_LEGACY,
		  CK_MAP_0F, 0xae },	/* rdfsbase */
		{ { 0x0f, 0xae, 0xd0 }, 3, CK_KIND_WRFSBASE, CK_ENC_LEGACY,
		  CK_MAP_0F, 0xae },	/* core without F3: still the kind */
		{ { 0x0f, 0xc7, 0x1f }, 3, CK_KIND_OTHER, CK_ENC_LEGACY,
		  CK_MAP_0F, 0xc7 },	/* xrstors: privileged */
		{ { 0x0f, 0x34 }, 2, CK_KIND_OTHER, CK_ENC_LEGACY, CK_MAP_0F,
		  0x34 },		/* sysenter */
		{ { 0xc5, 0xf8, 0x05, 0xc0 }, 4, CK_KIND_OTHER, CK_ENC_VEX,
		  CK_MAP_0F, 0x05 },	/* VEX 0F 05 (ModRM): not syscall */
		{ { 0x62, 0xf1, 0x7d, 0x48, 0xae, 0x28 }, 6, CK_KIND_OTHER,
		  CK_ENC_EVEX, CK_MAP_0F, 0xae },
		{ { 0x0f, 0x38, 0xf0, 0x00 }, 4, CK_KIND_OTHER, CK_ENC_LEGACY,
		  CK_MAP_0F38, 0xf0 },
		{ { 0x0f, 0x0f, 0xc1, 0x9e }, 4, CK_KIND_OTHER, CK_ENC_LEGACY,
		  CK_MAP_3DNOW, 0x9e },
		{ { 0x8f, 0xe9, 0x78, 0x80, 0xc1 }, 5, CK_KIND_OTHER,
		  CK_ENC_XOP, CK_MAP_XOP9, 0x80 },
	};
	struct ck_insn in;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(k) / sizeof(k[0]); i++) {
		assert_int_equal(decode1(k[i].b, sizeof(k[i].b), 0, &in),
				 k[i].len);
		assert_int_equal(in.kind, k[i].kind);
		assert_int_equal(in.enc, k[i].enc);
		assert_int_equal(in.map, k[i].map);
		assert_int_equal(in.opcode, k[i].opcode);
	}
}

static void test_prefix_fields(void **state)
{
	struct ck_insn in;

	(void)state;
	/* F3 then F2: the last one counts */
	assert_int_equal(decode1((const unsigned char *)"\xf3\xf2\x66\x0f\x78"
				 "\xc1\x01\x02", 8, 0, &in), 8);
	assert_int_equal(in.prefixes & (CK_PFX_F2 | CK_PFX_F3), CK_PFX_F2);
	assert_true(in.prefixes & CK_PFX_66);
	assert_int_equal(in.opc_off, 3);
	assert_int_equal(in.modrm_off, 5);
	assert_int_equal(in.imm_off, 6);
	/* REX kept only just before the opcode */
	assert_int_equal(decode1((const unsigned char *)"\x48\xf0\x41\x01\x00",
				 5, 0, &in), 5);
	assert_int_equal(in.rex, 0x41);
	assert_true(in.prefixes & CK_PFX_REX_IGNORED);
	assert_true(in.prefixes & CK_PFX_F0);
	assert_int_equal(decode1((const unsigned char *)"\x65\x67\x8b\x00",
				 4, 0, &in), 4);
	assert_true(in.prefixes & CK_PFX_SEG);
	assert_true(in.prefixes & CK_PFX_67);
	assert_false(in.prefixes & CK_PFX_REX_IGNORED);
}

/*
 * The decoder's forbidden kinds agree with the scanner the module uses
 * (include/paracell/scan.h) at the instruction's 0F byte: every ModRM of
 * 0F 01 and 0F AE, behind every prefix mix, with the displacement bytes.
 */
static void test_kinds_match_scan(void **state)
{
	static const unsigned char pfx[][4] = {
		{ 0 }, { 1, 0x66 }, { 1, 0xf3 }, { 1, 0xf2 }, { 1, 0x48 },
		{ 2, 0xf3, 0x48 }, { 3, 0x66, 0xf3, 0x41 }, { 2, 0x64, 0xf0 },
		{ 3, 0x48, 0x66, 0x40 },
	};
	static const unsigned int to_ck[PARACELL_SCAN_NKINDS] = {
		[PARACELL_SCAN_NONE] = CK_KIND_OTHER,
		[PARACELL_SCAN_WRPKRU] = CK_KIND_WRPKRU,
		[PARACELL_SCAN_XRSTOR] = CK_KIND_XRSTOR,
		[PARACELL_SCAN_WRFSBASE] = CK_KIND_WRFSBASE,
		[PARACELL_SCAN_WRGSBASE] = CK_KIND_WRGSBASE,
	};
	unsigned char buf[16];
	struct ck_insn in;
	unsigned int p, op, m, scan, hits = 0;
	int r;

	(void)state;
	for (p = 0; p < sizeof(pfx) / sizeof(pfx[0]); p++) {
		for (op = 0; op < 2; op++) {
			for (m = 0; m < 256; m++) {
				memset(buf, 0x11, sizeof(buf));
				memcpy(buf, pfx[p] + 1, pfx[p][0]);
				buf[pfx[p][0]] = 0x0f;
				buf[pfx[p][0] + 1] = op ? 0xae : 0x01;
				buf[pfx[p][0] + 2] = (unsigned char)m;
				r = ck_decode(buf, sizeof(buf), 0, &in);
				assert_true(r > 0);
				assert_int_equal(in.opc_off, pfx[p][0]);
				scan = paracell_scan_kind_at(buf + in.opc_off,
							     sizeof(buf) -
							     in.opc_off, 0);
				if (in.kind != to_ck[scan])
					fail_msg("prefixes %u, 0F %02X %02X: "
						 "kind %u, scan %u", p,
						 buf[pfx[p][0] + 1], m,
						 in.kind, scan);
				hits += scan != PARACELL_SCAN_NONE;
			}
		}
	}
	/* per prefix mix: 1 WRPKRU, 24 XRSTOR, 8 WRFSBASE, 8 WRGSBASE */
	assert_int_equal(hits, 41 * (sizeof(pfx) / sizeof(pfx[0])));
}

/* A linear walk over a real function body lands on each start. */
static void test_walk(void **state)
{
	/* bash-like prologue; starts at 0,4,5,8,10,11,15,22,27,29,31 */
	static const unsigned char code[] = {
		0xf3, 0x0f, 0x1e, 0xfa,			/* endbr64 */
		0x55,					/* push %rbp */
		0x48, 0x89, 0xe5,			/* mov %rsp,%rbp */
		0x41, 0x54,				/* push %r12 */
		0x53,					/* push %rbx */
		0x48, 0x83, 0xec, 0x10,			/* sub $0x10,%rsp */
		0x48, 0x8b, 0x05, 0, 0, 0, 0,		/* mov 0(%rip),%rax */
		0xe8, 0, 0, 0, 0,			/* call */
		0x85, 0xc0,				/* test %eax,%eax */
		0x74, 0x02,				/* je */
		0x0f, 0x05,				/* syscall */
	};
	static const int starts[] = { 0, 4, 5, 8, 10, 11, 15, 22, 27, 29,
				      31 };
	struct ck_insn in;
	size_t off = 0, i = 0;
	int r;

	(void)state;
	while (off < sizeof(code)) {
		r = decode1(code, sizeof(code), off, &in);
		assert_true(r > 0);
		assert_int_equal((int)off, starts[i++]);
		off += (size_t)r;
	}
	assert_int_equal(off, sizeof(code));
	assert_int_equal(i, sizeof(starts) / sizeof(starts[0]));
	assert_int_equal(in.kind, CK_KIND_SYSCALL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_ud_opcode_offset),
		cmocka_unit_test(test_too_long_short_buffer),
		cmocka_unit_test(test_branches),
		cmocka_unit_test(test_riprel),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_prefix_fields),
		cmocka_unit_test(test_kinds_match_scan),
		cmocka_unit_test(test_walk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
