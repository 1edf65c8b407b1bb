#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run.sh [--ck-dir DIR]: the direct-gate attacks on ck (docs/xgate.md,
# "The direct gate"; issue 16), run INSIDE the test VM; DIR defaults to
# shim/guest/build (the real ck DIR/ck, mutants DIR/mutants/NAME/ck).
# TAP, two lines per attack: blocked by the real ck (its end and log as
# the row says, the oracle not met), and the mutant lacking the check
# (the oracle met), or a SKIP saying why no mutant can get through after
# checking what that mutant does. build/direct (direct.c) has the modes.
# Oracles: cktext (ck's return addresses written on the program's memory:
# ck ran on a stack the program chose), leaked (a value of ck's memory in
# RIP: an index past ck's table read K as a site), pid (a forged entry was
# served as the getpid it asks for: the row that must hold for the real ck),
# rewritten (a call of the site returned what another thread's new code
# asks: the sealed site or stub was written), stubrip / ckrip (a handler
# saw RIP in a stub / in ck's text: the program sees only its own code),
# handler (a handler ran with, or its ucontext holds, a PKRU not the
# program's, saw RIP in a stub or ck, or ran on a stack in ck's range).
set -eu
ckdir=shim/guest/build
[ "${1:-}" != --ck-dir ] || { ckdir=$2; shift 2; }
here=$(cd "$(dirname "$0")" && pwd)
prog=$here/build/direct
[ -x "$ckdir/ck" ] && [ -x "$prog" ] || { echo "Bail out! $ckdir/ck or $prog not built"; exit 1; }
work=$(mktemp -d /tmp/ck-direct.XXXXXX)
trap 'rm -rf "$work"' EXIT
n=0 failed=0

ckpath() { if [ "$1" = real ]; then echo "$ckdir/ck"; else echo "$ckdir/mutants/$1/ck"; fi; }
sym() { printf '0x%s' "$(nm "$1" | awk -v n="$2" '$3 == n { print $1; exit }')"; }

# run CK MODE: sets end ("exit N" or SIGXXX) and log.
run() {
	ck=$(ckpath "$1") rc=0
	timeout -k 5 30 "$ck" -- "$prog" "$2" "$(sym "$ck" ck_direct_entry)" \
		"$(sym "$ck" ck_cb)" "$(sym "$ck" ck_dsites)" "$(sym "$ck" areas)" \
		"$(sym "$ck" ck_tblk)" \
		>"$work/out" 2>"$work/err" || rc=$?
	if [ "$rc" -gt 128 ] && s=$(kill -l $((rc - 128)) 2>/dev/null); then end=SIG$s
	else end="exit $rc"; fi
	log=$(cat "$work/out")
}
val() { printf '%s\n' "$log" | sed -n "s/^$1=//p" | tail -n 1; }
oracle() {
	case $1 in
	cktext) [ "$(val cktext)" = 1 ] ;;
	leaked) [ "$(val leaked)" = 1 ] ;;
	rewritten) [ "$(val rewritten)" = 1 ] ;;
	stubrip) [ "$(val stubrip)" = 1 ] ;;
	ckrip) [ "$(val ckrip)" = 1 ] ;;
	usr1rip) [ "$(val usr1_ckrip)" = 1 ] ;;
	handler) [ "$(val badpkru)" != 0 ] || [ "$(val stubrip)" = 1 ] ||
		 [ "$(val ckrip)" = 1 ] || [ "$(val kstack)" = 1 ] ;;
	*) return 1 ;;	# "-": a row without an oracle never meets one
	esac
}
tap() {
	n=$((n + 1)); echo "$1 $n - $2"
	[ "$1" = ok ] || { failed=$((failed + 1)); echo "# ended: $end"; printf '%s\n' "$log" | sed 's/^/#   log: /'; sed 's/^/#   stderr: /' "$work/err" | head -5; }
}
# row NAME END PATTERN ORACLE MUTANT MUTWANT MODE: the real ck ends with
# END, its log matches PATTERN (grep -E, "-": any), no ORACLE; MUTANT
# meets the oracle (MUTWANT "through"), or "only:END:REASON" (a SKIP).
row() {
	name=$1 want=$2 pat=$3 kind=$4 mut=$5 mutwant=$6 mode=$7
	run real "$mode"
	v=ok
	[ "$end" = "$want" ] || v="not ok"
	[ "$pat" = - ] || printf '%s\n' "$log" | grep -Eq "$pat" || v="not ok"
	[ "$kind" = - ] || ! oracle "$kind" || v="not ok"
	d="ends $want"
	[ "$kind" = - ] || d="$d, no $kind oracle"
	tap "$v" "$name: blocked by ck ($d)"
	case $mutwant in
	through)
		run "$mut" "$mode"
		if oracle "$kind"; then v=ok; else v="not ok"; fi
		tap "$v" "$name: gets through mutant $mut ($kind oracle met)" ;;
	only:*)
		rest=${mutwant#only:}
		if [ "$mut" != - ]; then
			run "$mut" "$mode"
			[ "$end" = "${rest%%:*}" ] && ! oracle "$kind" ||
				{ tap "not ok" "$name: mutant $mut ends ${rest%%:*} without the oracle"; return; }
		fi
		d="no mutant"
		[ "$mut" = - ] || d="mutant $mut ends ${rest%%:*}"
		n=$((n + 1)); echo "ok $n - $name: $d # SKIP ${rest#*:}" ;;
	esac
}
PIDPAT='^ret=[1-9][0-9]*$'
pidrow() { # NAME MODE [MUT END REASON]: served as getpid, ret = pid
	run real "$2"
	if [ "$end" = "exit 0" ] && [ -n "$(val ret)" ] && [ "$(val ret)" = "$(val pid)" ]; then v=ok; else v="not ok"; fi
	tap "$v" "$1: a syscall request, served (getpid = the pid), exit 0"
	if [ $# -gt 2 ]; then
		run "$3" "$2"
		[ "$end" = "$4" ] && v=ok || v="not ok"
		if [ "$v" = ok ]; then n=$((n + 1)); echo "ok $n - $1: mutant $3 ends $4 # SKIP $5"
		else tap "not ok" "$1: mutant $3 ends $4"; fi
	fi
}

row "ck rewrites the program's own site" "exit 0" '^stub=1$' - - "only:-:a fact, not an attack" site
pidrow "forged entry, RSP the program's stack" served
pidrow "forged entry from a SIGUSR1 handler" h-served
row "forged entry, RSP atop program memory" "exit 0" '^ckstack=0$' cktext DIRECT_KSTACK through rsp-prog
row "forged entry from a SIGUSR1 handler, RSP atop program memory" "exit 0" '^ckstack=0$' cktext DIRECT_KSTACK through h-rsp-prog
pidrow "forged entry, RSP in K (ck_cb)" rsp-k
pidrow "forged entry, RSP in K2 (ck_tblk)" rsp-k2
pidrow "forged entry, RSP unmapped" rsp-unmapped
row "forged entry with an index past ck's table" SIGILL - leaked DIRECT_INDEX through index-leak
row "mov 0x2b to %gs, then a forged entry" SIGILL - - DIRECT_GS \
	"only:SIGILL:a selector load gives a 32-bit base (0): the mutant takes a control block outside ck's array from it and a later check of ck's aborts; ARCH_SET_GS, the one 64-bit way, is denied" gs
pidrow "forged entry with EFLAGS.DF and AC set" df-ac
row "jump to the rewritten site's syscall, arch_prctl(ARCH_GET_GS)" "exit 0" '^ret=-1$' - - \
	"only:-:the site's syscall is kept and traps (SUD): ck denies the call; no check to remove" sys
row "a second thread writes the sealed site and its stub while the first calls it" "exit 0" \
	'^mprot_rwx_stub=-13$' rewritten PROC_MEM \
	"only:exit 0:ck refuses PROT_WRITE on sealed code and stubs (EACCES), /proc/self/mem (EACCES) and process_vm_writev (EPERM); past ck's /proc/self/mem check the kernel's write fails (EIO): a seal is a shared mapping of a file ck holds read-only" mt-write
row "JIT code: mov \$39,%eax; syscall" "exit 0" '^jit_stays=1$' - - \
	"only:-:ck rewrites no JIT code (no unwind table proves its instruction starts): its syscall traps (SUD) and is served" jit
pidrow "JIT code jumps into the gate with its stub's index" jit-served
row "JIT code jumps into the gate with an index past ck's table" SIGILL - leaked DIRECT_INDEX through jit-index
row "a fault in a stub's copy of its span, SIGSEGV handler" "exit 0" '^segv_at_site=1$' stubrip STUB_RIP through stub-fault
row "forged entry with EFLAGS.TF, SIGTRAP handler" SIGILL - ckrip SIG_IN_CK through tf-entry
row "SIGALRM every 100 us while the thread calls its rewritten site" "exit 0" '^wrong=0$' handler FRAME_PKRU through storm
row "the rewritten site single-stepped (TF), SIGTRAP handler" "exit 0" '^ret=[1-9][0-9]*$' handler - \
	"only:-:the handler's view holds (no stub or ck RIP, the program's PKRU and stack)" tf-site
# stepcmp NAME MODE: single-stepping makes progress, and the SIGTRAPs
# (how many, the first 16 RIPs from the site, and tf-usr1's SIGUSR1
# handler runs) are those of the same mode run natively. Each exit with TF
# leaves through the trampoline's iretq (gate.S), so the first trap comes
# after the program's own next instruction.
STEPPAT='^(rip[0-9]+|steps|usr1s|usr1_tf|ret_is_pid)='
stepcmp() {
	run real "$2"
	got=$(printf '%s\n' "$log" | grep -E "$STEPPAT" || true)
	native=$(timeout -k 5 30 "$prog" "$2" 0 0 0 0 0 2>/dev/null | grep -E "$STEPPAT" || true)
	v="not ok"
	[ "$end" = "exit 0" ] && [ -n "$got" ] && [ "$got" = "$native" ] &&
		[ "$(val stuck)" = 0 ] && v=ok
	[ "$v" = ok ] || log="$log
native: $(printf '%s' "$native" | tr '\n' ' ')"
	tap "$v" "$1: makes progress, SIGTRAPs and RIPs as native ($(val steps) steps)"
}
stepcmp "the rewritten site single-stepped" tf-site
stepcmp "a plain syscall (trap path) single-stepped" tf-plain
stepcmp "single-stepped, a SIGUSR1 pending at each single-step exit" tf-usr1
# The pending SIGUSR1 comes in at the trampoline, whose slots then name
# its iretq and the K2 frame: its handler must see the program's context
# (ck_exit_context), not ck's (STEP_SLOTS: RIP in ck's text).
row "single-stepped, a SIGUSR1 pending at each single-step exit, its handler's view" "exit 0" \
	'^usr1s=[1-9][0-9]*$' usr1rip STEP_SLOTS through tf-usr1
echo "1..$n"
[ "$failed" = 0 ]
