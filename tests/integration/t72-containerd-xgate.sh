#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# containerd on xgate: a private containerd (as t70) whose runc v2 shim
# runs `paracell` (the xgate platform, as a handler with BinaryName
# paracell does) on the musl bundle's rootfs: run with output and exit
# code, task exec, pause/resume, kill, delete, all under ck; an attack
# through containerd blocked with its oracle; nothing left (runtime root,
# cgroups, processes, live_cells). Needs PKU: on a host without it, it
# runs itself inside the test VM (scripts/testvm).
. "$(dirname "$0")/xgate-vm.sh"
if [ -z "${PC_IN_NS:-}" ]; then
	PC_IN_NS=1 exec unshare -m --propagation private "$0" "$@"
fi
atk_bundle
. "$here/lib.sh"
LIVE=/sys/class/misc/paracell/live_cells
[ -r "$LIVE" ] || { echo "Bail out! paracell.ko is not loaded"; exit 1; }
EXTRA_CLEANUP='rm -rf "$vmb"'
start_containerd
check "containerd is up" test -S /run/containerd/containerd.sock

C() { timeout 120 ctr -a /run/containerd/containerd.sock "$@"; }
# no $PARACELL_CONFIG and no /etc/paracell in the VM: paracell is xgate
unset PARACELL_CONFIG
RT=(--runtime io.containerd.runc.v2 --runc-binary "$PARACELL")
RROOT=/run/containerd/runc/default
id=pc-x-$$

out=$(C run --rm "${RT[@]}" --rootfs "$ROOTFS" "$id-1" /bin/sh -c 'echo hello from $(cat /proc/1/comm); grep "^Seccomp:" /proc/self/status; exit 3' 2>&1)
is "ctr run on xgate: the container's exit code" "$?" 3
is "ctr run on xgate: the output, from under ck" "$out" $'hello from sh\nSeccomp:\t2'

C run -d "${RT[@]}" --rootfs "$ROOTFS" "$id-2" /bin/sleep 1000
is "ctr run -d" "$?" 0
like "task ls: RUNNING" "$(C task ls | grep "$id-2")" RUNNING
is "the state says xgate" "$(jget "$RROOT/$id-2/state.json" platform)" xgate
is "... on the module's cells" "$(jget "$RROOT/$id-2/state.json" backend)" module
ipid=$(jget "$RROOT/$id-2/state.json" pid)
like "the init runs ck" "$(readlink /proc/"$ipid"/exe)" "memfd:paracell-ck"

out=$(C task exec --exec-id e1 "$id-2" /bin/sh -c 'echo exec sees pid1=$(cat /proc/1/comm); grep "^Seccomp:" /proc/self/status; exit 5' 2>&1)
is "ctr task exec: exit code" "$?" 5
is "ctr task exec: output, from under ck" "$out" $'exec sees pid1=sleep\nSeccomp:\t2'

C task pause "$id-2"
like "ctr task pause: PAUSED" "$(C task ls | grep "$id-2")" PAUSED
C task resume "$id-2"
like "ctr task resume: RUNNING" "$(C task ls | grep "$id-2")" RUNNING
C task kill -s SIGKILL "$id-2"
for i in $(seq 100); do C task ls | grep "$id-2" | grep -q STOPPED && break; sleep 0.1; done
like "ctr task kill: STOPPED" "$(C task ls | grep "$id-2")" STOPPED
C task delete "$id-2"
is "ctr task delete" "$?" 0
C container delete "$id-2"
is "ctr container delete" "$?" 0

# an attack through containerd: write(2) from ck's canary (sysatk
# write-leak; "ORACLE:" would be the canary's bytes seen)
canary=$(readelf -sW "$top/shim/guest/build/ck" | awk '$8 == "ck_canary" { print $2 }')
out=$(C run --rm "${RT[@]}" --env "CK_CANARY=0x$canary" --rootfs "$ROOTFS" "$id-3" /opt/atk/sysatk write-leak 2>&1)
blocked "attack through containerd (canary via write): blocked" "$out"
out=$(C run --rm "${RT[@]}" --rootfs "$ROOTFS" "$id-4" /opt/atk/sysatk fd procfd 2>&1)
blocked "attack through containerd (reopen ck's device fd): blocked" "$out"

sleep 0.5
is "nothing left in the runtime's root" "$(ls -A "$RROOT" 2>/dev/null)" ""
is "no cgroup left" "$(find /sys/fs/cgroup -path "*/default/$id-*" -type d 2>/dev/null)" ""
is "no container process left" "$(grep -l "/default/$id-" /proc/[0-9]*/cgroup 2>/dev/null)" ""
is "live_cells back to 0" "$(cat "$LIVE")" 0

done_testing
