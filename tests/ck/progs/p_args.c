// SPDX-License-Identifier: Apache-2.0
/*
 * p_args ARGS...: prints argc, argv (argv[0] as its basename), the
 * environment variables whose names start with PCTEST_ (in envp order) and
 * the auxv entries that do not vary: AT_PAGESZ, whether AT_RANDOM is set,
 * AT_SECURE and the basename of AT_EXECFN; and whether /proc/self/cmdline
 * (what ps shows), trailing NULs dropped, holds exactly argv.
 */
#include <fcntl.h>
#include <sys/auxv.h>

#include "common.h"

extern char **environ;

static const char *base(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "(null)";
}

/* /proc/self/cmdline, trailing NULs dropped, against argv. */
static void cmdline(int argc, char **argv)
{
	static char buf[1 << 16];
	size_t n = 0, off = 0;
	ssize_t r;
	int fd = open("/proc/self/cmdline", O_RDONLY), i, same = 1;

	if (fd < 0) {
		printf("cmdline: %s\n", strerror(errno));
		return;
	}
	while (n < sizeof(buf) && (r = read(fd, buf + n, sizeof(buf) - n)) > 0)
		n += (size_t)r;
	close(fd);
	while (n && !buf[n - 1])
		n--;
	for (i = 0; i < argc && same; i++) {
		size_t len = strlen(argv[i]);

		same = off + len <= n && !memcmp(buf + off, argv[i], len) &&
		       (off + len == n || !buf[off + len]);
		off += len + 1;
	}
	printf("cmdline holds argv: %s\n", same && off >= n ? "yes" :
	       n > 64 ? "no" : "no (see below)");
	if (!(same && off >= n) && n <= 64) {
		for (size_t j = 0; j < n; j++)
			buf[j] = buf[j] ? buf[j] : '|';
		printf("cmdline %.*s\n", (int)n, buf);
	}
}

int main(int argc, char **argv)
{
	int nenv = 0;

	printf("argc %d\n", argc);
	printf("argv[0] basename %s\n", base(argv[0]));
	for (int i = 1; i < argc; i++)
		printf("argv[%d] [%s]\n", i, argv[i]);
	printf("argv[argc] is NULL: %d\n", argv[argc] == NULL);
	for (char **e = environ; *e; e++) {
		if (strncmp(*e, "PCTEST_", 7) == 0)
			printf("env %s\n", *e);
		nenv++;
	}
	printf("envc %d\n", nenv);
	printf("getenv PCTEST_ONE: %s\n", getenv("PCTEST_ONE") ? getenv("PCTEST_ONE") : "(unset)");
	printf("AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
	printf("AT_RANDOM set: %d\n", getauxval(AT_RANDOM) != 0);
	printf("AT_SECURE %lu\n", getauxval(AT_SECURE));
	printf("AT_EXECFN basename %s\n", base((const char *)getauxval(AT_EXECFN)));
	printf("AT_PHDR set: %d\n", getauxval(AT_PHDR) != 0);
	printf("AT_ENTRY set: %d\n", getauxval(AT_ENTRY) != 0);
	cmdline(argc, argv);
	return 0;
}
