// SPDX-License-Identifier: Apache-2.0
/*
 * p_exit CODE [raw]: prints two lines with stdio and exits with CODE
 * through exit(3), which flushes stdout; with "raw" it exits with the
 * exit_group syscall instead. musl's stdout flushes the first line (its
 * first write checks for a terminal with TIOCGWINSZ); when stdout is not a
 * terminal the second line is then buffered, and "raw" loses it.
 */
#include <sys/syscall.h>

#include "common.h"

int main(int argc, char **argv)
{
	int code;

	check(argc == 2 || argc == 3, "usage: p_exit CODE [raw]");
	code = atoi(argv[1]);
	printf("exiting with %d\n", code);
	printf("second line, buffered unless stdout is a terminal\n");
	if (argc == 3 && strcmp(argv[2], "raw") == 0)
		syscall(SYS_exit_group, code);
	exit(code);
}
