// SPDX-License-Identifier: Apache-2.0
/*
 * Syscall- and memory-level attacks on ck: `sysatk MODE`, run under ck by
 * run.sh. Addresses inside the ck under test come from the environment
 * (hex, taken by run.sh from `nm`/`readelf` of that exact binary):
 *   CK_CANARY  ck_canary (8 x u64 in K, one page of its own)
 *   CK_TBLK    ck_tblk (the K2 thread blocks; block 0 is this thread's)
 *   CK_STATS   ck_stats (K, .bss)
 *   CK_RODATA  ck's read-only data segment (pkey 0, never writable)
 *   CK_SITE    ck_gate_site_fwd_ck (sigatk.c's sigret-rip)
 *   TRACEE     a pid to PTRACE_SEIZE (ptrace mode)
 *   PROC2      a second mount of procfs (procmem proc2 mode)
 *
 * Output, one line each:
 *   "blocked: WHAT: ERRNO"   a step was refused
 *   "ORACLE: WHAT"           the attack got through, proven by an effect
 *                            (canary bytes seen, a mapping seen in
 *                            /proc/self/maps, a host object that answers)
 *   "open: WHAT returned X"  a step was not refused (no proof by itself)
 * ck itself prints "ck: canary CLOBBERED" at exit when K was written.
 * Exit: 0 if every step was refused, 3 if some step was not, 2 for usage.
 * The program never touches K or K2 memory with a plain access except
 * where the attack has made it reachable (or reads K2, which it may).
 *
 * This file has the table of modes and the helpers they share (sysatk.h);
 * the attacks are in sysatk_mem.c, sysatk_fd.c, sysatk_deny.c,
 * sysatk_sig.c and sysatk_task.c, one topic each.
 */
#include "sysatk.h"

static int open_steps;		/* steps that were not refused */

void say(const char *tag, const char *what, const char *detail)
{
	printf("%s: %s%s%s\n", tag, what, detail ? ": " : "",
	       detail ? detail : "");
	fflush(stdout);
}

/* A step that must be refused: ret -1 with errno set, else "open". */
int refused(long ret, const char *what)
{
	char buf[64];

	if (ret == -1) {
		say("blocked", what, strerror(errno));
		return 1;
	}
	snprintf(buf, sizeof(buf), "returned %ld", ret);
	say("open", what, buf);
	open_steps++;
	return 0;
}

void oracle(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	printf("ORACLE: ");
	vprintf(fmt, ap);
	printf("\n");
	fflush(stdout);
	va_end(ap);
}

/* The file at path into buf, NUL-terminated ("" if it cannot be read). */
static char *read_whole(const char *path, char *buf, size_t size)
{
	long n, got = 0;
	int fd = open(path, O_RDONLY);

	buf[0] = 0;
	if (fd < 0)
		return buf;
	while ((n = read(fd, buf + got, size - 1 - got)) > 0)
		got += n;
	close(fd);
	buf[got] = 0;
	return buf;
}

/* /proc/self/maps into a static buffer. */
const char *maps(void)
{
	static char buf[65536];

	return read_whole("/proc/self/maps", buf, sizeof(buf));
}

/*
 * The K2 mappings (ProtectionKey 2 in /proc/self/smaps: ck's memory the
 * program may read), at most max of them; their count.
 */
int k2_ranges(uint64_t *lo, uint64_t *hi, int max)
{
	static char buf[1 << 18];
	unsigned long long a, b, cur_lo = 0, cur_hi = 0;
	int k, count = 0;
	char *p;

	for (p = read_whole("/proc/self/smaps", buf, sizeof(buf)); p && *p; p = strchr(p, '\n'), p = p ? p + 1 : 0) {
		if (sscanf(p, "%llx-%llx ", &a, &b) == 2 && p[strspn(p,
		    "0123456789abcdef")] == '-') {
			cur_lo = a;
			cur_hi = b;
		} else if (sscanf(p, "ProtectionKey: %d", &k) == 1 &&
			   k == 2 && count < max) {
			lo[count] = cur_lo;
			hi[count++] = cur_hi;
		}
	}
	return count;
}

/* The maps line covering addr into line (empty if unmapped). */
void maps_line(uint64_t addr, char *line, size_t size)
{
	const char *p = maps();

	line[0] = 0;
	while (*p) {
		unsigned long long lo, hi;
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);

		if (sscanf(p, "%llx-%llx", &lo, &hi) == 2 && lo <= addr &&
		    addr < hi) {
			if (n >= size)
				n = size - 1;
			memcpy(line, p, n);
			line[n] = 0;
			return;
		}
		p += n + (e ? 1 : 0);
	}
}

/* Does some maps line have these permissions (e.g. "rwx", "-wx")? */
int maps_perm_at(uint64_t addr, const char *perm)
{
	char line[512], *sp;

	maps_line(addr, line, sizeof(line));
	sp = strchr(line, ' ');
	return sp && !strncmp(sp + 1, perm, strlen(perm));
}

/* Count of executable mappings (perm field "..x") in /proc/self/maps. */
int exec_mappings(char *names, size_t size)
{
	const char *p = maps();
	int n = 0;

	if (names)
		names[0] = 0;
	while (*p) {
		const char *sp = strchr(p, ' '), *e = strchr(p, '\n');

		if (sp && sp[3] == 'x') {
			n++;
			if (names && strlen(names) + 40 < size)
				strncat(names, p, (size_t)(sp - p + 5));
		}
		if (!e)
			break;
		p = e + 1;
	}
	return n;
}

void fd_link(int fd, char *out, size_t size)
{
	char path[64];
	long n;

	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	n = readlink(path, out, size - 1);
	out[n < 0 ? 0 : n] = 0;
}

/* Does the fd talk to /dev/paracell? PARACELL_GET_API_VERSION answers 1. */
void device_answers(int fd, const char *how)
{
	long v;

	if (fd < 0)
		return;
	v = ioctl(fd, PARACELL_GET_API_VERSION);
	if (v == PARACELL_API_VERSION) {
		oracle("%s: fd %d is ck's /dev/paracell "
			 "(PARACELL_GET_API_VERSION = %ld)", how, fd, v);
	}
}

static const struct {
	const char *mode;
	int (*fn)(const char *arg);
}
 modes[] = {
	{ "write-leak", atk_write_leak }, { "read-clobber", atk_read_clobber },
	{ "read-k2", atk_read_k2 }, { "into-canary", atk_into_canary },
	{ "fd", atk_fd }, { "mem", atk_mem }, { "vdso", atk_vdso },
	{ "procmem", atk_procmem }, { "denied", atk_denied }, { "wx", atk_wx },
	{ "exec-file", atk_exec_file }, { "sigsys", atk_sigsys },
	{ "fakefault", atk_fakefault },
	{ "uffd", atk_uffd }, { "noexec", atk_noexec },
	{ "k2names", atk_k2names }, { "thr", atk_thr },
	{ "fork", atk_fork }, { "exec", atk_exec },
	{ "altstack", atk_altstack },
};

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	const char *arg = argc > 2 ? argv[2] : "";
	size_t i;
	int ret = 2;

	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(mode, modes[i].mode))
			ret = modes[i].fn(arg);
	if (ret == 2) {
		fprintf(stderr, "sysatk: bad mode or set-up failure: %s %s\n",
			mode, arg);
		return 2;
	}
	return open_steps ? 3 : 0;
}
