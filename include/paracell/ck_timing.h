/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The timing build of ck (docs/timing.md): built only by
 * `make -C shim/guest timing` into shim/guest/build/timing/ck, with
 * -DCK_TIMING=1. WRPKRU is a no-op and no pkeys are allocated, so it
 * isolates nothing: it exists to time everything else of ck's paths on
 * machines without PKU. Its binary carries the marker below (its start-up
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
