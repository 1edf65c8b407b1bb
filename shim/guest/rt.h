/* SPDX-License-Identifier: Apache-2.0 */
/* ck's freestanding runtime: memory and string helpers, output, death. */
#ifndef CK_RT_H
#define CK_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* printf subset to an fd: %s %c %d %u %ld %lu %x %lx %p %%. */
void ck_dprintf(int fd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void ck_vdprintf(int fd, const char *fmt, va_list ap);
/* Prints "ck: " + message to stderr and exits the process with status. */
__attribute__((noreturn)) void ck_die(int status, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *ck_strerror(long err);

#define CK_ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define CK_ALIGN_DOWN(x, a)	((x) & ~((uint64_t)(a) - 1))
#define CK_PAGE			4096UL
#define CK_ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

#endif
