/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Minimal KTAP/TAP output for ParaCell's kernel-facing tests, in the style of
 * the kernel's kselftests: a plan, one "ok"/"not ok" line per check, "#"
 * diagnostics, and a non-zero exit if any check failed or the count of
 * checks does not match the plan.
 */
#ifndef PARACELL_KTAP_H
#define PARACELL_KTAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct ktap_state {
	int planned;
	int run;
	int failed;
};

extern struct ktap_state ktap;

void ktap_plan(int n);
/* Records one check; returns cond so callers can stop a dependent sequence. */
int ktap_check(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ktap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A setup step that must work: on failure, not ok and exit. */
void ktap_require(int cond, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
__attribute__((noreturn)) void ktap_finish(void);

#endif
