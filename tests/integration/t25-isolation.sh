#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# What the container may change of the host, and what it sees of it:
# sysctls, no_new_privs under seccomp, cgroup v1 without a cgroup
# namespace, delete with a shared cgroupsPath, root propagation, no mount
# namespace.
. "$(dirname "$0")/lib.sh"

NS_ALL='[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"}]'
NS_NONET='[{"type":"pid"},{"type":"ipc"},{"type":"uts"},{"type":"mount"},{"type":"cgroup"}]'
NS_NOUTSIPC='[{"type":"pid"},{"type":"network"},{"type":"mount"},{"type":"cgroup"}]'

# --- sysctls: only those of the container's own namespaces (runc's rule)
fwd=$(cat /proc/sys/net/ipv4/ip_forward)
refused() { # NAME NAMESPACES SYSCTLS PATTERN DESC
	local b
	b=$(bundle "$1" '["true"]')
	cfg "$b" linux.namespaces "$2"
	cfg "$b" linux.sysctl "$3"
	runrc "$1"
	like "sysctl refused: $5" "$out" "$4"
	check "... with a non-zero exit" test "$rc" -ne 0
	check "... leaving nothing" gone "$1"
}
flip=$((1 - fwd))
refused scnet "$NS_NONET" '{"net.ipv4.ip_forward":"'$flip'"}' \
	'sysctl "net.ipv4.ip_forward" is not allowed in the host.s network namespace' \
	"net.* without a network namespace"
is "... the host's ip_forward is unchanged" "$(cat /proc/sys/net/ipv4/ip_forward)" "$fwd"
refused scnetpath '[{"type":"mount"},{"type":"network","path":"/proc/self/ns/net"}]' \
	'{"net/ipv4/ip_forward":"'$flip'"}' 'not allowed in the host.s network namespace' \
	"net.* in a joined network namespace that is the runtime's (slash form)"
is "... the host's ip_forward is unchanged" "$(cat /proc/sys/net/ipv4/ip_forward)" "$fwd"
refused scvm "$NS_ALL" '{"vm.swappiness":"10"}' \
	'sysctl "vm.swappiness" is not in a separate kernel namespace' "vm.*"
refused sccore "$NS_ALL" '{"kernel.core_pattern":"|/bin/false"}' \
	'sysctl "kernel.core_pattern" is not in a separate kernel namespace' "kernel.core_pattern"
refused scdom "$NS_NOUTSIPC" '{"kernel.domainname":"x"}' \
	'not allowed in the host.s uts namespace' "kernel.domainname without a uts namespace"
refused scshm "$NS_NOUTSIPC" '{"kernel.shmmax":"4096"}' \
	'not allowed in the host.s ipc namespace' "kernel.shmmax without an ipc namespace"
refused schost "$NS_ALL" '{"kernel.hostname":"x"}' 'conflicts with the config.s "hostname"' \
	"kernel.hostname (the config's hostname field sets it)"
refused scdots "$NS_ALL" '{"net.//.vm.swappiness":"1"}' 'invalid sysctl name' \
	"a name whose components leave /proc/sys"
b=$(bundle scok '["sh","-c","cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/domainname /proc/sys/kernel/shmmni /proc/sys/net/ipv4/conf/lo/forwarding"]')
cfg "$b" linux.sysctl '{"net.ipv4.ip_forward":"1","kernel.domainname":"dom.example","kernel.shmmni":"1000","net/ipv4/conf/lo/forwarding":"1"}'
runrc scok
is "namespaced sysctls in the container's own namespaces are set" "$(echo $out)" "1 dom.example 1000 1"
is "... the host's ip_forward is unchanged" "$(cat /proc/sys/net/ipv4/ip_forward)" "$fwd"

# --- seccomp and no_new_privs: process.noNewPrivileges decides, not libseccomp
SCMP='{"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
b=$(bundle nnp '["sh","-c","grep -E \"^(NoNewPrivs|Seccomp):\" /proc/self/status | tr -d \"\\t\"; mkdir /dev/shm/d"]')
cfg "$b" linux.seccomp "$SCMP"
cfg "$b" process.noNewPrivileges false
runrc nnp
like "seccomp without noNewPrivileges: no_new_privs stays off" "$out" "^NoNewPrivs:0$"
like "... the filter is loaded (without CAP_SYS_ADMIN in the config)" "$out" "^Seccomp:2$"
like "... and denies" "$out" "Operation not permitted"
cfg "$b" process.user '{"uid":1000,"gid":1000}'
runrc nnp
like "... the same for uid 1000" "$out" "NoNewPrivs:0"$'\n'"Seccomp:2"$'\n'".*Operation not permitted"
cfg "$b" process.noNewPrivileges true
runrc nnp
like "seccomp with noNewPrivileges: no_new_privs on, filter loaded" "$out" \
	"NoNewPrivs:1"$'\n'"Seccomp:2"$'\n'".*Operation not permitted"

# --- delete of a container leaves the others of its cgroupsPath running
b=$(bundle sha '["sleep","1000"]')
cfg "$b" linux.cgroupsPath "\"$CGPARENT/shared\""
b=$(bundle shb '["sleep","1000"]')
cfg "$b" linux.cgroupsPath "\"$CGPARENT/shared\""
b=$(bundle shc '["sleep","1000"]')
cfg "$b" linux.cgroupsPath "\"$CGPARENT/shared\""
pc run -d --bundle "$WORK/sha" sha </dev/null
pc run -d --bundle "$WORK/shb" shb </dev/null
pc run -d --bundle "$WORK/shc" shc </dev/null
pc kill sha KILL
for i in $(seq 50); do [ "$(status_of sha)" = stopped ] && break; sleep 0.1; done
is "shared cgroupsPath: the killed one is stopped" "$(status_of sha)" stopped
pc delete sha 2>/dev/null
is "delete of the stopped one succeeds" "$?" 0
check "... and removes its state" test ! -e "$STATE/sha"
is "... the others still run" "$(status_of shb) $(status_of shc)" "running running"
check "... the shared cgroup stays" test -d /sys/fs/cgroup/pids$CGPARENT/shared
pc delete -f shb 2>/dev/null
is "delete --force of a running one leaves the last running" "$(status_of shc)" running
pc delete -f shc
check "the last delete removes the cgroup" test ! -d /sys/fs/cgroup/pids$CGPARENT/shared

# --- cgroup v1 without a cgroup namespace: the container's own cgroup is
# the root of each hierarchy it sees (runc binds it in)
if [ "$(stat -fc %T /sys/fs/cgroup)" = tmpfs ]; then
	for ns in nocgns cgns; do
		b=$(bundle "$ns" '["sh","-c","cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/pids/pids.max; ls /sys/fs/cgroup/pids | grep -c pc-it; cat /sys/fs/cgroup/pids/cgroup.procs; touch /sys/fs/cgroup/pids/x"]')
		cfg "$b" linux.resources '{"memory":{"limit":33554432},"pids":{"limit":20}}'
		[ $ns = cgns ] || cfg "$b" linux.namespaces '[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]'
		runrc "$ns"
		like "cgroup v1, $ns: memory.limit_in_bytes and pids.max are the container's" "$out" \
			"^33554432"$'\n'"20"$'\n'"0"$'\n'"1"$'\n'
		like "... read-only" "$out" "Read-only file system"
		b=$(bundle "${ns}ls" '["sh","-c","ls /sys/fs/cgroup | tr \"\\n\" \" \"; cat /sys/fs/cgroup/systemd/cgroup.procs"]')
		[ $ns = cgns ] || cfg "$b" linux.namespaces '[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"},{"type":"mount"}]'
		runrc "${ns}ls"
		is "... every v1 hierarchy of the host, named ones (systemd) too" "$out" \
			"$(cd /sys/fs/cgroup && for h in *; do [ "$(stat -fc %T "$h/")" = cgroupfs ] || [ -L "$h" ] && echo "$h"; done | tr "\n" " ")1"
	done
else
	skip "cgroup v1 only (this host: $(stat -fc %T /sys/fs/cgroup))"
fi

# --- rootfsPropagation: pivot_root needs the rootfs's parent mount private
before=$(wc -l </proc/self/mountinfo)
for pw in shared:shared rshared:shared unbindable:unbindable runbindable:unbindable; do
	p=${pw%:*}
	b=$(bundle "prop$p" '["sh","-c","head -n 1 /proc/self/mountinfo | cut -d\" \" -f5,7 | cut -d: -f1; mount -t tmpfs t /dev/shm && echo mounted"]')
	cfg "$b" linux.rootfsPropagation "\"$p\""
	cfg "$b" process.capabilities.bounding '["CAP_SYS_ADMIN"]'
	cfg "$b" process.capabilities.effective '["CAP_SYS_ADMIN"]'
	cfg "$b" process.capabilities.permitted '["CAP_SYS_ADMIN"]'
	runrc "prop$p"
	is "rootfsPropagation $p: create works and the root is ${pw#*:}" "$(echo $out)" "/ ${pw#*:} mounted"
	check "... leaving nothing" gone "prop$p"
done
is "... no mount reached the runtime's namespace" "$(wc -l </proc/self/mountinfo)" "$before"

# --- no mount namespace: the container shares the runtime's, which is
# left as it is; the root is entered with chroot
NOMNT='[{"type":"pid"},{"type":"network"},{"type":"ipc"},{"type":"uts"}]'
b=$(bundle nomntbad '["true"]')
cfg "$b" linux.namespaces "$NOMNT"
runrc nomntbad
like "no mount namespace, with mounts: refused, naming why" "$out" \
	"config: mounts need a mount namespace: without one the container shares the runtime's"
check "... with a non-zero exit" test "$rc" -ne 0
check "... leaving nothing" gone nomntbad
b=$(bundle nomntjoin '["true"]')
cfg "$b" linux.namespaces '[{"type":"mount","path":"/proc/self/ns/mnt"}]'
runrc nomntjoin
like "a mount namespace joined by path: refused clearly" "$out" "joining a mount namespace by path is not supported"
before=$(wc -l </proc/self/mountinfo)
b=$(bundle nomnt '["sh","-c","echo started; exec sleep 1000"]')
cfg "$b" linux.namespaces "$NOMNT"
cfg "$b" mounts '[]'
cfg "$b" linux.maskedPaths '[]'
cfg "$b" linux.readonlyPaths '[]'
cfg "$b" root.readonly false
cfg "$b" linux.resources '{}'
pc create --bundle "$b" nomnt </dev/null >"$WORK/nomnt.out" 2>&1
is "no mount namespace, nothing to mount: create works" "$(status_of nomnt)" created
pc start nomnt
sleep 0.3
is "... start runs the program" "$(status_of nomnt) $(cat "$WORK/nomnt.out")" "running started"
pid=$(pc state nomnt | jget - pid)
is "... in the runtime's mount namespace" "$(readlink /proc/"$pid"/ns/mnt)" "$(readlink /proc/self/ns/mnt)"
is "... chrooted into the rootfs" "$(readlink /proc/"$pid"/root)" "$ROOTFS"
is "... exec runs there too" "$(pc exec nomnt sh -c 'ls /bin/busybox')" /bin/busybox
is "... nothing mounted in the runtime's namespace" "$(wc -l </proc/self/mountinfo)" "$before"
pc delete -f nomnt
check "... delete leaves nothing" gone nomnt

done_testing
