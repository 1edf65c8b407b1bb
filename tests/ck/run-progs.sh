#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-progs.sh [--ck PATH] [--launch PATH] [--expect-ck] [--quick] [--self-test]
#               [--only PROG]...
#
# Runs each case of the table below twice, natively and under ck
# ($LAUNCH $CK -- PROG ARGS), for both builds of the program (static and
# static-pie, from `make -C tests/ck all`), and prints TAP: ok when stdout,
# stderr and the exit code of the two runs are the same and the native run
# exited as the case expects; otherwise not ok with the differences as
# "#" lines. Without --ck both runs are native (the harness tests itself).
#
#   --ck PATH      the ck binary
#   --launch PATH  runs ck: "$LAUNCH $CK -- PROG ARGS" (e.g. tests/ck/launch,
#                  which opens /dev/paracell and execs ck with the fd)
#   --expect-ck    also assert the Pager numbers of p_pager64 under ck (or
#                  natively, without --ck: then the brk case must fail):
#                  touch_faults 0 and anon_drop_kB 65536
#   --quick        the static build only (the fallback run: its Pager and
#                  memory paths do not depend on how the program was linked)
#   --only PROG    only the cases of program PROG (repeatable; p_pager64
#                  is the Pager rows), e.g. to rerun what a change touches
#   --self-test    instead of the table, run cases whose two runs differ
#                  (or whose native run fails) and check that each is
#                  reported not ok, and one identical case reported ok
#
# Every run gets the same clean environment (PCTEST_* variables and LC_ALL),
# stdin from the case's file or /dev/null, and a fresh empty directory as
# its cwd, which also replaces @DIR@ in the arguments; @FIX@ is a fixture
# tree shared by both runs. All of it lives in one mktemp -d under /tmp,
# removed at the end. Each run is limited to $CK_RUN_TIMEOUT seconds (60).
# p_pager64's numbers differ natively and under ck, so it is only run and
# its numbers printed as "#" lines (asserted with --expect-ck).
# Exit status: 0 if every test is ok, 1 if not, 2 for usage errors.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
bin=$here/progs/build
ck=
launch=
expect_ck=0
self_test=0
variants="static pie"
only=
timeout_s=${CK_RUN_TIMEOUT:-60}

usage() {
	echo "usage: $0 [--ck PATH] [--launch PATH] [--expect-ck] [--quick] [--self-test] [--only PROG]..." >&2
	exit 2
}

while [ $# -gt 0 ]; do
	case $1 in
	--ck) [ $# -ge 2 ] || usage; ck=$2; shift 2 ;;
	--launch) [ $# -ge 2 ] || usage; launch=$2; shift 2 ;;
	--expect-ck) expect_ck=1; shift ;;
	--quick) variants=static; shift ;;
	--self-test) self_test=1; shift ;;
	--only) [ $# -ge 2 ] || usage; only="$only $2 "; shift 2 ;;
	*) usage ;;
	esac
done
if [ -n "$ck" ] && [ ! -x "$ck" ]; then
	echo "$0: --ck $ck: not an executable" >&2
	exit 2
fi
if [ -n "$launch" ] && [ -z "$ck" ]; then
	echo "$0: --launch needs --ck" >&2
	exit 2
fi
for v in static pie; do
	if [ ! -x "$bin/$v/p_write" ]; then
		echo "Bail out! $bin/$v is not built: make -C tests/ck all"
		exit 1
	fi
done
if [ -n "$ck" ]; then other="ck"; else other="native (again)"; fi
ck_opts=	# ck options before "--" (only p_pager64 brk has one)

work=$(mktemp -d /tmp/ck-progs.XXXXXX)
trap 'rm -rf "$work"' EXIT
trap 'exit 1' INT TERM HUP

# The fixture: files of known content and mode for cat and ls.
fix=$work/fix
mkdir "$fix" "$fix/sub"
printf 'first line\nsecond line\n\nfourth line after an empty one\n' >"$fix/a.txt"
printf 'no newline at the end' >"$fix/b.txt"
: >"$fix/empty"
awk 'BEGIN { for (i = 1; i <= 20000; i++) printf "line %05d of a file larger than any buffer\n", i }' >"$fix/big.txt"
printf '#!/bin/sh\n' >"$fix/run.sh"
chmod 0755 "$fix/run.sh"
chmod 0600 "$fix/b.txt"
ln "$fix/b.txt" "$fix/hard"
ln -s a.txt "$fix/link"
: >"$fix/sub/x"
: >"$fix/sub/.hidden"
chmod 0750 "$fix/sub"

n=0
failed=0
diag=$work/diag

# subst SIDE ARG: ARG with @DIR@, @FIX@ and @SIDE@ (0 native, 1 other) replaced.
subst() {
	s=$2
	while :; do
		case $s in
		*@DIR@*) s=${s%%@DIR@*}$work/run/dir.$1${s#*@DIR@} ;;
		*@FIX@*) s=${s%%@FIX@*}$fix${s#*@FIX@} ;;
		*@SIDE@*) s=${s%%@SIDE@*}$([ "$1" = a ] && echo 0 || echo 1)${s#*@SIDE@} ;;
		*) break ;;
		esac
	done
	printf '%s' "$s"
}

# run_side SIDE STDIN PROGPATH ARGS...: one run; side a is native, side b
# is under ck when --ck was given. Leaves $work/run/SIDE.{out,err,rc}.
run_side() {
	side=$1 stdin=$2
	shift 2
	prog=$1
	shift
	# subst only where there is something to replace: a command
	# substitution per argument is a fork, and p_args has 3,000 of them
	# (two minutes in the VM).
	for a; do
		shift
		case $a in *@*) a=$(subst "$side" "$a") ;; esac
		set -- "$@" "$a"
	done
	if [ "$side" = b ] && [ -n "$ck" ]; then
		if [ -n "$launch" ]; then
			set -- "$launch" "$ck" $ck_opts -- "$prog" "$@"
		else
			set -- "$ck" $ck_opts -- "$prog" "$@"
		fi
	else
		set -- "$prog" "$@"
	fi
	mkdir "$work/run/dir.$side"
	rc=0
	# The outer 2>/dev/null keeps the shell's own "Bad system call" and
	# the like out of the TAP stream; the rc file names the signal.
	{
		(cd "$work/run/dir.$side" &&
		 exec env -i PCTEST_ONE=one "PCTEST_TWO=two words" PCTEST_EMPTY= LC_ALL=C \
			timeout -k 5 "$timeout_s" "$@" \
			<"$stdin" >"$work/run/$side.out" 2>"$work/run/$side.err") ||
			rc=$?
	} 2>/dev/null
	if [ "$rc" = 124 ]; then
		echo "124 (timed out after $timeout_s s)"
	elif [ "$rc" -gt 128 ] && sig=$(kill -l "$((rc - 128))" 2>/dev/null); then
		echo "$rc (killed by SIG$sig)"
	else
		echo "$rc"
	fi >"$work/run/$side.rc"
}

# run_case [--stdin FILE] [--rc N] PROG ARGS...: runs both sides of the
# build $variant and sets verdict ("ok" or "not ok") and desc; diagnostics
# go to $diag.
run_case() {
	stdin=/dev/null want_rc=0
	while :; do
		case $1 in
		--stdin) stdin_arg=$2 stdin=$(subst a "$2"); shift 2 ;;
		--rc) want_rc=$2; shift 2 ;;
		*) break ;;
		esac
	done
	name=$1
	shift
	desc="[$variant] $name"
	for a; do
		case $a in
		''|*[[:space:]]*) desc="$desc '$a'" ;;
		*) desc="$desc $a" ;;
		esac
	done
	[ "$stdin" = /dev/null ] || desc="$desc < $stdin_arg"
	rm -rf "$work/run"
	mkdir "$work/run"
	: >"$diag"
	run_side a "$stdin" "$bin/$variant/$name" "$@"
	run_side b "$stdin" "$bin/$variant/$name" "$@"
	verdict=ok
	native_rc=$(cat "$work/run/a.rc")
	if [ "${native_rc%% *}" != "$want_rc" ]; then
		verdict="not ok"
		echo "native run exited $native_rc, the case expects $want_rc" >>"$diag"
		sed 's/^/native stderr: /' "$work/run/a.err" | head -n 20 >>"$diag"
	fi
	for stream in out err rc; do
		if ! cmp -s "$work/run/a.$stream" "$work/run/b.$stream"; then
			verdict="not ok"
			case $stream in rc) what="exit code" ;; *) what="std$stream" ;; esac
			diff -u --label "native $what" --label "$other $what" \
				"$work/run/a.$stream" "$work/run/b.$stream" |
				head -n 60 >>"$diag" || true
		fi
	done
}

report() {
	n=$((n + 1))
	echo "$verdict $n - $1"
	cut -c 1-200 "$diag" | sed 's/^/# /'
	[ "$verdict" = ok ] || failed=$((failed + 1))
}

# t [--stdin FILE] [--rc N] PROG ARGS...: one test per build variant.
# wanted PROG: PROG is in --only's list, or there is none.
wanted() {
	case $only in "" | *" $1 "*) return 0 ;; esac
	return 1
}

t() {
	case $1 in
	--rc | --stdin) wanted "$3" || return 0 ;;
	*) wanted "$1" || return 0 ;;
	esac
	for variant in $variants; do
		run_case "$@"
		report "$desc: same stdout, stderr and exit code"
	done
}

# st EXPECT PROG ARGS...: self-test; the case must come out EXPECT.
st() {
	expect=$1
	shift
	variant=static
	run_case "$@"
	got=$verdict
	verdict=ok
	[ "$got" = "$expect" ] || verdict="not ok"
	sed -i "1i harness said: $got" "$diag"
	report "self-test: $desc is reported $expect"
}

# p_pager64 under ck (side b) or natively: prints the numbers, and with
# --expect-ck asserts the Pager's (on side b). The brk run binds the whole
# growth (--pager-policy=brk:16384; ck's default binds none of it, which
# run-pager.sh counts), the mmap run asks MAP_POPULATE itself.
pager() {
	wanted p_pager64 || return 0
	for variant in $variants; do
		for mode in brk mmap; do
			rm -rf "$work/run"
			mkdir "$work/run"
			run_side a /dev/null "$bin/$variant/p_pager64" "$mode"
			[ "$mode" = brk ] && ck_opts=--pager-policy=brk:16384
			run_side b /dev/null "$bin/$variant/p_pager64" "$mode"
			ck_opts=
			for side in a b; do
				if [ "$side" = a ]; then who=native; else who=$other; fi
				echo "# [$variant] p_pager64 $mode, $who:" \
					"$(tr '\n' ' ' <"$work/run/$side.out")exit $(cat "$work/run/$side.rc")"
				[ "$(cat "$work/run/$side.rc")" = 0 ] ||
					sed 's/^/#   stderr: /' "$work/run/$side.err" | head -n 20
			done
			[ "$expect_ck" = 1 ] || continue
			: >"$diag"
			verdict=ok
			faults=$(awk '$1 == "touch_faults" { print $2 }' "$work/run/b.out")
			drop=$(awk '$1 == "anon_drop_kB" { print $2 }' "$work/run/b.out")
			if [ "$(cat "$work/run/b.rc")" != 0 ] || [ "$faults" != 0 ] ||
			   [ "$drop" != 65536 ]; then
				verdict="not ok"
				cat "$work/run/b.out" "$work/run/b.err" >>"$diag"
			fi
			if [ "$mode" = brk ]; then how=" --pager-policy=brk:16384"; else how=; fi
			report "[$variant] p_pager64 $mode, $other$how: touch_faults 0 and anon_drop_kB 65536"
		done
	done
}

if [ "$self_test" = 1 ]; then
	st "not ok" p_exit @SIDE@
	st "not ok" p_write @SIDE@
	st "not ok" p_exit 3
	st ok --rc 3 p_exit 3
	st ok p_args one "two words" ""
else
	t p_write
	t p_files @DIR@
	t p_getdents @DIR@ 0
	t p_getdents @DIR@ 300
	t p_mmap @DIR@
	t p_brk
	t p_jit
	t p_clock
	t p_sigmask
	t p_sigwait
	t p_sigaltstack
	t p_handlers
	t p_step
	t p_sigsuspend
	for how in read restart nanosleep wait4 futex accept ppoll efault \
		   sent masks pwait2; do
		t p_intr $how
	done
	t --rc 139 p_intr sentdie
	for how in usr1 restart eintr storm segv; do
		t p_sigdirect $how
	done
	t p_jobctl stop
	t p_jobctl blocked
	t p_jobctl cont
	t p_jobctl core
	t p_timers
	t --rc 142 p_sigwait die
	t --rc 143 p_sigwait term
	t p_pass
	t p_attr @DIR@
	t p_fdslots @DIR@
	t p_mapfail @DIR@
	t p_memedge @DIR@
	t p_procfd @DIR@
	t p_flags
	t p_sysedge @DIR@
	t p_sys2 @DIR@
	t p_fork
	t p_exec chain 5
	t p_exec errors
	t p_exec spawn
	t p_vfork vfork
	t p_vfork clone
	t p_vfork exec
	t p_vfork spawn
	t p_vfork thread
	t p_futex
	t p_args
	t p_args one "two words" "" @FIX@/a.txt
	t p_args $(seq 1 3000)
	t p_exit 0
	t --rc 1 p_exit 1
	t --rc 42 p_exit 42
	t --rc 255 p_exit 255
	t --rc 7 p_exit 7 raw
	t p_threads sync 4
	t p_threads sync 64
	t p_threads exit 16
	t --rc 5 p_threads group
	t p_threads tids
	t p_stress 64 3
	t cat @FIX@/a.txt @FIX@/b.txt
	t cat -n @FIX@/a.txt @FIX@/b.txt @FIX@/a.txt
	t --stdin @FIX@/a.txt cat
	t --stdin @FIX@/big.txt cat -n @FIX@/a.txt - @FIX@/empty
	t cat @FIX@/big.txt
	t --rc 1 cat @FIX@/a.txt @FIX@/missing @FIX@/b.txt
	t --rc 1 cat @FIX@/sub
	t ls @FIX@
	t ls -l @FIX@
	t ls -a -l @FIX@/sub
	t ls -l @FIX@/a.txt @FIX@/link @FIX@/sub @FIX@
	t --rc 1 ls @FIX@/missing
	pager
fi

echo "1..$n"
[ "$failed" = 0 ]
