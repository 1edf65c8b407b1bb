#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The xgate platform end to end (issue 15): `paracell run` and `exec` start
# the container's process under ck, from a sealed memfd copy of ck with the
# device fd handed over; state and the JSON log name the backend; the OCI
# seccomp profile is applied by ck to the program's calls; attacks through
# `paracell run` are blocked (and get through ck's matching mutant); a
# bundle cannot pick another platform; nothing is left behind (state,
# cgroups, mounts, processes, the module's live_cells). On the musl-static
# bundle (scripts/mkbundle-musl). Needs PKU: on a host without it, it runs
# itself inside the test VM (scripts/testvm), module loaded; the refusal
# without PKU is t60's.
XGATE_MUTANTS="PROFILE USER_PKRU PROC_MEM FORK_SUD"
. "$(dirname "$0")/xgate-vm.sh"
atk_bundle
# sh -c with pipelines, a subshell, command substitution and a fork-heavy
# loop (each `busybox true` a fork and an execve: under ck, ck itself
# re-executed)
cat >"$vmb/rootfs/opt/sh.sh" <<'SH'
echo hello world | tr a-z A-Z | sed s/O/0/g
i=0; while [ $i -lt 200 ]; do i=$((i + 1)); echo $i; done |
	(s=0; while read n; do s=$((s + n)); done; echo sum=$s)
n=0; for i in $(seq 1 150); do busybox true && n=$((n + 1)); done; echo forks=$n
echo "sub=$(echo inner | wc -c)"; ls /opt/ck-progs | grep -c p_; exit 3
SH
# what shows that the process runs under ck
cat >"$vmb/rootfs/opt/probe.sh" <<'SH'
grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status | tr -s '\t ' '  '
ls /proc/self/fd | grep -c '^10[12][0-9]$'
test -e /dev/paracell && echo dev-visible
echo "exe=$(readlink /proc/self/exe) $(cksum </proc/self/exe)"
grep -qE 'paracell-seal|ck-seal' /proc/self/maps && echo sealed-code
SH
. "$here/lib.sh"
trap 'cleanup; rm -rf "$vmb"' EXIT
CK=$top/shim/guest/build/ck
LIVE=/sys/class/misc/paracell/live_cells
px() { "$PARACELL" --platform xgate --root "$STATE" --log "$LOG" --log-format json "$@"; }
# xrun/nrun NAME: run bundle NAME under xgate / natively; $out, $rc
xrun() { out=$(px run --bundle "$WORK/$1" "$1" </dev/null 2>&1); rc=$?; }
nrun() { out=$(pc run --bundle "$WORK/$1" "$1" </dev/null 2>&1); rc=$?; }

[ -r "$LIVE" ] || { echo "Bail out! paracell.ko is not loaded ($LIVE)"; exit 1; }
is "no cell before the first container" "$(cat "$LIVE")" 0

# 1. /opt/sh.sh: the same output and status as natively.
b=$(bundle sh '["sh","-c",". /opt/sh.sh"]')
nrun sh; want=$out wrc=$rc want_sh=$out
xrun sh
is "paracell run on xgate: sh -c output equal to native" "$out" "$want"
is "... exit status equal to native (3)" "$rc" "$wrc"
like "... the native run did the work" "$want" "sum=20100"
like "... 150 fork+exec under ck" "$out" "forks=150"

# 2. Under ck: ck's seccomp filter and no_new_privs on the process, ck's
#    fds and the device not visible, its code in ck's seals;
#    /proc/self/exe the program's own file, as natively (ck's memfd is
#    what the host sees, section 3).
b=$(bundle probe '["sh","/opt/probe.sh"]')
xrun probe
like "the process runs under ck's filter" "$out" "^Seccomp: 2$"
like "... with no_new_privs" "$out" "^NoNewPrivs: 1$"
like "... none of ck's fds 1018-1023 listed" "$out" "^0$"
unlike "... no /dev/paracell in the container" "$out" "dev-visible"
like "... its code mapped from ck's seals" "$out" "^sealed-code$"
xexe=$(grep '^exe=' <<<"$out")
nrun probe
like "natively: no filter (the bundle has no seccomp profile)" "$out" "^Seccomp: 0$"
unlike "... no seals" "$out" "sealed-code"
is "/proc/self/exe: the program's file (name and bytes), as natively" "$xexe" "$(grep '^exe=' <<<"$out")"

# 3. state and the JSON log name the platform and the backend.
b=$(bundle long '["sleep","1000"]')
px create --bundle "$b" long </dev/null
is "create on xgate" "$?" 0
is "state: platform xgate" "$(px state long | jget - platform)" xgate
is "state: backend module" "$(px state long | jget - backend)" module
like "the JSON log says the backend" "$(grep -F '"level":"info"' "$LOG" | tail -n 1 | jget - msg)" \
	"container long: platform xgate, backend module"
px start long
is "start" "$(px state long | jget - status)" running
pid=$(px state long | jget - pid)
like "the init is ck (its /proc/PID/exe the memfd)" "$(readlink /proc/"$pid"/exe)" "memfd:paracell-ck"
is "one cell alive" "$(cat "$LIVE")" 1

# 4. paracell exec joins the running container under ck.
out=$(px exec long sh -c 'echo in-exec; grep "^Seccomp:" /proc/self/status; ls /proc/1/root/ >/dev/null && echo pidns-root' 2>&1)
is "exec runs under ck" "$out" $'in-exec\nSeccomp:\t2\npidns-root'
px exec --detach --pid-file "$WORK/e.pid" long sleep 1000 </dev/null
is "exec --detach" "$?" 0
like "... under ck too" "$(readlink /proc/"$(cat "$WORK/e.pid")"/exe)" "memfd:paracell-ck"
is "two cells alive" "$(cat "$LIVE")" 2
px delete --force long
is "delete --force" "$?" 0
check "... leaves no state or cgroup" gone long
sleep 1
is "... and no cell (live_cells 0)" "$(cat "$LIVE")" 0

# 5. A bundle asking for the native platform (annotation, config field)
#    still runs under ck when the runtime is configured for xgate.
b=$(bundle ask '["grep","^Seccomp:","/proc/self/status"]')
cfg "$b" annotations '{"io.paracell.platform":"native"}'
cfg "$b" platform '"native"'
xrun ask
is "a bundle asking for native still runs on xgate" "$out" $'Seccomp:\t2'
check "... logged as xgate" grep -q "container ask: platform xgate" "$LOG"

# 6. The OCI seccomp profile governs the program's calls, applied by ck:
#    mkdir gets the profile's errno (EXDEV, which no real mkdir gives) and
#    makes nothing; uname is killed (SIGSYS, as natively); pkey_alloc,
#    pkey_mprotect, seccomp, prctl, personality and sigaltstack, which ck's
#    own start-up needs, are forbidden to the program only.
prof='{"defaultAction":"SCMP_ACT_ALLOW","architectures":["SCMP_ARCH_X86_64"],"syscalls":[
 {"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO","errnoRet":18},
 {"names":["uname"],"action":"SCMP_ACT_KILL_PROCESS"},
 {"names":["pkey_alloc","pkey_mprotect","seccomp","prctl","personality","sigaltstack"],"action":"SCMP_ACT_ERRNO","errnoRet":1}]}'
b=$(bundle prof '["sh","-c","mkdir /tmp/made; echo mkdir=$?; test -d /tmp/made && echo made; uname; echo uname=$?"]')
cfg "$b" linux.seccomp "$(echo "$prof" | tr -d '\n')"
cfg "$b" root.readonly false
nrun prof; want=$out; rmdir "$ROOTFS/tmp/made" 2>/dev/null
xrun prof
like "seccomp: ck starts under a profile forbidding its start-up calls" "$out" "mkdir="
is "seccomp: output equal to native (errno, no directory, SIGSYS)" "$out" "$want"
like "... mkdir answered with the profile's errno (EXDEV)" "$out" "Cross-device link"
like "... uname killed by SIGSYS (128+31)" "$out" "uname=159"
check "... nothing made in the rootfs" test ! -e "$ROOTFS/tmp/made"
prof_b=$b

# 7. Attacks through paracell run (tests/ck/attacks/sys/sysatk, the
#    oracles of tests/ck/attacks: "ORACLE:" = through), each blocked by the
#    real ck and through under the ck mutant lacking the check: the runtime
#    copied with that mutant as its installed ck (bin/paracell,
#    lib/paracell/ck).
mutant_rt() {
	local d=$WORK/rt-$1
	mkdir -p "$d/bin" "$d/lib/paracell"
	cp "$PARACELL" "$d/bin/paracell"
	cp "$top/shim/guest/build/mutants/$1/ck" "$d/lib/paracell/ck"
	echo "$d/bin/paracell"
}
canary() { readelf -sW "$1" | awk '$8 == "ck_canary" { print $2 }'; }
# attack NAME MUTANT ARGS-JSON [WANT]: blocked by ck; under MUTANT the
# output matches WANT (default: the oracle)
attack() {
	local name=$1 mut=$2 args=$3 want=${4:-^ORACLE:} rt mck
	b=$(bundle "atk-$name" "$args")
	cfg "$b" process.env "[\"PATH=/bin:/opt/atk\",\"CK_CANARY=0x$(canary "$CK")\"]"
	xrun "atk-$name"
	blocked "attack $name through paracell run: blocked" "$out"
	[ -n "$mut" ] || return 0
	rt=$(mutant_rt "$mut")
	mck=$top/shim/guest/build/mutants/$mut/ck
	cfg "$b" process.env "[\"PATH=/bin:/opt/atk\",\"CK_CANARY=0x$(canary "$mck")\"]"
	out=$("$rt" --platform xgate --root "$STATE" run --bundle "$b" "atk-$name" </dev/null 2>&1)
	if [ "$want" = "^ORACLE:" ]; then
		like "... through under the mutant $mut (the oracle can fail)" "$out" "$want"
	else
		like "... under the mutant $mut: $5" "$out" "$want"
	fi
}
attack canary-write USER_PKRU '["sysatk","write-leak"]'
attack proc-self-mem PROC_MEM '["sysatk","procmem","self"]'
# reopening ck's device fd: in a container the device cgroup is a second
# wall (EPERM) where ck's check is missing
attack proc-self-fd-1021 PROC_MEM '["sysatk","fd","procfd"]' \
	"^blocked: open\(/proc/self/fd/1021\): Operation not permitted" \
	"the device cgroup still refuses the device (EPERM)"
attack fork-raw-syscall FORK_SUD '["sysatk","fork","raw"]'
attack dev-paracell "" '["sysatk","fd","devnode"]'
like "... /dev/paracell is not in the container" "$out" "blocked: open\(/dev/paracell\): No such file"
# the profile row: the mutant without ck's profile check lets mkdir through
rt=$(mutant_rt PROFILE)
out=$("$rt" --platform xgate --root "$STATE" run --bundle "$prof_b" prof-mut </dev/null 2>&1)
like "seccomp: the mutant without the profile check makes the directory (the test can fail)" "$out" "^made$"
rmdir "$ROOTFS/tmp/made" 2>/dev/null
# a bundle that hands the container the device itself is refused
b=$(bundle devcfg '["true"]')
dev=$(stat -c '%t %T' /dev/paracell)
cfg "$b" linux.devices "[{\"path\":\"/dev/paracell\",\"type\":\"c\",\"major\":$((0x${dev% *})),\"minor\":$((0x${dev#* }))}]"
xrun devcfg
check "a bundle with /dev/paracell in linux.devices is refused on xgate" test "$rc" -ne 0
like "... naming the device" "$out" "/dev/paracell"
check "... leaving nothing" gone devcfg

# 8. The fallback backend: without the module, state says so, the same output.
rmmod paracell
b=$(bundle fb '["sh","-c",". /opt/sh.sh"]')
px create --bundle "$b" fb </dev/null
is "without the module: state backend fallback" "$(px state fb | jget - backend)" fallback
px delete --force fb
xrun fb
is "... sh -c output equal to native" "$out" "$want_sh"
insmod "$top/kmod/paracell.ko"

# 9. Nothing left behind.
for id in $(ls "$STATE" 2>/dev/null); do px delete --force "$id" >/dev/null 2>&1; done
is "no container state left" "$(ls "$STATE" 2>/dev/null | wc -l)" 0
is "live_cells back to 0" "$(cat "$LIVE")" 0
is "no process runs ck's memfd" "$(ls -l /proc/[0-9]*/exe 2>/dev/null | grep -c paracell-ck)" 0
is "no mount of the bundles left" "$(grep -c "$vmb" /proc/self/mountinfo)" 0
check "no cgroup left under $CGPARENT" test -z "$(find /sys/fs/cgroup -path "*$CGPARENT/*" -type d 2>/dev/null)"

done_testing
