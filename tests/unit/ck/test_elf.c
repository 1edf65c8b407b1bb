// SPDX-License-Identifier: Apache-2.0
/*
 * ck's loader's ELF checks (shim/guest/loader.c) on the host, through
 * glue.c: the headers it takes and refuses (magic, class, machine,
 * program header size and count, type, a file cut short), the segments
 * it refuses (an interpreter, file size over memory size, misaligned,
 * out of range, writable and executable, no PT_LOAD), where it places a
 * static-PIE program, AT_PHDR as Linux finds it, and code that shares a
 * page with another segment (refused).
 */
#include <elf.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "glue.h"

#define PIE_BASE 0x555555554000ULL

static struct {
	Elf64_Ehdr eh;
	Elf64_Phdr ph[4];
	uint8_t rest[0x3000];
} f;

/*
 * A small program: code at 0x400000 (file 0..0x1000, holding the
 * headers), data at 0x401000 (file 0x1000..0x1800, 0x2000 in memory).
 */
static int make_exec(void **state)
{
	(void)state;
	memset(&f, 0, sizeof(f));
	memcpy(f.eh.e_ident, ELFMAG, SELFMAG);
	f.eh.e_ident[EI_CLASS] = ELFCLASS64;
	f.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	f.eh.e_ident[EI_VERSION] = EV_CURRENT;
	f.eh.e_type = ET_EXEC;
	f.eh.e_machine = EM_X86_64;
	f.eh.e_version = EV_CURRENT;
	f.eh.e_entry = 0x400100;
	f.eh.e_phoff = sizeof(Elf64_Ehdr);
	f.eh.e_ehsize = sizeof(Elf64_Ehdr);
	f.eh.e_phentsize = sizeof(Elf64_Phdr);
	f.eh.e_phnum = 2;
	f.ph[0] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_X,
				.p_offset = 0, .p_vaddr = 0x400000,
				.p_filesz = 0x1000, .p_memsz = 0x1000,
				.p_align = 0x1000 };
	f.ph[1] = (Elf64_Phdr){ .p_type = PT_LOAD, .p_flags = PF_R | PF_W,
				.p_offset = 0x1000, .p_vaddr = 0x401000,
				.p_filesz = 0x800, .p_memsz = 0x2000,
				.p_align = 0x1000 };
	tg_reset();
	tg_elf_file(&f, sizeof(f));
	return 0;
}

static void test_exec_accepted(void **state)
{
	uint64_t bias = 1;

	(void)state;
	assert_int_equal(tg_elf_read_headers(), 0);
	/* Every check passed: the fake refuses the loading itself. */
	assert_int_equal(tg_elf_load_segments(&bias), -ENOMEM);
	assert_int_equal(bias, 0);
	assert_int_equal(tg_elf_phdr_addr(), 0x400000 + sizeof(Elf64_Ehdr));
	assert_false(tg_elf_page_shared_with_code(0));
}

static void test_pie_placed_at_base(void **state)
{
	uint64_t bias = 0;

	(void)state;
	f.eh.e_type = ET_DYN;
	f.ph[0].p_vaddr = 0;
	f.ph[1].p_vaddr = 0x1000;
	assert_int_equal(tg_elf_read_headers(), 0);
	assert_int_equal(tg_elf_load_segments(&bias), -ENOMEM);
	assert_int_equal(bias, PIE_BASE);
	assert_int_equal(tg_elf_phdr_addr(), PIE_BASE + sizeof(Elf64_Ehdr));
}

static void expect_bad_headers(void)
{
	assert_int_equal(tg_elf_read_headers(), -ENOEXEC);
}

static void test_headers_refused(void **state)
{
	(void)state;
	f.eh.e_ident[1] = 'X';
	expect_bad_headers();
	make_exec(state);
	f.eh.e_ident[EI_CLASS] = ELFCLASS32;
	expect_bad_headers();
	make_exec(state);
	f.eh.e_machine = EM_386;
	expect_bad_headers();
	make_exec(state);
	f.eh.e_phentsize = sizeof(Elf64_Phdr) - 8;
	expect_bad_headers();
	make_exec(state);
	f.eh.e_phnum = 0;
	expect_bad_headers();
	make_exec(state);
	f.eh.e_phnum = 257;	/* more than the loader takes */
	expect_bad_headers();
	make_exec(state);
	f.eh.e_type = ET_REL;
	expect_bad_headers();
	/* Headers past the end of the file. */
	make_exec(state);
	f.eh.e_phoff = sizeof(f);
	expect_bad_headers();
	make_exec(state);
	tg_elf_file(&f, 16);
	expect_bad_headers();
}

static void expect_bad_segments(void)
{
	uint64_t bias;

	assert_int_equal(tg_elf_read_headers(), 0);
	assert_int_equal(tg_elf_load_segments(&bias), -ENOEXEC);
}

static void test_segments_refused(void **state)
{
	(void)state;
	/* A PT_INTERP is no segment refusal now: ck_load opens ld.so. */
	f.ph[1].p_filesz = f.ph[1].p_memsz + 1;
	expect_bad_segments();
	make_exec(state);
	f.ph[1].p_vaddr += 8;	/* vaddr and offset apart in the page */
	expect_bad_segments();
	make_exec(state);
	f.ph[1].p_flags = PF_R | PF_W | PF_X;
	expect_bad_segments();
	make_exec(state);
	f.ph[1].p_memsz = ~0ULL - 0x1000;	/* wraps */
	expect_bad_segments();
	make_exec(state);
	f.ph[1].p_vaddr = 1ULL << 47;
	f.ph[1].p_offset = 0;
	expect_bad_segments();
	make_exec(state);
	f.ph[1].p_vaddr = (1ULL << 47) - 0x1000;	/* ends past the top */
	f.ph[1].p_offset = 0;
	expect_bad_segments();
	make_exec(state);
	f.ph[0].p_type = PT_NOTE;
	f.ph[1].p_type = PT_NOTE;
	expect_bad_segments();
}

static void test_phdr_and_shared_page(void **state)
{
	uint64_t bias;

	(void)state;
	/* The headers in no PT_LOAD's file bytes: no AT_PHDR. */
	f.ph[0].p_offset = 0x1000;
	f.ph[0].p_vaddr = 0x401000;
	f.ph[1].p_offset = 0x2000;
	f.ph[1].p_vaddr = 0x402000;
	assert_int_equal(tg_elf_read_headers(), 0);
	assert_int_equal(tg_elf_phdr_addr(), 0);
	/* Data starting in code's last page. */
	make_exec(state);
	f.ph[0].p_filesz = f.ph[0].p_memsz = 0x800;
	f.ph[1].p_offset = 0x800;
	f.ph[1].p_vaddr = 0x400800;
	assert_int_equal(tg_elf_read_headers(), 0);
	assert_true(tg_elf_page_shared_with_code(0));
	/* Sealed code is never writable: such a program is refused. */
	assert_int_equal(tg_elf_load_segments(&bias), -ENOEXEC);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_exec_accepted, make_exec),
		cmocka_unit_test_setup(test_pie_placed_at_base, make_exec),
		cmocka_unit_test_setup(test_headers_refused, make_exec),
		cmocka_unit_test_setup(test_segments_refused, make_exec),
		cmocka_unit_test_setup(test_phdr_and_shared_page, make_exec),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
