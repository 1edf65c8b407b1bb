#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs in the test VM (scripts/testvm has loaded the real paracell.ko).
# For each mutant module (kmod/Makefile `mutants`: one check removed), swap
# it in, run the test of that check, and require the named checks to fail:
# proof that each refusal test can fail. The tests' own output is shown as
# TAP comments; each mutant is one ok/not ok line. The real module is put
# back at the end, so testvm's unload check still applies.
set -u
cd "$(dirname "$0")/../.."
real=kmod/paracell.ko
dir=build/mutants
t=tests/kselftest

# mutant | test command | checks that must fail (';'-separated)
table="PKRU|$t/xgate_test|every cell ioctl under a PKRU other than pkru_ck
OWNER|$t/xgate_test|fork child using the inherited cell fd;cell fd passed to another process
SECOND_CELL|$t/xgate_test|a cell made before the XGate;CREATE_CELL through the device;CREATE_CELL through a pidfd_getfd copy
PAGER_PKEY|$t/xgate_test|BIND over K memory;UNBIND over K2 memory
XGATE_KEYS|$t/xgate_test|unallocated key
SEAL_SCAN|$t/seal_test module|wrpkru refused;xrstor refused;xrstor64 refused;wrfsbase refused;wrgsbase refused;page-aligned seal ending in 0F 01
SEAL_PRIVATE|$t/seal_test module|MAP_PRIVATE mapping refused
SEAL_MAYWRITE|$t/seal_test module|mprotect adding write refused;write through /proc/self/mem refused
SEAL_SHARE_NS|$t/seal_test module|the same bytes from another pid namespace: not shared
SEAL_LOOKUP_STAMP|$t/seal_lookup|the file written since the record: a miss;the file written between the miss and the store"

n=$(printf '%s\n' "$table" | wc -l)
echo "TAP version 13"
echo "1..$n"
i=0 failed=0
out=/tmp/mutant.out
while IFS='|' read -r name cmd expect; do
	i=$((i + 1))
	ok=1 why=""
	if ! rmmod paracell || ! insmod "$dir/$name/paracell.ko"; then
		ok=0 why="cannot load mutant $name"
	else
		$cmd > "$out" 2>&1
		sed 's/^/# /' "$out"
		rest=$expect
		while [ -n "$rest" ]; do
			want=${rest%%;*}
			[ "$want" = "$rest" ] && rest="" || rest=${rest#*;}
			grep -q "^not ok [0-9]* - .*$want" "$out" ||
				{ ok=0 why="$why [$want] passed"; }
		done
	fi
	if [ $ok = 1 ]; then
		echo "ok $i - mutant $name: its tests fail without the check"
	else
		echo "not ok $i - mutant $name:$why"
		failed=$((failed + 1))
	fi
done <<EOT
$table
EOT
rmmod paracell 2>/dev/null
insmod "$real" || { echo "not ok - real module reload"; exit 1; }
echo "# mutants: $((n - failed)) caught, $failed missed"
[ $failed = 0 ]
