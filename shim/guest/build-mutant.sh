#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# build-mutant.sh OUT MASK NAME...: link the mutant ck OUT (ck_mutants.h)
# that lacks the checks NAME... (MASK: their CK_MUTANT_MASK expression).
# Only the sources that name one of them in ck_mutant()/CK_MUTANT_IS(),
# and those that read CK_MUTANT_MASK itself (sealrec.c), are compiled
# again with the mask; every other object is the normal build's
# (build/*.o), which the mask would not change: ck_mutant() of any other
# name is 0 in both. A header or .def that names one of them compiles
# everything again. Environment: CC, CFLAGS, LDFLAGS, SRCS (every source,
# the .S files included), OBJDIR (the normal build's objects).
set -eu
out=$1 mask=$2
shift 2
pats=
for n in "$@"; do
	pats="$pats -e ck_mutant($n) -e CK_MUTANT_IS($n)"
done
# shellcheck disable=SC2086 # $pats is a list of grep options
if grep -qF $pats -- *.h *.def; then
	again=$SRCS
else
	again=$(grep -lF $pats -e CK_MUTANT_MASK -- $SRCS || :)
fi
dir=$(dirname "$out")
objs=
for s in $SRCS; do
	o=$OBJDIR/${s%.*}.o
	case " $(echo $again) " in
	*" $s "*)
		o=$dir/${s%.*}.o
		# shellcheck disable=SC2086 # CFLAGS is a list of options
		$CC $CFLAGS "-DCK_MUTANT_MASK=$mask" -c -o "$o" "$s" ;;
	esac
	objs="$objs $o"
done
# shellcheck disable=SC2086
$CC $CFLAGS $LDFLAGS -o "$out" $objs -lgcc
