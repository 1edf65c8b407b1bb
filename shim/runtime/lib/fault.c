// SPDX-License-Identifier: Apache-2.0
#include "fault.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void pc_fault_point(const char *step)
{
	const char *at = getenv("PARACELL_TEST_KILL_AT");

	if (at && !strcmp(at, step))
		kill(getpid(), SIGKILL);
}
