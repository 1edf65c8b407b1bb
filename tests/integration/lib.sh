#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Shared by the integration scripts: TAP helpers, a scratch --root, bundles
# made from the busybox bundle (root.path pointing at its rootfs), cleanup.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
IT=$TOP/tests/integration
PARACELL=$TOP/shim/runtime/paracell
PC_NATIVE=$TOP/shim/runtime/paracell-native
PCJSON=$IT/build/pcjson
RECVTTY=$IT/build/recvtty
BUNDLE_SRC=${PC_BUNDLE:-$TOP/build/bundle-busybox}
ROOTFS=$BUNDLE_SRC/rootfs
WORK=$(mktemp -d "${TMPDIR:-/tmp}/pc-it.XXXXXX")
STATE=$WORK/state
LOG=$WORK/log.json
# cgroups of this run's containers live under one parent, removed at exit
CGPARENT=/pc-it-$$
_n=0
_failed=0

for f in "$PARACELL" "$PCJSON" "$RECVTTY" "$ROOTFS/bin/sh"; do
	[ -e "$f" ] || { echo "Bail out! $f missing: run make first"; exit 1; }
done

pc() { "$PC_NATIVE" --root "$STATE" --log "$LOG" --log-format json "$@"; }

ok() { _n=$((_n + 1)); echo "ok $_n - $*"; }
nok() { _n=$((_n + 1)); _failed=$((_failed + 1)); echo "not ok $_n - $*"; }
skip() { _n=$((_n + 1)); echo "ok $_n # SKIP $*"; }
diag() { printf '%s\n' "$@" | sed 's/^/#   /'; }
# check DESC CMD...: passes when CMD succeeds
check() { local d=$1; shift; if "$@"; then ok "$d"; else nok "$d"; fi; }
# is DESC GOT WANT
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else nok "$1"; diag "got:  '$2'" "want: '$3'"; fi
}
# like DESC GOT ERE: a pattern without a newline matches any line of GOT
# (grep); one with a newline matches GOT as a whole (bash =~, where ^ and $
# are its ends), since grep would take each line as a pattern of its own
matches() {
	case $2 in
	*$'\n'*) [[ $1 =~ $2 ]] ;;
	*) printf '%s' "$1" | grep -qE -- "$2" ;;
	esac
}
like() {
	if matches "$2" "$3"; then ok "$1"; else nok "$1"; diag "got:  '$2'" "want: /$3/"; fi
}
unlike() {
	if matches "$2" "$3"; then nok "$1"; diag "got:  '$2'" "not:  /$3/"; else ok "$1"; fi
}

# blocked DESC OUT: an attack's output (tests/ck/attacks' oracles) says
# "blocked:" and never "ORACLE:" (what gets through)
blocked() {
	if matches "$2" "^ORACLE:" || ! matches "$2" "^blocked:"; then
		nok "$1"; diag "$2"
	else
		ok "$1"
	fi
}

# bundle NAME [ARGS-JSON]: a bundle in $WORK/NAME on the shared rootfs
bundle() {
	local b=$WORK/$1
	mkdir -p "$b"
	cp "$BUNDLE_SRC/config.json" "$b/config.json"
	cfg "$b" root.path "\"$ROOTFS\""
	cfg "$b" linux.cgroupsPath "\"$CGPARENT/$1\""
	[ $# -lt 2 ] || cfg "$b" process.args "$2"
	echo "$b"
}
# runrc NAME: run bundle $WORK/NAME in the foreground; output in $out, rc in $rc
runrc() {
	out=$(pc run --bundle "$WORK/$1" "$1" </dev/null 2>&1)
	rc=$?
}

# The device cgroup decides mknod and open (v1 and v2 alike): c 1:200 has
# no driver, so an open the cgroup lets through fails with ENXIO. Leaves
# the mknod bundle in $b.
device_cgroup_checks() {
	local s
	b=$(bundle mknod '["sh","-c","mknod /dev/x c 1 200 && echo made; exec 3</dev/x"]')
	for s in bounding effective permitted; do
		cfg "$b" process.capabilities.$s '["CAP_MKNOD"]'
	done
	runrc mknod
	like "device cgroup: mknod of a device not allowed fails" "$out" "Operation not permitted"
	unlike "... and makes nothing" "$out" made
	cfg "$b" linux.resources.devices '[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":200,"access":"m"}]'
	runrc mknod
	like "device cgroup: \"m\" allows mknod but not open" "$out" "made"$'\n'".*Operation not permitted"
	cfg "$b" linux.resources.devices '[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":200,"access":"rwm"}]'
	runrc mknod
	like "device cgroup: \"rwm\" lets the open reach the driver" "$out" "made"$'\n'".*No such device or address"
}

# cfg BUNDLE PATH JSON
cfg() { "$PCJSON" set "$1/config.json" "$2" "$3"; }
# jget FILE|- PATH
jget() { "$PCJSON" get "$@"; }
status_of() { pc state "$1" 2>/dev/null | jget - status; }
last_log_msg() { tail -n 1 "$LOG" | jget - msg; }

# Nothing of container ID remains: state, cgroups.
gone() {
	local id=$1 d
	[ ! -e "$STATE/$id" ] || return 1
	for d in /sys/fs/cgroup/*/"$CGPARENT/$id" /sys/fs/cgroup/"$CGPARENT/$id"; do
		[ ! -d "$d" ] || { diag "left: $d"; return 1; }
	done
	return 0
}

cleanup() {
	local id d
	for id in $(ls "$STATE" 2>/dev/null); do pc delete --force "$id" >/dev/null 2>&1; done
	for d in /sys/fs/cgroup/*/"$CGPARENT" /sys/fs/cgroup/"$CGPARENT"; do
		[ -d "$d" ] && rmdir "$d"/* "$d" 2>/dev/null
	done
	rm -rf "$WORK"
}
trap cleanup EXIT

# A private containerd (t70, t72), in a mount namespace of the test's own
# (the caller re-executes itself under `unshare -m`): $WORK/run over /run,
# cri off; its pid in $cpid, stopped (with cleanup and EXTRA_CLEANUP) at exit.
start_containerd() {
	command -v containerd >/dev/null && command -v ctr >/dev/null ||
		{ echo "Bail out! containerd and ctr are needed (apt-get install containerd)"; exit 1; }
	mkdir -p "$WORK/run" "$WORK/croot"
	mount --bind "$WORK/run" /run
	cat >"$WORK/containerd.toml" <<T
version = 2
root = "$WORK/croot"
state = "/run/containerd"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "/run/containerd/containerd.sock"
[ttrpc]
  address = "/run/containerd/containerd.sock.ttrpc"
T
	containerd -c "$WORK/containerd.toml" >"$WORK/containerd.log" 2>&1 &
	cpid=$!
	trap stop_containerd EXIT
	for _ in $(seq 100); do [ -S /run/containerd/containerd.sock ] && break; sleep 0.1; done
}
stop_containerd() {
	kill "$cpid" 2>/dev/null; wait "$cpid" 2>/dev/null; umount -l /run 2>/dev/null
	cleanup; eval "${EXTRA_CLEANUP:-:}"
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}
