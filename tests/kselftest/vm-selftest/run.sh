#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# Self-test of scripts/testvm: proves that the test VM passes a good run and
# fails each kind of bad one. Prints TAP; exits non-zero if any check fails.
# Runs on the host (each case boots the VM, ~8 s under TCG). Uses Debian's
# tun.ko as the module under test, so it does not depend on kmod/.
#
#   tests/kselftest/vm-selftest/run.sh
# Functions run from traps and eval look unreachable to shellcheck.
# shellcheck disable=SC2016,SC2034,SC2317
set -eu
# The whole script is one block, so bash reads all of it before running any:
# editing the file while a run is in progress cannot break that run.
{

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd -P)
testvm=$repo/scripts/testvm
kver=$("$repo/scripts/kver")
tun=$(modprobe -S "$kver" --show-depends tun 2>/dev/null | awk '$1 == "insmod" { f = $2 } END { print f }')

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vm-selftest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() {
	n=$((n + 1))
	failed=$((failed + 1))
	echo "not ok $n - $1"
	shift
	for f in "$@"; do
		[ -s "$f" ] || continue
		echo "# --- $(basename "$f"):"
		tail -n 30 "$f" | sed 's/^/#   /'
	done
}
# check DESC CONDITION...: one TAP line; on failure show the last run's output.
check() {
	local desc=$1
	shift
	if "$@"; then ok "$desc"; else notok "$desc" "$tmp/out" "$tmp/err"; fi
}
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

# vm ARGS...: run testvm, leaving stdout in $tmp/out, stderr in $tmp/err,
# the exit status in $rc and the wall time in $secs.
vm() {
	local t0=$SECONDS
	rc=0
	timeout -k 10 900 "$testvm" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null || rc=$?
	secs=$((SECONDS - t0))
}
out_has() { grep -qxF -- "$1" "$tmp/out"; }
out_lacks() { ! grep -qF -- "$1" "$tmp/out"; }
reason_has() { grep "^testvm: FAIL: " "$tmp/err" | grep -qE -- "$1"; }
failed_with() { [ "$rc" = 1 ] && reason_has "$1"; }

echo "TAP version 13"
echo "1..17"

# 1-8: one good boot proves the environment and the pass path together.
if [ -n "$tun" ]; then modarg=(--module "$tun"); else modarg=(--no-module); fi
vm "${modarg[@]}" --append "foo=bar" \
	'printf "TAP version 13\n1..2\nok 1 - fine\nnot ok 2 - later # TODO not yet\n"' \
	'grep -qw foo=bar /proc/cmdline && echo SELFTEST:cmdline' \
	'grep -qw pku /proc/cpuinfo && grep -qw ospke /proc/cpuinfo && echo SELFTEST:pku' \
	"[ \"\$(pwd -P)\" = '$repo' ] && [ -x scripts/testvm ] && echo SELFTEST:cwd" \
	'touch /tmp/x && ! touch /testvm-ro 2>/dev/null && echo SELFTEST:readonly' \
	'd=/sys/fs/cgroup/selftest && mkdir $d && echo 64M >$d/memory.max &&
	 echo $$ >$d/cgroup.procs && grep -qx 67108864 $d/memory.max && echo SELFTEST:cgroup' \
	'grep -q "^tun " /proc/modules && echo SELFTEST:module' \
	'd=/sys/fs/cgroup/selftest-oom && mkdir $d && echo 16M >$d/memory.max &&
	 { sh -c "echo \$\$ >$d/cgroup.procs && exec dd if=/dev/zero of=/dev/null bs=64M count=1" 2>/dev/null; r=$?; } &&
	 rmdir $d && [ $r = 137 ] && echo SELFTEST:oom' \
	'printf no-newline-token'
check "a passing run (TAP with a TODO) exits 0" [ "$rc" = 0 ]
check "--append foo=bar shows in the guest's /proc/cmdline" out_has SELFTEST:cmdline
check "the guest has pku and ospke in /proc/cpuinfo" out_has SELFTEST:pku
check "commands run in the repo root at the host's path" out_has SELFTEST:cwd
check "the root is read-only and /tmp writable" out_has SELFTEST:readonly
check "cgroup2 lets a child cgroup set memory.max" out_has SELFTEST:cgroup
if [ -n "$tun" ]; then
	check "--module loads the module before the commands, unloads it after" \
		out_has SELFTEST:module
else
	skip "--module loads and unloads" "tun.ko not found for $kver"
fi
check "a deliberate cgroup OOM kill (its report has a Call Trace) does not fail the run" \
	eval 'out_has SELFTEST:oom && out_has "# dmesg: 1 OOM-killer report(s), not counted"'
check "output without a final newline is kept, and timings go to stderr" \
	eval 'out_has no-newline-token && grep -qE "^testvm: boot [0-9.]+ s .*whole run [0-9.]+ s" "$tmp/err"'

# 9: a TAP failure alone fails the run.
vm --no-module 'echo "ok 1 - fine"; echo "not ok 2 - deliberate"'
check "a 'not ok' line fails the run" failed_with "TAP failure.*not ok 2 - deliberate"

# 10: a failing command fails the run, and is named.
vm --no-module 'true' 'exit 1' 'true'
check "a command exiting 1 fails the run, named as command 2" \
	eval 'failed_with "^testvm: FAIL: command 2 \(exit 1\) exited with status 1$"'

# 11: a hanging command is stopped by --timeout; the next one still runs.
vm --no-module --timeout 5 'sleep 300' 'echo SELFTEST:next'
check "a command past --timeout 5 fails the run, the next still runs" \
	eval 'failed_with "command 1 \(sleep 300\) timed out after 5 s" && out_has SELFTEST:next && [ "$secs" -lt 120 ]'

# 12: kernel trouble in dmesg fails the run (sysrq l prints a Call Trace).
vm --no-module 'echo l >/proc/sysrq-trigger; sleep 1'
check "a Call Trace in the guest's dmesg fails the run" \
	eval 'failed_with "dmesg has [0-9]+ " && grep -q "^# dmesg: .*Call Trace" "$tmp/out"'

# 13: a kernel panic ends the run at once and fails it.
vm --no-module --timeout 300 'echo c >/proc/sysrq-trigger; sleep 300'
check "a guest kernel panic fails the run without waiting for timeouts" \
	eval 'failed_with "stopped during command 1.*panic" && [ "$secs" -lt 120 ]'

# 14: no ready marker within --boot-timeout fails the run.
vm --no-module --boot-timeout 1 'true'
check "--boot-timeout 1 fails the run as a boot timeout" \
	eval 'failed_with "^testvm: FAIL: boot timeout" && [ "$secs" -lt 60 ]'

# 15: a module reference still held after the commands fails the run.
if [ -n "$tun" ]; then
	vm --module "$tun" 'setsid sleep 600 </dev/net/tun >/dev/null 2>&1 &'
	check "a module that cannot be unloaded (leaked reference) fails the run" \
		failed_with "^testvm: FAIL: rmmod failed"
else
	skip "a leaked module reference fails the run" "tun.ko not found for $kver"
fi

# 16: a module that does not load fails the run, and no command runs.
vm --module /etc/hostname 'echo SELFTEST:ran'
check "a module that fails to load fails the run; no command runs" \
	eval 'failed_with "insmod .* failed" && out_lacks SELFTEST:ran'

[ "$failed" = 0 ] || { echo "# $failed of $n checks failed"; exit 1; }
exit
}
