// SPDX-License-Identifier: Apache-2.0
/*
 * p_write [WORD]: writes to stdout and stderr with write(2), writev(2) and
 * stdio. WORD, if given, is appended to the last stderr line (the harness
 * self-test uses it to make two runs differ only in stderr).
 */
#include <string.h>
#include <sys/uio.h>

#include "common.h"

int main(int argc, char **argv)
{
	static const char one[] = "stdout: write\n";
	static const char two[] = "stderr: write\n";
	struct iovec iov[3] = {
		{ .iov_base = "stdout: ", .iov_len = 8 },
		{ .iov_base = "writev", .iov_len = 6 },
		{ .iov_base = "\n", .iov_len = 1 },
	};
	char big[10000];

	if (write(1, one, strlen(one)) != (ssize_t)strlen(one))
		fail_errno("write stdout");
	if (write(2, two, strlen(two)) != (ssize_t)strlen(two))
		fail_errno("write stderr");
	if (writev(1, iov, 3) != 15)
		fail_errno("writev stdout");
	if (write(1, "", 0) != 0)
		fail_errno("write of 0 bytes");

	/* One write larger than a pipe's atomic size: 9999 dots and a newline. */
	memset(big, '.', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\n';
	if (write_all(1, big, sizeof(big)) != 0)
		fail_errno("write big");

	errno = 0;
	check(write(-1, "x", 1) == -1 && errno == EBADF, "write to fd -1 is EBADF");
	printf("stdout: printf %d %s\n", 42, "done");
	fflush(stdout);
	fprintf(stderr, "stderr: fprintf%s%s\n", argc > 1 ? " " : "",
		argc > 1 ? argv[1] : "");
	return 0;
}
