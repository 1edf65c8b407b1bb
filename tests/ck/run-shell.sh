#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-shell.sh --ck PATH [--userland DIR]
#
# The musl dash (build/musl-userland, scripts/build-musl-userland) run
# natively and under ck (ck -- dash -c SCRIPT) on a few scripts that need
# fork, execve, pipes and wait: a pipeline, a subshell, trap EXIT, wait,
# and a loop of 1,000 fork+exec of a static true ($T: dash's true is a
# builtin); and dash -i on a pty (ptyrun.py: the pty is its controlling
# terminal, each line typed once the prompt is back) doing job control:
# `set -m`, `sleep 30 &`, `jobs`, `kill -STOP %1` and `jobs` (Stopped),
# `kill -CONT %1` and `jobs` (still "Stopped": dash's waitpid asks no
# WCONTINUED, so only `bg` or `fg` make a job Running again), `kill %1`,
# `wait` (status 0: no operand; the job's Terminated notice), exit. The
# utilities are busybox (static musl) under their names, symlinks in a
# fresh directory first on PATH. TAP: ok when stdout, stderr and the exit code of both
# runs are the same. Exit 1 on any not ok, 2 for usage errors.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
ck=
userland=$repo/build/musl-userland
while [ $# -gt 0 ]; do
	case $1 in
	--ck) ck=$2; shift 2 ;;
	--userland) userland=$2; shift 2 ;;
	*) echo "usage: $0 --ck PATH [--userland DIR]" >&2; exit 2 ;;
	esac
done
[ -n "$ck" ] && [ -x "$ck" ] || { echo "usage: $0 --ck PATH" >&2; exit 2; }
for f in dash busybox; do
	[ -x "$userland/$f" ] ||
		{ echo "Bail out! $userland/$f is not built (scripts/build-musl-userland)"; exit 1; }
done

. "$here/lib.sh"
ck_work ck-shell
mkdir "$work/bin" "$work/tmp"
cp "$userland/dash" "$userland/busybox" "$work/bin/"
for u in true cat echo tr wc sort sleep chmod; do
	ln -s busybox "$work/bin/$u"
done

n=0
bad=0
# case NAME SCRIPT: dash -c SCRIPT natively and under ck, compared.
case_() {
	name=$1 script=$2
	n=$((n + 1))
	for side in a b; do
		if [ $side = a ]; then set -- "$work/bin/dash" -c "$script"
		else set -- "$ck" -- "$work/bin/dash" -c "$script"; fi
		rc=0
		timeout 300 env -i PATH="$work/bin" TMPDIR="$work/tmp" \
			T="$work/bin/true" LC_ALL=C "$@" \
			>"$work/$side.out" 2>"$work/$side.err" </dev/null || rc=$?
		echo $rc >"$work/$side.rc"
	done
	native_ran
	ck_same "dash $name"
}

# native_ran: a native run that timed out or did not start (124-127) is
# no reference: its stderr says so, and the comparison fails.
native_ran() {
	case $(cat "$work/a.rc") in
	124|125|126|127)
		echo "the native run timed out or did not start" >>"$work/a.err" ;;
	esac
}

case_ pipeline 'echo one two three | tr " " "\n" | sort | cat; echo done'
case_ subshell '(echo in a subshell; exit 3); echo rc $?; x=$(echo sub | cat); echo "$x"'
case_ trap-exit 'trap "echo bye" EXIT; echo hi; exit 4'
case_ wait 'cat </dev/null & wait $!; echo waited $?; (exit 5) & wait $!; echo waited $?'
case_ exec 'exec echo replaced; echo not here'
case_ fork-exec-1000 'i=0; while [ $i -lt 1000 ]; do "$T" || exit 1; i=$((i + 1)); done; echo $i'
case_ script-file 'printf "#!%s\necho from a script \$1\n" "$(command -v dash)" >"$TMPDIR/s"; chmod +x "$TMPDIR/s"; "$TMPDIR/s" arg'

# pty_case NAME LINES WANT: dash -i on a pty (ptyrun.py) typed LINES, one
# a line, natively and under ck, transcripts compared; the native one
# must hold each word of WANT (else its stderr says so, and the two
# differ). A notice of a job's new state comes at the next prompt or from
# `jobs`, whichever the state change reaches first: a line that signals
# a job also waits (a foreground `sleep 1`) and asks, so that no notice
# depends on how fast the job stopped or died.
pty_case() {
	name=$1 lines=$2 want=$3
	n=$((n + 1))
	for side in a b; do
		if [ $side = a ]; then set -- "$work/bin/dash" -i
		else set -- "$ck" -- "$work/bin/dash" -i; fi
		rc=0
		printf '%s\n' "$lines" |
		timeout 180 env -i PATH="$work/bin" TMPDIR="$work/tmp" \
			PS1='$ ' TERM=dumb LC_ALL=C \
			/usr/bin/python3 "$here/ptyrun.py" \
			--timeout 60 -- "$@" \
			>"$work/$side.out" 2>"$work/$side.err" || rc=$?
		echo $rc >"$work/$side.rc"
	done
	native_ran
	# The native transcript itself: each state seen, no timeout.
	for w in $want; do
		grep -q "$w" "$work/a.out" ||
			echo "native transcript lacks '$w'" >>"$work/a.err"
	done
	ck_same "dash -i on a pty: $name"
}

pty_case job-control 'set -m
sleep 30 &
sleep 1; jobs
kill -STOP %1; sleep 1; jobs
kill -CONT %1; sleep 1; jobs
kill %1; sleep 1; wait; echo wait $?
jobs
exit' 'Running Stopped Terminated wait.0 exit.0'

echo "1..$n"
[ "$bad" = 0 ]
