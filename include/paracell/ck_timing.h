/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The timing build of ck (docs/timing.md): built only by
 * `make -C shim/guest timing` into shim/guest/build/timing/ck, with
 * -DCK_TIMING=1. WRPKRU is a no-op and no pkeys are allocated, so it
 * isolates nothing: it exists to time everything else of ck's paths on
 * machines without PKU. Every difference (docs/timing.md has the why):
 *  1. gate.S: WRPKRU is a 3-byte NOP (the compares after it still run);
 *  2. gate.S, main.c rdpkru(): RDPKRU gives the kernel's init value;
 *  3. main.c alloc_pkeys(): no pkeys; ck_layout.h: CK_PKEY_K, K2, KB are
 *     -1, so ck's pkey_mprotect calls are plain mprotect;
 *  4. main.c need_pku(): no PKU check, the banner instead;
 *  5. main.c cpu_facts(), trap.c set_frame_pkru(): no PKRU in the exit
 *     frame's XSAVE area;
 *  6. main.c open_cell(): no module cell (the fallback backend).
 * Its binary carries the marker below (its start-up
 * banner prints it); the normal build never contains it, and the runtime
 * refuses any ck that does (shim/runtime/lib/ckpath.c). Not installed.
 */
#ifndef PARACELL_CK_TIMING_H
#define PARACELL_CK_TIMING_H

#define PARACELL_CK_TIMING_MARKER "PARACELL-CK-TIMING-BUILD-ISOLATES-NOTHING"

#ifdef CK_TIMING
#define CK_TIMING_BUILD 1
#else
#define CK_TIMING_BUILD 0
#endif

#endif
