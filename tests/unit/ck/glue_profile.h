/* SPDX-License-Identifier: Apache-2.0 */
/* test_profile's view of ck's profile.c (glue_profile.c). */
#ifndef CK_TEST_GLUE_PROFILE_H
#define CK_TEST_GLUE_PROFILE_H

#include <stdint.h>

enum { TP_GO_ON, TP_DECIDED, TP_KILLED };

/* ck_profile_load: 0 or -EINVAL. */
int tp_load(const char *hex);
/* One program syscall: TP_GO_ON, TP_DECIDED (*ret the answer, counted
 * as a refusal) or TP_KILLED (ck_die_of_sigsys); -1 if the decision and
 * the refusal mark disagree. */
int tp_check(uint32_t arch, int nr, const long *a, long *ret);

#endif
