// SPDX-License-Identifier: Apache-2.0
/*
 * The `#!` line of a script, as binfmt_script reads it (exec.c): the
 * interpreter and its one optional argument, split in place. Pure: no
 * host call, no program memory (tests/unit/ck/test_shebang.c).
 */
#include <linux/errno.h>

#include "ck.h"

int ck_parse_shebang(char *line, char **interp, char **arg)
{
	char *p = line + 2, *end;

	for (end = p; *end && *end != '\n'; end++)
		;
	if (!*end)
		return -ENOEXEC;	/* longer than binfmt_script reads */
	*end = 0;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		*--end = 0;
	while (*p == ' ' || *p == '\t')
		p++;
	if (!*p)
		return -ENOEXEC;
	*interp = p;
	while (*p && *p != ' ' && *p != '\t')
		p++;
	*arg = 0;
	if (*p) {
		*p++ = 0;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			*arg = p;
	}
	return 0;
}
