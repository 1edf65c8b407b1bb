#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-stop.sh --ck PATH: a sleeping program, natively and under ck side by
# side, is stopped and continued (SIGSTOP, SIGCONT) and, in a second round,
# frozen and thawed through cgroup v2's cgroup.freeze (what `paracell
# pause` and `resume` do). The kernel restarts an interrupted nanosleep,
# clock_nanosleep, poll or futex wait with restart_syscall, which it
# issues itself at the syscall instruction that slept: under ck the one in
# ck_forward, so the host filter must allow it. A third round sends both
# SIGSYS from another process (ck's trap signal, but no program syscall):
# both must die of it. Run INSIDE the test VM, as root. TAP: ok when the
# two runs print the same and exit the same (0, or 159 for SIGSYS).
# Exit status: 0 if every test is ok, 1 if not, 2 for usage errors.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
prog=$here/progs/build/static/p_sleep
. "$here/lib.sh"
ck_arg "$@"
[ -x "$prog" ] || { echo "Bail out! $prog is not built"; exit 1; }

work=$(mktemp -d /tmp/ck-stop.XXXXXX)
cgroot=/sys/fs/cgroup
cg=
cleanup() {
	[ -z "$cg" ] || rmdir "$cg" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP
if [ ! -e "$cgroot/cgroup.controllers" ]; then
	mount -t cgroup2 none "$cgroot" ||
		{ echo "Bail out! no cgroup v2 at $cgroot"; exit 1; }
fi
cg=$(mktemp -d "$cgroot/ck-stop.XXXXXX")

echo "TAP version 13"
n=0
failed=0

# one HOW METHOD: both runs at once; METHOD stop (SIGSTOP/SIGCONT to each),
# freeze (the cgroup holding both) or sigsys (kill -SYS to each).
one() {
	how=$1 method=$2
	"$prog" "$how" >"$work/a.out" 2>&1 & a=$!
	"$ck" -- "$prog" "$how" >"$work/b.out" 2>&1 & b=$!
	if [ "$method" = freeze ]; then
		echo "$a" >"$cg/cgroup.procs"
		echo "$b" >"$cg/cgroup.procs"
	fi
	sleep 0.5
	case $method in
	stop) kill -STOP "$a" "$b"; want=0; what="SIGSTOP then SIGCONT" ;;
	freeze) echo 1 >"$cg/cgroup.freeze"; want=0; what="cgroup frozen then thawed" ;;
	sigsys) kill -SYS "$a" "$b"; want=159; what="SIGSYS from another process" ;;
	esac
	sleep 0.5
	case $method in
	stop) kill -CONT "$a" "$b" ;;
	freeze) echo 0 >"$cg/cgroup.freeze" ;;
	esac
	ra=0; wait "$a" || ra=$?
	rb=0; wait "$b" || rb=$?
	n=$((n + 1))
	name="$how, $what"
	if [ "$ra" = "$want" ] && [ "$rb" = "$want" ] &&
	   cmp -s "$work/a.out" "$work/b.out"; then
		echo "ok $n - $name: same as native (exit $ra$([ -s "$work/a.out" ] && echo ", $(cat "$work/a.out")"))"
	else
		echo "not ok $n - $name: native exit $ra, under ck exit $rb (want $want)"
		sed 's/^/#   native: /' "$work/a.out"
		sed 's/^/#   ck:     /' "$work/b.out"
		failed=1
	fi
}

for method in stop freeze sigsys; do
	for how in nanosleep clock_nanosleep poll futex; do
		one "$how" "$method"
	done
done
echo "1..$n"
exit "$failed"
