#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# cgroup v2: runs where /sys/fs/cgroup is the unified hierarchy. On a v1
# host it runs itself inside the test VM (scripts/testvm), whose root is
# the host's, read-only: the bundle is copied to /tmp there first.
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
if [ "$(stat -f -c %T /sys/fs/cgroup)" != cgroup2fs ]; then
	if [ -n "${PARACELL_TESTVM:-}" ]; then
		echo "1..0 # SKIP no cgroup2 at /sys/fs/cgroup in the VM"; exit 0
	fi
	if [ ! -x "$top/scripts/testvm" ]; then
		echo "1..0 # SKIP cgroup v1 host and no scripts/testvm"; exit 0
	fi
	exec "$top/scripts/testvm" --no-module --timeout 400 -- tests/integration/t80-cgroupv2.sh
fi
if [ -n "${PARACELL_TESTVM:-}" ]; then
	mkdir -p /tmp/pc-v2-bundle
	cp -a "$top/build/bundle-busybox/." /tmp/pc-v2-bundle/
	export PC_BUNDLE=/tmp/pc-v2-bundle
fi
. "$here/lib.sh"
CG=/sys/fs/cgroup$CGPARENT

b=$(bundle v2 '["sleep","1000"]')
cfg "$b" linux.resources '{"memory":{"limit":33554432},"pids":{"limit":30},"cpu":{"shares":1024,"quota":50000,"period":100000}}'
pc create --bundle "$b" v2 </dev/null
is "create on cgroup v2" "$?" 0
pid=$(pc state v2 | jget - pid)
is "the init is in the container's cgroup" "$(cat "$CG/v2/cgroup.procs")" "$pid"
is "/proc/pid/cgroup names it" "$(cat /proc/"$pid"/cgroup)" "0::$CGPARENT/v2"
is "memory.max" "$(cat "$CG/v2/memory.max")" 33554432
is "pids.max" "$(cat "$CG/v2/pids.max")" 30
is "cpu.max from quota and period" "$(cat "$CG/v2/cpu.max")" "50000 100000"
is "cpu.weight from shares" "$(cat "$CG/v2/cpu.weight")" 39
pc start v2
is "running" "$(status_of v2)" running
pc exec --detach --pid-file "$WORK/e.pid" v2 sleep 1000 </dev/null
like "exec joins the cgroup" "$(cat "$CG/v2/cgroup.procs")" "$(cat "$WORK/e.pid")"
is "ps --format json lists both" "$(pc ps --format json v2 | tr ',' '\n' | wc -l)" 2
is "the container sees cgroup2 at its cgroup namespace root" \
	"$(pc exec v2 sh -c 'cat /proc/self/cgroup; grep " /sys/fs/cgroup " /proc/self/mounts | cut -d" " -f3')" \
	"0::/"$'\n'"cgroup2"
pc pause v2
is "pause: paused" "$(status_of v2)" paused
like "cgroup.events: frozen 1" "$(cat "$CG/v2/cgroup.events")" "frozen 1"
pc resume v2
is "resume: running" "$(status_of v2)" running
echo '{"memory":{"limit":67108864},"pids":{"limit":40}}' | pc update --resources - v2
is "update: memory.max" "$(cat "$CG/v2/memory.max")" 67108864
is "update: pids.max" "$(cat "$CG/v2/pids.max")" 40
# update with docker's zeros: 0 is "not set", never memory.max 0 (an OOM
# kill); docker update --cpu-shares works
echo '{"memory":{"limit":0,"reservation":0,"swap":0},"cpu":{"shares":512,"quota":0,"period":0,"cpus":"","mems":""},"pids":{"limit":0},"blockIO":{"weight":0}}' \
	| pc update --resources - v2
is "update with zeros succeeds" "$?" 0
is "... memory.max stays" "$(cat "$CG/v2/memory.max")" 67108864
is "... pids.max stays" "$(cat "$CG/v2/pids.max")" 40
is "... cpu.weight from the shares" "$(cat "$CG/v2/cpu.weight")" 20
pc update --cpu-shares 2048 v2
is "update --cpu-shares" "$(cat "$CG/v2/cpu.weight")" 79
is "... still running" "$(status_of v2)" running
pc kill --all v2 KILL
for i in $(seq 100); do [ "$(status_of v2)" = stopped ] && break; sleep 0.05; done
is "kill --all: stopped" "$(status_of v2)" stopped
pc delete v2
check "delete removes the cgroup" test ! -d "$CG/v2"

# resources of v2: swap (memory+swap in the spec), unified, io.max;
# what v2 cannot do is refused
dev=$(cat /sys/block/*/dev 2>/dev/null | head -n 1)
b=$(bundle v2res '["sleep","1000"]')
cfg "$b" linux.resources '{"memory":{"limit":33554432,"swap":50331648},"unified":{"memory.high":"30000000","pids.max":"17"}}'
[ -z "$dev" ] || cfg "$b" linux.resources.blockIO '{"throttleReadBpsDevice":[{"major":'"${dev%:*}"',"minor":'"${dev#*:}"',"rate":1048576}]}'
pc run -d --bundle "$b" v2res </dev/null
is "run with swap, unified and io.max" "$?" 0
if [ -e "$CG/v2res/memory.swap.max" ]; then
	is "memory.swap.max is swap minus limit" "$(cat "$CG/v2res/memory.swap.max")" 16777216
else
	skip "no memory.swap.max (no swap accounting)"
fi
is "unified: memory.high" "$(cat "$CG/v2res/memory.high")" 29999104
is "unified: pids.max" "$(cat "$CG/v2res/pids.max")" 17
if [ -n "$dev" ]; then
	like "io.max from throttleReadBpsDevice" "$(cat "$CG/v2res/io.max")" "^$dev rbps=1048576 "
else
	skip "no block device in the VM for io.max"
fi
pc delete -f v2res
for r in 'disableoom:{"memory":{"disableOOMKiller":true}}:cannot disable the OOM killer' \
	 'swappiness:{"memory":{"swappiness":10}}:no per-cgroup swappiness' \
	 'kmem:{"memory":{"kernel":104857600}}:no kernel memory limits' \
	 'netcls:{"network":{"classID":1048577}}:net_cls and net_prio are cgroup v1' \
	 'leaf:{"blockIO":{"leafWeight":100}}:no leaf weights' \
	 'unifiedbad:{"unified":{"../x":"1"}}:bad file name' \
	 'unifiednone:{"unified":{"nosuch.file":"1"}}:no such file in the cgroup'; do
	n=${r%%:*}; r=${r#*:}; msg=${r##*:}; r=${r%:*}
	b=$(bundle "$n" '["true"]')
	cfg "$b" linux.resources "$r"
	runrc "$n"
	like "v2 refuses $n" "$out" "$msg"
	check "... leaving nothing" gone "$n"
done
if grep -qw hugetlb /sys/fs/cgroup/cgroup.controllers && [ -d /sys/kernel/mm/hugepages/hugepages-2048kB ]; then
	b=$(bundle huge '["sleep","1000"]')
	cfg "$b" linux.resources '{"hugepageLimits":[{"pageSize":"2MB","limit":4194304}]}'
	pc run -d --bundle "$b" huge </dev/null
	is "hugepageLimits: hugetlb.2MB.max" "$(cat "$CG/huge/hugetlb.2MB.max" 2>&1)" 4194304
	pc delete -f huge
else
	skip "no hugetlb controller or 2MB pages in the VM"
fi
b=$(bundle oomoff '["true"]')
cfg "$b" linux.resources '{"memory":{"disableOOMKiller":false,"swappiness":1234567890123}}'
sed -i 's/1234567890123/18446744073709551615/' "$b/config.json"
runrc oomoff
is "v2: disableOOMKiller false and swappiness -1 (unset) run" "$rc" 0

b=$(bundle oom '["sh","-c","x=$(head -c 60000000 /dev/zero | tr \"\\\\0\" a); echo survived"]')
cfg "$b" linux.resources '{"memory":{"limit":16777216}}'
out=$(pc run --bundle "$b" oom </dev/null 2>&1)
rc=$?
is "the memory limit is enforced (OOM kill, 137)" "$rc" 137
unlike "... the program did not survive" "$out" survived

b=$(bundle pids '["sh","-c","for i in 1 2 3 4 5 6 7 8; do sleep 100 & done; wait"]')
cfg "$b" linux.resources '{"pids":{"limit":4}}'
out=$(pc run --bundle "$b" pids </dev/null 2>&1)
like "the pids limit is enforced" "$out" "(Resource temporarily unavailable|can't fork)"

b=$(bundle v2bad '["/no/such/program"]')
pc create --bundle "$b" v2bad </dev/null 2>/dev/null
check "a failed create leaves no cgroup" test ! -d "$CG/v2bad"
check "... and no state" gone v2bad

device_cgroup_checks
# (v1's kernel list cannot deny part of a wildcard it allowed; the eBPF
# filter on v2 takes the last matching rule)
cfg "$b" linux.resources.devices '[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"access":"rwm"},{"allow":false,"type":"c","major":1,"minor":200,"access":"rwm"}]'
runrc mknod
like "device cgroup: the last matching rule wins" "$out" "Operation not permitted"
b=$(bundle devnull '["sh","-c","echo x > /dev/null && head -c 3 /dev/zero | wc -c && head -c 1 /dev/urandom | wc -c"]')
runrc devnull
is "device cgroup: the default devices work" "$out" "3"$'\n'"1"

# a user namespace on cgroup v2: the cgroup2 mount works inside it
b=$(bundle v2user '["sh","-c","id -u; grep \" /sys/fs/cgroup \" /proc/self/mounts | cut -d\" \" -f3; cat /proc/self/cgroup"]')
cfg "$b" linux.namespaces '[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"},{"type":"user"}]'
cfg "$b" linux.uidMappings '[{"containerID":0,"hostID":100000,"size":65536}]'
cfg "$b" linux.gidMappings '[{"containerID":0,"hostID":100000,"size":65536}]'
runrc v2user
if [ "$(stat -c %d:%i /)" = "$(stat -c %d:%i /proc/1/root/)" ]; then
	is "user namespace on v2: root inside, cgroup2 mounted, own cgroup root" "$out" \
		"0"$'\n'"cgroup2"$'\n'"0::/"
else
	# the test VM runs us chrooted, where the kernel refuses new user namespaces
	like "user namespace from a chroot: refused with a clear message" "$out" \
		"new user namespace \(refused in a chroot"
fi

# update replaces the filter: one device program stays attached
b=$(bundle devupd '["sleep","1000"]')
pc run -d --bundle "$b" devupd </dev/null
echo '{"devices":[{"allow":false,"access":"rwm"},{"allow":true,"type":"c","major":1,"minor":200,"access":"rwm"}]}' | pc update --resources - devupd
is "update --resources with devices" "$?" 0
is "... makes mknod of c 1:200 possible" \
	"$(pc exec --cap CAP_MKNOD devupd sh -c 'mknod /dev/y c 1 200 && echo made')" made
if command -v bpftool >/dev/null; then
	is "... with one device program attached" "$(bpftool cgroup list "$CG/devupd" | grep -c cgroup_device)" 1
fi
pc delete -f devupd

# AppArmor, where the kernel has it: the profile is set for the execve
if [ "$(cat /sys/module/apparmor/parameters/enabled 2>/dev/null)" = Y ]; then
	b=$(bundle aa '["cat","/proc/self/attr/current"]')
	cfg "$b" process.apparmorProfile '"unconfined"'
	runrc aa
	is "apparmorProfile unconfined: applied" "$rc $out" "0 unconfined"
	cfg "$b" process.apparmorProfile '"pc-no-such-profile"'
	runrc aa
	like "... a profile the kernel does not know fails create" "$out" "set apparmor profile pc-no-such-profile"
else
	skip "no AppArmor in this kernel"
fi

# xgate with PKU (the VM's CPU) starts the container under ck: t65-xgate.

done_testing
