#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-debug.sh --ck PATH: ck's debugging aids (progs/p_debug, static and
# static-PIE). Run INSIDE the test VM. TAP:
#   trace    --trace FILE: one line per refused call, naming it, its
#            number, the six arguments in hex, the errno and the tid
#            (ptrace denied, syscall 999 unknown, kill(SIGSYS) refused by
#            its handler), and the program's stderr none of it;
#   stats    --stats: two runs of p_debug count N M differ by exactly
#            N+M handled and forwarded calls and 2(N+M) host syscalls (the
#            call and the trap's rt_sigreturn); denied counts the three
#            refusals of the deny run, the handler's included;
#   requeue  --stats: p_debug requeue 20 against requeue 0 is +120
#            handled, +40 forwarded and +300 host syscalls: 15 a round,
#            the re-queue of a signal ppoll's mask let in (intr.c) being
#            one rt_tgsigqueueinfo to ck's kept pid and tid (17 when ck
#            asked the host for them);
#   sigdirect --stats: a program of one thread that catches SIGUSR1
#            (progs/p_sigdirect usr1, static: its own sites rewritten) and
#            one with a SIGSEGV handler sent SIGSEGVs (segv) take the
#            direct gate (direct > 0; before issue 16's deferral they took
#            none: a caught signal kept the thread on the trap path);
#   busybox  --stats: Debian's busybox-static, linked without an
#            .eh_frame_hdr, gets its sites rewritten from the table ck
#            sorts from its .eh_frame (stubs.c), and its shell's loop of
#            200 redirections takes the direct gate (9 in 10 calls);
#   close2   the stats line gets out after the program closed its fd 2;
#   dynamic  a dynamic program whose code holds a pattern ck cannot
#            rewrite (progs/build/glibc/p_k2: a WRPKRU that is a mov's
#            whole immediate, kind 2, which a trampoline would copy; node's
#            kind-2 XRSTOR, this row's program until 2026-12-07, is now
#            detoured) is refused naming the file and the offset.
# Prints the measured host syscalls per forwarded call as "#" lines.
# Exit status: 0 if every test is ok, 1 if not, 2 for usage errors.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
ck_arg "$@"

ck_work ck-debug

echo "TAP version 13"
echo "1..12"
n=0
failed=0

# ck_detail: what a failed check shows (lib.sh's ck_report).
ck_detail() {
	for f in "$work"/*.err "$work"/trace; do
		[ -f "$f" ] && sed "s|^|# $(basename "$f"): |" "$f" | head -20
	done
}

# val FILE KEY: the value of KEY= in FILE's last stats line (a fork
# child's ck prints its own before).
val() {
	grep '^ck: stats: ' "$1" | tail -n 1 | tr ' ' '\n' | sed -n "s/^$2=//p"
}

for v in static pie; do
	p=$here/progs/build/$v/p_debug
	[ -x "$p" ] || { echo "Bail out! $p is not built"; exit 1; }

	rc=0
	timeout 30 "$ck" --trace "$work/trace" --stats -- "$p" deny \
		>"$work/deny.out" 2>"$work/deny.err" || rc=$?
	ok=ok
	[ "$rc" = 0 ] || ok=no
	grep -Eq '^ck: refused ptrace\(101\) 0x0 0x1 0x2 0x3 0x[0-9a-f]+ 0x[0-9a-f]+ = -1 \(Operation not permitted\) tid [0-9]+$' "$work/trace" || ok=no
	grep -Eq '^ck: refused unknown\(999\) 0x1 0x2 0x3 0x4 0x5 0x6 = -38 \(Function not implemented\) tid [0-9]+$' "$work/trace" || ok=no
	grep -Eq '^ck: refused kill\(62\) 0x[0-9a-f]+ 0x1f .* = -1 \(Operation not permitted\) tid [0-9]+$' "$work/trace" || ok=no
	[ "$(wc -l <"$work/trace")" = 3 ] || ok=no
	grep -q 'refused' "$work/deny.err" && ok=no
	ck_report $ok "$v: --trace logs ptrace, syscall 999 and kill(SIGSYS) with args, errno, tid; not on fd 2"

	timeout 30 "$ck" --stats -- "$p" deny >/dev/null 2>"$work/deny2.err" || true
	d=$(val "$work/deny2.err" denied)
	[ "$d" = 3 ] && ok=ok || ok=no
	ck_report $ok "$v: --stats denied=3 for the three refusals (got '$d')"

	timeout 30 "$ck" --stats -- "$p" count 0 0 >/dev/null 2>"$work/c0.err" || true
	timeout 30 "$ck" --stats -- "$p" count 100 50 >/dev/null 2>"$work/c1.err" || true
	dh=$(( $(val "$work/c1.err" handled) - $(val "$work/c0.err" handled) ))
	df=$(( $(val "$work/c1.err" forwarded) - $(val "$work/c0.err" forwarded) ))
	dx=$(( $(val "$work/c1.err" host_syscalls) - $(val "$work/c0.err" host_syscalls) ))
	echo "# $v count 100 50: $(grep '^ck: stats' "$work/c1.err")"
	echo "# $v: per forwarded getppid/write: $dx host syscalls over $df calls"
	[ "$dh" = 150 ] && [ "$df" = 150 ] && [ "$dx" = 300 ] && ok=ok || ok=no
	ck_report $ok "$v: --stats: 100 getppid + 50 write = +150 handled, +150 forwarded, +300 host syscalls (got $dh $df $dx)"

	rc=0
	timeout 30 "$ck" --stats -- "$p" requeue 0 >/dev/null 2>"$work/r0.err" || rc=$?
	timeout 30 "$ck" --stats -- "$p" requeue 20 >/dev/null 2>"$work/r1.err" || rc=$?
	dh=$(( $(val "$work/r1.err" handled) - $(val "$work/r0.err" handled) ))
	df=$(( $(val "$work/r1.err" forwarded) - $(val "$work/r0.err" forwarded) ))
	dx=$(( $(val "$work/r1.err" host_syscalls) - $(val "$work/r0.err" host_syscalls) ))
	echo "# $v requeue 20: $(grep '^ck: stats' "$work/r1.err")"
	[ "$rc" = 0 ] && [ "$dh" = 120 ] && [ "$df" = 40 ] && [ "$dx" = 300 ] &&
		ok=ok || ok=no
	ck_report $ok "$v: --stats: 20 signals re-queued after ppoll = +120 handled, +40 forwarded, +300 host syscalls, none asking ck's own ids (got $dh $df $dx, exit $rc)"
done

for m in usr1 segv; do
	rc=0
	timeout 60 "$ck" --stats -- "$here/progs/build/static/p_sigdirect" $m \
		>"$work/sd.out" 2>"$work/sd.err" || rc=$?
	d=$(val "$work/sd.err" direct)
	h=$(val "$work/sd.err" handled)
	echo "# p_sigdirect $m: $(cat "$work/sd.out") $(grep '^ck: stats' "$work/sd.err" | tail -n 1)"
	[ "$rc" = 0 ] && [ "${d:-0}" -gt 0 ] && ok=ok || ok=no
	ck_report $ok "p_sigdirect $m (one thread, a caught signal): --stats direct > 0 (got direct=$d of handled=$h, exit $rc)"
done

# A static program without an .eh_frame_hdr (busybox-static, glibc): ck
# sorts its .eh_frame's FDEs to find its sites; its shell's loop of
# redirections then takes the direct gate.
bb=/bin/busybox
rc=0
timeout 60 "$ck" --stats -- "$bb" sh -c 'i=0; while [ $i -lt 200 ]; do
	echo x >/dev/null; i=$((i + 1)); done' >/dev/null 2>"$work/bb.err" ||
	rc=$?
d=$(val "$work/bb.err" direct)
h=$(val "$work/bb.err" handled)
ds=$(val "$work/bb.err" direct_sites)
echo "# busybox sh: $(grep '^ck: stats' "$work/bb.err" | tail -n 1)"
[ "$rc" = 0 ] && [ "${ds:-0}" -gt 100 ] && [ "${h:-0}" -gt 0 ] &&
	[ "$((${d:-0} * 10))" -ge "$((h * 9))" ] && ok=ok || ok=no
ck_report $ok "busybox-static (no .eh_frame_hdr): its sites rewritten from its sorted .eh_frame, 9 in 10 calls of its shell's loop on the direct gate (got direct=$d of handled=$h, direct_sites=$ds, exit $rc)"

rc=0
timeout 30 "$ck" --stats -- "$here/progs/build/static/p_debug" close2 \
	>/dev/null 2>"$work/close2.err" || rc=$?
grep -q '^ck: stats: handled=[0-9]* ' "$work/close2.err" &&
	ok=ok || ok=no
ck_report $ok "the stats line reaches the user after the program closed fd 2"

rc=0
k2=$here/progs/build/glibc/p_k2
[ -x "$k2" ] || { echo "Bail out! $k2 is not built"; exit 1; }
timeout 60 "$ck" -- "$k2" >"$work/dyn.out" 2>"$work/dyn.err" || rc=$?
off=$("$here/../../tools/paracell-scan" "$k2" 2>/dev/null | sed -n 's/.* offset \(0x[0-9a-f]*\): wrpkru.*/\1/p' | head -n 1)
[ "$rc" = 126 ] && [ -n "$off" ] && [ ! -s "$work/dyn.out" ] &&
	grep -qF "$k2: forbidden instruction (wrpkru) at file offset $off: inside another instruction (kind 2), which no detour covers" "$work/dyn.err" &&
	ok=ok || ok=no
ck_report $ok "p_k2 (a kind-2 WRPKRU in a mov's immediate, which no detour covers) is refused naming file and offset (exit $rc)"
exit $failed
