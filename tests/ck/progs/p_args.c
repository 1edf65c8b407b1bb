// SPDX-License-Identifier: Apache-2.0
/*
 * p_args ARGS...: prints argc, argv (argv[0] as its basename), the
 * environment variables whose names start with PCTEST_ (in envp order) and
 * the auxv entries that do not vary: AT_PAGESZ, whether AT_RANDOM is set,
 * AT_SECURE and the basename of AT_EXECFN.
 */
#include <sys/auxv.h>

#include "common.h"

extern char **environ;

static const char *base(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "(null)";
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
	return 0;
}
