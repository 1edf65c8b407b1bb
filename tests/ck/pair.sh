#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# pair.sh CMD1 CMD2: run two test commands at the same time and print
# their outputs one after the other, CMD1's first. The test VM has two
# CPUs and most suites keep one busy, so a long suite paired with another
# takes about the time of the longer one (tests/ck/Makefile pairs
# run-progs.sh with the gate suite). Each output goes to a file of its own
# (TAP lines never interleave); exit status: CMD1's if it failed, else
# CMD2's. Killed (testvm's per-command timeout), it kills both commands
# and still prints what they wrote.
set -u
[ $# = 2 ] || { echo "usage: pair.sh CMD1 CMD2" >&2; exit 2; }
work=$(mktemp -d /tmp/pc-pair.XXXXXX) || exit 1
pids=""

show() {
	for i in 1 2; do
		echo "# pair.sh: output of: $(cat "$work/cmd.$i")"
		cat "$work/out.$i" 2>/dev/null
	done
}
stop() {
	# shellcheck disable=SC2086 # two pids, split on purpose
	[ -z "$pids" ] || kill -TERM $pids 2>/dev/null
	sleep 1
	# shellcheck disable=SC2086
	[ -z "$pids" ] || kill -KILL $pids 2>/dev/null
	show
	echo "# pair.sh: killed before both commands ended"
	rm -rf "$work"
	exit 124
}
trap stop TERM INT

printf '%s\n' "$1" >"$work/cmd.1"
printf '%s\n' "$2" >"$work/cmd.2"
# Each in a process group of its own, so stop() ends its children too.
setsid sh -c "$1" >"$work/out.1" 2>&1 </dev/null &
p1=$!
setsid sh -c "$2" >"$work/out.2" 2>&1 </dev/null &
p2=$!
pids="-$p1 -$p2"
rc1=0 rc2=0
wait "$p1" || rc1=$?
wait "$p2" || rc2=$?
pids=""
show
rm -rf "$work"
[ "$rc1" != 0 ] && exit "$rc1"
exit "$rc2"
