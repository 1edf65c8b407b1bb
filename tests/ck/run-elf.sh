#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-elf.sh --ck PATH: the loader's edge cases (progs/build/elf/, p_exit
# with headers edited by mkelf), static and static-PIE, run with argument
# 7 natively and under ck. Run INSIDE the test VM. TAP:
#   phdr     a wrong PT_PHDR: Linux takes AT_PHDR from the PT_LOAD holding
#            the headers; under ck the run must be the same (exit 7);
#   rwx      a writable and executable PT_LOAD: ck refuses it (W^X), exit
#            126, naming it, where Linux runs it;
#   bigexec  an executable PT_LOAD of 1 GiB of zeros: ck refuses it, exit
#            126, at once and on both backends (the fallback once sealed
#            it page by page until the OOM killer came).
# Exit status: 0 if every test is ok, 1 if not, 2 for usage errors.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
ck_arg "$@"

ck_work ck-elf

echo "TAP version 13"
echo "1..6"
n=0
failed=0

# run NAME: $work/native.{out,rc}, $work/ck.{out,rc} (stdout and stderr)
run() {
	prog=$here/progs/build/elf/$1
	[ -x "$prog" ] || { echo "Bail out! $prog is not built"; exit 1; }
	rc=0
	timeout 30 "$prog" 7 >"$work/native.out" 2>&1 || rc=$?
	echo "$rc" >"$work/native.rc"
	rc=0
	timeout 30 "$ck" -- "$prog" 7 >"$work/ck.out" 2>&1 || rc=$?
	echo "$rc" >"$work/ck.rc"
}

# ck_detail: what a failed check shows (lib.sh's ck_report).
ck_detail() {
	echo "# native: exit $(cat "$work/native.rc"): $(head -c 300 "$work/native.out")"
	echo "# ck:     exit $(cat "$work/ck.rc"): $(head -c 300 "$work/ck.out")"
}

# refused NAME WHAT MESSAGE: ck must refuse NAME with exit 126, saying MESSAGE.
refused() {
	run "$1"
	if [ "$(cat "$work/ck.rc")" = 126 ] && grep -q "$3" "$work/ck.out"; then
		ck_report ok "$2: refused, exit 126"
	else
		ck_report no "$2: not refused (\"$3\")"
	fi
}

for v in static pie; do
	run "$v-phdr"
	if [ "$(cat "$work/native.rc")" = 7 ] &&
	   [ "$(cat "$work/ck.rc")" = 7 ] &&
	   cmp -s "$work/native.out" "$work/ck.out"; then
		ck_report ok "$v, a wrong PT_PHDR: the same run as native (exit 7)"
	else
		ck_report no "$v, a wrong PT_PHDR: not the same run as native"
	fi
	refused "$v-rwx" "$v, a W+X segment" 'both writable and executable'
	refused "$v-bigexec" "$v, a 1 GiB executable segment" \
		'larger than a seal may be'
done
exit $failed
