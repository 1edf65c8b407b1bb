#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Build-time check of ck's own code (DESIGN.md section 4): paracell-scan
# must find WRPKRU only at the ck_gate_site_* labels, every gate site must
# be followed by `cmp $imm32, %eax` and a `jne` to ck_abort, and there must
# be no XRSTOR, WRFSBASE or WRGSBASE at all. Exit non-zero otherwise.
set -eu
ck=$1 scan=$2
sites=$(nm "$ck" | awk '$3 ~ /^ck_gate_site_/ { print "0x" $1 }' |
	while read -r a; do printf '0x%x\n' "$a"; done | sort)
abort=$(printf '%x' "0x$(nm "$ck" | awk '$3 == "ck_abort" { print $1 }')")
[ -n "$sites" ] || { echo "check-gates: no gate sites in $ck" >&2; exit 1; }
hits=$("$scan" "$ck" || true)
bad=0
printf '%s\n' "$hits" | while read -r line; do
	[ -n "$line" ] || continue
	kind=${line##*: }; kind=${kind%% *}
	addr=$(printf '%s\n' "$line" | sed -n 's/.*vaddr \(0x[0-9a-f]*\).*/\1/p')
	if [ "$kind" != wrpkru ] || ! printf '%s\n' "$sites" | grep -qx "$addr"; then
		echo "check-gates: forbidden $kind at $addr (not a gate site)" >&2
		exit 1
	fi
done || bad=1
for s in $sites; do
	printf '%s\n' "$hits" | grep -q "vaddr $s " ||
		{ echo "check-gates: gate site $s has no WRPKRU" >&2; bad=1; }
	# The two instructions after the 3-byte WRPKRU: cmp $imm,%eax; jne ck_abort.
	next=$(printf '0x%x' $((s + 3)))
	dis=$(objdump -d --no-show-raw-insn --start-address="$next" \
		--stop-address=$(printf '0x%x' $((s + 3 + 11))) "$ck" |
		awk '/^ *[0-9a-f]+:/ { $1 = ""; print }')
	echo "$dis" | sed -n 1p | grep -q 'cmp  *\$0x[0-9a-f]*,%eax' ||
		{ echo "check-gates: gate site $s lacks its cmp" >&2; bad=1; }
	echo "$dis" | sed -n 2p | grep -q "jne  *$abort" ||
		{ echo "check-gates: gate site $s lacks its jne ck_abort" >&2; bad=1; }
done
[ $bad = 0 ] || exit 1
n=$(printf '%s\n' "$sites" | wc -l)
echo "check-gates: $n gate sites, each checked; no other WRPKRU/XRSTOR/WR*BASE"
