#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Proves test_hostfilter can fail: each mutant weakens one rule of
# gen-hostfilter.c (a temporary copy), regenerates the headers into a
# temporary directory, rebuilds the test against them and expects it to
# fail. Prints TAP; exits non-zero if any mutant survives.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
hf=$top/shim/guest/hostfilter
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
CC=${CC:-cc}

# name|sed expression on gen-hostfilter.c
mutants='exec mmap allows anonymous|s/MAP_TYPE | MAP_ANONYMOUS, MAP_SHARED/MAP_TYPE, MAP_SHARED/
exec mmap allows private|s/MAP_TYPE | MAP_ANONYMOUS, MAP_SHARED)/MAP_ANONYMOUS, 0)/
exec mmap allows writable|s/PROT_EXEC | PROT_WRITE, PROT_EXEC/PROT_EXEC, PROT_EXEC/
exec mmap on any fd|s/ARG_EQ(4, CK_FD_SEAL)/ARG_MASKED_EQ(4, 0, 0)/
mprotect unconditional|/SCMP_SYS(mprotect), 1,/d
pkey_mprotect unconditional|/SCMP_SYS(pkey_mprotect), 1,/d
prctl unconditional|/SCMP_SYS(prctl), 1,/d
arch_prctl unconditional|/SCMP_SYS(arch_prctl), 1,/d
arch_prctl MAP_VDSO_64 allowed|s/ARG_EQ(0, ARCH_GET_FS)/ARG_EQ(0, 0x2003)/
guard skips one short|s/0xffffffffU, 0, 4)/0xffffffffU, 0, 3)/
guard page mask wrong|s/0xfffff000U)/0xffff0000U)/
guard off by default|s/.guard = 1 }/.guard = 0 }/
bad arch allowed|s/SCMP_FLTATR_ACT_BADARCH,$/SCMP_FLTATR_CTL_NNP,/;s/^\t\t\t       SCMP_ACT_KILL_PROCESS);/\t\t\t       1);/
default kills the thread only|s/seccomp_init(SCMP_ACT_KILL_PROCESS)/seccomp_init(SCMP_ACT_KILL_THREAD)/
x32 allowed|s/err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2);/err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_OPTIMIZE, 2) ?: seccomp_arch_add(ctx, SCMP_ARCH_X32);/'

make -s -C "$hf" all >/dev/null
n=$(printf '%s\n' "$mutants" | wc -l)
echo "TAP version 13"
echo "1..$n"
i=0
fail=0
printf '%s\n' "$mutants" | {
	while IFS='|' read -r name expr; do
		i=$((i + 1))
		d=$tmp/$i
		mkdir -p "$d"
		sed "$expr" "$hf/gen-hostfilter.c" >"$d/gen.c"
		if cmp -s "$d/gen.c" "$hf/gen-hostfilter.c"; then
			echo "not ok $i - $name # mutant did not apply"
			fail=1
			continue
		fi
		if ! $CC -std=gnu11 -D_GNU_SOURCE -I"$top/shim/guest" \
			$(pkg-config --cflags libseccomp) -o "$d/gen" "$d/gen.c" \
			$(pkg-config --libs libseccomp) 2>"$d/log" ||
		   ! "$d/gen" -l hostlist.h "$d" 2>>"$d/log" ||
		   ! "$d/gen" -x time -x gettimeofday -x getcpu \
			-s hf_test_vsys -o hostfilter-test-vsys.h "$d" ||
		   ! "$d/gen" -x time -x gettimeofday -x getcpu -n \
			-s hf_test_noguard -o hostfilter-test-noguard.h "$d"; then
			echo "not ok $i - $name # mutant did not build"
			sed 's/^/# /' "$d/log"
			fail=1
			continue
		fi
		$CC -std=c11 -D_GNU_SOURCE -Wall -Wextra -I"$d" -I"$hf" \
			-I"$top/shim/guest" $(pkg-config --cflags cmocka) \
			-o "$d/test" "$here/test_hostfilter.c" \
			$(pkg-config --libs cmocka)
		if "$d/test" >"$d/out" 2>&1; then
			echo "not ok $i - $name # survived"
			fail=1
		else
			echo "ok $i - $name is caught:" \
				"$(grep -m1 'FAILED  \] test_' "$d/out" |
					sed 's/.*\] //')"
		fi
	done
	exit $fail
}
