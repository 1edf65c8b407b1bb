#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-shell.sh --ck PATH [--userland DIR]
#
# The musl dash (build/musl-userland, scripts/build-musl-userland) run
# natively and under ck (ck -- dash -c SCRIPT) on a few scripts that need
# fork, execve, pipes and wait: a pipeline, a subshell, trap EXIT, wait,
# and a loop of 1,000 fork+exec of a static true ($T: dash's true is a
# builtin). The utilities are
# busybox (static musl) under their names, symlinks in a fresh directory
# first on PATH. TAP: ok when stdout, stderr and the exit code of both
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
for u in true cat echo tr wc sort; do
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
		env -i PATH="$work/bin" TMPDIR="$work/tmp" T="$work/bin/true" \
			LC_ALL=C timeout 120 "$@" \
			>"$work/$side.out" 2>"$work/$side.err" </dev/null || rc=$?
		echo $rc >"$work/$side.rc"
	done
	ck_same "dash $name"
}

case_ pipeline 'echo one two three | tr " " "\n" | sort | cat; echo done'
case_ subshell '(echo in a subshell; exit 3); echo rc $?; x=$(echo sub | cat); echo "$x"'
case_ trap-exit 'trap "echo bye" EXIT; echo hi; exit 4'
case_ wait 'cat </dev/null & wait $!; echo waited $?; (exit 5) & wait $!; echo waited $?'
case_ exec 'exec echo replaced; echo not here'
case_ fork-exec-1000 'i=0; while [ $i -lt 1000 ]; do "$T" || exit 1; i=$((i + 1)); done; echo $i'
case_ script-file 'printf "#!%s\necho from a script \$1\n" "$(command -v dash)" >"$TMPDIR/s"; chmod +x "$TMPDIR/s"; "$TMPDIR/s" arg'

echo "1..$n"
[ "$bad" = 0 ]
