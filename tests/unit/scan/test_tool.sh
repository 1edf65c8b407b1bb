#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Tests tools/paracell-scan on tiny ELF files built here with gcc: output
# lines (addresses checked against the symbol table and the file's bytes),
# exit statuses 0/1/2 and error messages.
# usage: test_tool.sh PATH/TO/paracell-scan
set -eu

SCAN=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
WORK=$(dirname "$0")/tool-work
rm -rf "$WORK"
mkdir -p "$WORK"
cd "$WORK"

failed=0
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }

# run NAME WANT_STATUS ARGS...: runs the scanner, keeps out and err
run() {
	name=$1 want=$2
	shift 2
	status=0
	"$SCAN" "$@" >out 2>err || status=$?
	if [ "$status" -eq "$want" ]; then
		ok "$name: exit $want"
	else
		not_ok "$name: exit $status, want $want"
		sed 's/^/# /' out err
	fi
}

# expect NAME TEXT: out (or err with -e) has exactly the line TEXT
expect() {
	file=out
	if [ "$1" = -e ]; then file=err; shift; fi
	if grep -qxF -- "$2" "$file"; then ok "$1"; else
		not_ok "$1: no line '$2'"
		sed 's/^/# /' "$file"
	fi
}

# lines FILE COUNT NAME
lines() {
	if [ "$(wc -l <"$1")" -eq "$2" ]; then ok "$3"; else
		not_ok "$3: $(wc -l <"$1") lines, want $2"
		sed 's/^/# /' "$1"
	fi
}

build() {
	gcc -nostdlib -static -no-pie -Wl,--build-id=none -o "$1" "$1.S"
}

# addr FILE SYMBOL DELTA: the symbol's address plus DELTA, in hex
addr() {
	printf '0x%x' $((0x$(nm "$1" | awk -v s="$2" '$3 == s { print $1 }') + $3))
}

# fileoff FILE VADDR: the file offset of VADDR in FILE's executable segment
fileoff() {
	set -- $(readelf -lW "$1" | awk '$1 == "LOAD" && / R?W?E / { print $2, $3 }') "$2"
	printf '0x%x\n' $(($3 - $2 + $1))
}

# hit_line FILE SYMBOL DELTA KIND: the line expected for a hit there
hit_line() {
	va=$(addr "$1" "$2" "$3")
	echo "$1: vaddr $va offset $(fileoff "$1" "$va"): $4 in .text"
}

cat >hit.S <<'ASM'
	.text
	.globl _start
_start:
	nop
wrpkru_at:
	wrpkru
xrstor_at:
	xrstor (%rdi)
xrstor64_at:
	xrstor64 0x40(%rsp)
wrfsbase_at:
	wrfsbase %rax
wrgsbase_at:
	wrgsbase %ebx
	lfence
	mfence
	sfence
	rdpkru
	rdfsbase %rax
	xsave (%rdi)
	fxrstor (%rdi)
	hlt
ASM

cat >clean.S <<'ASM'
	.text
	.globl _start
_start:
	lfence
	mfence
	sfence
	rdpkru
	rdfsbase %rax
	rdgsbase %rbx
	xsave (%rdi)
	xsaveopt (%rdi)
	fxrstor (%rdi)
	ldmxcsr (%rdi)
	clflush (%rdi)
	hlt
	.section .rodata
	.byte 0x0f, 0x01, 0xef, 0x0f, 0xae, 0x28	/* not executable */
ASM

cat >tail.S <<'ASM'
	.text
	.globl _start
_start:
	hlt
	.byte 0x0f, 0xae
ASM

build hit
build clean
build tail

run "pattern file" 1 hit
lines out 5 "one line per hit"
expect "wrpkru line" "$(hit_line hit wrpkru_at 0 wrpkru)"
expect "xrstor line" "$(hit_line hit xrstor_at 0 xrstor)"
expect "xrstor64 line (after REX.W)" "$(hit_line hit xrstor64_at 1 xrstor)"
expect "wrfsbase line (after F3 REX.W)" "$(hit_line hit wrfsbase_at 2 wrfsbase)"
expect "wrgsbase line (after F3)" "$(hit_line hit wrgsbase_at 1 wrgsbase)"

# every reported file offset holds a 0F byte
bad=0
for off in $(sed -n 's/.* offset \(0x[0-9a-f]*\):.*/\1/p' out); do
	b=$(od -An -tx1 -j $((off)) -N1 hit | tr -d ' ')
	[ "$b" = 0f ] || bad=1
done
if [ $bad = 0 ]; then ok "offsets point at 0F"; else not_ok "offsets point at 0F"; fi

run "clean file (patterns only in .rodata)" 0 clean
lines out 0 "clean file: no output"

run "quiet" 1 -q hit
lines out 0 "quiet: no output"

run "clean and pattern files" 1 clean hit
lines out 5 "clean and pattern files: the pattern file's lines"

run "segment ending in 0F AE, default" 0 tail
run "segment ending in 0F AE, -p" 1 -p tail
expect "partial line" "$(hit_line tail _start 1 partial)"

echo 'not an ELF file' >text
run "text file" 2 text
expect -e "text file message" "paracell-scan: text: not an ELF file"

run "missing file" 2 missing
expect -e "missing file message" "paracell-scan: missing: No such file or directory"

run "directory" 2 .

head -c 40 hit >short
run "truncated ELF header" 2 short
expect -e "truncated header message" "paracell-scan: short: truncated ELF header"

# cut inside the executable segment, keeping the program headers
head -c $(($(fileoff hit "$(addr hit wrgsbase_at 0)"))) hit >cut
run "truncated segment" 2 cut
expect -e "truncated segment message" \
	"paracell-scan: cut: truncated: executable segment beyond end of file"

cp hit elf32
printf '\001' | dd of=elf32 bs=1 seek=4 conv=notrunc 2>/dev/null
run "ELFCLASS32" 2 elf32
expect -e "ELFCLASS32 message" "paracell-scan: elf32: not an ELF64 x86-64 file"

run "error and hits" 2 hit text
lines out 5 "error and hits: hits still reported"

run "no arguments" 2
run "bad option" 2 -x hit

echo "1..$n"
exit $failed
