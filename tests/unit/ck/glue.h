/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The unit tests' view of ck's pure parts (glue.c, built with ck's own
 * headers): the region table (vma.c, the file ck links) and the
 * /proc/self/maps reader (maps.c), over a fake /proc/self/maps.
 */
#ifndef CK_TEST_GLUE_H
#define CK_TEST_GLUE_H

#include <stddef.h>
#include <stdint.h>

/* enum ck_kind, as glue.c checks. */
enum { TG_FREE, TG_CK, TG_ANON, TG_SHARED, TG_CODE, TG_BRK, TG_STACK };
#define TG_MAX_REGIONS 4096

struct tg_region {
	uint64_t start, end;
	int prot, kind;
};

/* The table, emptied; its records; the status of ck_die() (0: none). */
void tg_reset(void);
unsigned int tg_nregions(void);
struct tg_region tg_region(unsigned int i);
int tg_died(void);

int tg_add(uint64_t start, uint64_t end, int prot, int kind);
/* ck_mm_remove; returns tg_died() (the table full: ck_die). */
int tg_remove(uint64_t start, uint64_t end);
int tg_overlaps_ck(uint64_t start, uint64_t end);
int tg_kind_of(uint64_t start, uint64_t end);
void tg_set_prot(uint64_t start, uint64_t end, int prot);
int tg_prot_at(uint64_t addr);
int tg_region_of(uint64_t addr, uint64_t *lo, uint64_t *hi);
int tg_user_ok(uint64_t p, uint64_t len, int prot);

/* maps.c's parser of one line [line, line + strlen(line)). */
int tg_maps_line(const char *line, uint64_t *lo, uint64_t *hi, int *prot);
/*
 * The text the fake /proc/self/maps reads give, at most chunk bytes a
 * read; fail: the open fails with -fail (0: it opens).
 */
void tg_set_maps(const char *text, size_t chunk, int fail);
/* ck_mm_init (every line below 2^47: ck's) and ck_mm_resync. */
int tg_mm_init(void);
void tg_resync(uint64_t start, uint64_t end, int prot);
/* Host syscalls the fake served since tg_set_maps, and fds left open. */
int tg_open_fds(void);

/*
 * The loader's ELF checks (loader.c) on a file in memory (the fake's
 * pread64): the headers read and checked; the segments checked, their
 * placement computed (*bias) and their loading begun, which the fake
 * refuses (-ENOMEM: every check before it passed); AT_PHDR; whether
 * program header i's code shares a page with another segment.
 */
void tg_elf_file(const void *buf, size_t len);
int tg_elf_read_headers(void);
int tg_elf_load_segments(uint64_t *bias);
uint64_t tg_elf_phdr_addr(void);
int tg_elf_page_shared_with_code(unsigned int i);

#endif
