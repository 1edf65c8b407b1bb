#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-vdso.sh --ck PATH: ck's path for a vDSO that fails the scanner. PATH
# is the test build of ck that takes the host's vDSO as unclean
# (shim/guest/build/variants/vdso-unclean/ck): no kernel at hand has an
# unclean vDSO. p_clock runs natively and under it, static and static-PIE.
# Natively the vDSO is offered (AT_SYSINFO_EHDR) and mapped; under the
# variant it must be neither (ck unmaps it, so the program cannot jump
# into it either), and every clock line must still be the same: musl then
# makes the syscalls, which ck forwards. Run INSIDE the test VM. TAP: ok
# when the two runs differ in exactly those two lines and exit 0.
# Exit status: 0 if every test is ok, 1 if not, 2 for usage errors.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
ck_arg "$@"

ck_work ck-vdso

# What the two runs may differ in, and nothing else.
cat >"$work/want" <<'EOF'
-vDSO offered, an ELF image: yes
-a [vdso] line in /proc/self/maps: yes
+vDSO offered, an ELF image: no
+a [vdso] line in /proc/self/maps: no
EOF

echo "TAP version 13"
echo "1..2"
n=0
failed=0
for v in static pie; do
	n=$((n + 1))
	prog=$here/progs/build/$v/p_clock
	rc=0
	"$prog" >"$work/native" 2>&1 || rc=$?
	echo "exit $rc" >>"$work/native"
	rc=0
	timeout 60 "$ck" -- "$prog" >"$work/ck" 2>&1 || rc=$?
	echo "exit $rc" >>"$work/ck"
	diff -U0 "$work/native" "$work/ck" | grep '^[-+][^-+]' \
		>"$work/got" || true
	if cmp -s "$work/want" "$work/got" &&
	   grep -qx 'exit 0' "$work/native"; then
		echo "ok $n - $v p_clock: vDSO unmapped and not offered, clocks the same"
	else
		echo "not ok $n - $v p_clock: not the expected difference"
		sed 's/^/# native: /' "$work/native"
		sed 's/^/# ck:     /' "$work/ck"
		failed=1
	fi
done
exit $failed
