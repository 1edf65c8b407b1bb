#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The replayer and the trace reader on a tiny hand-written trace (TAP,
# natively, no timing). tiny.trace, by hand: the heap grows to 100 pages
# (50 touched) and shrinks to 40; region 1 (256 pages, all touched) loses
# its first half to munmap and its second half moves by mremap into
# region 3 (512 pages) where 100 more are touched; region 2 has 20 pages
# touched and 5 dropped by MADV_DONTNEED. Live at the end:
# 40 + 15 + 128 + 100 = 283 pages = 1132 KiB.
set -u
here=$(cd "$(dirname "$0")" && pwd)
R=$here/build/replayer
T=$here/tiny.trace
want=1132
n=0 fail=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fail=1; echo "not ok $n - $1"; }
echo "1..9"

for mode in "" "-r"; do
	out=$("$R" -m $mode "$T" 1) || nok "replayer $mode exits 0"
	b=$(echo "$out" | sed -n 's/^before anon_kib=//p')
	a=$(echo "$out" | sed -n 's/^after anon_kib=//p')
	d=$((a - b))
	if [ "$d" = "$want" ]; then
		ok "replayer ${mode:-(brk)}: resident after the replay is what the trace has live ($d KiB)"
	else
		nok "replayer ${mode:-(brk)}: resident grew by $d KiB, the trace has $want KiB live"
	fi
done

got=$(cd "$here" && /usr/bin/python3 -c '
import trace
ts, vals, final = trace.live_series("tiny.trace")
print(final[1], max(vals))')
# Peak: before the munmap, 50 heap pages + 256 of region 1 = 1224 KiB.
if [ "$got" = "$want 1224" ]; then
	ok "trace reader: live at the end $want KiB, peak 1224 KiB"
else
	nok "trace reader: live at the end and peak are '$got', want '$want 1224'"
fi

# A trace the replayer must refuse: a touch outside its region.
printf '0 1 start 0\n1 1 mmap 1 4\n2 1 touch 1 3 2\n' >"$here/build/bad.trace"
if "$R" "$here/build/bad.trace" 1 2>/dev/null; then
	nok "replayer refuses a touch outside its region"
else
	ok "replayer refuses a touch outside its region (status $?)"
fi
st=0
"$R" "$T" 7 2>/dev/null || st=$?
if [ "$st" = 2 ]; then
	ok "replayer: a pid without events is an error (2)"
else
	nok "replayer: a pid without events must exit 2, not $st"
fi

# The driver replays the trace with one replayer per process (scaled
# 1000x: no timing is asserted) and samples their memory.
if "$here/build/driver" -s 1000 -i 1 -o "$here/build/tiny.samples" "$R" "$T" 2>/dev/null &&
	[ -s "$here/build/tiny.samples" ]; then
	ok "driver replays the trace and samples memory"
else
	nok "driver replays the trace and samples memory"
fi
# -a: memory in trace time, a line per 10 ms of trace time at most: the
# tiny trace's events are 10 us apart, so one line before the exit (at
# 110 us, what the trace has live plus the replayer's own ~60 KiB) and
# "120 0" for the exit.
acc=$("$R" -a "$T" 1 | tr '\n' ' ')
v=${acc#110 }
v=${v%% *}
case $acc in
"110 "*" 120 0 ") ;;
*) v=0 ;;
esac
if [ "$v" -ge "$want" ] && [ "$v" -le $((want + 256)) ]; then
	ok "replayer -a: '$acc'"
else
	nok "replayer -a: '$acc', want '110 <$want..$((want + 256))> 120 0'"
fi

# The Pager policy model. With 64 MiB of a brk growth bound (ck's default
# before the tuning) the 100-page heap growth is bound, the replay touches
# 50 of it (no faults), every other touch faults: 256 + 20 + 100 = 376;
# the peak waste is the whole growth (100 pages, 400 KiB) between its bind
# and the first touch. With ck's default (no brk pages, an mmap's first 4
# pages): 50 heap faults, 252 + 20 + 100 elsewhere (region 2's first 4
# pages are bound and never touched) = 422; the peak waste those 4 pages
# (16 KiB). (brk:8,mmap:1, the default before: 417 and 32 KiB.)
got=$(cd "$here" && /usr/bin/python3 -c '
import policy
for p in (policy.CK_BEFORE, policy.CK_DEFAULT):
    r = policy.simulate("tiny.trace", *p)
    print(r["faults"], r["peak_waste_kib"], end=" ")')
if [ "$got" = "376 400 422 16 " ]; then
	ok "policy model: 376 faults and 400 KiB of peak waste with brk:16384, 422 and 16 KiB with ck's default"
else
	nok "policy model: '$got', want '376 400 422 16 '"
fi
# Transparent huge pages are off in every replay: the driver sets
# PR_SET_THP_DISABLE, which its replayers (here a script in the
# replayer's place, and the grep it starts) inherit across fork and exec.
printf '#!/bin/sh\ngrep "^THP_enabled:" /proc/self/status >"%s"\n' \
	"$here/build/thp.out" >"$here/build/thp.sh"
chmod +x "$here/build/thp.sh"
rm -f "$here/build/thp.out"
"$here/build/driver" -s 1000 -i 1 -o /dev/null "$here/build/thp.sh" "$T" 2>/dev/null
got=$(sed -n 1p "$here/build/thp.out" 2>/dev/null | tr -s ' \t' ' ')
if [ "$got" = "THP_enabled: 0" ]; then
	ok "driver: the replayers run with transparent huge pages off ($got)"
else
	nok "driver: the replayers' '$got', want 'THP_enabled: 0'"
fi
exit $fail
