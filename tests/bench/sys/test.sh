#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The timing build of ck and syscall.bench's program, natively, no timing
# (TAP): the timing ck runs a program here and says it isolates nothing;
# its marker is in it and not in the real ck; the runtime and make install
# refuse it; ck --stats counts two host syscalls per trapped getppid (the
# forwarded call and rt_sigreturn, --no-direct) and one per getppid through
# the direct gate, and for getpid, which ck answers itself, one (the
# rt_sigreturn) and none, from the difference of two counted runs; a dynamic glibc
# program (ld.so's lazy binding runs its XRSTOR, a rewritten kind-1 site)
# runs with its sites emulated, whether the host raises SIGSYS for the
# site's int $0x80 (IA32 emulation) or #GP (none: ck's SIGSEGV path); a
# one-thread program's handler install costs no pause.
set -u
here=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$here/../../.." && pwd)
S=$here/build/sysbench
CKT=$TOP/shim/guest/build/timing/ck
CKR=$TOP/shim/guest/build/ck
PC=$TOP/shim/runtime/paracell
MARK=$(sed -n 's/^#define PARACELL_CK_TIMING_MARKER "\(.*\)"/\1/p' \
	"$TOP/include/paracell/ck_timing.h")
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
check() { d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
for f in "$S" "$CKT" "$CKR" "$PC"; do
	[ -x "$f" ] || { echo "Bail out! $f missing: run make (and make -C shim/guest timing)"; exit 1; }
done
work=$(mktemp -d /tmp/pc-systest.XXXXXX)
trap 'rm -rf "$work"' EXIT
echo x >"$work/file"
echo "1..14"

check "the marker is known" [ -n "$MARK" ]
check "the timing ck carries the marker" grep -qF "$MARK" "$CKT"
check "the real ck does not" sh -c '! grep -qF "$1" "$2"' sh "$MARK" "$CKR"

"$CKT" -- "$S" count open 10 "$work" >"$work/out" 2>"$work/err"
rc=$?
check "the timing ck runs a static program natively (exit $rc)" [ "$rc" = 0 ]
check "and says at start that it isolates nothing" \
	grep -q "^ck: $MARK: .*ISOLATES NOTHING" "$work/err"

out=$("$CKT" --stats -- /bin/ls -d / 2>"$work/err")
rc=$?
traps=$(sed -n 's/.* site_traps=\([0-9]*\).*/\1/p' "$work/err" | tail -1)
check "the timing ck runs a dynamic glibc program natively: ls -d / prints / (got '$out', exit $rc)" \
	[ "$out:$rc" = "/:0" ]
check "its kind-1 sites (ld.so's XRSTOR) trapped and were emulated (site_traps=$traps)" \
	[ "${traps:-0}" -gt 0 ]

mkdir -p "$work/t/shim/runtime" "$work/t/shim/guest/build"
cp "$PC" "$work/t/shim/runtime/paracell"
cp "$CKT" "$work/t/shim/guest/build/ck"
"$work/t/shim/runtime/paracell" --version >"$work/v" 2>&1
check "the runtime refuses the timing ck it finds" \
	grep -q "^ck: not found (container kernel .*/shim/guest/build/ck is a timing build" "$work/v"

stats() { # OP N [--no-direct]
	"$CKT" --stats ${3:-} -- "$S" count "$1" "$2" "$work" 2>&1 >/dev/null |
		sed -n 's/.* handled=\([0-9]*\) .* host_syscalls=\([0-9]*\) .*/\1 \2/p' | tail -1
}
for op in getppid:"400 200":forwarded getpid:"200 0":"answered by ck"; do
	o=${op%%:*} r=${op#*:} want=${r%%:*} how=${r#*:}
	a=$(stats "$o" 100 --no-direct) b=$(stats "$o" 300 --no-direct)
	d=$(echo "$a $b" | awk '{ print $3 - $1, $4 - $2 }')
	check "ck --stats, trap path: 200 more ${o}s ($how) are 200 more handled calls and ${want% *} more host syscalls (got $d)" \
		[ "$d" = "200 ${want% *}" ]
	a=$(stats "$o" 100) b=$(stats "$o" 300)
	d=$(echo "$a $b" | awk '{ print $3 - $1, $4 - $2 }')
	check "ck --stats, direct gate: 200 more ${o}s ($how) are 200 more handled calls and ${want#* } more host syscalls (got $d)" \
		[ "$d" = "200 ${want#* }" ]
done

# A one-thread program's handler install waits for no other thread
# (siginstall.c): 8 host syscalls per install and removal (each call, the
# mask blocked for the install, the SIGSYS action's mask twice, the host
# action, the next entry's block); the three passes' two pauses added 2.
a=$(stats sigaction 100) b=$(stats sigaction 300)
d=$(echo "$a $b" | awk '{ print $3 - $1, $4 - $2 }')
check "ck --stats: 200 more handler installs and removals in a one-thread program are 400 more calls and 1600 more host syscalls, no pause (got $d)" \
	[ "$d" = "400 1600" ]

# make install's check of build/ck (read from a dry run: a real install
# would need a timing ck at build/ck, which this tree's must not be).
line=$(make -s -n -C "$TOP" install DESTDIR="$work/inst" 2>/dev/null |
	grep -o "grep -qF '[^']*' shim/guest/build/ck")
check "make install checks build/ck for the marker" [ "$line" = "grep -qF '$MARK' shim/guest/build/ck" ]
exit $fail
