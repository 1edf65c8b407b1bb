// SPDX-License-Identifier: Apache-2.0
/*
 * gen-hostfilter: builds ck's host seccomp filter with libseccomp at build
 * time and writes it as a C header of classic BPF, so ck (freestanding, no
 * libseccomp) can install it with one seccomp() call.
 *
 *   gen-hostfilter [-x SYSCALL]... [-n] [-s SYMBOL] [-o FILE] [-l LIST] DIR
 *
 * writes DIR/FILE (default hostfilter.h) holding
 *   static const struct sock_filter SYMBOL[SYMBOL_LEN]   (default ck_hostfilter)
 *   #define SYMBOL_LEN        the number of instructions   (CK_HOSTFILTER_LEN)
 *   #define SYMBOL_GUARD_LEN  the raw vsyscall guard at its head (6, or 0)
 * and with -l, DIR/LIST: the syscalls the filter allows, one X(name) a
 * line, sorted by name (ck's start-up check and the unit tests read it).
 * -x and -n exist only for the tests' variants, never for ck's filter:
 * -x also allows SYSCALL unconditionally, -n leaves the vsyscall guard out.
 *
 * The filter (DESIGN.md section 4: arch checked, vsyscall-page calls killed,
 * only what ck issues allowed, PROT_EXEC only in an mmap of the seal fd):
 * - x86-64 only: any other audit arch (i386 through int 0x80) and any x32
 *   call (nr with bit 30) kill the process (libseccomp's arch check);
 * - default action: kill the process;
 * - every host syscall ck's syscall table (../systab.def) names is
 *   allowed: the forwarded calls, the host calls of ck's handlers and ck's
 *   own (CK_HOST), unconditionally unless it has argument rules in
 *   hf_rules below;
 * - a raw BPF guard is prepended: libseccomp cannot look at
 *   seccomp_data.instruction_pointer, and the vsyscall page's emulation runs
 *   seccomp but bypasses Syscall User Dispatch, so a call whose ip is in the
 *   vsyscall page (0xffffffffff600000..0xffffffffff600fff) is killed before
 *   any rule is looked at. BPF jumps are relative and forward, so the
 *   libseccomp program works unchanged behind it.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <asm/prctl.h>
#include <linux/fcntl.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include "ck_fds.h"

#if !defined(__x86_64__)
#error "SCMP_SYS() gives the build host's numbers: build gen-hostfilter on x86-64"
#endif

#define HF_MAX_EXTRA 16

/* Every host syscall the table names (with repeats: hf_unique() drops them). */
static const struct hf_call {
	const char *name;
	int nr;
} hf_list[] = {
#define H(n) { #n, SCMP_SYS(n) },
#define CK_FWD(name, nargs, fds) H(name)
#define CK_OWN(name, nargs, fds, handler, host) host
#define CK_HOST(name) H(name)
#include "systab.def"
#undef H
};
#define HF_LIST_LEN (sizeof(hf_list) / sizeof(hf_list[0]))

/* Is hf_list[i] the first entry with its name? */
static int hf_unique(size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (!strcmp(hf_list[j].name, hf_list[i].name))
			return 0;
	return 1;
}

#define ARG_EQ(i, v) { .arg = (i), .op = SCMP_CMP_EQ, .datum_a = (v) }
#define ARG_MASKED_EQ(i, m, v) \
	{ .arg = (i), .op = SCMP_CMP_MASKED_EQ, .datum_a = (m), .datum_b = (v) }

#define HF_IOC_TYPE_UFFD 0xAAU
#define HF_IOCTL_TYPE_BIT(b) { SCMP_SYS(ioctl), 1, { ARG_MASKED_EQ(1, \
	1U << (8 + (b)), (~HF_IOC_TYPE_UFFD & (1U << (b))) << 8) } }

/*
 * Argument rules. A listed syscall that appears here is allowed only when
 * one of its rules matches (all of a rule's comparisons, on the full 64 bits
 * of each argument). Where the kernel takes an int (prctl's and arch_prctl's
 * option, mmap's fd), a 64-bit compare is stricter than the kernel, so junk
 * in the high half kills rather than slips through.
 */
static const struct {
	int nr;
	unsigned int n;
	struct scmp_arg_cmp cmp[3];
} hf_rules[] = {
	/* mmap without PROT_EXEC: any mapping. */
	{ SCMP_SYS(mmap), 1, { ARG_MASKED_EQ(2, PROT_EXEC, 0) } },
	/*
	 * mmap with PROT_EXEC: only a shared, non-writable mapping of ck's
	 * seal fd. MAP_ANONYMOUS must be clear: the kernel ignores the fd of
	 * an anonymous mapping, so fd == CK_FD_SEAL alone would let a
	 * writable, executable anonymous mapping through. MAP_TYPE must be
	 * exactly MAP_SHARED (not MAP_PRIVATE, whose pages /proc/self/mem
	 * can write, nor MAP_SHARED_VALIDATE).
	 */
	{ SCMP_SYS(mmap), 3, {
		ARG_MASKED_EQ(2, PROT_EXEC | PROT_WRITE, PROT_EXEC),
		ARG_MASKED_EQ(3, MAP_TYPE | MAP_ANONYMOUS, MAP_SHARED),
		ARG_EQ(4, CK_FD_SEAL) } },
	/* execveat: ck re-executing itself (exec.c), nothing else. */
	{ SCMP_SYS(execveat), 2, { ARG_EQ(0, CK_FD_SELF),
		ARG_EQ(4, AT_EMPTY_PATH) } },
	/* Never PROT_EXEC in mprotect or pkey_mprotect (prot is arg 2). */
	{ SCMP_SYS(mprotect), 1, { ARG_MASKED_EQ(2, PROT_EXEC, 0) } },
	{ SCMP_SYS(pkey_mprotect), 1, { ARG_MASKED_EQ(2, PROT_EXEC, 0) } },
	/*
	 * prctl: the options ck itself needs. SUD for every new thread, NNP
	 * before a filter, DUMPABLE read for /proc decisions, the thread name
	 * it emulates (PR_SET_NAME/PR_GET_NAME), and the program's child
	 * subreaper (an init such as tini: orphans of its subtree come to it,
	 * all of them under ck), the capability bounding set read (libcap,
	 * ps, top: a query). Not PR_SET_SECCOMP, PR_SET_MM,
	 * PR_SET_DUMPABLE, PR_CAP_AMBIENT or anything else.
	 */
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_SET_SYSCALL_USER_DISPATCH) } },
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_SET_NO_NEW_PRIVS) } },
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_GET_DUMPABLE) } },
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_SET_NAME) } },
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_GET_NAME) } },
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_SET_CHILD_SUBREAPER) } },
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_GET_CHILD_SUBREAPER) } },
	{ SCMP_SYS(prctl), 1, { ARG_EQ(0, PR_CAPBSET_READ) } },
	/*
	 * arch_prctl: GS for ck's thread blocks, FS for the program's TLS
	 * (set by ck on its behalf). Not ARCH_MAP_VDSO_* (unsealed code),
	 * ARCH_SET_CPUID, the XCOMP or shadow-stack options.
	 */
	{ SCMP_SYS(arch_prctl), 1, { ARG_EQ(0, ARCH_SET_GS) } },
	{ SCMP_SYS(arch_prctl), 1, { ARG_EQ(0, ARCH_GET_GS) } },
	{ SCMP_SYS(arch_prctl), 1, { ARG_EQ(0, ARCH_SET_FS) } },
	{ SCMP_SYS(arch_prctl), 1, { ARG_EQ(0, ARCH_GET_FS) } },
	/*
	 * ioctl: any command but the userfaultfd type (0xAA, bits 8-15:
	 * USERFAULTFD_IOC_NEW on /dev/userfaultfd, then UFFDIO_*, which
	 * install pages in ck's memory with no user access for PKU to stop).
	 * libseccomp has no masked "not equal", and an unconditional rule
	 * would swallow a conditional refusal: so eight rules, each allowing
	 * the commands whose type differs from 0xAA in one bit.
	 */
	HF_IOCTL_TYPE_BIT(0), HF_IOCTL_TYPE_BIT(1), HF_IOCTL_TYPE_BIT(2),
	HF_IOCTL_TYPE_BIT(3), HF_IOCTL_TYPE_BIT(4), HF_IOCTL_TYPE_BIT(5),
	HF_IOCTL_TYPE_BIT(6), HF_IOCTL_TYPE_BIT(7),
};

#define SD_IP_LO (offsetof(struct seccomp_data, instruction_pointer))
#define SD_IP_HI (offsetof(struct seccomp_data, instruction_pointer) + 4)

/*
 * The vsyscall guard. Jump offsets count from the next instruction; the
 * libseccomp program starts at index HF_GUARD_LEN.
 */
static const struct sock_filter hf_guard[] = {
	/* 0 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SD_IP_HI),
	/* 1 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xffffffffU, 0, 4), /* ->2, ->6 */
	/* 2 */ BPF_STMT(BPF_LD | BPF_W | BPF_ABS, SD_IP_LO),
	/* 3 */ BPF_STMT(BPF_ALU | BPF_AND | BPF_K, 0xfffff000U),
	/* 4 */ BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0xff600000U, 0, 1), /* ->5, ->6 */
	/* 5 */ BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
};
#define HF_GUARD_LEN (sizeof(hf_guard) / sizeof(hf_guard[0]))

struct hf_opts {
	const char *dir;
	const char *file;
	const char *symbol;
	const char *list;
	const char *extra[HF_MAX_EXTRA];
	unsigned int nextra;
	int guard;
};

/* Adds the listed syscall nr: its argument rules, or unconditionally. */
static int add_listed(scmp_filter_ctx ctx, int nr)
{
	unsigned int i, found = 0;
	int err = 0;

	for (i = 0; i < sizeof(hf_rules) / sizeof(hf_rules[0]) && !err; i++) {
		if (hf_rules[i].nr != nr)
			continue;
		found = 1;
		err = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, nr,
					     hf_rules[i].n, hf_rules[i].cmp);
	}
	if (!found)
		err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
	return err;
}

/* Builds the libseccomp context; *out is released by the caller. */
static int build(const struct hf_opts *o, scmp_filter_ctx *out)
{
	scmp_filter_ctx ctx;
	unsigned int i;
	int err, nr;

	/* Level 3 has KILL_PROCESS whatever the build host's kernel says. */
	err = seccomp_api_set(3);
	ctx = err ? NULL : seccomp_init(SCMP_ACT_KILL_PROCESS);
	if (!ctx) {
		err = err ? err : -ENOMEM;
		goto fail;
	}
	err = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH,
			       SCMP_ACT_KILL_PROCESS);
	if (!err)
		err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);
	if (!err && seccomp_arch_native() != SCMP_ARCH_X86_64)
		err = -EINVAL;
	for (i = 0; i < HF_LIST_LEN && !err; i++) {
		if (!hf_unique(i))
			continue;
		if (hf_list[i].nr < 0) {
			fprintf(stderr, "gen-hostfilter: %s has no x86-64 number\n",
				hf_list[i].name);
			err = -EINVAL;
		} else {
			err = add_listed(ctx, hf_list[i].nr);
		}
	}
	for (i = 0; i < o->nextra && !err; i++) {
		nr = seccomp_syscall_resolve_name(o->extra[i]);
		if (nr < 0) {
			fprintf(stderr, "gen-hostfilter: unknown syscall %s\n",
				o->extra[i]);
			err = -EINVAL;
		} else {
			err = seccomp_rule_add(ctx, SCMP_ACT_ALLOW, nr, 0);
		}
	}
	if (err)
		goto fail;
	*out = ctx;
	return 0;
fail:
	if (ctx)
		seccomp_release(ctx);
	return err;
}

/*
 * Exports the context as BPF and puts the guard (if wanted) in front.
 * *prog is malloc()ed, *len its instruction count.
 */
static int assemble(scmp_filter_ctx ctx, int guard, struct sock_filter **prog,
		    size_t *len)
{
	size_t head = guard ? HF_GUARD_LEN : 0, n = 0, got = 0;
	struct sock_filter *p = NULL;
	ssize_t r = 0;
	off_t size;
	int fd, err;

	fd = memfd_create("hostfilter", MFD_CLOEXEC);
	err = fd < 0 ? -errno : seccomp_export_bpf(ctx, fd);
	size = err ? -1 : lseek(fd, 0, SEEK_END);
	if (!err && (size <= 0 || size % sizeof(*p)))
		err = size < 0 ? -errno : -EPROTO;
	if (!err) {
		n = (size_t)size / sizeof(*p);
		if (head + n > BPF_MAXINSNS)
			err = -E2BIG;
	}
	if (!err) {
		p = calloc(head + n, sizeof(*p));
		err = p ? 0 : -ENOMEM;
	}
	while (!err && got < (size_t)size) {
		r = pread(fd, (char *)(p + head) + got, (size_t)size - got,
			  (off_t)got);
		if (r <= 0)
			err = r < 0 ? -errno : -EIO;
		else
			got += (size_t)r;
	}
	if (fd >= 0)
		close(fd);
	if (err)
		goto fail;
	memcpy(p, hf_guard, head * sizeof(*p));
	*prog = p;
	*len = head + n;
	return 0;
fail:
	free(p);
	return err;
}

/*
 * Opens DIR/FILE's temporary file (path, tmp: PATH_MAX each) for writing:
 * a header is written there and renamed into place (finish_file).
 */
static int start_file(const char *dir, const char *file, char *path,
		      char *tmp, FILE **f)
{
	if ((size_t)snprintf(path, PATH_MAX, "%s/%s", dir, file) >= PATH_MAX ||
	    (size_t)snprintf(tmp, PATH_MAX, "%s.tmp", path) >= PATH_MAX)
		return -ENAMETOOLONG;
	*f = fopen(tmp, "w");
	return *f ? 0 : -errno;
}

/* Closes f and renames tmp to path; on any error removes tmp. */
static int finish_file(FILE *f, const char *path, const char *tmp)
{
	int err = ferror(f) ? -EIO : 0;

	if (fclose(f) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err)
		unlink(tmp);
	return err;
}

/* Writes the header to DIR/FILE through a temporary file and rename(). */
static int write_header(const struct hf_opts *o, const struct sock_filter *p,
			size_t len)
{
	char path[PATH_MAX], tmp[PATH_MAX], up[128];
	size_t i, head = o->guard ? HF_GUARD_LEN : 0;
	FILE *f = NULL;
	int err = 0;

	for (i = 0; o->symbol[i] && i + 1 < sizeof(up); i++)
		up[i] = (char)toupper((unsigned char)o->symbol[i]);
	up[i] = 0;
	err = o->symbol[i] ? -ENAMETOOLONG :
	      start_file(o->dir, o->file, path, tmp, &f);
	if (err)
		return err;
	fprintf(f,
		"/* SPDX-License-Identifier: Apache-2.0 */\n"
		"/*\n"
		" * Generated by shim/guest/hostfilter/gen-hostfilter from\n"
		" * shim/guest/systab.def: do not edit.\n"
		" * ck's host seccomp filter as classic BPF, for\n"
		" * seccomp(SECCOMP_SET_MODE_FILTER) (see hostfilter/install.h).\n"
		"%s%s"
		" */\n"
		"#ifndef %s_H\n#define %s_H\n\n#include <linux/filter.h>\n\n"
		"#define %s_LEN %zu\n#define %s_GUARD_LEN %zu\n\n"
		"static const struct sock_filter %s[%s_LEN]\n"
		"\t__attribute__((unused)) = {\n",
		o->guard ? "" : " * TEST VARIANT: no vsyscall guard.\n",
		o->nextra ? " * TEST VARIANT: extra syscalls allowed.\n" : "",
		up, up, up, len, up, head, o->symbol, up);
	for (i = 0; i < len; i++)
		fprintf(f, "\t{ 0x%04x, %3u, %3u, 0x%08x },%s\n", p[i].code,
			p[i].jt, p[i].jf, p[i].k,
			i == 0 && head ? " /* vsyscall guard */" :
			i == head ? " /* libseccomp */" : "");
	fprintf(f, "};\n\n#endif\n");
	return finish_file(f, path, tmp);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * Writes DIR/LIST through a temporary file and rename(): the host
 * syscalls of the table, once each, as X(name) lines sorted by name.
 */
static int write_list(const struct hf_opts *o)
{
	const char *names[HF_LIST_LEN];
	char path[PATH_MAX], tmp[PATH_MAX];
	size_t i, n = 0;
	FILE *f = NULL;
	int err = 0;

	for (i = 0; i < HF_LIST_LEN; i++)
		if (hf_unique(i))
			names[n++] = hf_list[i].name;
	qsort(names, n, sizeof(names[0]), by_name);
	err = start_file(o->dir, o->list, path, tmp, &f);
	if (err)
		return err;
	fprintf(f, "/* SPDX-License-Identifier: Apache-2.0 */\n"
		"/*\n"
		" * Generated by shim/guest/hostfilter/gen-hostfilter from\n"
		" * shim/guest/systab.def: do not edit. The host syscalls ck's\n"
		" * host seccomp filter allows (build/hostfilter.h), one X(name)\n"
		" * a line, sorted by name.\n"
		" */\n");
	for (i = 0; i < n; i++)
		fprintf(f, "X(%s)\n", names[i]);
	return finish_file(f, path, tmp);
}

static int parse(int argc, char **argv, struct hf_opts *o)
{
	int c, err = 0;

	*o = (struct hf_opts){ .file = "hostfilter.h",
			       .symbol = "ck_hostfilter", .guard = 1 };
	while (!err && (c = getopt(argc, argv, "x:ns:o:l:")) != -1) {
		if (c == 'x' && o->nextra < HF_MAX_EXTRA)
			o->extra[o->nextra++] = optarg;
		else if (c == 'n')
			o->guard = 0;
		else if (c == 's')
			o->symbol = optarg;
		else if (c == 'o')
			o->file = optarg;
		else if (c == 'l')
			o->list = optarg;
		else
			err = -EINVAL;
	}
	if (!err && optind + 1 == argc)
		o->dir = argv[optind];
	else
		err = -EINVAL;
	if (err)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "usage: gen-hostfilter [-x SYSCALL]... [-n] "
			"[-s SYMBOL] [-o FILE] [-l LIST] DIR\n");
	return err;
}

int main(int argc, char **argv)
{
	struct sock_filter *prog = NULL;
	scmp_filter_ctx ctx = NULL;
	struct hf_opts o;
	size_t len = 0;
	int err;

	err = parse(argc, argv, &o);
	if (!err)
		err = build(&o, &ctx);
	if (!err)
		err = assemble(ctx, o.guard, &prog, &len);
	if (!err)
		err = write_header(&o, prog, len);
	if (!err && o.list)
		err = write_list(&o);
	free(prog);
	if (ctx)
		seccomp_release(ctx);
	if (err)
		fprintf(stderr, "gen-hostfilter: %s\n", strerror(-err));
	return err ? 1 : 0;
}
