// SPDX-License-Identifier: Apache-2.0
/* ck's freestanding runtime: no libc, so the few helpers ck needs. */
#include <asm/unistd.h>
#include <linux/errno.h>

#include "rt.h"
#include "sys.h"

void *memcpy(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	unsigned char *d = dst;

	while (n--)
		*d++ = (unsigned char)c;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			return 0;
	}
	return 0;
}

int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

struct out {
	int fd;
	size_t len;
	char buf[512];
};

static void out_flush(struct out *o)
{
	if (o->len)
		ck_sys3(__NR_write, o->fd, o->buf, o->len);
	o->len = 0;
}

static void out_ch(struct out *o, char c)
{
	if (o->len == sizeof(o->buf))
		out_flush(o);
	o->buf[o->len++] = c;
}

static void out_num(struct out *o, unsigned long v, unsigned int base, int neg)
{
	char tmp[24];
	int n = 0;

	if (neg)
		out_ch(o, '-');
	do {
		tmp[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		out_ch(o, tmp[--n]);
}

void ck_vdprintf(int fd, const char *fmt, va_list ap)
{
	struct out o = { .fd = fd };
	const char *s;
	int lng;
	long v;

	for (; *fmt; fmt++) {
		if (*fmt != '%') {
			out_ch(&o, *fmt);
			continue;
		}
		fmt++;
		lng = 0;
		while (*fmt == 'l')
			lng = 1, fmt++;
		switch (*fmt) {
		case 's':
			for (s = va_arg(ap, const char *); s && *s; s++)
				out_ch(&o, *s);
			break;
		case 'c':
			out_ch(&o, (char)va_arg(ap, int));
			break;
		case 'd':
			v = lng ? va_arg(ap, long) : va_arg(ap, int);
			out_num(&o, v < 0 ? -(unsigned long)v : (unsigned long)v,
				10, v < 0);
			break;
		case 'u':
			out_num(&o, lng ? va_arg(ap, unsigned long) :
				va_arg(ap, unsigned int), 10, 0);
			break;
		case 'x':
			out_num(&o, lng ? va_arg(ap, unsigned long) :
				va_arg(ap, unsigned int), 16, 0);
			break;
		case 'p':
			out_ch(&o, '0');
			out_ch(&o, 'x');
			out_num(&o, (unsigned long)va_arg(ap, void *), 16, 0);
			break;
		default:
			out_ch(&o, *fmt);
			break;
		}
	}
	out_flush(&o);
}

void ck_dprintf(int fd, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ck_vdprintf(fd, fmt, ap);
	va_end(ap);
}

void ck_die(int status, const char *fmt, ...)
{
	va_list ap;

	ck_sys3(__NR_write, 2, "ck: ", 4);
	va_start(ap, fmt);
	ck_vdprintf(2, fmt, ap);
	va_end(ap);
	ck_sys3(__NR_write, 2, "\n", 1);
	for (;;)
		ck_sys1(__NR_exit_group, status);
}

const char *ck_strerror(long err)
{
	switch (-err) {
	case EPERM: return "Operation not permitted";
	case ENOENT: return "No such file or directory";
	case EACCES: return "Permission denied";
	case ENOEXEC: return "Exec format error";
	case ENOMEM: return "Cannot allocate memory";
	case EINVAL: return "Invalid argument";
	case EFAULT: return "Bad address";
	case EIO: return "Input/output error";
	case E2BIG: return "Argument list too long";
	case EEXIST: return "File exists";
	case ENOTDIR: return "Not a directory";
	case EISDIR: return "Is a directory";
	case ELOOP: return "Too many levels of symbolic links";
	case ENAMETOOLONG: return "File name too long";
	case ENOSYS: return "Function not implemented";
	case EBADF: return "Bad file descriptor";
	default: return "error";
	}
}
