// SPDX-License-Identifier: Apache-2.0
/*
 * What the files of sysatk share: sysatk.c defines the helpers below and
 * its modes' table; sysatk_*.c, one topic each, define the modes.
 */
#ifndef CK_ATTACK_SYSATK_H
#define CK_ATTACK_SYSATK_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <sys/auxv.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <sys/resource.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <linux/paracell.h>

#define ATK_NAME "sysatk"
#include "atk.h"

/* musl's <sys/ioctl.h> would redefine the kernel header's _IO macros. */
int ioctl(int fd, int req, ...);

#define PAGE		4096UL
#define CANARY		0x63616e6172794b21ULL
#define ARCH_MAP_VDSO_64 0x2003
#define PR_SEIZE	0x4206

/* sysatk.c */
void say(const char *tag, const char *what, const char *detail);
int refused(long ret, const char *what);
void oracle(const char *fmt, ...);
const char *maps(void);
void maps_line(uint64_t addr, char *line, size_t size);
int maps_perm_at(uint64_t addr, const char *perm);
int exec_mappings(char *names, size_t size);
int k2_ranges(uint64_t *lo, uint64_t *hi, int max);
void fd_link(int fd, char *out, size_t size);
void device_answers(int fd, const char *how);
/* sysatk_mem.c */
int has_canary(const unsigned char *b, size_t n);
int partial_code_file(void);

/* The modes: int atk_MODE(const char *arg), 0 or 2 (set-up failure). */
int atk_altstack(const char *how);
int atk_denied(const char *how);
int atk_exec(const char *how);
int atk_exec_file(const char *unused);
int atk_fakefault(const char *how);
int atk_fd(const char *how);
int atk_fork(const char *how);
int atk_into_canary(const char *call);
int atk_k2names(const char *unused);
int atk_mem(const char *how);
int atk_noexec(const char *how);
int atk_procmem(const char *how);
int atk_read_clobber(const char *unused);
int atk_read_k2(const char *unused);
int atk_sigsys(const char *how);
int atk_thr(const char *how);
int atk_uffd(const char *how);
int atk_vdso(const char *unused);
int atk_write_leak(const char *unused);
int atk_wx(const char *how);

#endif
