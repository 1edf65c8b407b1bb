/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ck's syscall table (systab.def, built in systab.c): how each program
 * syscall is handled, which of its arguments are fds, and the host
 * syscalls it may issue. Pure C with no ck-only code, so that the unit
 * test of its invariants (tests/unit/systab) compiles it on the host.
 */
#ifndef CK_SYSTAB_H
#define CK_SYSTAB_H

#include <stddef.h>
#include <stdint.h>

enum ck_how {
	CK_HOW_NONE = 0,	/* no row: ENOSYS */
	CK_HOW_FWD,		/* forwarded as it is */
	CK_HOW_OWN,		/* ck's handler */
	CK_HOW_OLD,		/* a legacy call: its modern form's row */
	CK_HOW_DENY,		/* EPERM */
	CK_HOW_ENOSYS,		/* known, not served yet: ENOSYS */
};

struct ck_task;
/*
 * A handler: the calling thread's task and the call's six arguments; it
 * returns the call's value, and sets t->after where the trap path must
 * do more than return it (ck.h, enum ck_after).
 */
typedef long ck_handler(struct ck_task *t, const long *a);

struct ck_systab {
	uint8_t how;		/* enum ck_how */
	uint8_t nargs;
	uint8_t fds;		/* bit i: argument i is an fd */
	short modern;		/* CK_HOW_OLD: the modern call's number */
	ck_handler *fn;		/* CK_HOW_OWN */
	const short *host;	/* CK_HOW_OWN: host syscalls, -1 ended */
};

/* Every handler of the table, declared from it. */
#define CK_OWN(name, nargs, fds, handler, host) ck_handler handler;
#include "systab.def"

/* The call's name as systab.def spells it, or NULL if it has no row. */
const char *ck_systab_name(long nr);

/* The row of nr, or NULL: nr has none (ENOSYS). */
const struct ck_systab *ck_systab_row(long nr);

/*
 * A legacy call as its modern form: the new number and its arguments in
 * b (6 longs); -1 if nr is no CK_HOW_OLD row.
 */
long ck_systab_modern(long nr, const long *a, long *b);

/* The host syscalls the host filter allows (generated: hostlist.h). */
extern const short ck_hostlist[];
extern const size_t ck_hostlist_len;
/* ck's own host syscalls (the table's CK_HOST rows). */
extern const short ck_ownhost[];
extern const size_t ck_ownhost_len;

/*
 * The table's invariants against a host list: nargs at most 6 and fds
 * within them; a handler exactly on CK_HOW_OWN rows; every forwarded call
 * and every host syscall a row or ck itself issues in host[]; no denied
 * (or ENOSYS) call there unless ck issues it itself; every legacy call's
 * modern form a forwarded or handled row that ck_systab_modern gives.
 * Returns 0, or 1 with the first bad row's number in *bad and what is
 * wrong in *why.
 */
int ck_systab_verify(const struct ck_systab *t, long n, const short *host,
		     size_t nhost, long *bad, const char **why);
/* The same, for ck's own table and host list (run at start-up). */
int ck_systab_check(long *bad, const char **why);

extern const struct ck_systab ck_systab[];
extern const long ck_systab_len;

#endif
