#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# check.sh SITE-COUNT ATTACK-BUILD-DIR FRAME-TABLE: TAP, one test per file
# and pattern: how many sites of that kind the classifier finds and how ck
# handles them; then, for static programs without an .eh_frame_hdr, the
# table ck builds from their .eh_frame against the walk of that section.
set -eu
count=$1 b=$2 frames=$3
lib=/usr/lib/x86_64-linux-gnu
n=0 bad=0
expect() {	# file pattern kind handling [count]
	n=$((n + 1))
	if [ ! -e "$1" ]; then
		echo "ok $n - $1: $2 $3 $4 # SKIP not installed here"
		return
	fi
	got=$("$count" "$1" 2>/dev/null | awk -v p="$2" -v k="$3" -v h="$4" \
		'$3 == p && $4 == k && $5 == h' | wc -l)
	if [ "$got" = "${5:-1}" ]; then
		echo "ok $n - $1: ${5:-1} $2 site(s), $3, $4"
	else
		echo "not ok $n - $1: ${5:-1} $2 site(s), $3, $4 (got $got)"
		"$count" "$1" 2>&1 | sed 's/^/# /'
		bad=$((bad + 1))
	fi
}
expect "$b/libk2.so" wrpkru kind2 refused-pattern
expect "$b/libk2r.so" wrpkru kind2 detoured
expect "$b/libk3.so" wrpkru kind3 data-page
expect /lib64/ld-linux-x86-64.so.2 xrstor kind1 rewritten 2
expect "$lib/libc.so.6" wrpkru kind1 rewritten
# WR*SBASE cores with no F3 before them are no pattern (scan.h): git's in
# a jmp's displacement, libcrypto's in its P-256 table.
expect "$lib/libcrypto.so.3" wrgsbase kind3 data-page 0
expect /usr/bin/git wrgsbase kind2 detoured 0
expect "$lib/libnettle.so.8" wrpkru kind2 detoured 2
expect "$lib/libLLVM-14.so.1" wrpkru kind3 data-page 14
expect /usr/bin/node xrstor kind2 detoured
# Static glibc programs have no .eh_frame_hdr: ck walks their .eh_frame
# section (found by the section headers), and _dl_runtime_resolve's two
# XRSTORs are kind 1 as in ld.so.
expect /bin/busybox xrstor kind1 rewritten 2
expect /usr/bin/tini-static xrstor kind1 rewritten 2
# The direct gate's lookups in such files (stubs.c): every syscall's and
# every 64th byte's function range, from the sorted table and from the
# walk, the same; more than a thousand FDEs each.
for f in /bin/busybox /usr/bin/tini-static; do
	n=$((n + 1))
	if [ ! -e "$f" ]; then
		echo "ok $n - $f: sorted .eh_frame table # SKIP not installed here"
		continue
	fi
	out=$("$frames" "$f" 2>&1) && rc=0 || rc=$?
	nf=$(printf '%s\n' "$out" | sed -n 's/.* frames=\([0-9]*\) .*/\1/p')
	if [ "$rc" = 0 ] && [ "${nf:-0}" -gt 1000 ] &&
	   printf '%s\n' "$out" | grep -q ' mismatches=0$'; then
		echo "ok $n - $f: sorted .eh_frame table matches the walk (${out#"$f" })"
	else
		echo "not ok $n - $f: sorted .eh_frame table matches the walk (exit $rc)"
		printf '%s\n' "$out" | sed 's/^/# /'
		bad=$((bad + 1))
	fi
done
echo "1..$n"
[ "$bad" = 0 ]
