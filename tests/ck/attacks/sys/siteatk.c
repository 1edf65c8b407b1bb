// SPDX-License-Identifier: Apache-2.0
/*
 * siteatk MODE FILE: attacks on how ck seals the code of files it did not
 * load itself (shim/guest/sites.c), each mapping FILE's code as ld.so
 * does (mmap PROT_READ|PROT_EXEC, MAP_PRIVATE) and jumping to the first
 * byte of a WRPKRU pattern in it with EAX = ECX = EDX = 0: if that runs,
 * every pkey is open and the program reads ck_canary (CK_CANARY, hex):
 *   k2        FILE's executable segment holds a WRPKRU inside another
 *             instruction (libk2.so): ck must refuse the mapping;
 *   k3        ... in data on a page of its own (libk3.so): ck maps it, the
 *             program reads the pattern's bytes there (exit 2 if it cannot:
 *             the data must stay readable), and the jump must fault;
 *   junction  FILE's first page ends in 0F 01 and its second starts with
 *             EF C3: mapped as two adjacent code mappings, the pattern
 *             spans their junction: ck must refuse the first;
 *   preload   runs /bin/true with LD_PRELOAD=FILE (libk2pre.so, whose
 *             constructor runs its kind-2 WRPKRU): ld.so's mapping of it
 *             must be refused;
 *   core      FILE's code holds a WRFSBASE/WRGSBASE core with no F3 before
 *             it (git's, libcrypto's): ck maps it (no pattern), and the
 *             jump must raise #UD (SIGILL), as it does natively.
 * Prints "blocked: ..." for a refused step, "ORACLE: ..." when the attack
 * got through; exit 0, 2 on a set-up failure. Holds no pattern itself.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAGE	4096UL
#define CANARY	0x63616e6172794b21ULL

static void gadget_then_canary(uintptr_t gadget, const char *what)
{
	const char *v = getenv("CK_CANARY");
	volatile uint64_t *c = (volatile uint64_t *)strtoull(v ? v : "0", 0, 16);

	fflush(stdout);
	__asm__ volatile("call *%0" : : "r"(gadget), "a"(0), "c"(0), "d"(0)
			 : "memory");
	if (c && c[0] == CANARY)
		printf("ORACLE: %s ran: ck_canary = 0x%llx\n", what,
		       (unsigned long long)c[0]);
}

/*
 * The first pattern in [p, p + len), or 0: WRPKRU (0F 01 EF), else the
 * first WRFSBASE/WRGSBASE core (0F AE D0-DF) or XRSTOR (0F AE /5).
 */
static uintptr_t find_pattern(const uint8_t *p, size_t len)
{
	uintptr_t other = 0;
	size_t i;

	for (i = 0; i + 3 <= len; i++) {
		if (p[i] != 0x0f)
			continue;
		if (p[i + 1] == 0x01 && p[i + 2] == 0xef)
			return (uintptr_t)(p + i);
		if (!other && p[i + 1] == 0xae &&
		    ((p[i + 2] & 0xf0) == 0xd0 ||
		     ((p[i + 2] & 0x38) == 0x28 && p[i + 2] < 0xc0)))
			other = (uintptr_t)(p + i);
	}
	return other;
}

/* FILE's executable PT_LOAD, mapped as ld.so maps it; NULL if refused. */
static void *map_code(const char *path, size_t *len)
{
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	int fd = open(path, O_RDONLY), i;
	void *m;

	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh))
		exit(2);
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * sizeof(ph)) !=
		    sizeof(ph))
			exit(2);
		if (ph.p_type == PT_LOAD && (ph.p_flags & PF_X))
			break;
	}
	if (i == eh.e_phnum)
		exit(2);
	*len = (ph.p_offset % PAGE) + ph.p_filesz;
	m = mmap(0, *len, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd,
		 ph.p_offset & ~(PAGE - 1));
	close(fd);
	if (m == MAP_FAILED) {
		printf("blocked: mmap(PROT_EXEC) of %s's code: %s\n", path,
		       strerror(errno));
		return 0;
	}
	return m;
}

static int atk_k2(const char *path)
{
	size_t len;
	uint8_t *m = map_code(path, &len);
	uintptr_t g;

	if (!m)
		return 0;
	g = find_pattern(m, len);
	if (!g)
		return 2;
	gadget_then_canary(g, "a kind-2 WRPKRU inside an instruction");
	return 0;
}

static int atk_k3(const char *path)
{
	size_t len;
	uint8_t *m = map_code(path, &len);
	uintptr_t g;

	if (!m)
		return 2;	/* ck must map data pages, not refuse them */
	g = find_pattern(m, len);
	if (!g)
		return 2;
	printf("the table is readable: the pattern is at 0x%lx\n",
	       (unsigned long)g);
	gadget_then_canary(g, "a kind-3 WRPKRU in data");
	return 0;
}

static int atk_core(const char *path)
{
	size_t len;
	uint8_t *m = map_code(path, &len);
	uintptr_t g;

	if (!m)
		return 2;	/* no pattern: ck must map it */
	g = find_pattern(m, len);
	if (!g)
		return 2;
	printf("mapped; the core is at 0x%lx\n", (unsigned long)g);
	gadget_then_canary(g, "a WR*SBASE core without its F3");
	return 0;
}

static int atk_junction(const char *path)
{
	int fd = open(path, O_RDONLY);
	uint8_t *r;

	if (fd < 0)
		return 2;
	r = mmap(0, 2 * PAGE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (r == MAP_FAILED)
		return 2;
	if (mmap(r + PAGE, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED,
		 fd, PAGE) == MAP_FAILED)
		return 2;	/* EF C3 alone is no pattern */
	if (mmap(r, PAGE, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_FIXED, fd,
		 0) == MAP_FAILED) {
		printf("blocked: mmap(PROT_EXEC) of a page ending in 0F 01 "
		       "below one starting with EF: %s\n", strerror(errno));
		return 0;
	}
	gadget_then_canary((uintptr_t)(r + PAGE - 2),
			   "a WRPKRU across two code mappings");
	return 0;
}

static int atk_preload(const char *path)
{
	char env[4096];
	const char *canary = getenv("CK_CANARY");
	char *argv[] = { "true", 0 };
	char *envp[] = { env, 0, 0 };
	static char cenv[64];

	snprintf(env, sizeof(env), "LD_PRELOAD=%s", path);
	snprintf(cenv, sizeof(cenv), "CK_CANARY=%s", canary ? canary : "0");
	envp[1] = cenv;
	fflush(stdout);
	execve("/bin/true", argv, envp);
	return 2;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 2 ? argv[1] : "";
	int ret = 2;

	if (!strcmp(mode, "k2"))
		ret = atk_k2(argv[2]);
	else if (!strcmp(mode, "k3"))
		ret = atk_k3(argv[2]);
	else if (!strcmp(mode, "junction"))
		ret = atk_junction(argv[2]);
	else if (!strcmp(mode, "core"))
		ret = atk_core(argv[2]);
	else if (!strcmp(mode, "preload"))
		ret = atk_preload(argv[2]);
	if (ret == 2)
		fprintf(stderr, "siteatk: bad mode or set-up failure\n");
	fflush(stdout);
	return ret;
}
