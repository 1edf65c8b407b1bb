#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A Debian bundle on xgate (issue 15): Debian 12's own glibc, dynamic
# programs (scripts/mkbundle-debian: minbase + python3) run by `paracell
# run` under ck print what they print on the native platform, with the
# same exit status: dash pipelines, bash, coreutils, python3 with hashlib
# and ssl, a fork+exec loop of dynamic programs, threads (python's and
# sort's); `paracell exec` too; nothing left behind. The scripts are
# bind-mounted read-only on /opt; the rootfs is used in place, read-only.
# Needs PKU: on a host without it, it runs itself inside the test VM.
XGATE_BUNDLES=debian
. "$(dirname "$0")/xgate-vm.sh"
export PC_BUNDLE=$top/build/bundle-debian
. "$here/lib.sh"
LIVE=/sys/class/misc/paracell/live_cells
[ -r "$LIVE" ] || { echo "Bail out! paracell.ko is not loaded ($LIVE)"; exit 1; }
px() { "$PARACELL" --platform xgate --root "$STATE" --log "$LOG" --log-format json "$@"; }
xrun() { out=$(px run --bundle "$WORK/$1" "$1" </dev/null 2>&1); rc=$?; }
nrun() { out=$(pc run --bundle "$WORK/$1" "$1" </dev/null 2>&1); rc=$?; }

opt=$WORK/opt
mkdir -p "$opt"
cat >"$opt/sh.sh" <<'SH'
echo hello world | tr a-z A-Z | sed s/O/0/g
seq 1 200 | (s=0; while read n; do s=$((s + n)); done; echo sum=$s)
echo "sub=$(echo inner | wc -c)" "$(basename "$(readlink -f /bin/sh)")"
{ echo b; echo a; } | sort | tr '\n' ' '; echo
exit 3
SH
cat >"$opt/bash.sh" <<'SH'
declare -A m=([a]=1 [b]=2 [c]=3)
for k in "${!m[@]}"; do echo "$k=${m[$k]}"; done | sort
arr=($(seq 5)); echo "n=${#arr[@]} last=${arr[-1]}"
[[ abcdef =~ c(d)e ]] && echo "match=${BASH_REMATCH[1]}"
printf '%05d|%-4s|\n' 42 ab
mapfile -t lines < <(printf 'x\ny\n'); echo "lines=${#lines[@]}"
f() { local x=$1; echo $((x * x)); }; echo "sq=$(f 12)"
trap 'echo trapped' EXIT
echo "bash ${BASH_VERSINFO[0]}"
SH
cat >"$opt/coreutils.sh" <<'SH'
ls / | tr '\n' ' '; echo
ls -ld /usr/bin /etc/passwd | cut -c1-10
printf 'pear\napple\nfig\n' | sort
seq 1 1000 | sort -rn | head -3 | tr '\n' ' '; echo
printf abc | sha256sum
sha256sum /etc/debian_version /usr/bin/true | cut -c1-16
printf hello | base64; printf aGVsbG8= | base64 -d; echo
printf 'a\na\nb\n' | uniq -c | tr -s ' '
wc -l </etc/passwd; stat -c '%s %F' /etc/debian_version
date -u -d @86400 +%F; id -u; expr 6 \* 7; basename /a/b/c.txt .txt
echo "$(nproc --all)" >/dev/null && echo nproc
head -c 100000 /usr/bin/ls | md5sum
SH
cat >"$opt/py.py" <<'PY'
import hashlib, json, os, ssl, subprocess, sys, zlib
print(hashlib.sha256(b"abc").hexdigest())
print(hashlib.md5(b"x").hexdigest(), hashlib.blake2b(b"x").hexdigest()[:16])
print(hashlib.pbkdf2_hmac("sha256", b"pw", b"salt", 1000).hex()[:32])
print(ssl.OPENSSL_VERSION.split()[0], ssl.create_default_context().protocol.name)
print(json.dumps({"b": [1, 2], "a": None}, sort_keys=True), zlib.crc32(b"paracell"))
print(subprocess.run(["sh", "-c", "echo from-child $((2+3))"], capture_output=True, text=True).stdout.strip())
print(sys.version_info[:2] >= (3, 11), sorted({3, 1, 2}), flush=True)
# glibc's posix_spawn: clone3 with CLONE_VM|CLONE_VFORK and exit_signal SIGCHLD
pid = os.posix_spawn("/bin/echo", ["echo", "spawned"], dict(os.environ))
print("spawn status", os.waitpid(pid, 0)[1])
sys.exit(4)
PY
cat >"$opt/fork.sh" <<'SH'
n=0; for i in $(seq 1 60); do /bin/true && n=$((n + 1)); done; echo forks=$n
for w in one two three; do echo $w | cat | tr a-z A-Z; done
( exit 7 ); echo sub=$?
sh -c 'exec echo exec-ok'
SH
cat >"$opt/threads.py" <<'PY'
import concurrent.futures, hashlib, threading
def work(i):
    return hashlib.sha256(str(i).encode() * 20000).hexdigest()[:8]
with concurrent.futures.ThreadPoolExecutor(4) as ex:
    print(list(ex.map(work, range(8))))
lock, total = threading.Lock(), [0]
def add():
    for _ in range(20000):
        with lock:
            total[0] += 1
ts = [threading.Thread(target=add) for _ in range(4)]
[t.start() for t in ts]; [t.join() for t in ts]
print("total", total[0], "threads", threading.active_count())
ev = threading.Event(); threading.Timer(0.05, ev.set).start(); print("event", ev.wait(10))
PY

# dbundle NAME ARGS-JSON: a bundle on the Debian rootfs with /opt bound
# and a tmpfs on /tmp
dbundle() {
	b=$(bundle "$1" "$2")
	cfg "$b" mounts.99 '{"destination":"/tmp","type":"tmpfs","source":"tmpfs","options":["nosuid","nodev"]}'
	cfg "$b" mounts.99 "{\"destination\":\"/opt\",\"type\":\"bind\",\"source\":\"$opt\",\"options\":[\"rbind\",\"ro\"]}"
}
# same NAME DESC ARGS-JSON [RC]: native output, then xgate's: equal, with
# the same exit status (RC when given)
same() {
	local name=$1 desc=$2
	dbundle "$name" "$3"
	nrun "$name"; want=$out wrc=$rc
	[ -z "${4:-}" ] || is "$desc: native exit status $4" "$wrc" "$4"
	xrun "$name"
	is "$desc: output under xgate equal to native" "$out" "$want"
	is "$desc: exit status equal to native" "$rc" "$wrc"
}

is "no cell before the first container" "$(cat "$LIVE")" 0
same sh "sh -c pipelines (dash)" '["sh","-c",". /opt/sh.sh"]' 3
like "... the native run did the work" "$want" "sum=20100"
same bash "bash" '["bash","/opt/bash.sh"]' 0
like "... bash ran (trap at exit)" "$out" "trapped"
same coreutils "coreutils (ls, sort, sha256sum, base64, stat, date, md5sum)" '["sh","/opt/coreutils.sh"]' 0
like "... sha256sum of abc" "$out" "^ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
same python "python3: hashlib, ssl, json, zlib, subprocess, posix_spawn" '["python3","/opt/py.py"]' 4
like "... ssl loaded (OpenSSL)" "$out" "^OpenSSL PROTOCOL_TLS_CLIENT$"
like "... posix_spawn (clone3 with an exit signal) ran its child" "$out" "^spawned$"
like "... and reaped it" "$out" "^spawn status 0$"
same fork "a fork+exec loop of dynamic programs" '["sh","/opt/fork.sh"]' 0
like "... 60 fork+exec of /bin/true under ck" "$out" "forks=60"
# glibc's pthread_create: clone3 with pidfd filled in but no CLONE_PIDFD
same threads "threads (python ThreadPoolExecutor, Lock, Timer)" '["python3","/opt/threads.py"]' 0
like "... 4 threads added under one lock" "$out" "total 80000"
same sort "sort --parallel=4 (pthreads) on 200000 lines" \
	'["sh","-c","seq 200000 | sort -r --parallel=4 -S 64M | sha256sum; seq 200000 | sort -r | sha256sum"]' 0
is "... both sorts agree" "$(echo "$out" | uniq | wc -l)" 1

# The processes run under ck: ck's filter, code from ck's seals (dash's
# and bash's libc), /proc/self/exe the program's own file as natively.
cat >"$opt/probe.sh" <<'SH'
grep ^Seccomp: /proc/self/status
grep -qE 'paracell-seal|ck-seal' /proc/$$/maps && echo sh-sealed
bash -c 'grep -qE "paracell-seal|ck-seal" /proc/$$/maps && echo bash-sealed; true'
echo "exe=$(readlink /proc/self/exe) $(cksum </proc/self/exe)"
SH
dbundle probe '["sh","/opt/probe.sh"]'
xrun probe
like "under xgate the shell runs under ck's filter" "$out" "^Seccomp:"$'\t'"2$"
like "... dash's code from ck's seals" "$out" "^sh-sealed$"
like "... bash's too" "$out" "^bash-sealed$"
xexe=$(grep '^exe=' <<<"$out")
nrun probe
unlike "natively: no seals" "$out" "sealed"
is "/proc/self/exe: readlink's name, dash's bytes, as natively" "$xexe" "$(grep '^exe=' <<<"$out")"

# paracell exec into a running Debian container, under ck.
dbundle long '["sleep","1000"]'
px run -d --bundle "$b" long </dev/null >/dev/null 2>&1
is "run -d of a Debian container on xgate" "$(px state long | jget - status)" running
out=$(px exec long bash -c 'echo exec $(( 6 * 7 )); python3 -c "import hashlib; print(hashlib.sha1(b\"a\").hexdigest())"; grep ^Seccomp: /proc/self/status' 2>&1)
is "exec of bash and python3 under ck" "$out" $'exec 42\n86f7e437faa5a7fce15d1ddcb9eaeaea377667b8\nSeccomp:\t2'
px delete --force long
check "... delete --force leaves no state or cgroup" gone long

sleep 1
is "no container state left" "$(ls "$STATE" 2>/dev/null | wc -l)" 0
is "live_cells back to 0" "$(cat "$LIVE")" 0
is "no process runs ck's memfd" "$(ls -l /proc/[0-9]*/exe 2>/dev/null | grep -c paracell-ck)" 0
is "no mount of the rootfs left" "$(grep -c "$ROOTFS" /proc/self/mountinfo)" 0
check "no cgroup left under $CGPARENT" test -z "$(find /sys/fs/cgroup -path "*$CGPARENT/*" -type d 2>/dev/null)"

done_testing
