#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# run-dyn.sh --ck PATH
#
# Dynamic programs under ck (#14): Debian's own glibc programs loaded by
# ld.so (PT_INTERP), ld.so run as the program, and a musl dynamic
# program (progs/build/dyn, musl-gcc without -static: /lib/ld-musl-
# x86_64.so.1), each run natively and under ck: ok when stdout, stderr and
# the exit code are the same. Then the auxv ld.so gets (AT_BASE at ld.so's
# first mapping, AT_PHDR and AT_ENTRY in the program's, AT_EXECFN) and
# that the rewritten kind-1 sites (ld.so's XRSTOR in lazy binding) are
# what runs: LD_BIND_NOW unset, so every first call through the PLT goes
# through _dl_runtime_resolve's emulated XRSTOR. Exit 1 on any not ok.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
. "$here/lib.sh"
ck_arg "$@"
ck_work ck-dyn
dyn=$here/progs/build/dyn
ldso=/lib64/ld-linux-x86-64.so.2

mkdir "$work/d" "$work/d/sub"
printf 'b\nc\na\n' >"$work/d/f1"
printf 'x\n' >"$work/d/sub/f2"
openssl ecparam -genkey -name prime256v1 -noout -out "$work/k0.pem" 2>/dev/null
openssl ec -in "$work/k0.pem" -no_public -out "$work/d/k.pem" 2>/dev/null

n=0
bad=0
# same NAME CMD...: CMD natively and under ck, compared.
same() {
	name=$1
	shift
	n=$((n + 1))
	for side in a b; do
		rc=0
		if [ $side = a ]; then
			(cd "$work/d" && env -i PATH=/usr/bin:/bin LC_ALL=C \
				timeout 300 "$@") \
				>"$work/$side.out" 2>"$work/$side.err" </dev/null || rc=$?
		else
			(cd "$work/d" && env -i PATH=/usr/bin:/bin LC_ALL=C \
				timeout 300 "$ck" -- "$@") \
				>"$work/$side.out" 2>"$work/$side.err" </dev/null || rc=$?
		fi
		echo $rc >"$work/$side.rc"
	done
	ck_same "$name"
}

same true /bin/true
same false /bin/false
same echo /bin/echo one 'two words'
same cat /bin/cat f1 sub/f2
same ls /bin/ls -a . sub
same sort /usr/bin/sort f1
same sha256sum /usr/bin/sha256sum f1 sub/f2
same find /usr/bin/find . -name 'f*'
same bash-arith /bin/bash -c 'echo $((1+2))'
same bash-pipeline /bin/bash -c 'x=$(sort f1 | head -n 1); echo "$x"; exit 3'
same ld.so-direct $ldso /bin/echo run by ld.so
same ld.so-direct-ls $ldso /bin/ls -d sub
same musl-dynamic "$dyn/p_args" one "two words"
same lazy-binding-fp-args "$here/progs/build/glibc/p_lazy"
same xrstor-kind1-emulated "$here/progs/build/glibc/p_xrstor"
# libcrypto's ecp_nistz256 table in .text (a WRGSBASE core without F3,
# no pattern): a public key from a private one multiplies the P-256
# generator with it.
same openssl-p256 /usr/bin/openssl ec -in k.pem -pubout
# git's WRGSBASE core sits in a jmp's displacement with no F3 before it:
# #UD, so no pattern (include/paracell/scan.h), and git runs.
same git-version /usr/bin/git --version
same git-hash-object /usr/bin/git hash-object f1
same python3-hashlib /usr/bin/python3 -c 'import hashlib; print(hashlib.sha256(b"ck").hexdigest())'

# auxv as ld.so sees it (LD_SHOW_AUXV prints it before cat reads its
# maps): AT_ENTRY - AT_PHDR as natively (the same file), AT_BASE the start
# of a mapping followed by sealed code (ld.so's first page, then its text),
# AT_EXECFN the path given.
n=$((n + 1))
env -i LD_SHOW_AUXV=1 /bin/cat /dev/null >"$work/naux" 2>&1 || true
env -i LD_SHOW_AUXV=1 "$ck" -- /bin/cat /proc/self/maps >"$work/aux" 2>&1 || true
aux() { sed -n "s/^$1: *0x//p" "$2"; }
base=$(aux AT_BASE "$work/aux")
d=$(( 0x$(aux AT_ENTRY "$work/aux") - 0x$(aux AT_PHDR "$work/aux") ))
nd=$(( 0x$(aux AT_ENTRY "$work/naux") - 0x$(aux AT_PHDR "$work/naux") ))
execfn=$(sed -n 's/^AT_EXECFN: *//p' "$work/aux")
at_base=$(grep -A1 "^0*$base-" "$work/aux" | sed -n '2p' | grep -c 'r-xs.*paracell-seal\|r-xs.*ck-seal' || true)
if [ -n "$base" ] && [ "$base" != 0 ] && [ "$d" = "$nd" ] && [ "$at_base" = 1 ] &&
   [ "$execfn" = /bin/cat ]; then
	echo "ok $n - auxv: AT_BASE is ld.so's first page, AT_ENTRY - AT_PHDR as natively ($d), AT_EXECFN"
else
	echo "not ok $n - auxv: AT_BASE 0x$base (next mapping sealed: $at_base), AT_ENTRY - AT_PHDR $d (natively $nd), AT_EXECFN $execfn"
	sed 's/^/# /' "$work/aux" | head -40
	bad=$((bad + 1))
fi

# A missing interpreter: ENOENT from execve, as natively.
n=$((n + 1))
sed 's|/lib64/ld-linux-x86-64.so.2|/lib64/ld-linuy-x86-64.so.2|' /bin/true >"$work/nointerp"
chmod +x "$work/nointerp"
rc=0
"$ck" -- "$work/nointerp" >"$work/out" 2>&1 || rc=$?
if [ $rc = 127 ] && grep -q 'No such file' "$work/out"; then
	echo "ok $n - a program whose interpreter is missing: ENOENT (127)"
else
	echo "not ok $n - a program whose interpreter is missing: rc $rc"
	sed 's/^/# /' "$work/out"
	bad=$((bad + 1))
fi

# Seals found by their file (docs/sealed-code.md): a bash that bash
# starts finds the seals the first one recorded (ld.so, bash, libtinfo,
# libc: 4) and seals nothing itself, with the direct gate and without it;
# the first one records them. On the fallback nothing is found or
# recorded. The inner ck's --stats line comes first (it exits first).
for opt in "" --no-direct; do
	n=$((n + 1))
	rc=0
	"$ck" $opt --stats -- /bin/bash -c '/bin/bash -c "echo \$((6 * 7))"; exit 0' \
		>"$work/out" 2>"$work/err" || rc=$?
	stat() { sed -n "${1}s/.* $2=\([0-9]*\).*/\1/p" "$work/err"; }
	inner="hits $(stat 1 seal_hits) sealed $(stat 1 sealed_bytes) records $(stat 1 seal_records)"
	outer="hits $(stat 2 seal_hits) records $(stat 2 seal_records)"
	if [ -e /dev/paracell ]; then
		want_in="hits 4 sealed 0 records 0" want_out="hits 0 records 4"
	else
		want_in="hits 0 sealed $(stat 1 sealed_bytes) records 0" want_out="hits 0 records 0"
	fi
	if [ $rc = 0 ] && [ "$(cat "$work/out")" = 42 ] && [ "$inner" = "$want_in" ] &&
	   [ "$outer" = "$want_out" ] && [ "$(stat 1 sealed_bytes)" != "" ]; then
		echo "ok $n - seals found by their file${opt:+ ($opt)}: the second bash $inner, the first $outer"
	else
		echo "not ok $n - seals found by their file${opt:+ ($opt)}: rc $rc, the second bash $inner (want $want_in), the first $outer (want $want_out)"
		sed 's/^/# /' "$work/out" "$work/err"
		bad=$((bad + 1))
	fi
done

echo "1..$n"
[ "$bad" = 0 ]
