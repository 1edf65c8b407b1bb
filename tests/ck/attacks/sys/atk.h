/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the libc attack programs (sysatk, sigatk, mtatk) share. Each
 * defines ATK_NAME, its name for messages, before including this.
 */
#ifndef CK_ATTACK_ATK_H
#define CK_ATTACK_ATK_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* An address of ck's that run.sh hands over in the environment (hex). */
static inline uint64_t env_addr(const char *name)
{
	const char *v = getenv(name);

	if (!v || !*v) {
		fprintf(stderr, ATK_NAME ": %s is not set\n", name);
		exit(2);
	}
	return strtoull(v, 0, 16);
}

/* "TAG: " and the formatted line on stdout, flushed (forks follow). */
static inline void atk_say(const char *tag, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("%s: ", tag);
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

#endif
