#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Proves the decoder's tests can fail: each mutant breaks one table entry or
# rule of shim/guest/decode.c (a temporary copy); test_decode and, where
# the host's code has the encoding, the objdump comparison (decode-check on
# ld.so, libc and bash), built from it, must fail. Prints TAP; exits
# non-zero if any mutant survives a check it must fail.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
guest=$top/shim/guest
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
CC=${CC:-cc}
FILES="/lib64/ld-linux-x86-64.so.2 /usr/lib/x86_64-linux-gnu/libc.so.6 /usr/bin/bash"
CFLAGS="-O2 -std=c11 -I$tmp -I$top/tools -I$top/include"

# name|must fail (u: test_decode, o: the objdump comparison)|sed expression
mutants='imul Gv,Ev,Iz with an imm8|uo|s/Iz, MIz, Ib, MIb, N, N, N, N,/Iz, MIb, Ib, MIb, N, N, N, N,/
mov r64,imm64 with an imm32|uo|s/return (in->rex & 8) ? 8 : iz(in);/return iz(in);/
66 ignored for Iz|uo|s/return (in->prefixes & CK_PFX_66) && !(in->rex & 8) ? 2 : 4;/return 4;/
SIB without base takes no disp32|uo|/if (mod == 0 && (sib & 7) == 5)/{n;s/disp = 4;/disp = 0;/}
RIP-relative without disp32|uo|/} else if (mod == 0 && rm == 5) {/{n;s/disp = 4;/disp = 0;/}
vzeroupper with ModRM|uo|s/if (in->enc == CK_ENC_VEX && map == 1 && op == 0x77)/if (0)/
0F 3A without imm8|uo|s/return imm(d, in, in->map == CK_MAP_0F3A);/return imm(d, in, 0);/
VEX/EVEX 0F 3A without imm8|uo|s/else if (map == CK_MAP_0F3A || map == CK_MAP_XOP8)/else if (map == CK_MAP_XOP8)/
TEST Eb,Ib without imm8|uo|s/return in->opcode == 0xf6 ? 1 : iz(in);/return in->opcode == 0xf6 ? 0 : iz(in);/
REX.W kept after a legacy prefix|u|s/^\t\tin->rex = 0;$//
FWAIT taken as a prefix of x87|uo|s/^\t\tcase 0xf0:$/\t\tcase 0x9b: continue;\n\t\tcase 0xf0:/
LEA of a register accepted|u|s/return mod == 3;/return 0;/'

cp "$guest/decode.h" "$tmp/"
printf "%s\n" "$mutants" | while IFS='|' read -r name must expr; do
	sed "$expr" "$guest/decode.c" > "$tmp/decode.c"
	if cmp -s "$guest/decode.c" "$tmp/decode.c"; then
		echo "not ok - $name: the mutation changed nothing"
		echo fail > "$tmp/failed"
		continue
	fi
	# shellcheck disable=SC2086
	if ! $CC $CFLAGS $(pkg-config --cflags cmocka) -o "$tmp/test_decode" \
		"$here/test_decode.c" "$tmp/decode.c" $(pkg-config --libs cmocka) ||
	   ! $CC $CFLAGS -o "$tmp/decode-check" "$here/decode-check.c" \
		"$tmp/decode.c" "$top/tools/elfexec.c" "$top/tools/readfile.c"; then
		echo "not ok - $name: does not build"
		echo fail > "$tmp/failed"
		continue
	fi
	if "$tmp/test_decode" >/dev/null 2>&1; then
		echo "not ok - $name: test_decode passes"
		echo fail > "$tmp/failed"
	else
		echo "ok - $name: test_decode fails"
	fi
	case $must in *o*) ;; *) continue ;; esac
	# shellcheck disable=SC2086
	if "$tmp/decode-check" $FILES > "$tmp/out" 2>&1; then
		echo "not ok - $name: the objdump comparison passes"
		echo fail > "$tmp/failed"
	else
		echo "ok - $name: the objdump comparison fails" \
			"($(grep -c unexplained: "$tmp/out") unexplained)"
	fi
done
[ ! -e "$tmp/failed" ]
