#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
#
# In the test VM (scripts/testvm --no-module): `dkms install` of the module
# source that `make install DESTDIR=$1` put under $1/usr/src, then insmod of
# what DKMS built, /dev/paracell and its sysfs counter, the udev rule (on a
# dry run of udevadm), and `dkms remove`. The guest's root is the host's,
# read-only, so DKMS's trees (/var/lib/dkms, /lib/modules) are pointed
# under /tmp; nothing else differs from `dkms install paracell/VERSION`.
# Prints TAP lines without numbers (t-install.sh numbers them).
set -u
dest=$1
ok() { echo "ok - $*"; }
nok() { echo "not ok - $*"; }
check() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
diag() { sed 's/^/# /'; }

ver=$(cat VERSION)
kver=$(scripts/kver)
w=$(mktemp -d /tmp/dkms.XXXXXX)
dk=(--dkmstree "$w/tree" --sourcetree "$dest/usr/src" --installtree "$w/modules")
mkdir -p "$w/modules/$kver"
# dkms reads process substitutions through /dev/fd, which the guest's /dev
# lacks.
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd

# depmod would write /lib/modules/KVER: the module is loaded by path here.
t0=$(date +%s)
if dkms install "paracell/$ver" -k "$kver" "${dk[@]}" --no-depmod >"$w/log" 2>&1; then
	ok "dkms install paracell/$ver -k $kver"
else
	nok "dkms install paracell/$ver -k $kver"
	tail -n 30 "$w/log" | diag
	find "$w/tree" -name make.log -exec tail -n 30 {} \; | diag
fi
echo "# dkms install took $(($(date +%s) - t0)) s"
st=$(dkms status "paracell/$ver" "${dk[@]}" 2>&1)
if grep -q "^paracell/$ver, $kver, x86_64: installed" <<<"$st"; then
	ok "dkms status says installed for $kver"
else
	nok "dkms status says installed for $kver"
	echo "$st" | diag
fi
ko=$w/modules/$kver/updates/dkms/paracell.ko
check "the module is where dkms.conf puts it" test -f "$ko"
check "insmod of the DKMS-built module" insmod "$ko"
check "/dev/paracell is a character device" test -c /dev/paracell
check "live_cells reads 0" test "$(cat /sys/class/misc/paracell/live_cells 2>&1)" = 0
vm=$(modinfo -F vermagic "$ko" 2>&1)
check "DKMS built it for $kver (vermagic '$vm')" test "${vm%% *}" = "$kver"

# The installed udev rule, on udev's dry run (no udevd in the guest);
# /run/udev/rules.d is one of udev's rule directories and writable here.
mkdir -p /run/udev/rules.d
rule=$(find "$dest" -name 60-paracell.rules | head -n 1)
cp "$rule" /run/udev/rules.d/
out=$(udevadm test /sys/class/misc/paracell 2>&1)
if grep -q "60-paracell.rules:[0-9]* MODE 0600" <<<"$out" &&
	grep -q "60-paracell.rules:[0-9]* GROUP 0" <<<"$out"; then
	ok "udev rule gives /dev/paracell mode 0600, group root"
else
	nok "udev rule gives /dev/paracell mode 0600, group root"
	grep -i "paracell" <<<"$out" | diag
fi
rm -f /run/udev/rules.d/60-paracell.rules

check "rmmod paracell" rmmod paracell
if dkms remove "paracell/$ver" --all "${dk[@]}" --no-depmod >"$w/log" 2>&1 &&
	[ ! -e "$ko" ]; then
	ok "dkms remove takes the module away"
else
	nok "dkms remove takes the module away"
	tail -n 20 "$w/log" | diag
fi
rm -rf "$w"
