#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run.sh [--ck-dir DIR]: the XGate / trap-path attacks on ck (DESIGN.md
# section 4), run INSIDE the test VM booted with
# --append "vsyscall=xonly syscall.x32=y"; DIR defaults to shim/guest/build
# (the real ck is DIR/ck, the mutants DIR/mutants/NAME/ck). Prints TAP, two
# lines per attack: blocked by the real ck (the oracle not met, and the run
# ends the way the row expects), and the same attack against the mutant
# that lacks the check stopping it (the oracle met). Where no mutant can
# let the attack through, the second line says why, as a TAP SKIP, after
# checking what the mutant does show (e.g. that it passes the check).
#
# Oracles, never a return code alone (gate.c has the details):
#   gs      ck's thread block address in the ARCH_GET_GS buffer: a syscall
#           that ck denies (EPERM) was answered by the host kernel;
#   canary  the value of ck_canary (in K) read by the program;
#   leak    ck_canary's bytes at offset 32 of the program's OUTFILE,
#           copied there by ck's own code (they outlive the process);
#   kbleak  the same for a marker the program left in its bounce buffer
#           (pkey 3: the program may not read it);
#   time    vsyscall time() returned a time within a day of `date`, and
#           ck's handled count equals that of the same program without it;
#   pid     getpid through int $0x80 or x32 returned the pid;
#   core    the core dump of the run holds ck_cb[0] (K, .bss) with its
#           magic (the kernel dumps what the crashing thread's PKRU can
#           read; ck_canary's page is never written, so never dumped).
# Addresses come from nm/objdump of the exact ck binary under test.
# Exit status: 0 if every line is ok, 1 if not, 2 for usage errors.
set -eu

ckdir=shim/guest/build
while [ $# -gt 0 ]; do
	case $1 in
	--ck-dir) [ $# -ge 2 ] || { echo "usage: $0 [--ck-dir DIR]" >&2; exit 2; }
		ckdir=$2; shift 2 ;;
	*) echo "usage: $0 [--ck-dir DIR]" >&2; exit 2 ;;
	esac
done
here=$(cd "$(dirname "$0")" && pwd)
bin=$here/build
for f in "$ckdir/ck" "$bin/gate" "$bin/start"; do
	[ -x "$f" ] || { echo "Bail out! $f is not built"; exit 1; }
done
timeout_s=${CK_RUN_TIMEOUT:-30}
work=$(mktemp -d /tmp/ck-gate.XXXXXX)
# Core dumps (the core oracle) go to $work while this runs (the VM is
# ours; the old pattern is put back on exit).
core_pattern=/proc/sys/kernel/core_pattern
old_pattern=$(cat "$core_pattern")
trap 'echo "$old_pattern" >"$core_pattern"; rm -rf "$work"' EXIT
echo "$work/core.%p" >"$core_pattern" ||
	{ echo "Bail out! cannot set $core_pattern"; exit 1; }
trap 'exit 1' INT TERM HUP
n=0
failed=0

ckpath() { if [ "$1" = real ]; then echo "$ckdir/ck"; else echo "$ckdir/mutants/$1/ck"; fi; }

# sym CK NAME[+OFF]: the address, 0x-prefixed hex.
sym() {
	name=${2%%+*} off=0
	[ "$name" = "$2" ] || off=${2#*+}
	a=$(nm "$1" | awk -v n="$name" '$3 == n { print $1 }')
	[ -n "$a" ] || { echo "Bail out! no $name in $1"; exit 1; }
	printf '0x%x' $((0x$a + off))
}

# sysinsn CK FUNC: the address of the syscall instruction inside FUNC
# (the ck_gate_site_* labels inside functions do not start a new one).
sysinsn() {
	objdump -d --no-show-raw-insn "$1" | awk -v f="<$2>:" '
		/^[0-9a-f]+ <.*>:$/ && $2 !~ /^<ck_gate_site_/ { in_f = ($2 == f) }
		in_f && $2 == "syscall" { sub(":", "", $1); print "0x" $1; exit }'
}

# target CK SPEC: SPEC is SYMBOL[+OFF] or syscall@FUNC.
target() {
	case $2 in
	syscall@*) sysinsn "$1" "${2#syscall@}" ;;
	*) sym "$1" "$2" ;;
	esac
}

# run CK PROG MODE [ARGS]: one run under ck --stats. Sets end ("exit N" or
# "SIGXXX"), log (the program's log), gsval, handled, tblk, canary_read.
run() {
	ck=$(ckpath "$1") prog=$2 mode=${3:-}
	shift 2
	[ $# = 0 ] || shift
	out=$work/out
	rm -f "$out" "$work"/core.*
	tblk=$(sym "$ck" ck_tblk)
	cb_at=$(sym "$ck" ck_cb)
	set -- "$@" "ck_canary=$(sym "$ck" ck_canary)"
	rc=0
	# The trap path's gate: --no-direct keeps the programs' own raw
	# syscalls raw (ck would rewrite them from their .eh_frame).
	if [ "$prog" = start ]; then
		set -- "$ck" --stats --no-direct -- "$bin/start"
	else
		set -- "$ck" --stats --no-direct -- "$bin/gate" "$mode" "$out" "$@"
	fi
	{ timeout -k 5 "$timeout_s" "$@" >"$work/stdout" 2>"$work/stderr" || rc=$?; } 2>/dev/null
	if [ "$rc" -gt 128 ] && s=$(kill -l "$((rc - 128))" 2>/dev/null); then
		end=SIG$s
	elif [ "$rc" = 124 ]; then
		end=timeout
	else
		end="exit $rc"
	fi
	if [ "$prog" = start ]; then
		log=$(cat "$work/stdout")
		gsval=$(sed -n 's/.* base=\(0x[0-9a-f]*\)$/\1/p' "$work/stdout")
	else
		log=$(tail -c +65 "$out" 2>/dev/null | tr -d '\000')
		gsval=0x$(od -An -tx8 -N8 "$out" 2>/dev/null | tr -d ' ')
	fi
	[ "$gsval" != 0x ] || gsval=0x0
	handled=$(sed -n 's/^ck: stats: handled=\([0-9]*\) .*/\1/p' "$work/stderr")
	corefile=$(ls "$work"/core.* 2>/dev/null | head -n 1)
}

# core_word CORE ADDR: the 8 bytes at ADDR in the core dump's memory, hex
# (nothing if no dumped segment holds them: e.g. MADV_DONTDUMP).
core_word() {
	readelf -lW "$1" | while read -r t off va pa fs rest; do
		[ "$t" = LOAD ] || continue
		case $va in 0xffff*) continue ;; esac	# vsyscall: past sh's range
		if [ $((va)) -le $(($2)) ] && [ $(($2 + 8)) -le $((va + fs)) ]; then
			od -An -tx8 -j $((off + $2 - va)) -N8 "$1" | tr -d ' '
			break
		fi
	done
}

# oracle KIND MODE: is the oracle met by the last run?
oracle() {
	odetail=
	case $1 in
	gs)
		odetail="ARCH_GET_GS answered $gsval = ck_tblk"
		[ $((gsval)) -ne 0 ] && [ $((gsval)) -eq $((tblk)) ] ;;
	canary)
		odetail="the program read ck_canary"
		printf '%s\n' "$log" | grep -q '^canary=63616e6172794b21$' ;;
	leak)
		v=0x$(od -An -tx8 -j32 -N8 "$work/out" 2>/dev/null | tr -d ' ')
		odetail="OUTFILE+32 holds $v, ck_canary's value"
		[ "$v" = 0x63616e6172794b21 ] ;;
	kbleak)
		v=0x$(od -An -tx8 -j32 -N8 "$work/out" 2>/dev/null | tr -d ' ')
		odetail="OUTFILE+32 holds $v, the %xmm0 ck copied into the bounce buffer (pkey 3)"
		[ "$v" = 0x4b424c45414b2121 ] ;;
	pid)
		pid=$(printf '%s\n' "$log" | sed -n 's/^pid=//p')
		ret=$(printf '%s\n' "$log" | sed -n 's/^ret=//p')
		odetail="getpid returned $ret = the pid"
		[ -n "$pid" ] && [ "$pid" = "$ret" ] ;;
	time)
		t=$(printf '%s\n' "$log" | sed -n 's/^time=//p')
		now=$(date +%s)
		[ -n "$t" ] && [ "$t" -gt $((now - 86400)) ] &&
			[ "$t" -lt $((now + 86400)) ] || return 1
		h=$handled
		run "$ck_name" gate "$2-ctl"
		odetail="time() = $t, ck handled $h syscalls, $handled without the call"
		[ -n "$h" ] && [ "$h" = "$handled" ] ;;
	core)
		[ -n "$corefile" ] || { odetail="no core dump"; return 1; }
		v=$(core_word "$corefile" "$cb_at")
		odetail="the core dump holds ck_cb[0]'s magic: ${v:-not dumped}"
		[ "$v" = 62636b6370617261 ] ;;
	*) echo "Bail out! oracle $1?"; exit 1 ;;
	esac
}

# stopped END PATTERN: the last run ended with END, its log matches
# PATTERN ("-": anything) and the oracle $kind is not met.
stopped() {
	[ "$end" = "$1" ] || return 1
	# A core row is only blocked if there was a dump to look at.
	[ "$kind" != core ] || [ -n "$corefile" ] || return 1
	[ "$2" = - ] || printf '%s\n' "$log" | grep -Eq "$2" || return 1
	! oracle "$kind" "$mode"
}

tap() { # VERDICT DESC
	n=$((n + 1))
	echo "$1 $n - $2"
	[ "$1" = ok ] || failed=$((failed + 1))
	if [ "$1" != ok ] || [ -n "${GATE_VERBOSE:-}" ]; then
		echo "# ck: $ck_name, run ended: $end, gs buffer: $gsval (ck_tblk $tblk), handled: ${handled:-none}"
		printf '%s\n' "$log" | sed 's/^/#   log: /'
		sed 's/^/#   stderr: /' "$work/stderr" | head -n 10
	fi
}

# row NAME HOW END PATTERN ORACLE MUTANT MUTWANT -- PROG MODE ARGS...
#   the real ck must end with END (e.g. SIGILL, "exit 0"), its log must
#   match PATTERN (grep -E; "-" for none) and the ORACLE must not be met;
#   MUTANT ("-": none) with MUTWANT "through" must meet the oracle, or
#   MUTWANT "only:END:PATTERN:REASON" must end with END, match PATTERN
#   and not meet the oracle: then the line is a SKIP giving REASON.
row() {
	name=$1 how=$2 want_end=$3 pat=$4 kind=$5 mut=$6 mutwant=$7
	# GATE_ONLY=PATTERN (a shell pattern): only the rows it names.
	case $name in ${GATE_ONLY:-*}) ;; *) return ;; esac
	shift 8
	prog=$1
	shift
	mode=${1:-}
	args=
	resolve() {
		args=
		for a in "$@"; do
			case $a in
			target=*) a=target=$(target "$(ckpath "$ck_name")" "${a#target=}") ;;
			esac
			args="$args $a"
		done
	}
	ck_name=real
	resolve "$@"
	# shellcheck disable=SC2086
	run real "$prog" $args
	if stopped "$want_end" "$pat"; then v=ok; else v="not ok"; fi
	tap "$v" "$name: blocked by ck ($how; ends $want_end, no $kind oracle)"
	if [ "$mut" = - ]; then
		n=$((n + 1))
		echo "ok $n - $name: no mutant # SKIP $mutwant"
		return
	fi
	ck_name=$mut
	if [ ! -x "$(ckpath "$mut")" ]; then
		tap "not ok" "$name: mutant $mut is not built (make -C shim/guest mutants)"
		return
	fi
	resolve "$@"
	# shellcheck disable=SC2086
	run "$mut" "$prog" $args
	case $mutwant in
	through)
		if oracle "$kind" "$mode"; then v=ok; else v="not ok"; fi
		tap "$v" "$name: gets through mutant $mut ($kind oracle met: $odetail)" ;;
	only:*)
		rest=${mutwant#only:}
		mend=${rest%%:*}; rest=${rest#*:}
		mpat=${rest%%:*}; reason=${rest#*:}
		# Met oracle here: it does get through, the row is wrong.
		if stopped "$mend" "$mpat"; then v=ok; else v="not ok"; fi
		if [ "$v" = ok ]; then
			n=$((n + 1))
			echo "ok $n - $name: mutant $mut ends $mend, no $kind oracle # SKIP $reason"
		else
			tap "$v" "$name: mutant $mut behaves as the row says ($mend)"
		fi ;;
	esac
}

ALLOW_EXIT="EXIT_BLOCK"
RAWPAT='^raw getgs ret=-1$'

# 1. A raw syscall right after each kind of ck exit: trapped into ck, which
#    denies ARCH_GET_GS. EXIT_BLOCK leaves the selector ALLOW after exits.
row "raw syscall at program start" "trapped, EPERM" "exit 0" '^ret=-1 ' gs \
	$ALLOW_EXIT through -- start
for k in fwd:"a forwarded" mem:"an emulated memory" deny:"a denied (pkey_alloc)" \
	own:"an emulated (sigprocmask)"; do
	row "raw syscall after ${k#*:} syscall" "trapped, EPERM" "exit 0" "$RAWPAT" gs \
		$ALLOW_EXIT through -- gate "raw-${k%%:*}"
done

# 2. Jumps to each syscall instruction in ck (ARCH_GET_GS in the registers)
#    and to each WRPKRU site and the point after it (+3).
AB="ck_abort (SIGILL)"
row "jump to the syscall in ck_forward" "trapped, EPERM, then the window check: $AB" \
	SIGILL - gs $ALLOW_EXIT through -- gate jump 158 target=syscall@ck_forward
row "jump to the syscall in ck_raw_syscall" "trapped, EPERM, ret to the program: PKRU still USER, canary read faults" \
	SIGSEGV '^resumed rax=-1 pkru=0x5555556c$' gs $ALLOW_EXIT through -- gate jump 158 target=syscall@ck_raw_syscall
row "jump to the syscall in ck_sigreturn" "trapped, EPERM, then $AB" \
	SIGILL - gs $ALLOW_EXIT through -- gate jump 158 target=syscall@ck_sigreturn
row "jump to the syscall in ck_restore_rt" "trapped, EPERM, then $AB" \
	SIGILL - gs $ALLOW_EXIT through -- gate jump 158 target=syscall@ck_restore_rt
row "jump to ck_gate_site_entry (eax=CK, RSP off the altstack)" "RSP check: $AB" \
	SIGILL - canary ALTSTACK \
	"only:SIGILL:-:without the RSP check the frame-range check (copy_entry_frame) aborts; the forged-entry rows below go further" \
	-- gate jump 0x55555500 target=ck_gate_site_entry
for off in "" +3; do
	row "jump to ck_gate_site_fwd_user$off (eax=USER)" "the syscall after it is trapped (EPERM), then the window check: $AB" \
		SIGILL - gs $ALLOW_EXIT through -- gate jump 0x5555556c target=ck_gate_site_fwd_user$off
done
# Without the window check, ck_forward's epilogue pops the program's stack
# and returns to the program with PKRU still CK: it reads the canary.
row "jump to ck_gate_site_fwd_ck (eax=CK, RSP on return addresses)" "window check (not in a forward): $AB" \
	SIGILL - canary WINDOW through \
	-- gate jump-ret 0x55555500 target=ck_gate_site_fwd_ck
# SIGSEGV reaches ck's entry (intr.c); a fault in ck's own code, in no
# copy this thread armed, is ck's: ck aborts.
for s in entry fwd_ck copy_ck; do
	end=SIGILL
	row "jump to ck_gate_site_$s+3 (eax=CK, no WRPKRU)" "PKRU stays USER: the control-block read faults (SEGV_PKUERR)" \
		$end - canary - "no check to remove: PKU itself stops it" \
		-- gate jump 0x55555500 target=ck_gate_site_$s+3
done
# ck_user_copy's window (PKRU COPY: the user rights plus the bounce
# buffers), entered by a jump: the way back into the ck domain is the same
# window check as the forward's; and a copy of ck's memory under PKRU 0
# (eax=0) is stopped only by the compare after the WRPKRU.
row "jump to ck_gate_site_copy_ck (eax=CK, RSP on return addresses)" "window check (not in a copy): $AB" \
	SIGILL - canary WINDOW through \
	-- gate jump-ret 0x55555500 target=ck_gate_site_copy_ck
# Inside the window, before the copy, ck checks that this thread armed it
# (a K2 flag, readable under PKRU COPY): a jump there is stopped at once,
# so each row below needs that check gone too to show the next wall.
for off in "" +3; do
	row "jump to ck_gate_site_copy_user$off (eax=COPY, RSP on return addresses)" "window not armed: $AB" \
		SIGILL - canary COPY_ARMED+WINDOW through \
		-- gate jump-ret 0x5555552c target=ck_gate_site_copy_user$off
done
row "jump to ck_gate_site_copy_user (eax=COPY) copying the bounce buffer out" "window not armed: $AB" \
	SIGILL - kbleak COPY_ARMED through \
	-- gate kb-leak 0x5555552c target=ck_gate_site_copy_user
row "jump to ck_gate_site_copy_user (eax=COPY) copying ck_canary out" "window not armed: $AB" \
	SIGILL - leak COPY_ARMED \
	"only:SIGILL:-:without the armed check, K is access-disabled under PKRU COPY: the copy faults (SEGV_PKUERR), in a copy this thread never armed: ck's own fault, ck aborts" \
	-- gate copy-leak 0x5555552c target=ck_gate_site_copy_user
row "jump to ck_gate_site_copy_user with eax=0 copying ck_canary out" "the compare after WRPKRU: $AB" \
	SIGILL - leak COPY_ARMED+COPY_CMP through \
	-- gate copy-leak 0 target=ck_gate_site_copy_user
# 5. Past the exit trampoline's selector store: the selector must still
#    read BLOCK, so the raw syscall afterwards is trapped.
for off in "" +3; do
	row "jump to ck_gate_site_exit$off (eax=USER), then a raw syscall" "selector still BLOCK: back at the last syscall, raw syscall trapped (EPERM), canary read faults" \
		SIGSEGV '^raw getgs after resume ret=-1$' gs $ALLOW_EXIT through \
		-- gate jump 0x5555556c target=ck_gate_site_exit$off
done
row "jump to ck_exit_trampoline (its BLOCK store) under PKRU USER" "K2 is write-disabled for the program: the store faults (SEGV_PKUERR)" \
	SIGSEGV - canary - "no check to remove: PKU itself stops it" \
	-- gate jump 0x5555556c target=ck_exit_trampoline
# eax=0 at the other sites: GATE_CMP lacks their compares. At the entry
# the RSP check follows (and a forged entry with RSP on the altstack is
# only a syscall request, which ck leaves through its own frame, resetting
# PKRU); in a forward the syscall is trapped (the selector reads BLOCK),
# then the window check aborts. Back into the ck domain, the window check
# is the other wall: without both, PKRU 0 reaches the program.
row "jump to ck_gate_site_entry with eax=0 (PKRU all open)" "the compare after WRPKRU: $AB" \
	SIGILL - canary GATE_CMP \
	"only:SIGILL:-:without the compare the RSP check aborts; on the altstack a forged entry is a syscall request, left through ck's own frame (PKRU reset)" \
	-- gate jump 0 target=ck_gate_site_entry
row "jump to ck_gate_site_fwd_user with eax=0 (PKRU all open)" "the compare after WRPKRU: $AB" \
	SIGILL - canary GATE_CMP \
	"only:SIGILL:-:without the compare the syscall after it is trapped (selector BLOCK; the exit resets PKRU), then the window check aborts" \
	-- gate jump 0 target=ck_gate_site_fwd_user
for s in fwd_ck copy_ck; do
	row "jump to ck_gate_site_$s with eax=0 (PKRU all open, RSP on return addresses)" "the compare after WRPKRU: $AB" \
		SIGILL - canary GATE_CMP+WINDOW through \
		-- gate jump-ret 0 target=ck_gate_site_$s
done
# Without the exit site's compare, PKRU 0 survives the jump back to the
# last syscall's return address and the program reads the canary in K.
row "jump to ck_gate_site_exit with eax=0 (PKRU all open)" "the compare after WRPKRU: $AB" \
	SIGILL - canary EXIT_CMP through \
	-- gate jump 0 target=ck_gate_site_exit

# A crash inside ck's domain (the jump above) with core dumps raised by the
# program: K is kept out of the dump (MADV_DONTDUMP); without (DUMP), the
# core file holds ck's control block.
row "RLIMIT_CORE raised, then ck aborts in its domain (jump to ck_gate_site_entry, RSP off the altstack)" "core dumped without K: $AB" \
	SIGILL - core DUMP through \
	-- gate core-jump 0x55555500 target=ck_gate_site_entry

# 3. Into the gate: ck_sigsys_entry under the user PKRU, forged frames
#    with RSP off and on the altstack, and GS planted by the program.
row "jump to ck_sigsys_entry (PKRU USER)" "PKRU is not the kernel's init value: $AB" \
	SIGILL - canary PKRU_INIT \
	"only:SIGILL:-:without the check this is the entry gate with eax=CK: the RSP check aborts (rows above and below)" \
	-- gate jump 0x55555500 target=ck_sigsys_entry
row "gate entry, RSP and r12 on a fake frame in program memory" "RSP check: $AB" \
	SIGILL - canary ALTSTACK \
	"only:SIGILL:-:without the RSP check the frame-range check (copy_entry_frame) aborts: the frame must lie on the altstack" \
	-- gate entry-prog target=ck_gate_site_entry
row "gate entry, RSP in program memory, r12 a forged frame on the altstack" "RSP check: $AB" \
	SIGILL - canary ALTSTACK \
	"only:SIGSEGV:^served=1$:the mutant serves the forged frame's getpid and returns under PKRU USER (canary read faults): a forged entry is only a syscall request, since ck copies the frame to K and leaves through its own K frame" \
	-- gate entry-prog-alt target=ck_gate_site_entry
row "gate entry, RSP on another thread's altstack, r12 a forged frame on its own" "RSP check, this thread's altstack only: $AB" \
	SIGILL - canary ALTSTACK \
	"only:SIGSEGV:^served=1$:the mutant serves the forged frame's getpid and returns under PKRU USER (canary read faults): no single check lets more through, since the gate writes nothing at RSP before it moves to the K stack and ck_copy_entry_frame reads the frame only from the entering thread's own altstack (range from GS), so the other thread's altstack is never read nor written; without both checks the frame read would be that thread's program-writable altstack: again only a syscall request" \
	-- gate entry-other-alt target=ck_gate_site_entry
row "gate entry, RSP and r12 on the altstack (forged getpid request)" "served as the getpid it asks for, then PKRU USER: raw syscall trapped, canary read faults" \
	SIGSEGV '^served=1$' canary - "the real ck lets this in by design: it is a syscall request" \
	-- gate entry-alt target=ck_gate_site_entry
# The same with EFLAGS.DF set: the kernel clears DF for a real signal, a
# jump keeps it. ck clears DF, AC and TF on its stack, so this is only the
# syscall request above; without that (FLAGS), ck's string copies would
# run backwards.
row "gate entry as above with EFLAGS.DF set" "flags cleared: served as the getpid it asks for, then PKRU USER: canary read faults" \
	SIGSEGV '^served=1$' canary FLAGS \
	"only:SIGSEGV:^served=1$:the entry copies its frame with a loop of moves, which DF does not turn (gate.S CK_COPY_ENTRY_FRAME), and getpid copies nothing more, so the mutant serves the request as the real ck does; a call that copies would run the copy backwards from the start of the bounce buffer into the memory below it (the thread's K2 pass buffer, write-disabled under PKRU COPY) and fault, a fault of ck's own: ck_abort. No gain either way" \
	-- gate entry-alt-df target=ck_gate_site_entry
row "mov 0x2b to %gs, then a syscall" "GS selector check: $AB" \
	SIGILL - canary GS_CHECK \
	"only:SIGSEGV:-:a selector load gives a 32-bit base (0 here), which can name no block of ck's (above 4 GiB): the mutant computes a non-canonical control block and faults; ARCH_SET_GS, the one 64-bit way, is the row below" \
	-- gate gs-mov
row "mov 0x2b then 0 to %gs (base 0, selector 0), then a syscall" "GS base range check: $AB" \
	SIGILL - canary GS_CHECK \
	"only:SIGSEGV:-:as above: with base 0 the mutant faults on a non-canonical control block" \
	-- gate gs-null
row "set_thread_area, modify_ldt, ARCH_SET_GS, then a gate jump" "all three EPERM, GS unchanged, the jump hits the RSP check: $AB" \
	SIGILL '^arch_prctl\(ARCH_SET_GS\) ret=-1$' canary GS_CHECK \
	"only:SIGILL:^arch_prctl\\(ARCH_SET_GS\\) ret=-1$:the GS-setting syscalls are denied whatever the gate checks; set_thread_area and modify_ldt give 32-bit bases only, and ARCH_SET_GS gets through GS_CHECK+DENYLIST in the next row" \
	-- gate gs-syscalls target=ck_gate_site_entry
# GS planted inside ck's own block array, off a block boundary: two walls,
# the denylist (ARCH_SET_GS) and the GS checks (the base's alignment, on
# the way back from the forward). Without both, ck's exit trampoline finds
# its slots through the planted GS: it sets BLOCK in the wrong byte, the
# real SUD selector stays ALLOW and the program's raw syscalls reach the
# host.
row "ARCH_SET_GS to ck_tblk+16, then raw syscalls" "EPERM, GS unchanged, raw syscalls trapped (EPERM)" \
	"exit 0" '^raw getgs ret=-1$' gs GS_CHECK+DENYLIST through -- gate gs-plant target=ck_tblk

# 4. Forged rt_sigreturn frames: ck emulates rt_sigreturn (signal.c,
#    sigframe.c) and restores only what a program may set, so the frame's
#    PKRU (slot 0 with XSTATE_BV bit 9 set, or bit 9 clear: the
#    component's init value, 0), a NULL fpstate (the init state) and a
#    uc_stack in program memory all resume the program at the frame's RIP
#    with the user PKRU and the selector BLOCK: the raw syscall after it is
#    trapped (EPERM), the canary read faults. SIGRETURN_HOST hands the
#    program's frame to the host's rt_sigreturn instead: it loads PKRU 0
#    from the frame (the canary is read), or, for the NULL fpstate, the
#    init PKRU with the selector still ALLOW (the raw syscall reaches the
#    host).
SRPAT='^resumed rax=-?[0-9]+ pkru=0x5555556c$'
for v in pkru0 bv9clear ucstack; do
	row "rt_sigreturn from a forged frame ($v)" "emulated: PKRU USER, selector BLOCK; canary read faults" \
		SIGSEGV "$SRPAT" canary SIGRETURN_HOST through -- gate sigreturn-$v
done
row "rt_sigreturn from a forged frame (nofp)" "emulated: init FPU state, PKRU USER, selector BLOCK; raw syscall trapped" \
	SIGSEGV "$SRPAT" gs SIGRETURN_HOST \
	"only:SIGSEGV:pkru=0x55555554:the host's rt_sigreturn without an fpstate loads the init PKRU, which closes K2 too: the raw syscall's SUD selector read fails and the kernel kills; no key opens" \
	-- gate sigreturn-nofp

# 6. The vsyscall page (bypasses SUD: only the host filter stops it), an
#    i386 and an x32 syscall (both trapped by SUD first).
row "vsyscall time()" "host filter: killed by SIGSYS" SIGSYS '^calling vsyscall' time \
	HOSTFILTER through -- gate vsyscall
#    SUD traps both first, so the host filter is the second wall: the
#    combined mutant lacks it and the exit's selector BLOCK (the getpid
#    before each leaves syscalls ALLOWed), and the host answers them.
row "int \$0x80 getpid" "trapped by SUD; ck serves no i386 syscall: ENOSYS" \
	"exit 0" '^ret=-38$' pid EXIT_BLOCK+HOSTFILTER through -- gate int80
row "x32 getpid (0x40000027)" "trapped by SUD; not in ck's table: ENOSYS" \
	"exit 0" '^ret=-38$' pid EXIT_BLOCK+HOSTFILTER through -- gate x32

echo "1..$n"
[ "$failed" = 0 ]
