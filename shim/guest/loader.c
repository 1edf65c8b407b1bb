// SPDX-License-Identifier: Apache-2.0
/*
 * The program loader: x86-64 ELF executables, static, static-PIE and
 * dynamic ones. As Linux's binfmt_elf: a PT_INTERP program is mapped (at
 * PIE_BASE if ET_DYN) with its interpreter (ld.so) beside it, wherever the
 * host's mmap puts it, and entered at the interpreter's entry; auxv tells
 * ld.so the program's headers (AT_PHDR), entry (AT_ENTRY) and its own
 * base (AT_BASE). ld.so run as the program (`ck -- /lib64/ld-linux...
 * PROG`) is an ET_DYN without PT_INTERP, loaded as a static PIE. A `#!`
 * script given to ck itself runs its interpreter, as binfmt_script.
 *
 * Code is never mapped from the file: each executable segment is read into
 * K memory as whole pages and sealed through ck_code_seal (sites.c: a
 * forbidden pattern at a real instruction is rewritten into a trap ck
 * emulates; any other refuses the program, naming the file offset), then
 * the seal is mapped. Other segments are anonymous memory filled from the file and
 * then given the segment's protection. The stack holds argv, envp and an
 * auxv built here; AT_SYSINFO_EHDR only if the vDSO passes the scanner.
 * Program memory is written only under the user PKRU, as after start-up:
 * data segments by a pread issued through ck_sys_user, the stack by
 * ck_copy_to_user.
 */
#include <linux/auxvec.h>
#include <linux/elf.h>
#include <linux/errno.h>
#include <linux/mman.h>
#include <linux/prctl.h>

#include <paracell/scan.h>

#include "ck.h"

#define STACK_SIZE	(8UL << 20)
#define MAX_PHDRS	256
#define PIE_BASE	0x555555554000UL
#define USER_TOP	(1UL << 47)	/* no segment reaches past this */
#define SCRIPT_DEPTH	4		/* as exec.c: binfmt_script's nesting */
#define BINPRM_BUF	256		/* the bytes of a `#!` line read */

struct elf {
	const char *path;
	const char *execfn;	/* AT_EXECFN: the path execve was given */
	long fd;
	Elf64_Ehdr eh;
	Elf64_Phdr ph[MAX_PHDRS];
	uint64_t bias;
	uint64_t base;		/* the lowest page mapped (AT_BASE of ld.so) */
	struct elf *interp;	/* PT_INTERP's file, loaded beside it */
};

/* Reads into K memory, or into the program's (to_user) under its PKRU. */
static long pread_all(long fd, void *buf, size_t len, uint64_t off,
		      int to_user)
{
	size_t done = 0;
	long n;

	while (done < len) {
		if (to_user) {
			n = ck_sys_user(__NR_pread64, fd,
					(long)buf + (long)done,
					(long)(len - done),
					(long)(off + done), 0, 0);
		} else {
			n = ck_sys4(__NR_pread64, fd, (char *)buf + done,
				    len - done, off + done);
		}
		if (n < 0 && n != -EINTR)
			return n;
		if (n == 0)
			return -ENOEXEC;
		if (n > 0)
			done += (size_t)n;
	}
	return 0;
}

static int read_headers(struct elf *e)
{
	const Elf64_Ehdr *h = &e->eh;
	long ret = pread_all(e->fd, &e->eh, sizeof(e->eh), 0, 0);

	if (ret)
		return (int)ret;
	if (memcmp(h->e_ident, ELFMAG, SELFMAG) ||
	    h->e_ident[EI_CLASS] != ELFCLASS64 ||
	    h->e_machine != EM_X86_64 || h->e_phentsize != sizeof(Elf64_Phdr) ||
	    !h->e_phnum || h->e_phnum > MAX_PHDRS ||
	    (h->e_type != ET_EXEC && h->e_type != ET_DYN))
		return -ENOEXEC;
	return (int)pread_all(e->fd, e->ph, h->e_phnum * sizeof(Elf64_Phdr),
			      h->e_phoff, 0);
}

static int page_shared_with_code(const struct elf *e, const Elf64_Phdr *code)
{
	uint64_t lo = CK_ALIGN_DOWN(code->p_vaddr, CK_PAGE);
	uint64_t hi = CK_ALIGN_UP(code->p_vaddr + code->p_memsz, CK_PAGE);
	unsigned int i;

	for (i = 0; i < e->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p == code || p->p_type != PT_LOAD || !p->p_memsz)
			continue;
		if (CK_ALIGN_DOWN(p->p_vaddr, CK_PAGE) < hi &&
		    CK_ALIGN_UP(p->p_vaddr + p->p_memsz, CK_PAGE) > lo)
			return 1;
	}
	return 0;
}

/*
 * A segment that could not be placed: over ck's own memory (EPERM from
 * ck's range check), or refused by the host (below mmap_min_addr, ...).
 */
static void say_not_placed(const struct elf *e, const Elf64_Phdr *p,
			   uint64_t len, long err)
{
	uint64_t at = CK_ALIGN_DOWN(e->bias + p->p_vaddr, CK_PAGE);

	if (ck_mm_overlaps_ck(at, at + len))
		ck_dprintf(2, "ck: %s: segment at 0x%lx lies over the "
			   "container kernel's memory: refusing to run it\n",
			   e->path, (unsigned long)(e->bias + p->p_vaddr));
	else
		ck_dprintf(2, "ck: %s: cannot place the segment at 0x%lx: "
			   "%s\n", e->path,
			   (unsigned long)(e->bias + p->p_vaddr),
			   ck_strerror(err));
}

static int load_code(struct elf *e, const Elf64_Phdr *p)
{
	uint64_t page = CK_ALIGN_DOWN(p->p_vaddr, CK_PAGE);
	uint64_t delta = p->p_vaddr - page;
	uint64_t len = CK_ALIGN_UP(delta + p->p_memsz, CK_PAGE);
	struct ck_code c = { .path = e->path, .fd = e->fd };
	char *buf;
	long ret;

	if (page_shared_with_code(e, p) || p->p_offset < delta) {
		ck_dprintf(2, "ck: %s: code shares a page with data\n", e->path);
		return -ENOEXEC;
	}
	if (delta + p->p_filesz > len && !ck_mutant(LOAD_BOUNDS))
		return -ENOEXEC;	/* never read past buf */
	if (len > PARACELL_SEAL_MAX_BYTES) {
		ck_dprintf(2, "ck: %s: an executable segment of %lu bytes is "
			   "larger than a seal may be (%u)\n", e->path,
			   (unsigned long)len, PARACELL_SEAL_MAX_BYTES);
		return -ENOEXEC;
	}
	c.addr = e->bias + page;
	c.len = len;
	c.off = p->p_offset - delta;
	c.fill = delta + p->p_filesz;
	ret = ck_code_found(&c);	/* sealrec.c: sealed before, found */
	if (ret)
		return ret > 0 ? 0 : (int)ret;
	buf = ck_kalloc(len);
	if (!buf)
		return -ENOMEM;
	ret = pread_all(e->fd, buf, delta + p->p_filesz,
			p->p_offset - delta, 0);
	if (!ret) {
		c.buf = (uint8_t *)buf;
		ret = ck_code_seal(&c);
	}
	if (ret == -EPERM && !c.refused)
		say_not_placed(e, p, len, ret);
	ck_sys2(__NR_munmap, buf, len);
	ck_mm_remove((uint64_t)buf, (uint64_t)buf + len);
	return (int)ret;
}

/*
 * A read-only segment with no .bss is mapped from the file itself, as
 * binfmt_elf maps it (whole pages, the page cache shared by every
 * process of the program): never executable, so nothing ck must scan.
 * 1 if mapped, 0 if the segment needs the copy, or -errno.
 */
static long map_readonly(struct elf *e, const Elf64_Phdr *p, uint64_t page,
			 uint64_t len)
{
	uint64_t off = p->p_offset - (p->p_vaddr - page);
	long ret;

	if ((p->p_flags & (PF_W | PF_X)) || p->p_filesz != p->p_memsz ||
	    !p->p_filesz || p->p_offset % CK_PAGE != p->p_vaddr % CK_PAGE)
		return 0;
	if (ck_mm_overlaps_ck(e->bias + page, e->bias + page + len))
		return -EPERM;
	ret = ck_sys6(__NR_mmap, (long)(e->bias + page), (long)len,
		      (p->p_flags & PF_R) ? PROT_READ : PROT_NONE,
		      MAP_PRIVATE | MAP_FIXED, e->fd, (long)off);
	if (IS_ERR_VAL(ret))
		return ret;
	ck_mm_add(e->bias + page, e->bias + page + len,
		  (p->p_flags & PF_R) ? PROT_READ : PROT_NONE, R_FILE);
	return 1;
}

static int load_data(struct elf *e, const Elf64_Phdr *p)
{
	uint64_t page = CK_ALIGN_DOWN(p->p_vaddr, CK_PAGE);
	uint64_t delta = p->p_vaddr - page;
	uint64_t len = CK_ALIGN_UP(delta + p->p_memsz, CK_PAGE);
	int prot = ((p->p_flags & PF_R) ? PROT_READ : 0) |
		   ((p->p_flags & PF_W) ? PROT_WRITE : 0);
	long ret;

	ret = map_readonly(e, p, page, len);
	if (ret == -EPERM)
		say_not_placed(e, p, len, ret);
	if (ret)
		return ret > 0 ? 0 : (int)ret;
	ret = ck_map_user(e->bias + page, len, R_ANON, 1);
	if (ret == -EPERM)
		say_not_placed(e, p, len, ret);
	if (IS_ERR_VAL(ret))
		return (int)ret;
	ret = 0;	/* the address is not a result (a .bss-only segment) */
	if (p->p_filesz) {
		ret = pread_all(e->fd, (void *)(e->bias + p->p_vaddr),
				p->p_filesz, p->p_offset, 1);
		if (ret)
			return (int)ret;
	}
	if (prot != (PROT_READ | PROT_WRITE)) {
		long a[3] = { (long)(e->bias + page), (long)len, prot };

		ret = ck_sys_mprotect(ck_this_task(), a);
	}
	return (int)ret;
}

/*
 * Every sum below stays far from wrapping: a p_memsz near 2^64 would
 * make load_code's page count wrap to a small buffer that the file's
 * bytes then overrun, in the ck domain.
 */
static int segment_in_range(const Elf64_Phdr *p)
{
	if (ck_mutant(LOAD_BOUNDS))
		return 1;
	return p->p_vaddr < USER_TOP && p->p_memsz < USER_TOP &&
	       p->p_vaddr + p->p_memsz <= USER_TOP &&
	       p->p_offset < USER_TOP && p->p_filesz < USER_TOP;
}

/*
 * execve's own checks on the file: executable for the caller (X_OK with
 * the effective ids) and not on a noexec mount; both EACCES.
 */
static int exec_allowed(long fd)
{
	const long empty_path = 0x1000, eaccess = 0x200, x_ok = 1;

	if (ck_mutant(NOEXEC))
		return 0;
	if (ck_sys4(__NR_faccessat2, fd, "", x_ok, empty_path | eaccess) ||
	    ck_noexec(fd))
		return -EACCES;
	return 0;
}

/* PT_INTERP's path, NUL-ended in buf (size bytes). */
static int read_interp(const struct elf *e, const Elf64_Phdr *p, char *buf,
		       size_t size)
{
	long ret;

	if (!p->p_filesz || p->p_filesz > size || p->p_filesz < 2)
		return -ENOEXEC;
	ret = pread_all(e->fd, buf, p->p_filesz, p->p_offset, 0);
	if (ret)
		return (int)ret;
	if (buf[p->p_filesz - 1] || strlen(buf) != p->p_filesz - 1)
		return -ENOEXEC;	/* binfmt_elf: one NUL-ended string */
	return 0;
}

/*
 * The interpreter, as binfmt_elf opens it: found (ENOENT), executable
 * for the caller (EACCES), an x86-64 ELF itself without an interpreter
 * (ELIBBAD, as Linux answers an interpreter that is not one).
 */
static int open_interp(struct elf *e, struct elf *in)
{
	static char path[CK_PAGE];
	const Elf64_Phdr *p = 0;
	unsigned int i;
	int ret;

	for (i = 0; i < e->eh.e_phnum; i++)
		if (e->ph[i].p_type == PT_INTERP)
			p = &e->ph[i];
	if (!p)
		return 0;
	ret = read_interp(e, p, path, sizeof(path));
	if (ret)
		return ret;
	in->path = in->execfn = path;
	in->fd = ck_sys4(__NR_openat, -100, path, 0x80000 /* O_CLOEXEC */, 0);
	if (in->fd < 0)
		return (int)in->fd;
	ret = exec_allowed(in->fd);
	if (!ret)
		ret = read_headers(in);
	if (ret == -ENOEXEC)
		ret = -ELIBBAD;
	for (i = 0; !ret && i < in->eh.e_phnum; i++)
		if (in->ph[i].p_type == PT_INTERP || in->eh.e_type != ET_DYN)
			ret = -ELIBBAD;
	if (ret) {
		ck_sys1(__NR_close, in->fd);
		in->fd = -1;
		return ret;
	}
	e->interp = in;
	return 0;
}

/*
 * Where an ET_DYN goes: the program at PIE_BASE (binfmt_elf's
 * ELF_ET_DYN_BASE, without randomisation), an interpreter wherever the
 * host's mmap finds room for all of it, reserved PROT_NONE first.
 */
static long place_dyn(const struct elf *e, uint64_t lo, uint64_t hi,
		      int interp)
{
	uint64_t span = CK_ALIGN_UP(hi, CK_PAGE) - CK_ALIGN_DOWN(lo, CK_PAGE);
	long p;

	if (!interp)
		return (long)(PIE_BASE - CK_ALIGN_DOWN(lo, CK_PAGE));
	p = ck_sys6(__NR_mmap, 0, (long)span, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (IS_ERR_VAL(p))
		return p;
	if (ck_mm_overlaps_ck((uint64_t)p, (uint64_t)p + span))
		ck_die(134, "host mmap returned ck's memory");
	ck_mm_add((uint64_t)p, (uint64_t)p + span, PROT_NONE, R_ANON);
	(void)e;
	return (long)(p - (long)CK_ALIGN_DOWN(lo, CK_PAGE));
}

static int load_segments(struct elf *e, uint64_t *end, int interp)
{
	uint64_t lo = ~0ULL, hi = 0;
	unsigned int i;
	long ret = 0;

	for (i = 0; i < e->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type != PT_LOAD)
			continue;
		if (p->p_filesz > p->p_memsz ||
		    (p->p_vaddr - p->p_offset) % CK_PAGE)
			return -ENOEXEC;
		if (!segment_in_range(p)) {
			ck_dprintf(2, "ck: %s: a segment's address, size or "
				   "offset is out of range\n", e->path);
			return -ENOEXEC;
		}
		if ((p->p_flags & PF_W) && (p->p_flags & PF_X)) {
			ck_dprintf(2, "ck: %s: a segment is both writable and "
				   "executable (W^X): refusing to run it\n",
				   e->path);
			return -ENOEXEC;
		}
		if (p->p_vaddr < lo)
			lo = p->p_vaddr;
		if (p->p_vaddr + p->p_memsz > hi)
			hi = p->p_vaddr + p->p_memsz;
	}
	if (hi <= lo)
		return -ENOEXEC;
	if (e->eh.e_type == ET_DYN) {
		long b = place_dyn(e, lo, hi, interp);

		if (IS_ERR_VAL(b))
			return (int)b;
		e->bias = (uint64_t)b;
	}
	e->base = e->bias + CK_ALIGN_DOWN(lo, CK_PAGE);
	for (i = 0; !ret && i < e->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type != PT_LOAD || !p->p_memsz)
			continue;
		ret = (p->p_flags & PF_X) ? load_code(e, p) : load_data(e, p);
	}
	*end = e->bias + hi;
	return (int)ret;
}

/*
 * AT_PHDR as Linux finds it: where the PT_LOAD whose file bytes hold the
 * program headers puts them (PT_PHDR, which a file may get wrong, is not
 * asked); 0 if no segment holds them.
 */
static uint64_t phdr_addr(const struct elf *e)
{
	uint64_t at = 0;
	unsigned int i;

	for (i = 0; i < e->eh.e_phnum; i++) {
		const Elf64_Phdr *p = &e->ph[i];

		if (p->p_type == PT_LOAD && p->p_offset <= e->eh.e_phoff &&
		    e->eh.e_phoff - p->p_offset < p->p_filesz)
			at = e->bias + e->eh.e_phoff - p->p_offset + p->p_vaddr;
	}
	return at;
}

/*
 * The vDSO is code ck did not seal: offer it only if it is clean. All of
 * its mapping is executable (headers and symbol tables too), so all of it
 * is scanned; an unclean one is unmapped, not just left unannounced (the
 * program could still jump into it; ARCH_MAP_VDSO_* is denied, so it
 * cannot come back).
 */
#ifndef CK_TEST_VDSO_UNCLEAN
#define CK_TEST_VDSO_UNCLEAN	0	/* 1: test build, vDSO unclean */
#endif

static uint64_t clean_vdso(void)
{
	uint64_t lo, hi;

	if (!ck_env.vdso || ck_mm_region_of(ck_env.vdso, &lo, &hi))
		return 0;
	if (!CK_TEST_VDSO_UNCLEAN &&
	    !paracell_scan((const void *)lo, hi - lo, 0, 0, 0))
		return ck_env.vdso;
	if (ck_sys2(__NR_munmap, lo, hi - lo))
		ck_die(125, "cannot unmap the vDSO, which holds a forbidden "
		       "instruction");
	ck_mm_remove(lo, hi);
	return 0;
}

struct stk {
	uint64_t top;	/* strings grow down from here */
	uint64_t lo;
};

static uint64_t push_bytes(struct stk *s, const void *p, size_t n)
{
	s->top -= n;
	if (s->top < s->lo || ck_copy_to_user(s->top, p, n))
		return 0;
	return s->top;
}

static uint64_t push_str(struct stk *s, const char *str)
{
	return push_bytes(s, str, strlen(str) + 1);
}

static int count(char **v)
{
	int n = 0;

	while (v[n])
		n++;
	return n;
}

#define AUX_MAX		21
#define ARGS_MAX	32768	/* argv and envp strings together */

/* Everything below the strings: argc, argv, envp and auxv, built in K. */
struct vec {
	uint64_t w[1 + ARGS_MAX + 2 + 2 * AUX_MAX];
	int n;
};

static void put(struct vec *v, uint64_t x)
{
	v->w[v->n++] = x;
}

static int build_stack(struct elf *e, char **argv, char **envp,
		       struct ck_image *img)
{
	uint64_t random[2], execfn, platform, rnd, strs;
	int argc = count(argv), envc = count(envp), i;
	/* Scratch (ck.h): the program's stack is built once, at load. */
	static uint64_t strp[ARGS_MAX] CK_SCRATCH;	/* argv's, then envp's */
	static struct vec v CK_SCRATCH;
	struct stk s;
	long base;

	if (argc > ARGS_MAX - envc)
		return -E2BIG;
	base = ck_map_user(0, STACK_SIZE, R_STACK, 0);
	if (IS_ERR_VAL(base))
		return (int)base;
	s.lo = (uint64_t)base;
	s.top = (uint64_t)base + STACK_SIZE;
	ck_pager_bind(s.top - ck_pager_bind_len(CK_BIND_STACK, STACK_SIZE),
		      ck_pager_bind_len(CK_BIND_STACK, STACK_SIZE));
	ck_pager_flush();

	execfn = push_str(&s, e->execfn);
	platform = push_str(&s, "x86_64");
	strs = execfn && platform;
	for (i = envc - 1; i >= 0; i--)
		strs = strs && (strp[argc + i] = push_str(&s, envp[i]));
	for (i = argc - 1; i >= 0; i--)
		strs = strs && (strp[i] = push_str(&s, argv[i]));
	ck_sys3(__NR_getrandom, random, sizeof(random), 0);
	rnd = push_bytes(&s, random, sizeof(random));
	if (!strs || !rnd)
		return -E2BIG;

	uint64_t aux[AUX_MAX][2] = {
		{ AT_PHDR, phdr_addr(e) }, { AT_PHENT, sizeof(Elf64_Phdr) },
		{ AT_PHNUM, e->eh.e_phnum }, { AT_PAGESZ, CK_PAGE },
		{ AT_BASE, e->interp ? e->interp->base : 0 }, { AT_FLAGS, 0 },
		{ AT_ENTRY, e->bias + e->eh.e_entry },
		{ AT_UID, ck_env.uid }, { AT_EUID, ck_env.euid },
		{ AT_GID, ck_env.gid }, { AT_EGID, ck_env.egid },
		{ AT_SECURE, ck_env.secure }, { AT_RANDOM, rnd },
		{ AT_HWCAP, ck_env.hwcap }, { AT_HWCAP2, ck_env.hwcap2 },
		{ AT_CLKTCK, ck_env.clktck }, { AT_PLATFORM, platform },
		{ AT_EXECFN, execfn }, { AT_MINSIGSTKSZ, ck_env.minsigstksz },
		{ AT_SYSINFO_EHDR, clean_vdso() }, { AT_NULL, 0 },
	};

	v.n = 0;
	put(&v, (uint64_t)argc);
	for (i = 0; i < argc; i++)
		put(&v, strp[i]);
	put(&v, 0);
	for (i = 0; i < envc; i++)
		put(&v, strp[argc + i]);
	put(&v, 0);
	for (i = 0; i < AUX_MAX; i++) {
		if (aux[i][0] == AT_SYSINFO_EHDR && !aux[i][1])
			continue;	/* no clean vDSO: say nothing */
		put(&v, aux[i][0]);
		put(&v, aux[i][1]);
	}
	s.top = CK_ALIGN_DOWN(s.top - (uint64_t)v.n * 8, 16);
	if (s.top < s.lo || ck_copy_to_user(s.top, v.w, (size_t)v.n * 8))
		return -E2BIG;
	img->sp = s.top;
	img->entry = e->interp ? e->interp->bias + e->interp->eh.e_entry :
		     e->bias + e->eh.e_entry;
	return 0;
}

/* The task's name, as execve sets it: the file name's last part. */
static void set_comm(const char *path)
{
	const char *base = path, *p;

	for (p = path; *p; p++)
		if (*p == '/')
			base = p + 1;
	ck_sys2(__NR_prctl, PR_SET_NAME, base);	/* cut to 15 bytes */
}

/*
 * execve's checks before ck re-executes itself (exec.c): fd's file may be
 * run (EACCES), is an x86-64 ELF (ENOEXEC) whose interpreter, if it names
 * one, can be opened and run (ENOENT, EACCES, ELIBBAD), or a `#!` script
 * (1, its first line's bytes in buf, NUL-ended).
 */
int ck_exec_probe(long fd, const char *path, char *buf, size_t len)
{
	static struct elf e, in;
	long n;
	int ret;

	ret = exec_allowed(fd);
	if (ret)
		return ret;
	n = ck_sys4(__NR_pread64, fd, buf, len - 1, 0);
	if (n < 0)
		return (int)n;
	buf[n] = 0;
	if (n >= 2 && buf[0] == '#' && buf[1] == '!')
		return 1;
	e.fd = fd;
	e.path = path;
	e.interp = 0;
	ret = read_headers(&e);
	if (!ret)
		ret = open_interp(&e, &in);
	if (e.interp)
		ck_sys1(__NR_close, in.fd);
	return ret;
}

static int load(const char *path, const char *execfn, char **argv,
		char **envp, struct ck_image *img, int depth);

/*
 * A `#!` script given to ck itself (a container's first process is often
 * an entrypoint script), as binfmt_script runs it: the interpreter, its
 * one optional argument, the script's path, then the arguments after
 * argv[0]; AT_EXECFN stays the path ck was given. -ENOEXEC if fd holds no
 * `#!` line. (A program's execve of a script is resolved before ck
 * re-executes itself: exec.c.)
 */
static int load_script(long fd, const char *path, const char *execfn,
		       char **argv, char **envp, struct ck_image *img,
		       int depth)
{
	static char line[SCRIPT_DEPTH + 1][BINPRM_BUF];
	char *interp, *iarg, **v, *l = line[depth];
	size_t n = 0, i = 0, j;
	long r = ck_sys4(__NR_pread64, fd, l, BINPRM_BUF - 1, 0);
	int ret;

	if (r < 2 || l[0] != '#' || l[1] != '!')
		return -ENOEXEC;
	l[r] = 0;
	if (depth == SCRIPT_DEPTH)
		return -ELOOP;
	ret = ck_parse_shebang(l, &interp, &iarg);
	if (ret)
		return ret;
	while (argv[n])
		n++;
	v = ck_kalloc(CK_ALIGN_UP((n + 3) * sizeof(char *), CK_PAGE));
	if (!v)
		return -ENOMEM;
	v[i++] = interp;
	if (iarg)
		v[i++] = iarg;
	v[i++] = (char *)path;
	for (j = 1; j < n; j++)
		v[i++] = argv[j];
	v[i] = 0;
	return load(interp, execfn, v, envp, img, depth + 1);
}

int ck_load(const char *path, const char *execfn, char **argv, char **envp,
	    struct ck_image *img)
{
	return load(path, execfn, argv, envp, img, 0);
}

static int load(const char *path, const char *execfn, char **argv,
		char **envp, struct ck_image *img, int depth)
{
	static struct elf in;
	struct elf e = { .path = path, .execfn = execfn };
	uint64_t end = 0, iend;
	int ret;

	e.fd = ck_sys4(__NR_openat, -100, path, 0x80000 /* O_CLOEXEC */, 0);
	if (e.fd < 0)
		return (int)e.fd;
	ck_selfexe_note(e.fd);
	ret = exec_allowed(e.fd);
	if (!ret)
		ret = read_headers(&e);
	if (ret == -ENOEXEC) {
		ret = load_script(e.fd, path, execfn, argv, envp, img, depth);
		ck_sys1(__NR_close, e.fd);
		return ret;
	}
	if (!ret)
		ret = open_interp(&e, &in);
	if (!ret)
		ret = load_segments(&e, &end, 0);
	if (!ret && e.interp)
		ret = load_segments(&in, &iend, 1);
	if (!ret)
		ret = ck_brk_init(end);
	if (!ret)
		ret = build_stack(&e, argv, envp, img);
	if (!ret)
		set_comm(path);
	if (e.interp)
		ck_sys1(__NR_close, in.fd);
	ck_sys1(__NR_close, e.fd);
	return ret;
}
