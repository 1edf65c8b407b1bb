#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# podman on xgate (issue 15): rootful podman from Debian, with conmon, runs
# `paracell` as its OCI runtime, registered by docs/examples/containers.conf
# (paths pointed at the build tree) and picked with `--runtime paracell`, on
# a copy of the musl bundle's rootfs (`--rootfs`): run with output and exit
# code, run -d, exec, logs, pause/unpause, stop (SIGTERM reaching the
# program's handler under ck), kill, rm, all under ck; a runtime flag
# (`--runtime-flag`) reaching paracell; a refused container reported by
# podman and leaving nothing; an attack through podman blocked; nothing
# left (runtime state, cgroups, processes, mounts, live_cells). podman's
# storage is private to the test (--root/--runroot/--tmpdir in $WORK, vfs,
# no network; cgroupfs from the snippet). podman applies its default
# seccomp profile (Seccomp: 2 on either platform): a process shows it runs
# under ck by its code, mapped from ck's seals (/proc/PID/maps). Needs PKU: on a host
# without it, it runs itself inside the test VM (scripts/testvm).
. "$(dirname "$0")/xgate-vm.sh"
command -v podman >/dev/null && command -v conmon >/dev/null ||
	{ echo "Bail out! podman and conmon are needed (scripts/install-deps)"; exit 1; }
atk_bundle
. "$here/lib.sh"
LIVE=/sys/class/misc/paracell/live_cells
[ -r "$LIVE" ] || { echo "Bail out! paracell.ko is not loaded ($LIVE)"; exit 1; }
# podman's runtime root: paracell's default (podman passes no --root)
RROOT=/run/paracell
trap 'P rm -a -f >/dev/null 2>&1; cleanup; rm -rf "$vmb"' EXIT

# the documented containers.conf, with the build tree's binaries
sed "s|/usr/local/bin/|$top/shim/runtime/|" "$top/docs/examples/containers.conf" >"$WORK/containers.conf"
export CONTAINERS_CONF=$WORK/containers.conf
P() {
	timeout 300 podman --root "$WORK/storage" --runroot "$WORK/runroot" --tmpdir "$WORK/ptmp" \
		--storage-driver vfs --events-backend file \
		--runtime paracell "$@"
}
R=(--network none --rootfs "$ROOTFS")

out=$(P run --rm "${R[@]}" sh -c 'echo hello from $(cat /proc/1/comm); grep -qE "paracell-seal|ck-seal" /proc/$$/maps && echo sealed; exit 3' 2>&1)
is "podman run on xgate: the container's exit code" "$?" 3
like "podman run on xgate: the output, from under ck" "$out" $'^hello from sh\nsealed$'

# run -d: a shell that answers SIGTERM (as pid 1 it gets only what it catches)
id=$(P run -d --name pc-pod "${R[@]}" sh -c 'trap "echo got-term; exit 0" TERM; echo started; while :; do sleep 1; done' 2>&1)
is "podman run -d" "$?" 0
like "podman ps: Up" "$(P ps --format '{{.Names}} {{.Status}}')" "^pc-pod Up"
is "podman inspect: the runtime is paracell" "$(P inspect pc-pod --format '{{.OCIRuntime}}')" paracell
is "the runtime's state says xgate" "$(jget "$RROOT/$id/state.json" platform)" xgate
is "... on the module's cells" "$(jget "$RROOT/$id/state.json" backend)" module
ipid=$(P inspect pc-pod --format '{{.State.Pid}}')
like "the init runs ck" "$(readlink /proc/"$ipid"/exe)" "memfd:paracell-ck"
like "... as a child of conmon" "$(cat /proc/"$(awk '{print $4}' /proc/"$ipid"/stat)"/comm)" "^conmon$"

out=$(P exec pc-pod sh -c 'echo exec sees $(cat /proc/1/comm); grep -qE "paracell-seal|ck-seal" /proc/$$/maps && echo sealed; exit 5' 2>&1)
is "podman exec: exit code" "$?" 5
like "podman exec: output, from under ck" "$out" $'^exec sees sh\nsealed$'
like "podman logs: the container's output" "$(P logs pc-pod 2>&1)" "^started$"

P pause pc-pod >/dev/null
like "podman pause: Paused" "$(P ps -a --format '{{.Names}} {{.Status}}')" "^pc-pod Paused"
P unpause pc-pod >/dev/null
like "podman unpause: Up" "$(P ps --format '{{.Names}} {{.Status}}')" "^pc-pod Up"

P stop -t 60 pc-pod >/dev/null
is "podman stop: the program's SIGTERM handler ran (exit 0)" "$(P inspect pc-pod --format '{{.State.ExitCode}}')" 0
like "... and printed" "$(P logs pc-pod 2>&1)" "^got-term$"
P rm pc-pod >/dev/null
is "podman rm" "$?" 0
check "... the runtime's state is gone" test ! -e "$RROOT/$id"
is "... podman lists nothing" "$(P ps -a -q)" ""

# kill of a running container, then rm
id=$(P run -d --name pc-kill "${R[@]}" sleep 1000 2>&1)
P kill pc-kill >/dev/null
is "podman kill: SIGKILL's exit code" "$(P wait pc-kill 2>&1)" 137
P rm pc-kill >/dev/null
check "podman rm after kill: the runtime's state is gone" test ! -e "$RROOT/$id"

# --runtime-flag reaches paracell's global flags: here the operator picks
# native for one run (no ck: no filter)
out=$(P --runtime-flag platform=native run --rm "${R[@]}" sh -c 'grep -cE "paracell-seal|ck-seal" /proc/$$/maps' 2>&1)
is "--runtime-flag platform=native reaches paracell: no ck (no seals)" "$out" 0

# a container xgate refuses (RLIMIT_NOFILE under 1024): podman reports
# paracell's message and nothing is left
out=$(P run --rm --ulimit nofile=512:512 "${R[@]}" true 2>&1)
check "a container xgate refuses fails in podman" test $? -ne 0
like "... with paracell's message" "$out" "RLIMIT_NOFILE soft limit 512 is under 1024"

# an attack through podman: write(2) from ck's canary (sysatk write-leak)
canary=$(readelf -sW "$top/shim/guest/build/ck" | awk '$8 == "ck_canary" { print $2 }')
out=$(P run --rm --env "CK_CANARY=0x$canary" "${R[@]}" /opt/atk/sysatk write-leak 2>&1)
blocked "attack through podman (canary via write): blocked" "$out"

sleep 1
is "nothing left in the runtime's root" "$(ls -A "$RROOT" 2>/dev/null)" ""
is "no container cgroup left" "$(find /sys/fs/cgroup/libpod_parent -name 'libpod-*' -type d 2>/dev/null)" ""
is "no process runs ck's memfd" "$(ls -l /proc/[0-9]*/exe 2>/dev/null | grep -c paracell-ck)" 0
is "no mount of the rootfs left" "$(grep -c "$vmb" /proc/self/mountinfo)" 0
is "live_cells back to 0" "$(cat "$LIVE")" 0

done_testing
