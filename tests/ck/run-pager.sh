#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-pager.sh --ck PATH: ck's Pager policy switch and ck's own memory per
# process (progs/p_pager64, static and static-PIE). Run INSIDE the test VM.
# TAP, per variant:
#   default    ck's default policy (brk:0, tuned on tests/bench/mem's
#              trace A; brk:8 before, 16376 faults): a 64 MiB brk growth
#              has nothing bound, so its touch loop takes all 16384
#              faults, and still gives back 65536 kB;
#   brk:16384  --pager-policy=brk:16384 binds the whole growth: 0 faults
#              (so does run-progs.sh's p_pager64 row), 65536 kB back;
#   no-bind    --no-bind: all 16384 pages fault;
#   mmap:16    an anonymous mmap without MAP_POPULATE: 16380 faults by
#              default (mmap:4, its first 4 pages bound), 16368 with
#              --pager-policy=mmap:16;
#   exec       the policy survives the program's execve (brk:16 after it:
#              16368 faults, where the default would give 16384);
#   bad        a bad policy (unknown key, no number, too large) exits 2
#              naming it, and the program never runs;
#   memory     ck's own memory: p_pager64's Anonymous: after giving the
#              64 MiB back, under ck minus natively, at most 76 kB (60-64
#              measured; ~100 before ck gave its start-up and seal-pass
#              scratch back and kept its data page the file's, ~230 before
#              that: 128 kB of initial stack bound ahead, a second K
#              stack, the whole 16 KiB xsave template copied);
#   sealed     a copy of p_pager64 that ck seals first (a seal pass reads
#              the file through 64 KiB of windows and gives them back,
#              with the rest of its scratch): its Anonymous: under ck at
#              most 92 kB (80 measured; 116-120 before the scratch went
#              back, 144-148 when an unaligned madvise kept 28 kB of
#              windows).
# Prints the measured numbers as "#" lines.
# Exit status: 0 if every test is ok, 1 if not, 2 for usage errors.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
ck_arg "$@"

ck_work ck-pager

echo "TAP version 13"
echo "1..16"
n=0
failed=0

# ck_detail: what a failed check shows (lib.sh's ck_report).
ck_detail() {
	for f in "$work"/*.out "$work"/*.err; do
		[ -f "$f" ] && sed "s|^|# $(basename "$f"): |" "$f" | head -20
	done
}

# run NAME CMD...: CMD's output in $work/NAME.out, stderr .err, status .rc
run() {
	name=$1
	shift
	rc=0
	timeout 60 "$@" >"$work/$name.out" 2>"$work/$name.err" || rc=$?
	echo "$rc" >"$work/$name.rc"
}

# val NAME KEY: KEY's number in NAME's output ("-" if none or failed)
val() {
	if [ "$(cat "$work/$1.rc")" != 0 ]; then
		echo -
		return
	fi
	awk -v k="$2" '$1 == k { v = $2 } END { print v == "" ? "-" : v }' "$work/$1.out"
}

# brk_case FAULTS DESC CK-OPTS...: p_pager64 brk under ck CK-OPTS takes
# FAULTS faults on its touches and gives back 65536 kB ($v, $p).
brk_case() {
	want=$1 desc=$2
	shift 2
	run brk "$ck" "$@" -- "$p" brk
	f=$(val brk touch_faults)
	d=$(val brk anon_drop_kB)
	echo "# [$v] ${*:-default}: touch_faults $f anon_drop_kB $d"
	ok=ok
	[ "$f" = "$want" ] && [ "$d" = 65536 ] || ok=no
	ck_report "$ok" "[$v] $desc of a 64 MiB brk growth"
}

for v in static pie; do
	p=$here/progs/build/$v/p_pager64
	[ -x "$p" ] || { echo "Bail out! $p is not built"; exit 1; }
	rm -f "$work"/*

	brk_case 16384 "the default policy binds nothing"
	brk_case 0 "--pager-policy=brk:16384 binds all" --pager-policy=brk:16384

	run nobind "$ck" --no-bind -- "$p" brk
	f=$(val nobind touch_faults)
	echo "# [$v] --no-bind: touch_faults $f"
	ok=ok
	[ "$f" = 16384 ] || ok=no
	ck_report "$ok" "[$v] --no-bind binds nothing of a brk growth"

	run anon0 "$ck" -- "$p" anon
	run anon16 "$ck" --pager-policy=stack:4,mmap:16 -- "$p" anon
	f0=$(val anon0 touch_faults)
	f16=$(val anon16 touch_faults)
	echo "# [$v] anonymous mmap: touch_faults $f0 by default, $f16 with mmap:16"
	ok=ok
	# A transparent huge page can take 512 faults' worth at once (CI saw
	# 15871): binding 16 pages allows at most 16368, never more.
	[ "$f0" = 16380 ] && [ "$f16" -le 16368 ] && [ "$f16" -gt 0 ] || ok=no
	ck_report "$ok" "[$v] --pager-policy=mmap:16 binds an anonymous mapping's first 16 pages"

	run exec "$ck" --pager-policy=brk:16 -- "$p" exec brk
	f=$(val exec touch_faults)
	echo "# [$v] brk:16, after an execve: touch_faults $f"
	ok=ok
	[ "$f" = 16368 ] || ok=no
	ck_report "$ok" "[$v] the policy survives the program's execve"

	ok=ok
	for bad in brk:x foo:1 brk:8, mmap:262145 brk stack:4,,brk:1; do
		run bad "$ck" "--pager-policy=$bad" -- "$p" brk
		if [ "$(cat "$work/bad.rc")" != 2 ] || [ -s "$work/bad.out" ] ||
		   ! grep -q "^ck: bad Pager policy --pager-policy=$bad " "$work/bad.err"; then
			echo "# [$v] --pager-policy=$bad: exit $(cat "$work/bad.rc")"
			ok=no
		fi
	done
	ck_report "$ok" "[$v] a bad policy exits 2 naming it, the program not run"

	run native "$p" brk
	run ck "$ck" -- "$p" brk
	a0=$(val native anon_after_kB)
	a1=$(val ck anon_after_kB)
	echo "# [$v] Anonymous: after the 64 MiB are back: native $a0 kB, under ck $a1 kB"
	ok=ok
	# The native side moves by 8 kB between runs (12-20 kB in CI): 76,
	# 60-64 measured (it was 144 before ck gave its scratch back).
	[ "$a0" != - ] && [ "$a1" != - ] && [ $((a1 - a0)) -le 76 ] || ok=no
	ck_report "$ok" "[$v] ck's own memory per process is at most 76 kB"

	cp "$p" "$work/fresh"
	run fresh "$ck" -- "$work/fresh" brk
	a2=$(val fresh anon_after_kB)
	echo "# [$v] a copy ck seals first: under ck $a2 kB"
	ok=ok
	# ck's side alone (the native side moves by 8 kB between runs); ck
	# held 148 kB here before the windows were given back (and in CI's
	# run of 22:07: 12 + 136), 116-120 before the rest of the pass's
	# scratch was, 80 now.
	[ "$a2" != - ] && [ "$a2" -le 92 ] || ok=no
	ck_report "$ok" "[$v] a seal pass gives its file windows and scratch back (at most 92 kB under ck)"
done
exit "$failed"
