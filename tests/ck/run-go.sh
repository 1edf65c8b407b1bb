#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-go.sh --ck PATH [--gock PATH]
#
# The Go programs of issue #11 (go/main.go, one static CGO_ENABLED=0
# binary, a subcommand per case) run natively and under ck: goroutines on
# all CPUs with tight loops only asynchronous preemption (SIGURG) stops, a
# garbage-heavy loop, os/exec of itself, a net/http server and client on
# loopback, os/signal. TAP: ok when stdout, stderr and the exit code of both
# runs are the same. Exit 1 on any not ok, 2 for usage errors.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
ck=
gock=$here/go/build/gock
while [ $# -gt 0 ]; do
	case $1 in
	--ck) ck=$2; shift 2 ;;
	--gock) gock=$2; shift 2 ;;
	*) echo "usage: $0 --ck PATH [--gock PATH]" >&2; exit 2 ;;
	esac
done
[ -n "$ck" ] && [ -x "$ck" ] || { echo "usage: $0 --ck PATH" >&2; exit 2; }
[ -x "$gock" ] || { echo "Bail out! $gock is not built (make -C tests/ck go)"; exit 1; }

. "$here/lib.sh"
ck_work ck-go

n=0
bad=0
for c in goroutines gc exec http signal; do
	n=$((n + 1))
	for side in a b; do
		if [ $side = a ]; then set -- "$gock" "$c"
		else set -- "$ck" -- "$gock" "$c"; fi
		rc=0
		env -i PATH=/usr/bin:/bin HOME="$work" LC_ALL=C timeout 300 "$@" \
			>"$work/$side.out" 2>"$work/$side.err" </dev/null || rc=$?
		echo $rc >"$work/$side.rc"
	done
	ck_same "go $c"
done
echo "1..$n"
[ "$bad" = 0 ]
