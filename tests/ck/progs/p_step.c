// SPDX-License-Identifier: Apache-2.0
/*
 * p_step: single-stepping as a debugger inside a container does it
 * (issues 11 and 16): EFLAGS.TF, a SIGTRAP handler counting the traps and
 * printing where each came (the ucontext's RIP as an offset from the code
 * stepped, si_code, whether si_addr is that RIP), over
 *   site   a raw getpid in code with an unwind entry (the static build's
 *          site ck rewrites into a jump to a stub, see docs/xgate.md);
 *   plain  the same code without one (the trap path in both builds);
 *   uc     TF set by a SIGUSR1 handler in its ucontext, the signal sent
 *          by the program's own tkill: the steps start after that syscall.
 * Each run ends by clearing TF itself. Native and ck output must match.
 */
#define _GNU_SOURCE
#include <signal.h>
#include <sys/syscall.h>
#include <ucontext.h>

#include "common.h"

__asm__(
	".text\n"
	/* A site with an FDE: ck finds its function and rewrites it. */
	".globl step_site\n"
	".type step_site, @function\n"
	"step_site:\n"
	".cfi_startproc\n"
	"	movl $39, %eax\n"
	"	syscall\n"
	"	cmpq $-4095, %rax\n"
	"	ret\n"
	".cfi_endproc\n"
	".size step_site, . - step_site\n"
	/* The same bytes, no FDE: left alone (the trap path). */
	".globl step_plain\n"
	"step_plain:\n"
	"	movl $39, %eax\n"
	"	syscall\n"
	"	cmpq $-4095, %rax\n"
	"	ret\n"
	/* long run_stepped(long (*fn)(void)): fn with TF set. */
	".globl run_stepped\n"
	"run_stepped:\n"
	"	pushq %rbx\n"
	"	movq %rdi, %rbx\n"
	"	pushfq\n"
	"	orq $0x100, (%rsp)\n"
	"	popfq\n"
	"	call *%rbx\n"
	"	pushfq\n"
	"	andq $~0x100, (%rsp)\n"
	"	popfq\n"
	"	popq %rbx\n"
	"	ret\n"
	/*
	 * long step_uc(long tid, long sig): tkill(tid, sig), whose handler
	 * sets TF in its ucontext; a few instructions and a getpid stepped.
	 */
	".globl step_uc\n"
	"step_uc:\n"
	"	movl $200, %eax\n"
	"	syscall\n"
	"	nop\n"
	"	nop\n"
	"	movl $39, %eax\n"
	"	syscall\n"
	"	nop\n"
	"	pushfq\n"
	"	andq $~0x100, (%rsp)\n"
	"	popfq\n"
	"	ret\n"
	".globl step_end\n"
	"step_end:\n");

long step_site(void);
long step_plain(void);
long run_stepped(long (*fn)(void));
long step_uc(long tid, long sig);
extern const char step_end[];

#define MAX_TRAPS	64

static volatile int ntraps, bad_addr, bad_code;
static volatile uint64_t rips[MAX_TRAPS];

static void on_trap(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;
	uint64_t rip = (uint64_t)uc->uc_mcontext.gregs[REG_RIP];

	(void)sig;
	if (ntraps < MAX_TRAPS)
		rips[ntraps] = rip;
	ntraps++;
	bad_addr += (uint64_t)si->si_addr != rip;
	bad_code += si->si_code != TRAP_TRACE;
	/* A runaway (the same RIP for ever): stop stepping. */
	if (ntraps >= 1000)
		uc->uc_mcontext.gregs[REG_EFL] &= ~0x100LL;
}

static void on_usr1(int sig, siginfo_t *si, void *ucv)
{
	ucontext_t *uc = ucv;

	(void)sig;
	(void)si;
	uc->uc_mcontext.gregs[REG_EFL] |= 0x100;
}

/* Where a trap came: the label before it, and the offset. */
static void where(uint64_t rip, char *out, size_t n)
{
	static const struct { const char *name; const void *at; } marks[] = {
		{ "step_site", (const void *)step_site },
		{ "step_plain", (const void *)step_plain },
		{ "run_stepped", (const void *)run_stepped },
		{ "step_uc", (const void *)step_uc },
		{ "step_end", (const void *)step_end },
	};
	uint64_t best = ~0ULL;
	const char *name = "?";
	size_t i;

	for (i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		uint64_t at = (uint64_t)marks[i].at;

		if (rip >= at && rip - at < best) {
			best = rip - at;
			name = marks[i].name;
		}
	}
	if (best > 256)
		snprintf(out, n, "elsewhere");
	else
		snprintf(out, n, "%s+%lu", name, (unsigned long)best);
}

static void report(const char *what, long ret)
{
	char at[64];
	int i;

	printf("%s: ret_is_pid=%d traps=%d si_addr_is_rip=%d trap_trace=%d\n",
	       what, ret == getpid(), ntraps, !bad_addr, !bad_code);
	for (i = 0; i < ntraps && i < MAX_TRAPS; i++) {
		where(rips[i], at, sizeof(at));
		printf("  trap %d at %s\n", i, at);
	}
	ntraps = bad_addr = bad_code = 0;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_trap, .sa_flags = SA_SIGINFO };
	struct sigaction su = { .sa_sigaction = on_usr1, .sa_flags = SA_SIGINFO };
	long ret;

	setvbuf(stdout, 0, _IONBF, 0);
	check(!sigaction(SIGTRAP, &sa, 0), "sigaction SIGTRAP");
	check(!sigaction(SIGUSR1, &su, 0), "sigaction SIGUSR1");
	ret = run_stepped(step_site);
	report("site", ret);
	ret = run_stepped(step_plain);
	report("plain", ret);
	ret = step_uc(syscall(SYS_gettid), SIGUSR1);
	report("uc", ret);
	return 0;
}
