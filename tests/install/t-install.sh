#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# make install into a scratch DESTDIR: the exact file list, the installed
# runtime runs and finds the installed ck, libparacell builds a program
# through its pkg-config file, containerd reads docs/examples' snippet;
# DKMS builds and loads the installed module source in the test VM
# (vm-dkms.sh); make uninstall leaves nothing. TAP.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
cd "$TOP" || exit 1
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
diag() { sed 's/^/#   /'; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }

ver=$(cat VERSION)
# Under the repository, not /tmp: the test VM sees the host's tree (read-only)
# but has its own /tmp.
mkdir -p build
dest=$(mktemp -d "$TOP/build/install-test.XXXXXX")
trap 'rm -rf "$dest"' EXIT
p=/usr/local

# make_ok TARGET: make TARGET DESTDIR=$dest, one test point
make_ok() {
	if make -s "$1" DESTDIR="$dest" >"$dest.log" 2>&1; then
		ok "make $1 DESTDIR=..."
	else
		nok "make $1 DESTDIR=..."
		diag <"$dest.log"
	fi
	rm -f "$dest.log"
}

make_ok install

# What a /usr/local install must hold, written out here rather than taken
# from the Makefile, so a file the install rule forgets fails the test.
{
	printf '%s\n' \
		$p/bin/paracell $p/bin/paracell-native $p/bin/paracell-scan \
		$p/bin/paracell-pager-demo $p/lib/paracell/ck \
		$p/lib/libparacell.a $p/lib/pkgconfig/libparacell.pc \
		$p/include/paracell/paracell.h $p/include/paracell/scan.h \
		$p/include/linux/paracell.h \
		/etc/udev/rules.d/60-paracell.rules /etc/modules-load.d/paracell.conf
	s=/usr/src/paracell-$ver
	printf '%s\n' $s/dkms.conf $s/kmod/Kbuild \
		$s/include/uapi/linux/paracell.h $s/include/paracell/scan.h \
		$s/LICENSES/GPL-2.0 $s/LICENSES/Apache-2.0
	sed -n 's/^paracell-y := //p' kmod/Kbuild | tr ' ' '\n' | sed -n "s|\.o$|.c|p" |
		sed "s|^|$s/kmod/|"
	for h in kmod/*.h; do echo "$s/$h"; done
	for d in docs/*.md docs/examples/*; do
		[ ! -f "$d" ] || echo "$p/share/doc/paracell/${d#docs/}"
	done
} | sort >"$dest.want"
(cd "$dest" && find . ! -type d | sed 's|^\.||' | sort) >"$dest.got"
if cmp -s "$dest.want" "$dest.got"; then
	ok "installed files are exactly the expected $(wc -l <"$dest.want")"
else
	nok "installed files are exactly the expected $(wc -l <"$dest.want")"
	diff "$dest.want" "$dest.got" | grep '^[<>]' | diag
fi
rm -f "$dest.want" "$dest.got"

b=$dest$p/bin
check "paracell-native is a link to paracell" \
	test "$(readlink "$b/paracell-native" 2>&1)" = paracell
check "ck is installed executable" test -x "$dest$p/lib/paracell/ck"
check "the runtime and tools are installed executable" \
	test -x "$b/paracell" -a -x "$b/paracell-scan" -a -x "$b/paracell-pager-demo"
for v in paracell paracell-native; do
	out=$("$b/$v" --version 2>&1)
	rc=$?
	if [ "$rc" = 0 ] && grep -q '^paracell version ' <<<"$out"; then
		ok "installed $v --version runs"
	else
		nok "installed $v --version runs (exit $rc)"
		diag <<<"$out"
	fi
	if grep -qx "ck: $dest$p/lib/paracell/ck" <<<"$out"; then
		ok "installed $v finds the installed ck"
	else
		nok "installed $v finds the installed ck"
		diag <<<"$out"
	fi
done
out=$("$b/paracell-scan" "$dest$p/lib/paracell/ck" 2>&1)
check "installed paracell-scan runs on the installed ck" test -n "$out"

conf=$dest/usr/src/paracell-$ver/dkms.conf
check "dkms.conf names version $ver" grep -qx "PACKAGE_VERSION=\"$ver\"" "$conf"

# libparacell through its pkg-config file, as an integrator builds against it.
cat >"$dest.c" <<'PROG'
#include <stdio.h>
#include <paracell/paracell.h>
int main(void)
{
	struct paracell_cell *c;

	if (paracell_cell_open(&c, -1, PARACELL_OPEN_FALLBACK))
		return 1;
	printf("%s %d\n", paracell_backend_name(paracell_cell_backend(c)),
	       PARACELL_API_VERSION);
	paracell_cell_close(c);
	return 0;
}
PROG
flags=$(PKG_CONFIG_SYSROOT_DIR=$dest PKG_CONFIG_LIBDIR=$dest$p/lib/pkgconfig \
	pkg-config --cflags --libs libparacell 2>&1)
# shellcheck disable=SC2086
if cc -std=c11 -Wall -Werror -o "$dest.prog" "$dest.c" $flags >"$dest.cc" 2>&1; then
	ok "a program builds with pkg-config libparacell"
	out=$("$dest.prog" 2>&1)
	api=$(sed -n 's/^#define PARACELL_API_VERSION[[:space:]]*\([0-9]*\).*/\1/p' \
		"$TOP/include/uapi/linux/paracell.h")
	check "... and runs on the fallback backend (API $api)" test "$out" = "fallback $api"
else
	nok "a program builds with pkg-config libparacell"
	diag <"$dest.cc"
fi
rm -f "$dest.c" "$dest.prog" "$dest.cc"

# containerd reads the snippet and has both handlers on the runc v2 shim.
out=$(containerd --config docs/examples/containerd-paracell.toml config dump 2>&1)
for h in paracell paracell-native; do
	sec=$(awk -v h="runtimes.$h]" -v o="runtimes.$h.options]" '
		/^[ \t]*\[/ { on = (index($0, h) || index($0, o)) } on' <<<"$out")
	if grep -q 'runtime_type = "io.containerd.runc.v2"' <<<"$sec" &&
		grep -q "BinaryName = \"$p/bin/$h\"" <<<"$sec"; then
		ok "containerd reads handler $h (runc v2 shim, BinaryName $p/bin/$h)"
	else
		nok "containerd reads handler $h (runc v2 shim, BinaryName $p/bin/$h)"
		head -n 20 <<<"${sec:-$out}" | diag
	fi
done
check "the RuntimeClass manifest names both handlers" \
	test "$(grep -c '^handler: paracell' docs/examples/runtimeclass.yaml)" = 2
check "the podman snippet names the installed runtimes" \
	grep -q "^paracell = \[\"$p/bin/paracell\"\]" docs/examples/containers.conf

# The design is documented in the repository: no page points outside it,
# and every relative link of the READMEs and docs/ leads to a file.
out=$(grep -n '\.\./shared\|shared/DESIGN\|shared/OCI-CONTRACT' README.md \
	shim/runtime/README.md docs/*.md 2>&1)
check "README and docs point into docs/, not outside the repository" test -z "$out"
[ -z "$out" ] || diag <<<"$out"
for d in architecture trust-model xgate pager oci-contract install; do
	check "docs/$d.md exists and README.md links it" \
		test -f "docs/$d.md" -a -n "$(grep -o "(docs/$d.md)" README.md)"
done
bad=""
for f in README.md shim/runtime/README.md docs/*.md; do
	for l in $(grep -o '](\([^)#:]*\))' "$f" | sed 's/^](//; s/)$//'); do
		[ -e "$(dirname "$f")/$l" ] || bad="$bad $f:$l"
	done
done
check "every relative link resolves${bad:+ (broken:$bad)}" test -z "$bad"

# DKMS in the test VM, which sees $dest read-only at the same path.
# The module's build under TCG takes minutes (longer on a busy machine).
vmout=$(scripts/testvm --no-module --timeout 1800 -- "tests/install/vm-dkms.sh '$dest'" 2>&1)
rc=$?
nvm=0
while IFS= read -r l; do
	case $l in
	"ok - "*) nvm=$((nvm + 1)); ok "vm: ${l#ok - }" ;;
	"not ok - "*) nvm=$((nvm + 1)); nok "vm: ${l#not ok - }" ;;
	*) printf '#   vm: %s\n' "$l" ;;
	esac
done <<<"$vmout"
check "the VM ran all 10 DKMS checks" test "$nvm" = 10
check "scripts/testvm passed (exit $rc)" test "$rc" = 0

make_ok uninstall
left=$(cd "$dest" && find . ! -type d; find . -depth -type d -name '*paracell*')
if [ -z "$left" ]; then
	ok "make uninstall leaves no file, link or ParaCell directory"
else
	nok "make uninstall leaves no file, link or ParaCell directory"
	diag <<<"$left"
fi

echo "1..$n"
[ "$failed" = 0 ]
