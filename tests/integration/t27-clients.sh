#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# What real clients (docker, podman, containerd) send: values at the edges
# of the spec's types, updates, resources, exec's options.
. "$(dirname "$0")/lib.sh"

# big JSON integers: pcjson (jansson) cannot write them, sed can
bigcfg() { sed -i "s/$2/$3/g" "$1/config.json"; }

# uint64 up to UINT64_MAX: docker run --ulimit core=-1:-1 sends RLIM_INFINITY
b=$(bundle rlim '["sh","-c","ulimit -c; ulimit -Hc; ulimit -n"]')
cfg "$b" process.rlimits '[{"type":"RLIMIT_CORE","soft":1234567890123,"hard":1234567890123},{"type":"RLIMIT_NOFILE","soft":1000,"hard":1000}]'
bigcfg "$b" 1234567890123 18446744073709551615
runrc rlim
is "rlimit 18446744073709551615 (RLIM_INFINITY) is unlimited" "$out" "unlimited"$'\n'"unlimited"$'\n'"1000"
b=$(bundle rlim2 '["sleep","1000"]')
cfg "$b" process.rlimits '[{"type":"RLIMIT_CORE","soft":1234567890123,"hard":1234567890123}]'
bigcfg "$b" 1234567890123 18446744073709551615
pc run -d --bundle "$b" rlim2 </dev/null
is "... a container with it runs detached" "$?" 0
is "... its state reads back" "$(status_of rlim2)" running
is "... exec into it (the config saved in its state) works" "$(pc exec rlim2 sh -c 'ulimit -c' 2>&1)" unlimited
pc delete -f rlim2
bigcfg "$b" 18446744073709551615 18446744073709551616
cp "$b/config.json" "$WORK/rlim/config.json"
runrc rlim
like "past UINT64_MAX: still refused" "$out" "too big integer"

# update: 0 means "not set" (docker update sends zeros for what it does not
# change); docker update --cpu-shares works (runc's semantics). cgroup v1
# here; t80-cgroupv2.sh checks v2.
M=/sys/fs/cgroup/memory$CGPARENT
b=$(bundle upd '["sleep","1000"]')
cfg "$b" linux.resources '{"memory":{"limit":67108864},"pids":{"limit":50}}'
pc run -d --bundle "$b" upd </dev/null
echo '{"memory":{"limit":0,"reservation":0,"swap":0,"kernel":0,"kernelTCP":0},"cpu":{"shares":512,"quota":0,"period":0,"realtimeRuntime":0,"realtimePeriod":0,"cpus":"","mems":""},"pids":{"limit":0},"blockIO":{"weight":0}}' \
	| pc update --resources - upd 2>"$WORK/err"
is "update with docker's zeros succeeds" "$?" 0
is "... memory.limit_in_bytes stays" "$(cat "$M/upd/memory.limit_in_bytes")" 67108864
is "... pids.max stays" "$(cat "/sys/fs/cgroup/pids$CGPARENT/upd/pids.max")" 50
is "... cpu.shares is set" "$(cat "/sys/fs/cgroup/cpu$CGPARENT/upd/cpu.shares")" 512
pc update --cpu-shares 700 upd
is "update --cpu-shares" "$(cat "/sys/fs/cgroup/cpu$CGPARENT/upd/cpu.shares")" 700
is "... still running" "$(status_of upd)" running
pc delete -f upd

# resources are applied, or refused with a clear error, never dropped
b=$(bundle res '["sleep","1000"]')
cfg "$b" linux.resources '{"memory":{"limit":67108864,"swap":134217728,"swappiness":17,"disableOOMKiller":true,"kernelTCP":50003968},"blockIO":{"throttleReadBpsDevice":[{"major":7,"minor":0,"rate":1048576}],"throttleWriteIOPSDevice":[{"major":7,"minor":0,"rate":300}]}}'
pc run -d --bundle "$b" res </dev/null 2>"$WORK/err"
is "memory swap, swappiness, OOM killer, kernel TCP, blkio throttles: run" "$?" 0
is "memory.memsw.limit_in_bytes from memory.swap" "$(cat "$M/res/memory.memsw.limit_in_bytes")" 134217728
is "memory.swappiness" "$(cat "$M/res/memory.swappiness")" 17
like "memory.oom_control: OOM killer disabled" "$(cat "$M/res/memory.oom_control")" "oom_kill_disable 1"
is "memory.kmem.tcp.limit_in_bytes" "$(cat "$M/res/memory.kmem.tcp.limit_in_bytes")" 50003968
is "blkio.throttle.read_bps_device" "$(cat "/sys/fs/cgroup/blkio$CGPARENT/res/blkio.throttle.read_bps_device")" "7:0 1048576"
is "blkio.throttle.write_iops_device" "$(cat "/sys/fs/cgroup/blkio$CGPARENT/res/blkio.throttle.write_iops_device")" "7:0 300"
echo '{"memory":{"limit":33554432,"swap":-1}}' | pc update -r - res
is "update: swap -1 before a lower limit" "$(cat "$M/res/memory.limit_in_bytes") $(cat "$M/res/memory.memsw.limit_in_bytes")" \
	"33554432 9223372036854771712"
pc delete -f res
refused() { # NAME RESOURCES-JSON MESSAGE-ERE
	local b
	b=$(bundle "$1" '["true"]')
	cfg "$b" linux.resources "$2"
	runrc "$1"
	like "refused: $1" "$out" "$3"
	check "... leaving nothing" gone "$1"
}
refused unified '{"unified":{"memory.high":"1000000"}}' "unified needs cgroup v2"
refused swappiness '{"memory":{"swappiness":101}}' "swappiness 101: the valid range is 0-100"
refused rdma '{"rdma":{"mlx5_1":{"hcaHandles":3}}}' "rdma is not supported"
[ -d /sys/fs/cgroup/hugetlb ] || refused hugetlb '{"hugepageLimits":[{"pageSize":"2MB","limit":2097152}]}' "hugepageLimits: this host has no hugetlb cgroup controller"
[ -d /sys/fs/cgroup/net_cls ] || refused netcls '{"network":{"classID":1048577}}' "network.classID: this host has no net_cls"
[ -d /sys/fs/cgroup/net_prio ] || refused netprio '{"network":{"priorities":[{"name":"lo","priority":1}]}}' "network.priorities: this host has no net_prio"
[ -e /sys/fs/cgroup/blkio/blkio.weight ] || [ -e /sys/fs/cgroup/blkio/blkio.bfq.weight ] ||
	refused blkweight '{"blockIO":{"weight":500}}' "blockIO weights: this host's I/O schedulers have none"
# does this kernel honour kernel memory limits? (5.16+ takes and ignores them)
kprobe=$M/kmem-probe
mkdir -p "$kprobe" && echo 104857600 >"$kprobe/memory.kmem.limit_in_bytes" 2>/dev/null
kmem=$(cat "$kprobe/memory.kmem.limit_in_bytes" 2>/dev/null); rmdir "$kprobe"
b=$(bundle kmem '["sleep","1000"]')
cfg "$b" linux.resources '{"memory":{"kernel":104857600}}'
pc run -d --bundle "$b" kmem </dev/null >"$WORK/out" 2>&1
if [ "$kmem" = 104857600 ]; then
	is "memory.kernel: applied" "$(cat "$M/kmem/memory.kmem.limit_in_bytes")" 104857600
	pc delete -f kmem
else
	like "memory.kernel: refused where the kernel ignores it" "$(cat "$WORK/out")" "this kernel ignores kernel memory limits"
	check "... leaving nothing" gone kmem
fi

# seccomp: architectures are added; an unknown one is refused
b=$(bundle scarch '["sh","-c","mkdir /tmp/x 2>&1; echo done"]')
cfg "$b" linux.seccomp '{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64","SCMP_ARCH_X86","SCMP_ARCH_X32"],"syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"},{"names":["getpid"],"action":"SCMP_ACT_ALLOW"}]}'
runrc scarch
like "seccomp with x86_64, x86, x32 and a rule like the default: runs, filters" "$out" "Operation not permitted"$'\n'"done"
unknown=
for a in $(pc features | jget - linux.seccomp.archs | tr -d '[]"' | tr , ' '); do
	cfg "$b" linux.seccomp.architectures "[\"$a\"]"
	runrc scarch	# big-endian ones cannot join an x86_64 filter (EDOM), as in runc
	! matches "$out" "unknown architecture" || unknown="$unknown $a"
done
is "seccomp: every architecture features lists is known" "$unknown" ""
cfg "$b" linux.seccomp.architectures '["SCMP_ARCH_X86_64","SCMP_ARCH_VAX"]'
runrc scarch
like "seccomp: an unknown architecture is refused" "$out" "unknown architecture SCMP_ARCH_VAX"

# AppArmor and SELinux: applied where the host has the LSM, refused where not
b=$(bundle lsm '["true"]')
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ]; then
	cfg "$b" process.apparmorProfile '"docker-default"'
	runrc lsm
	like "apparmorProfile without AppArmor: refused" "$out" 'apparmor profile "docker-default" is set, but AppArmor is not enabled'
	check "... leaving nothing" gone lsm
	cfg "$b" process.apparmorProfile '""'
	runrc lsm
	is "... an empty apparmorProfile is none" "$rc" 0
fi
if [ ! -e /sys/fs/selinux/enforce ]; then
	cfg "$b" process.selinuxLabel '"system_u:system_r:container_t:s0:c1,c2"'
	runrc lsm
	like "selinuxLabel without SELinux: refused" "$out" "SELinux is not enabled on this host"
	check "... leaving nothing" gone lsm
	"$PCJSON" del "$b/config.json" process.selinuxLabel
fi
cfg "$b" linux.mountLabel '"system_u:object_r:container_file_t:s0:c1,c2"'
runrc lsm
like "linux.mountLabel: refused" "$out" "mountLabel \(SELinux mount labels\) is not supported"

# exec: --additional-gids, --cgroup, --apparmor, --process-label
b=$(bundle ex '["sleep","1000"]')
pc run -d --bundle "$b" ex </dev/null
is "exec --additional-gids 10,20 -g 30" "$(pc exec --additional-gids 10,20 -g 30 ex id -G 2>&1)" "0 10 20 30"
out=$(pc exec --additional-gids x ex true 2>&1)
like "exec --additional-gids x: refused" "$out" 'bad gid list "x"'
for d in /sys/fs/cgroup/*/"$CGPARENT/ex"; do
	mkdir "$d/sub"
	if [ -e "$d/cpuset.cpus" ]; then
		cat "$d/cpuset.cpus" >"$d/sub/cpuset.cpus"
		cat "$d/cpuset.mems" >"$d/sub/cpuset.mems"
	fi
done
out=$(pc exec --cgroup sub ex cat /proc/self/cgroup 2>&1)
like "exec --cgroup sub: the process is in the sub-cgroup" "$out" "^[0-9]+:memory:/sub$"
is "... of every v1 hierarchy" "$(echo "$out" | grep -v '^0::' | grep -vc '/sub$')" 0
like "exec --cgroup memory:sub: refused" "$(pc exec --cgroup memory:sub ex true 2>&1)" "CONTROLLER:PATH form is not supported"
like "exec --cgroup ../x: refused" "$(pc exec --cgroup ../x ex true 2>&1)" "not a sub-cgroup"
like "exec --cgroup nosuch: fails" "$(pc exec --cgroup nosuch ex true 2>&1)" "nosuch.*No such file"
for d in /sys/fs/cgroup/*/"$CGPARENT/ex"; do rmdir "$d/sub"; done
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" != Y ]; then
	out=$(pc exec --apparmor docker-default ex true 2>&1)
	like "exec --apparmor without AppArmor: refused" "$out" "AppArmor is not enabled"
fi
if [ ! -e /sys/fs/selinux/enforce ]; then
	out=$(pc exec --process-label system_u:system_r:container_t:s0 ex true 2>&1)
	like "exec --process-label without SELinux: refused" "$out" "SELinux is not enabled"
fi
pc delete -f ex

done_testing
