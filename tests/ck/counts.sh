#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# counts.sh [--ck PATH] [--n N]: the costs issue #11 asks to report,
# measured in the test VM (scripts/testvm -- tests/ck/counts.sh):
#   - host syscalls to create a thread, to fork and to exec, natively and
#     under ck: strace -f -c of p_count MODE N against MODE 0, over N
#     (the program's own calls included: pthread_create's mmap and
#     mprotect, join's futex, the parent's wait4...);
#   - ck's --stats line for each run under ck (host_per_forwarded);
#   - the memory ck adds to a process: Anonymous: in smaps_rollup of a
#     sleeping p_count natively and under ck, and under ck the Rss of
#     K, K2 and KB (ProtectionKey 1, 2, 3 in smaps);
#   - #14's host syscalls and bytes sealed per exec of bash.
# Prints "key value" lines; exit 1 if a run fails.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
ck=$repo/shim/guest/build/ck
n=20
while [ $# -gt 0 ]; do
	case $1 in
	--ck) ck=$2; shift 2 ;;
	--n) n=$2; shift 2 ;;
	*) echo "usage: $0 [--ck PATH] [--n N]" >&2; exit 2 ;;
	esac
done
prog=$here/progs/build/static/p_count
[ -x "$prog" ] && [ -x "$ck" ] || { echo "$0: build $prog and $ck first" >&2; exit 1; }
work=$(mktemp -d /tmp/ck-counts.XXXXXX)
trap 'rm -rf "$work"' EXIT

calls() {	# how(native|ck) mode count: host syscalls of the run
	if [ "$1" = ck ]; then
		set -- "$ck" --stats -- "$prog" "$2" "$3"
	else
		set -- "$prog" "$2" "$3"
	fi
	strace -f -c -o "$work/strace" "$@" >"$work/out" 2>"$work/err"
	grep -q '^done$' "$work/out" || { cat "$work/err" >&2; exit 1; }
	awk '$NF == "total" { print $4 }' "$work/strace"
}

for how in native ck; do
	for mode in thread fork exec; do
		zero=$(calls "$how" "$mode" 0)
		many=$(calls "$how" "$mode" "$n")
		per=$(awk -v a="$zero" -v b="$many" -v n="$n" \
			'BEGIN { printf "%.1f", (b - a) / n }')
		echo "$how.$mode.host_syscalls_per_op $per ($zero at 0, $many at $n)"
		[ "$how" = native ] || grep '^ck: stats: ' "$work/err" | tail -1 |
			sed 's/^ck: stats: /ck.'"$mode"'.stats_last_line /'
	done
done

# #14: an exec of bash (ck's loader, ld.so, libtinfo and libc sealed):
# host syscalls natively and under ck (strace -f -c: the whole process,
# bash's own calls included), ck's --stats line (its host calls, the bytes
# it sealed) for the first bash and for one that bash starts ("later":
# it finds the seals the first one recorded: seal_hits, found_bytes).
strace -f -c -o "$work/strace" /bin/bash -c 'exit 0'
echo "native.bash_exec.host_syscalls $(awk '$NF == "total" { print $4 }' "$work/strace")"
strace -f -c -o "$work/strace" "$ck" --stats -- /bin/bash -c 'exit 0' 2>"$work/err"
echo "ck.bash_exec.host_syscalls $(awk '$NF == "total" { print $4 }' "$work/strace")"
sed -n 's/^ck: stats: /ck.bash_exec.first /p' "$work/err"
"$ck" --stats -- /bin/bash -c '/bin/bash -c "exit 0"; exit 0' 2>"$work/err"
sed -n '1s/^ck: stats: /ck.bash_exec.later /p' "$work/err"

anon() {	# pid: Anonymous kB of smaps_rollup
	awk '/^Anonymous:/ { print $2 }' "/proc/$1/smaps_rollup"
}
"$prog" sleep 4 >/dev/null &
pid=$!
sleep 2
echo "native.sleep.anonymous_kB $(anon $pid)"
wait $pid
"$ck" -- "$prog" sleep 4 >/dev/null &
pid=$!
sleep 3
echo "ck.sleep.anonymous_kB $(anon $pid)"
awk '/^[0-9a-f]+-[0-9a-f]+ / { rss = 0 }
	/^Rss:/ { rss = $2 }
	/^ProtectionKey:/ { k[$2] += rss }
	END { printf "ck.sleep.rss_kB K %d K2 %d KB %d\n", k[1], k[2], k[3] }' \
	"/proc/$pid/smaps"
wait $pid
