// SPDX-License-Identifier: Apache-2.0
#include "signals.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "err.h"

static const struct { const char *name; int num; } names[] = {
	{ "HUP", SIGHUP }, { "INT", SIGINT }, { "QUIT", SIGQUIT }, { "ILL", SIGILL },
	{ "TRAP", SIGTRAP }, { "ABRT", SIGABRT }, { "IOT", SIGIOT }, { "BUS", SIGBUS },
	{ "FPE", SIGFPE }, { "KILL", SIGKILL }, { "USR1", SIGUSR1 }, { "SEGV", SIGSEGV },
	{ "USR2", SIGUSR2 }, { "PIPE", SIGPIPE }, { "ALRM", SIGALRM }, { "TERM", SIGTERM },
	{ "STKFLT", SIGSTKFLT }, { "CHLD", SIGCHLD }, { "CONT", SIGCONT },
	{ "STOP", SIGSTOP }, { "TSTP", SIGTSTP }, { "TTIN", SIGTTIN }, { "TTOU", SIGTTOU },
	{ "URG", SIGURG }, { "XCPU", SIGXCPU }, { "XFSZ", SIGXFSZ },
	{ "VTALRM", SIGVTALRM }, { "PROF", SIGPROF }, { "WINCH", SIGWINCH },
	{ "IO", SIGIO }, { "POLL", SIGPOLL }, { "PWR", SIGPWR }, { "SYS", SIGSYS },
};

static int parse_num(const char *s, int *out)
{
	char *end;
	long v;

	if (!*s)
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < 0 || v > 1024)
		return -EINVAL;
	*out = (int)v;
	return 0;
}

static int parse_rt(const char *s)
{
	int base, off = 0;

	if (!strncasecmp(s, "RTMIN", 5))
		base = SIGRTMIN;
	else if (!strncasecmp(s, "RTMAX", 5))
		base = SIGRTMAX;
	else
		return -EINVAL;
	s += 5;
	if (*s == '+' || *s == '-') {
		if (parse_num(s + 1, &off))
			return -EINVAL;
		off = *s == '-' ? -off : off;
	} else if (*s) {
		return -EINVAL;
	}
	base += off;
	return base < SIGRTMIN || base > SIGRTMAX ? -EINVAL : base;
}

int pc_signal_parse(const char *s)
{
	const char *name = s;
	size_t i;
	int n;

	if (!parse_num(s, &n)) {
		/* 0 probes the process, as with kill(1) and runc */
		if (n < 0 || n > SIGRTMAX)
			return pc_fail(EINVAL, "invalid signal: %s", s);
		return n;
	}
	if (!strncasecmp(name, "SIG", 3))
		name += 3;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcasecmp(name, names[i].name))
			return names[i].num;
	n = parse_rt(name);
	if (n > 0)
		return n;
	return pc_fail(EINVAL, "unknown signal \"%s\"", s);
}
