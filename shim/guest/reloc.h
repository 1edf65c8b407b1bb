/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The byte-level part of ck's detours (detour.c, docs/sealed-code.md,
 * "Kind 2: detours"): an instruction relocated into a trampoline, and the
 * bytes that replace it at its site. Freestanding, no state: built into ck
 * and, for tests, on the host.
 */
#ifndef CK_RELOC_H
#define CK_RELOC_H

#include <stddef.h>
#include <stdint.h>

#include "decode.h"

#define CK_TRAMP_MAX		32	/* a trampoline's bytes at most */
#define CK_RELOC_EBRANCH	(-95)	/* EOPNOTSUPP: not re-encoded */
#define CK_RELOC_ERANGE		(-34)	/* ERANGE: out of rel32 reach */

/*
 * The trampoline, at address to, of the instruction in (its bytes b) at
 * address from: the instruction relocated (a RIP-relative disp32
 * re-based; jmp and jcc re-encoded as rel32 to the same target), then
 * `jmp from + in->len`. Returns its length (at most CK_TRAMP_MAX), or
 * CK_RELOC_EBRANCH for a call, loop, jrcxz, xbegin or a branch with
 * prefixes, CK_RELOC_ERANGE if a target is out of rel32 reach.
 */
int ck_reloc_tramp(const uint8_t *b, const struct ck_insn *in, uint64_t from,
		   uint64_t to, uint8_t *out);

/*
 * The bytes that replace the len-byte instruction at site: with 5 bytes
 * or more `jmp to` (E9 rel32, to within reach), else `int $0x80` (CD 80,
 * the kind-1 trap: ck sends it to the trampoline); INT3s for the rest.
 */
void ck_reloc_site(uint8_t *site, size_t len, uint64_t from, uint64_t to);

#endif
