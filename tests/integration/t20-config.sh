#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# config.json, feature by feature, each checked from inside the container.
. "$(dirname "$0")/lib.sh"

TMPFS='{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev","mode=1777"]}'
addmount() { # BUNDLE MOUNT-JSON
	local n
	n=$("$PCJSON" len "$1/config.json" mounts)
	cfg "$1" "mounts.$n" "$2"
}

# capabilities: dropping one makes its operation fail, granting it works
b=$(bundle capno '["sh","-c","touch /tmp/f && chown 1:1 /tmp/f && echo chowned"]')
addmount "$b" "$TMPFS"
runrc capno
like "without CAP_CHOWN, chown fails" "$out" "Operation not permitted"
unlike "... and does not happen" "$out" chowned
b=$(bundle capyes '["sh","-c","touch /tmp/f && chown 1:1 /tmp/f && echo chowned"]')
addmount "$b" "$TMPFS"
for s in bounding effective permitted; do
	cfg "$b" process.capabilities.$s '["CAP_CHOWN"]'
done
runrc capyes
is "with CAP_CHOWN, chown works" "$out" chowned
b=$(bundle capset '["sh","-c","grep -E \"^Cap(Eff|Bnd)\" /proc/self/status"]')
cfg "$b" process.capabilities '{"bounding":["CAP_KILL","CAP_CHOWN"],"effective":["CAP_KILL"],"permitted":["CAP_KILL"]}'
runrc capset
like "capability sets as configured (CHOWN=bit0, KILL=bit5)" "$out" \
	"CapEff:[[:space:]]+0000000000000020"$'\n'"CapBnd:[[:space:]]+0000000000000021"

# a non-root user keeps configured capabilities only through the sets
# (inheritable + ambient): chown works with CAP_CHOWN there, not without
b=$(bundle capuser '["sh","-c","touch /tmp/f && chown 2:2 /tmp/f && echo chowned; grep CapEff /proc/self/status"]')
addmount "$b" "$TMPFS"
cfg "$b" process.user '{"uid":1000,"gid":1000}'
cfg "$b" process.capabilities '{"bounding":["CAP_CHOWN"],"effective":["CAP_CHOWN"],"permitted":["CAP_CHOWN"],"inheritable":["CAP_CHOWN"],"ambient":["CAP_CHOWN"]}'
runrc capuser
like "uid 1000 with CAP_CHOWN in its ambient set: chown works" "$out" "chowned"$'\n'"CapEff:[[:space:]]+0000000000000001"
cfg "$b" process.capabilities '{"bounding":["CAP_CHOWN"],"effective":[],"permitted":[],"inheritable":[],"ambient":[]}'
runrc capuser
like "uid 1000 without it: chown fails" "$out" "Operation not permitted"

# read-only root, and a writable one
b=$(bundle ro '["sh","-c","touch /x"]')
runrc ro
like "read-only root: writes fail" "$out" "Read-only file system"
check "... and exit non-zero" test "$rc" -ne 0
mkdir -p "$WORK/rwroot" && cp -a "$ROOTFS/." "$WORK/rwroot/"
b=$(bundle rw '["sh","-c","echo hi > /rw-test && cat /rw-test"]')
cfg "$b" root '{"path":"'"$WORK/rwroot"'","readonly":false}'
runrc rw
is "writable root: writes work" "$out" hi
check "... into the rootfs" test -f "$WORK/rwroot/rw-test"

# namespaces are private
b=$(bundle ns '["sh","-c","hostname; for n in net ipc uts mnt pid cgroup; do readlink /proc/self/ns/$n; done; echo pid=$$; cat /proc/net/dev | tail -n +3 | cut -d: -f1 | tr -d \" \"; cat /proc/self/cgroup | head -1"]')
cfg "$b" hostname '"inside"'
runrc ns
is "uts: the config's hostname" "$(echo "$out" | sed -n 1p)" inside
for i in 2:net 3:ipc 4:uts 5:mnt 6:pid 7:cgroup; do
	n=${i%%:*}; t=${i#*:}
	mine=$(readlink /proc/self/ns/$t)
	theirs=$(echo "$out" | sed -n ${n}p)
	check "$t namespace differs from the host's ($theirs)" test -n "$theirs" -a "$theirs" != "$mine"
done
is "pid: the program is pid 1" "$(echo "$out" | grep '^pid=')" pid=1
is "network: only lo" "$(echo "$out" | sed -n 9p)" lo
like "cgroup namespace: the container's cgroup is its root" "$(echo "$out" | tail -n 1)" ':/$'
unlike "mount: the container's mounts are not in the host's table" "$(cat /proc/self/mountinfo)" "$ROOTFS"

# pivot_root: the host's mounts are gone from the container's table
b=$(bundle piv '["cat","/proc/self/mountinfo"]')
runrc piv
unlike "pivot_root: no host mount point left in the container" \
	"$(echo "$out" | awk '{print $5}')" "^/(work|run|tmp/pc-it|boot|home|etc/hosts)"
is "... the first mount is the container's root" "$(echo "$out" | head -n 1 | cut -d' ' -f5)" /
b=$(bundle piv2 '["sleep","1000"]')
pc run -d --bundle "$b" piv2 </dev/null
pid=$(pc state piv2 | jget - pid)
is "pivot_root: the mount namespace's own root is the rootfs (no host root under it)" \
	"$(nsenter --mount=/proc/"$pid"/ns/mnt /bin/busybox ls / | tr '\n' ' ')" "$(ls "$ROOTFS" | tr '\n' ' ')"
pc delete -f piv2
out=$(pc run --no-pivot --bundle "$WORK/piv" piv </dev/null 2>&1)
is "--no-pivot (MS_MOVE + chroot) runs too" "$?" 0

# --preserve-fds: fd 3 of the caller reaches the program
b=$(bundle pfd '["sh","-c","echo through-fd3 >&3"]')
pc run --preserve-fds 1 --bundle "$b" pfd </dev/null 3>"$WORK/fd3.out"
is "--preserve-fds 1 passes fd 3" "$(cat "$WORK/fd3.out")" through-fd3
pc run --bundle "$b" pfd </dev/null 3>"$WORK/fd3b.out" 2>/dev/null
check "without it fd 3 is closed" test ! -s "$WORK/fd3b.out"

# joining namespaces by path
b=$(bundle nsa '["sleep","1000"]')
pc run -d --bundle "$b" nsa </dev/null
apid=$(pc state nsa | jget - pid)
b=$(bundle nsb '["sh","-c","readlink /proc/self/ns/net; readlink /proc/self/ns/uts"]')
cfg "$b" linux.namespaces '[{"type":"pid"},{"type":"mount"},{"type":"ipc"},{"type":"network","path":"/proc/'"$apid"'/ns/net"},{"type":"uts","path":"/proc/'"$apid"'/ns/uts"}]'
runrc nsb
is "join by path: network and uts of another container" "$out" \
	"$(readlink /proc/"$apid"/ns/net)"$'\n'"$(readlink /proc/"$apid"/ns/uts)"
b=$(bundle nsc '["sh","-c","tr \"\\\\0\" \" \" </proc/1/cmdline; echo; readlink /proc/self/ns/ipc"]')
cfg "$b" linux.namespaces '[{"type":"mount"},{"type":"pid","path":"/proc/'"$apid"'/ns/pid"},{"type":"ipc","path":"/proc/'"$apid"'/ns/ipc"}]'
runrc nsc
is "join by path: pid namespace (pid 1 is the other init) and ipc" "$out" \
	"sleep 1000 "$'\n'"$(readlink /proc/"$apid"/ns/ipc)"
pc delete -f nsa
b=$(bundle nsbad '["true"]')
cfg "$b" linux.namespaces '[{"type":"mount"},{"type":"network","path":"/nonexistent/ns"}]'
runrc nsbad
like "a bad namespace path fails create" "$out" "/nonexistent/ns"
check "... leaving nothing" gone nsbad

# user namespace: root inside is uid 100000 outside, with no power over
# host objects; mounts, devices and exec work in it. Host uid 100000 must
# reach the rootfs, and the checkout may sit under a private directory
# (/root is 0700), so this container gets its own copy in a 0755 directory.
URFS=$(mktemp -d "/tmp/pc-userns.XXXXXX")
chmod 755 "$URFS"
cp -a "$ROOTFS/." "$URFS/"
b=$(bundle userns '["sh","-c","id; cat /proc/self/uid_map; echo x > /tmp/f && stat -c %u /tmp/f; touch /x; exec sleep 1000"]')
cfg "$b" root.path "\"$URFS\""
addmount "$b" "$TMPFS"
cfg "$b" linux.namespaces '[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"},{"type":"user"}]'
cfg "$b" linux.uidMappings '[{"containerID":0,"hostID":100000,"size":65536}]'
cfg "$b" linux.gidMappings '[{"containerID":0,"hostID":100000,"size":65536}]'
pc run -d --bundle "$b" userns </dev/null >"$WORK/userns.out" 2>&1
sleep 0.3
out=$(cat "$WORK/userns.out")
pid=$(pc state userns | jget - pid)
like "user namespace: root inside" "$out" "^uid=0\(root\) gid=0\(root\)"
like "... mapped as configured" "$out" "0 +100000 +65536"
like "... files it makes are its own" "$out" "^0$"
like "... the read-only root holds" "$out" "Read-only file system"
is "... and it is uid 100000 on the host" "$(awk '/^Uid:/ {print $2}' /proc/"$pid"/status)" 100000
is "exec joins the user namespace" "$(pc exec userns sh -c 'id -u; cat /proc/self/uid_map' | tr -s ' ' | tr '\n' '|')" "0| 0 100000 65536|"
pc delete -f userns
check "... delete leaves nothing" gone userns
rm -rf "$URFS"
b=$(bundle usernomap '["true"]')
cfg "$b" linux.namespaces '[{"type":"mount"},{"type":"user"}]'
runrc usernomap
like "a new user namespace without mappings is refused" "$out" "needs linux.uidMappings"

# process: user, groups, cwd, env, rlimits, no_new_privs, oom score, umask
b=$(bundle proc '["sh","-c","id; pwd; echo $MSG; ulimit -n; grep NoNewPrivs /proc/self/status; cat /proc/self/oom_score_adj; umask"]')
cfg "$b" process.user '{"uid":1000,"gid":1001,"additionalGids":[5,6],"umask":63}'
cfg "$b" process.cwd '"/bin"'
cfg "$b" process.env '["PATH=/bin","MSG=hello env"]'
cfg "$b" process.rlimits '[{"type":"RLIMIT_NOFILE","soft":321,"hard":322}]'
cfg "$b" process.oomScoreAdj 345
runrc proc
is "user, additional groups" "$(echo "$out" | sed -n 1p)" "uid=1000 gid=1001 groups=5,6"
is "cwd" "$(echo "$out" | sed -n 2p)" /bin
is "env" "$(echo "$out" | sed -n 3p)" "hello env"
is "rlimit" "$(echo "$out" | sed -n 4p)" 321
like "noNewPrivileges" "$(echo "$out" | sed -n 5p)" "NoNewPrivs:[[:space:]]+1"
is "oomScoreAdj" "$(echo "$out" | sed -n 6p)" 345
is "umask" "$(echo "$out" | sed -n 7p)" 0077
cfg "$b" process.noNewPrivileges false
runrc proc
like "noNewPrivileges false" "$(echo "$out" | sed -n 5p)" "NoNewPrivs:[[:space:]]+0"

b=$(bundle sigs '["cat","/proc/self/status"]')
out=$(trap '' INT TERM HUP; pc run --bundle "$b" sigs </dev/null)
like "signals the caller ignored are reset for the program" "$out" "SigIgn:[[:space:]]+0+"$'\n'
like "... and none is blocked" "$out" "SigBlk:[[:space:]]+0+"$'\n'

# mounts
mkdir -p "$WORK/hostdir" && echo from-host >"$WORK/hostdir/file"
b=$(bundle mounts '["sh","-c","cat /mnt/file; echo x > /mnt/new; grep -E \" /(mnt|tmp|dev/mqueue|dev/shm|sys|sys/fs/cgroup/memory) \" /proc/self/mounts | cut -d\" \" -f2-4"]')
addmount "$b" '{"destination":"/mnt","type":"bind","source":"'"$WORK/hostdir"'","options":["rbind","ro","nosuid"]}'
addmount "$b" '{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["size=1m","noexec"]}'
runrc mounts
is "bind mount: host file visible" "$(echo "$out" | sed -n 1p)" from-host
like "ro bind: writes fail" "$out" "Read-only file system"
like "bind mount options (ro,nosuid)" "$out" "/mnt [a-z0-9]+ ro,nosuid"
like "tmpfs with options" "$out" "/tmp tmpfs rw,noexec.*"
like "mqueue" "$out" "/dev/mqueue mqueue rw,nosuid,nodev,noexec"
like "shm tmpfs" "$out" "/dev/shm tmpfs rw,nosuid,nodev,noexec"
like "sysfs read-only" "$out" "/sys sysfs ro,nosuid,nodev,noexec"
like "cgroup hierarchy mounted read-only" "$out" "/sys/fs/cgroup/memory cgroup ro"
check "ro bind left the host dir unchanged" test ! -e "$WORK/hostdir/new"

# recursive attributes: rro makes a bind mount and the mounts below it
# read-only (mount_setattr AT_RECURSIVE); ro only the top one
mkdir -p "$WORK/rec/sub" && mount -t tmpfs tmpfs "$WORK/rec/sub"
b=$(bundle rec '["sh","-c","echo x > /mnt/sub/f && echo sub-writable; echo x > /mnt/f || true"]')
addmount "$b" '{"destination":"/mnt","type":"bind","source":"'"$WORK/rec"'","options":["rbind","ro"]}'
runrc rec
like "ro on an rbind: the sub-mount stays writable" "$out" sub-writable
cfg "$b" mounts.$(( $("$PCJSON" len "$b/config.json" mounts) - 1 )).options '["rbind","rro","rnosuid"]'
runrc rec
unlike "rro on an rbind: the sub-mount is read-only too" "$out" sub-writable
like "... writes fail" "$out" "Read-only file system"
umount "$WORK/rec/sub"

# devices: the defaults, and the config's
b=$(bundle dev '["sh","-c","ls -ln /dev/null /dev/zero /dev/full /dev/random /dev/urandom /dev/tty /dev/mydev | awk \"{print \\$1, \\$3, \\$4, \\$5, \\$6, \\$NF}\"; echo ok > /dev/null && echo null-writable; readlink /dev/ptmx"]')
cfg "$b" linux.devices '[{"path":"/dev/mydev","type":"c","major":1,"minor":5,"fileMode":432,"uid":7,"gid":8}]'
runrc dev
like "default /dev/null" "$out" "crw-rw-rw- 0 0 1, 3 /dev/null"
like "default /dev/urandom" "$out" "crw-rw-rw- 0 0 1, 9 /dev/urandom"
like "default /dev/tty" "$out" "crw-rw-rw- 0 0 5, 0 /dev/tty"
like "config device: type, numbers, mode, owner" "$out" "crw-rw---- 7 8 1, 5 /dev/mydev"
like "the device cgroup lets /dev/null be used" "$out" null-writable
like "/dev/ptmx -> pts/ptmx" "$out" "^pts/ptmx$"
# the device cgroup: config devices are allowed; a node of another device
# (bound in from the host) is not, until a rule allows it. c 1:200 has no
# driver: ENXIO once the cgroup lets the open through.
b=$(bundle devcg '["sh","-c","exec 3</dev/mydev"]')
cfg "$b" linux.devices '[{"path":"/dev/mydev","type":"c","major":1,"minor":200}]'
runrc devcg
like "a config device is allowed by the device cgroup" "$out" "No such device or address"
mknod "$WORK/fakedev" c 1 200
b=$(bundle devcg2 '["sh","-c","exec 3</mnt/dev"]')
addmount "$b" '{"destination":"/mnt/dev","type":"bind","source":"'"$WORK/fakedev"'","options":["bind"]}'
runrc devcg2
like "a device the cgroup does not allow cannot be opened" "$out" "Operation not permitted"
cfg "$b" linux.resources.devices '[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":200,"access":"r"}]'
runrc devcg2
like "... and reaches the driver once a rule allows it" "$out" "No such device or address"

device_cgroup_checks
b=$(bundle devnull '["sh","-c","echo x > /dev/null && head -c 3 /dev/zero | wc -c && head -c 1 /dev/urandom | wc -c"]')
runrc devnull
is "device cgroup: the default devices work" "$out" "3"$'\n'"1"

# masked and read-only paths
b=$(bundle mask '["sh","-c","cat /etc/passwd | wc -c; ls /root | wc -l; echo 1 > /proc/sys/vm/overcommit_memory"]')
mkdir -p "$WORK/rwroot/root" && touch "$WORK/rwroot/root/secret"
cfg "$b" root.path "\"$WORK/rwroot\""
cfg "$b" linux.maskedPaths '["/etc/passwd","/root","/does/not/exist"]'
runrc mask
is "masked file reads empty" "$(echo "$out" | sed -n 1p)" 0
is "masked directory is empty" "$(echo "$out" | sed -n 2p)" 0
like "read-only path: /proc/sys" "$out" "Read-only file system"

# cgroupsPath and resources
b=$(bundle cg '["sh","-c","sleep 1000"]')
cfg "$b" linux.resources '{"memory":{"limit":33554432},"pids":{"limit":20},"cpu":{"shares":512}}'
pc run -d --bundle "$b" cg </dev/null
pid=$(pc state cg | jget - pid)
is "cgroupsPath: the init is in it (pids)" "$(cat /sys/fs/cgroup/pids$CGPARENT/cg/cgroup.procs)" "$pid"
like "... in every v1 hierarchy" "$(grep -c "$CGPARENT/cg" /proc/"$pid"/cgroup)" "^(8|9)$"
is "memory limit" "$(cat /sys/fs/cgroup/memory$CGPARENT/cg/memory.limit_in_bytes)" 33554432
is "pids limit" "$(cat /sys/fs/cgroup/pids$CGPARENT/cg/pids.max)" 20
is "cpu shares" "$(cat /sys/fs/cgroup/cpu$CGPARENT/cg/cpu.shares)" 512
pc delete -f cg
check "delete removes the cgroups" gone cg

# annotations are kept and shown
b=$(bundle ann '["sleep","1000"]')
cfg "$b" annotations '{"org.example.key":"value"}'
pc create --bundle "$b" ann </dev/null
is "annotations in state" "$(pc state ann | jget - annotations)" '{"org.example.key":"value"}'
pc delete ann

# seccomp from the config
b=$(bundle sc '["sh","-c","mkdir /tmp/d; echo rc=$?"]')
addmount "$b" "$TMPFS"
cfg "$b" linux.seccomp '{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
runrc sc
like "seccomp: the denied call fails with the errno" "$out" "Operation not permitted"
is "... and the program goes on" "$(echo "$out" | tail -n 1)" rc=1

# sysctl in the container's network namespace
b=$(bundle sysctl '["cat","/proc/sys/net/ipv4/ip_forward"]')
cfg "$b" linux.sysctl '{"net.ipv4.ip_forward":"1"}'
runrc sysctl
is "sysctl set in the container's netns" "$out" 1

# hooks: state on stdin; a failing create-time hook fails create
hook() { echo '{"path":"/bin/sh","args":["sh","-c","cat > '"$WORK"'/'"$1"'.json"]}'; }
b=$(bundle hooks '["sleep","1000"]')
cfg "$b" hooks '{"prestart":['"$(hook prestart)"'],"createRuntime":['"$(hook createRuntime)"'],"poststart":['"$(hook poststart)"'],"poststop":['"$(hook poststop)"']}'
pc create --bundle "$b" hooks </dev/null
pid=$(pc state hooks | jget - pid)
is "prestart hook got the state (created, pid)" \
	"$(jget "$WORK/prestart.json" status) $(jget "$WORK/prestart.json" pid)" "created $pid"
is "createRuntime hook got the state" "$(jget "$WORK/createRuntime.json" id)" hooks
check "poststart not yet run" test ! -e "$WORK/poststart.json"
pc start hooks
is "poststart hook after start" "$(jget "$WORK/poststart.json" status)" running
pc delete -f hooks
is "poststop hook on delete" "$(jget "$WORK/poststop.json" status)" stopped
# createContainer and startContainer run inside the container (its root,
# its pid namespace): they write where the program can read
b=$(bundle chooks '["sh","-c","cat /tmp/cc.json; echo; cat /tmp/sc.json"]')
addmount "$b" "$TMPFS"
cfg "$b" hooks '{"createContainer":[{"path":"/bin/sh","args":["sh","-c","cat > /tmp/cc.json"]}],"startContainer":[{"path":"/bin/sh","args":["sh","-c","cat > /tmp/sc.json"]}]}'
runrc chooks
is "createContainer hook ran in the container with the state" "$(echo "$out" | sed -n 1p | jget - status)" created
is "startContainer hook ran in the container with the state" "$(echo "$out" | sed -n 2p | jget - status)" running
is "... whose pid is the container's view of the init" "$(echo "$out" | sed -n 2p | jget - pid)" 1
cfg "$b" hooks '{"createContainer":[{"path":"/bin/false"}]}'
runrc chooks
like "a failing createContainer hook fails create" "$out" "createContainer hook"
check "... leaving nothing" gone chooks

b=$(bundle hookfail '["true"]')
cfg "$b" hooks '{"createRuntime":[{"path":"/bin/false"}]}'
runrc hookfail
like "a failing createRuntime hook fails create" "$out" "createRuntime hook.*/bin/false failed: exit status 1"
check "... leaving nothing" gone hookfail
b=$(bundle hookslow '["true"]')
cfg "$b" hooks '{"prestart":[{"path":"/bin/sleep","args":["sleep","10"],"timeout":1}]}'
runrc hookslow
like "a hook past its timeout is killed and fails create" "$out" "timed out"
# a state over the pipe's 64 KiB, which the hook does not read: the
# timeout still holds (the write to its stdin must not block)
big=$(head -c 90000 /dev/zero | tr '\0' x)
for k in 1 2 3 4; do cfg "$b" annotations.big$k "\"$big\""; done
cfg "$b" hooks '{"prestart":[{"path":"/bin/sleep","args":["sleep","20"],"timeout":2}]}'
t0=$(date +%s)
runrc hookslow
like "a hook given a 360 KB state is killed at its timeout" "$out" "timed out"
check "... within a few seconds (took $(( $(date +%s) - t0 )) s)" test $(( $(date +%s) - t0 )) -lt 8
check "... leaving nothing" gone hookslow

# a failing poststart or poststop hook warns; the ones after it still run
b=$(bundle hookwarn '["sleep","1000"]')
cfg "$b" hooks '{"poststart":[{"path":"/bin/false"},'"$(hook poststart2)"'],"poststop":[{"path":"/bin/false"},'"$(hook poststop2)"']}'
pc run -d --bundle "$b" hookwarn </dev/null
is "run with a failing poststart hook still succeeds" "$?" 0
is "... the poststart hook after it ran" "$(jget "$WORK/poststart2.json" status)" running
like "... the failure is logged as a warning" "$(grep poststart "$LOG" | tail -n 1)" '"level":"warning".*poststart hook.*/bin/false failed'
pc delete -f hookwarn
is "delete with a failing poststop hook still succeeds" "$?" 0
is "... the poststop hook after it ran" "$(jget "$WORK/poststop2.json" status)" stopped
check "... leaving nothing" gone hookwarn

done_testing
