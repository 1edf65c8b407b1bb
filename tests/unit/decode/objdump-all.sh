#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Compares ck's decoder with objdump -d over every ELF executable and shared
# object of the host (decode-check -s), two jobs at nice 19, and writes the
# summary: totals, differences by kind with examples, every unexplained one.
# usage: objdump-all.sh [SUMMARY] [DIR...]   (SUMMARY: objdump-diff.txt)
# The full per-difference log is left in $LOG (default /tmp/decode-all.log).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/objdump-diff.txt}
[ $# -gt 0 ] && shift
[ $# -gt 0 ] || set -- /usr/bin /usr/sbin /usr/lib/x86_64-linux-gnu /usr/lib/gcc \
	/usr/libexec /lib64
LOG=${LOG:-/tmp/decode-all.log}
make -s -C "$here" decode-check
# a copy, so that rebuilding during the run changes nothing
bin=$(mktemp /tmp/decode-check.XXXXXX)
trap 'rm -f "$bin"' EXIT
cp "$here/decode-check" "$bin"
chmod 755 "$bin"
start=$(date +%s)
# ELF files only (magic), each once, whatever the symlinks.
find "$@" -type f -size +63c -print0 2>/dev/null | sort -z |
	xargs -0 -n 50 -P 2 nice -n 19 "$bin" -s >"$LOG" 2>&1 || true
end=$(date +%s)
{
	echo "# ck decoder (shim/guest/decode.c) against $(objdump --version | head -1)"
	echo "# $(date -u +%Y-%m-%d) on $(. /etc/os-release; echo "$PRETTY_NAME"), $(uname -r)"
	echo "# dirs: $*; $((end - start)) s"
	echo "# kinds of difference (from decode-check.c):"
	sed -n '/^ \*   objdump-bad/,/^ \*$/p' "$here/decode-check.c" | sed 's/^ \*/#/'
	echo
	awk '/^decode-check: files/ { f += $3; s += $5; i += $7; d += $9; u += $11; db += $13 }
	     /^kinds/ { for (j = 2; j <= NF; j++) { split($j, kv, "="); k[kv[1]] += kv[2] } }
	     END { printf "files %d (non-ELF or not exec/so skipped: %d)\n", f, s;
		   printf "instructions compared %d\ndifferences %d\nunexplained %d\n", i, d, u;
		   printf "data blocks (objects objdump dumps as data) %d\n", db;
		   for (x in k) printf "  %-18s %d\n", x, k[x] }' "$LOG"
	awk '/^sites/ { for (j = 2; j <= NF; j++) { split($j, kv, "="); k[kv[1]] += kv[2] } }
	     END { printf "sites (the decoder walk meets):"
		   for (x in k) printf " %s=%d", x, k[x]; printf "\n" }' "$LOG"
	echo
	echo "## every file with differences: count, file, count by kind"
	grep -E '^/[^:]+: 0x[0-9a-f]+ [a-z0-9-]+: ' "$LOG" |
		awk '{ sub(":$", "", $1); sub(":$", "", $3); n[$1]++; c[$1, $3]++; k[$3] }
		     END { for (f in n) { printf "%7d %s", n[f], f
				for (x in k) if (c[f, x]) printf " %s=%d", x, c[f, x]
				printf "\n" } }' | sort -k1,1rn -k2
	for k in objdump-bad symbol-end fwait-prefix rex-split prefix-vex ud-prefixes \
		vendor-66-branch; do
		echo
		echo "## $k: first examples"
		grep -E "^/[^:]+: 0x[0-9a-f]+ $k: " "$LOG" | head -5 || true
	done
	echo
	echo "## WRPKRU, XRSTOR, WRFSBASE, WRGSBASE where the walk meets them (all)"
	grep -E '^/[^:]+: 0x[0-9a-f]+ site ' "$LOG" | sort || echo "none"
	echo
	echo "## unexplained (all) and errors"
	grep -E ': 0x[0-9a-f]+ unexplained: |^decode-check: /' "$LOG" || echo "none"
} >"$out"
cat "$out" | head -20
