// SPDX-License-Identifier: Apache-2.0
/*
 * A raw syscall as the program's very first instruction, right after ck's
 * first exit (the one into the program): arch_prctl(ARCH_GET_GS), which ck
 * denies with EPERM. Prints `ret=N base=0x...` on stdout: a base equal to
 * ck's thread block address means the syscall reached the host unseen.
 * No libc: _start, write and exit_group are raw.
 */
#include <stdint.h>

#include "../raw.h"

/* In .data (initialised): ck's loader wants a file-backed data segment. */
uint64_t base = 1;

void start_c(long ret);
__attribute__((noreturn)) void start_c(long ret)
{
	char buf[64], *p = put_str(buf, "ret=");
	uint64_t v = (uint64_t)ret;

	if (ret < 0) {
		*p++ = '-';
		v = (uint64_t)-ret;
	}
	*p++ = (char)('0' + v % 10);	/* 0 or 1 (EPERM): one digit */
	p = put_str(p, " base=");
	p = put_hex(p, base);
	*p++ = '\n';
	raw3(1 /* write */, 1, (long)buf, p - buf);
	for (;;)
		raw3(231 /* exit_group */, 0, 0, 0);
}

__asm__(".text\n"
	".globl _start\n"
	"_start:\n"
	"	mov $158, %eax\n"		/* arch_prctl */
	"	mov $0x1004, %edi\n"		/* ARCH_GET_GS */
	"	lea base(%rip), %rsi\n"
	"	syscall\n"
	"	mov %rax, %rdi\n"
	"	and $-16, %rsp\n"
	"	call start_c\n"
	"	ud2\n");
