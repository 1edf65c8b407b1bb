// SPDX-License-Identifier: Apache-2.0
/*
 * Glue between the unit tests and ck's pure parts, built with ck's own
 * headers: the process object vma.c keeps its table in, ck_die() as a
 * longjmp back to the test, and a fake of the host syscalls maps.c
 * issues (openat, read, close of /proc/self/maps; pread64 of a program
 * file in memory). maps.c and loader.c are included here to reach their
 * static functions; what else loader.c calls fails (-ENOMEM).
 */
#include <setjmp.h>
#include <string.h>

#include "ck.h"
#include "glue.h"

#include "maps.c"
#include "loader.c"

_Static_assert((int)R_FREE == TG_FREE && (int)R_CK == TG_CK &&
	       (int)R_ANON == TG_ANON && (int)R_SHARED == TG_SHARED &&
	       (int)R_CODE == TG_CODE && (int)R_BRK == TG_BRK &&
	       (int)R_STACK == TG_STACK, "enum ck_kind");
_Static_assert(CK_MAX_REGIONS == TG_MAX_REGIONS, "CK_MAX_REGIONS");

struct ck_proc ck_proc;

static jmp_buf die_jmp;
static int died, die_armed;

void ck_die(int status, const char *fmt, ...)
{
	(void)fmt;
	died = status;
	if (die_armed)
		longjmp(die_jmp, 1);
	__builtin_trap();
}

static const char *maps_text;
static const uint8_t *elf_buf;
static size_t elf_len;
static size_t maps_chunk, maps_at;
static int maps_fail, open_fds;

long ck_sys6(long nr, long a1, long a2, long a3, long a4, long a5, long a6)
{
	size_t n;

	(void)a1; (void)a4; (void)a5; (void)a6;
	switch (nr) {
	case __NR_openat:
		if (strcmp((const char *)a2, "/proc/self/maps"))
			return -ENOENT;
		if (maps_fail)
			return -maps_fail;
		maps_at = 0;
		open_fds++;
		return 3;
	case __NR_read:
		n = strlen(maps_text) - maps_at;
		if (n > maps_chunk)
			n = maps_chunk;
		if (n > (size_t)a3)
			n = (size_t)a3;
		memcpy((void *)a2, maps_text + maps_at, n);
		maps_at += n;
		return (long)n;
	case __NR_close:
		open_fds--;
		return 0;
	case __NR_pread64:
		if ((uint64_t)a4 >= elf_len)
			return 0;
		n = elf_len - (size_t)a4 < (size_t)a3 ? elf_len - (size_t)a4 :
		    (size_t)a3;
		memcpy((void *)a2, elf_buf + a4, n);
		return (long)n;
	}
	return -ENOSYS;
}

/* What loader.c calls besides: the loading itself fails. */
struct ck_env ck_env;

long ck_sys_user(long nr, long a1, long a2, long a3, long a4, long a5,
		 long a6)
{
	return ck_sys6(nr, a1, a2, a3, a4, a5, a6);
}

void *ck_kalloc(size_t len)
{
	(void)len;
	return 0;
}

long ck_map_user(uint64_t addr, uint64_t len, enum ck_kind kind, int fixed)
{
	(void)addr; (void)len; (void)kind; (void)fixed;
	return -ENOMEM;
}

long ck_code_seal(struct ck_code *c)
{
	(void)c;
	return -ENOMEM;
}

/* sealrec.c: no seal is ever found here (the loader reads the file). */
long ck_code_found(struct ck_code *c)
{
	(void)c;
	return 0;
}

long ck_sys_mprotect(struct ck_task *t, const long *a)
{
	(void)t; (void)a;
	return -ENOMEM;
}

struct ck_task *ck_this_task(void)
{
	return 0;
}

int ck_copy_to_user(uint64_t dst, const void *src, size_t len)
{
	(void)dst; (void)src; (void)len;
	return -EFAULT;
}

int ck_brk_init(uint64_t start)
{
	(void)start;
	return -ENOMEM;
}

/* selfexe.c: the program's name for /proc/self/exe; none here. */
void ck_selfexe_note(long fd)
{
	(void)fd;
}

/* shebang.c's parser: a #! script given to ck (loader.c). */
int ck_parse_shebang(char *line, char **interp, char **arg)
{
	(void)line;
	(void)interp;
	(void)arg;
	return -ENOEXEC;
}

long ck_noexec(long fd)
{
	(void)fd;
	return 0;
}

void ck_pager_add(uint32_t op, uint64_t addr, uint64_t npages)
{
	(void)op; (void)addr; (void)npages;
}

void ck_pager_flush(void)
{
}

/* The process lock (clone.c): the tests run one thread. */
void ck_proc_lock(void)
{
}

void ck_proc_unlock(void)
{
}

static struct elf elf;

void tg_elf_file(const void *buf, size_t len)
{
	elf_buf = buf;
	elf_len = len;
	memset(&elf, 0, sizeof(elf));
	elf.path = "test";
}

int tg_elf_read_headers(void)
{
	return read_headers(&elf);
}

int tg_elf_load_segments(uint64_t *bias)
{
	uint64_t end = 0;
	int ret = load_segments(&elf, &end, 0);

	*bias = elf.bias;
	return ret;
}

uint64_t tg_elf_phdr_addr(void)
{
	return phdr_addr(&elf);
}

int tg_elf_page_shared_with_code(unsigned int i)
{
	return page_shared_with_code(&elf, &elf.ph[i]);
}

void tg_reset(void)
{
	memset(&ck_proc, 0, sizeof(ck_proc));
	died = 0;
}

unsigned int tg_nregions(void)
{
	return ck_proc.nregions;
}

struct tg_region tg_region(unsigned int i)
{
	const struct ck_region *r = &ck_proc.regions[i];

	return (struct tg_region){ r->start, r->end, r->prot, (int)r->kind };
}

int tg_died(void)
{
	return died;
}

int tg_add(uint64_t start, uint64_t end, int prot, int kind)
{
	return ck_mm_add(start, end, prot, (enum ck_kind)kind);
}

int tg_remove(uint64_t start, uint64_t end)
{
	die_armed = 1;
	if (!setjmp(die_jmp))
		ck_mm_remove(start, end);
	die_armed = 0;
	return died;
}

int tg_overlaps_ck(uint64_t start, uint64_t end)
{
	return ck_mm_overlaps_ck(start, end);
}

int tg_kind_of(uint64_t start, uint64_t end)
{
	return (int)ck_mm_kind_of(start, end);
}

void tg_set_prot(uint64_t start, uint64_t end, int prot)
{
	ck_mm_set_prot(start, end, prot);
}

int tg_prot_at(uint64_t addr)
{
	return ck_mm_prot_at(addr);
}

int tg_region_of(uint64_t addr, uint64_t *lo, uint64_t *hi)
{
	return ck_mm_region_of(addr, lo, hi);
}

int tg_user_ok(uint64_t p, uint64_t len, int prot)
{
	return ck_user_ok(p, len, prot);
}

int tg_maps_line(const char *line, uint64_t *lo, uint64_t *hi, int *prot)
{
	return maps_line(line, line + strlen(line), lo, hi, prot);
}

void tg_set_maps(const char *text, size_t chunk, int fail)
{
	maps_text = text;
	maps_chunk = chunk;
	maps_fail = fail;
	open_fds = 0;
}

int tg_mm_init(void)
{
	return ck_mm_init();
}

void tg_resync(uint64_t start, uint64_t end, int prot)
{
	ck_mm_resync(start, end, prot);
}

int tg_open_fds(void)
{
	return open_fds;
}
