# SPDX-License-Identifier: Apache-2.0
# Sourced first by the xgate tests (t65, t66, t72, t74), which need PKU: on
# a host without it, build what the VM run needs (the bundles named in
# XGATE_BUNDLES, default musl: scripts/mkbundle-NAME into build/bundle-NAME;
# sysatk; the ck mutants named in XGATE_MUTANTS) and run the calling script inside
# the test VM (scripts/testvm, module loaded) instead; inside a VM without
# PKU, bail out. Sets here and top.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if ! { grep -qw pku /proc/cpuinfo && grep -qw ospke /proc/cpuinfo; }; then
	if [ -n "${PARACELL_TESTVM:-}" ]; then
		echo "Bail out! no PKU in the test VM"; exit 1
	fi
	for b in ${XGATE_BUNDLES:-musl}; do
		"$top/scripts/mkbundle-$b" "$top/build/bundle-$b" >/dev/null || exit 1
	done
	make -s -C "$top/tests/ck/attacks/sys" >/dev/null || exit 1
	for m in ${XGATE_MUTANTS:-}; do
		make -s -C "$top/shim/guest" "build/mutants/$m/ck" >/dev/null || exit 1
	done
	exec "$top/scripts/testvm" --timeout 1500 -- "tests/integration/$(basename "$0")"
fi

# atk_bundle: a copy of the musl bundle under /tmp (the rootfs writable)
# with sysatk in /opt/atk; its directory in $vmb, exported as PC_BUNDLE
atk_bundle() {
	vmb=$(mktemp -d /tmp/pc-xgate-bundle.XXXXXX)
	cp -a "$top/build/bundle-musl/." "$vmb/"
	mkdir -p "$vmb/rootfs/opt/atk"
	cp "$top/tests/ck/attacks/sys/build/sysatk" "$vmb/rootfs/opt/atk/"
	export PC_BUNDLE=$vmb
}
