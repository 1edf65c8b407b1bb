#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The lifecycle as containerd's shim drives it: create with a pid file,
# start, state, ps, list, exec, pause/resume, kill, delete; run; update.
. "$(dirname "$0")/lib.sh"

b=$(bundle life '["sh","-c","echo started; exec sleep 1000"]')
out=$WORK/life.out
pc create --bundle "$b" --pid-file "$b/init.pid" life </dev/null >"$out" 2>&1
is "create exits 0" "$?" 0
pid=$(cat "$b/init.pid")
like "pid file holds only digits" "$(od -An -c "$b/init.pid" | tr -d ' ')" '^[0-9]+$'
is "state: created" "$(status_of life)" created
is "state: pid is the pid file's" "$(pc state life | jget - pid)" "$pid"
is "init's parent is the caller, not a runtime process" \
	"$(awk '{print $4}' /proc/"$pid"/stat)" "$$"
is "no output before start" "$(cat "$out")" ""
is "state.json and exec.fifo under --root" "$(ls "$STATE/life" | sort | tr '\n' ' ')" "exec.fifo state.json "
st=$(jget "$STATE/life/state.json" startTime)
is "state records the start time from /proc/pid/stat" "$st" "$(awk '{print $22}' /proc/"$pid"/stat)"

pc start life
is "start exits 0" "$?" 0
sleep 0.2
is "state: running" "$(status_of life)" running
is "the program ran with fds 0-2 inherited" "$(cat "$out")" started
is "start removes exec.fifo" "$(ls "$STATE/life")" state.json
pc start life 2>"$WORK/err"
is "start of a running container fails" "$?" 1
like "... with runc's message" "$(cat "$WORK/err")" "cannot start an already running container"

is "ps --format json: the init pid" "$(pc ps --format json life)" "[$pid]"
like "ps table: header and the init line" "$(pc ps life)" "PID.*"$'\n'".* $pid .*sleep 1000"
like "list: table row" "$(pc list)" "^ID +PID +STATUS +BUNDLE +CREATED +OWNER"$'\n'"life +$pid +running +$b +[0-9T:.-]+Z +root"
is "list -q" "$(pc list -q)" life
is "list -f json: status" "$(pc list -f json | jget - 0.status)" running

is "exec: output and the container's hostname" "$(pc exec life sh -c 'echo in $(hostname)')" "in busybox"
pc exec life sh -c 'exit 7'
is "exec: the process's exit code" "$?" 7
is "exec: same pid namespace (pid 1 is the init)" \
	"$(pc exec life cat /proc/1/cmdline | tr '\0' ' ')" "sleep 1000 "
is "exec: same mount namespace" "$(pc exec life readlink /proc/self/ns/mnt)" \
	"$(readlink /proc/"$pid"/ns/mnt)"
echo '{"args":["sh","-c","echo from process file $FOO"],"cwd":"/tmp","env":["FOO=bar"]}' >"$WORK/p.json"
is "exec --process FILE" "$(pc exec --process "$WORK/p.json" life)" "from process file bar"
pc exec --detach --pid-file "$WORK/e.pid" life sleep 100 </dev/null
epid=$(cat "$WORK/e.pid")
is "exec --detach: pid file, parent is the caller" "$(awk '{print $4}' /proc/"$epid"/stat)" "$$"
like "exec --detach: the process is in ps" "$(pc ps --format json life)" "$epid"
cg=$(jget "$STATE/life/state.json" cgroup)
like "exec'd process joined the container's cgroup" "$(cat /sys/fs/cgroup/pids$cg/cgroup.procs)" "$epid"
is "exec --env --cwd --user" "$(pc exec --env A=1 --cwd /tmp --user 65534:65534 life sh -c 'echo $A $(pwd) $(id -u):$(id -g)')" "1 /tmp 65534:65534"
is "stdin reaches an exec'd process" "$(echo piped | pc exec life cat)" piped

pc pause life
is "pause exits 0" "$?" 0
is "state: paused" "$(status_of life)" paused
pc exec life true 2>"$WORK/err"
like "exec in a paused container is refused" "$(cat "$WORK/err")" "cannot exec in a paused container"
is "freezer says FROZEN" "$(cat /sys/fs/cgroup/freezer$cg/freezer.state)" FROZEN
pc resume life
is "resume: running again" "$(status_of life)" running
pc resume life 2>/dev/null
is "resume of a running container fails" "$?" 1

echo '{"memory":{"limit":67108864},"pids":{"limit":50}}' | pc update --resources - life
is "update --resources -: memory limit" "$(cat /sys/fs/cgroup/memory$cg/memory.limit_in_bytes)" 67108864
is "update --resources -: pids limit" "$(cat /sys/fs/cgroup/pids$cg/pids.max)" 50

ev=$(pc events --stats life)
is "events --stats: type and id" "$(echo "$ev" | jget - type) $(echo "$ev" | jget - id)" "stats life"
is "events --stats: the pids limit from the cgroup" "$(echo "$ev" | jget - data.pids.limit)" 50
check "events --stats: memory usage" test "$(echo "$ev" | jget - data.memory.usage.usage)" -gt 0

pc update --memory 48m --pids-limit 60 --cpu-shares 256 life
is "update --memory 48m" "$(cat /sys/fs/cgroup/memory$cg/memory.limit_in_bytes)" $((48 << 20))
is "update --pids-limit" "$(cat /sys/fs/cgroup/pids$cg/pids.max)" 60
is "update --cpu-shares" "$(cat /sys/fs/cgroup/cpu$cg/cpu.shares)" 256
pc update --memory lots life 2>"$WORK/err"
like "update with a bad size fails clearly" "$(cat "$WORK/err")" 'bad size "lots"'

pc delete life 2>"$WORK/err"
is "delete of a running container fails" "$?" 1
like "... with runc's message" "$(cat "$WORK/err")" "cannot delete container life that is not stopped: running"
pc kill life KILL
is "kill KILL exits 0" "$?" 0
for i in $(seq 50); do [ "$(status_of life)" = stopped ] && break; sleep 0.05; done
is "state: stopped" "$(status_of life)" stopped
is "state of a stopped container: pid 0" "$(pc state life | jget - pid)" 0
pc delete life
is "delete of a stopped container" "$?" 0
check "delete leaves no state and no cgroup" gone life
pc state life 2>/dev/null
is "state after delete fails" "$?" 1

# a reused pid is not the container: the start time tells
b=$(bundle reuse '["sleep","1000"]')
pc run -d --bundle "$b" reuse </dev/null
"$PCJSON" set "$STATE/reuse/state.json" startTime 1
is "a pid with another start time is not the container" "$(status_of reuse)" stopped
pc delete -f reuse

# created containers can be deleted; kill works on them
b=$(bundle cr '["true"]')
pc create --bundle "$b" cr </dev/null
pc delete cr
is "delete of a created container" "$?" 0
check "... leaves nothing" gone cr

b=$(bundle dup '["sleep","1000"]')
pc create --bundle "$b" dup </dev/null
pc create --bundle "$b" dup </dev/null 2>"$WORK/err"
is "create with a used id fails" "$?" 1
like "... container with given ID already exists" "$(cat "$WORK/err")" "container with given ID already exists"
is "... and leaves the first one alone" "$(status_of dup)" created
pc delete --force dup
check "delete --force of a created container" gone dup

# what a create that died half way left (a directory, no state) is not a
# container; delete --force clears it so the id can be used again
mkdir -p "$STATE/debris"
pc state debris 2>"$WORK/err"
like "a state directory without state.json: container does not exist" "$(cat "$WORK/err")" "container does not exist"
pc delete --force debris
check "delete --force removes it" test ! -e "$STATE/debris"

# run in the foreground: exit code, stdin, output, nothing left
b=$(bundle run '["sh","-c","read x; echo got $x; exit 3"]')
res=$(echo hello | pc run --bundle "$b" run)
is "run: exit code of the container" "$?" 3
is "run: stdin and stdout" "$res" "got hello"
check "run: deleted after exit" gone run
b=$(bundle rund '["sleep","1000"]')
pc run -d --bundle "$b" --pid-file "$b/p" rund </dev/null
is "run -d: running" "$(status_of rund)" running
pc kill rund 9; pc delete -f rund
check "kill + delete -f after run -d" gone rund

# --all kills every process (no pid namespace here, so init's children too)
b=$(bundle all '["sh","-c","sleep 1000 & sleep 1000"]')
cfg "$b" linux.namespaces '[{"type":"mount"},{"type":"uts"},{"type":"ipc"}]'
pc run -d --bundle "$b" all </dev/null
sleep 0.3
is "two processes in the cgroup" "$(pc ps --format json all | tr ',' '\n' | wc -l)" 2
pc kill --all all KILL
sleep 0.3
is "kill --all: nothing left in ps" "$(pc ps --format json all)" null
pc delete all

# the lock: a command waits while another holds the container
b=$(bundle lock '["sleep","1000"]')
pc run -d --bundle "$b" lock </dev/null
flock "$STATE/lock" sleep 1 &
sleep 0.2
t0=$(date +%s%N)
pc state lock >/dev/null
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
check "state waits for the container's lock (${ms}ms)" test "$ms" -ge 500
wait
pc delete -f lock

# the container holds no fd of the runtime: only stdio (and, until start,
# the exec fifo); after start only stdio
b=$(bundle fds '["sleep","1000"]')
pc create --bundle "$b" fds </dev/null >/dev/null 2>&1
pid=$(pc state fds | jget - pid)
fds=$(ls /proc/"$pid"/fd | sort -n | tr '\n' ' ')
like "created init holds fds 0-2 and one more" "$fds" "^0 1 2 [0-9]+ $"
like "... the exec fifo" "$(readlink /proc/"$pid"/fd/"$(echo $fds | cut -d" " -f4)")" "/fds/exec.fifo$"
pc start fds
sleep 0.1
is "running init holds only fds 0-2" "$(ls /proc/"$pid"/fd | sort -n | tr '\n' ' ')" "0 1 2 "
pc delete -f fds

# global flags of runc and runV are accepted
: >"$LOG"
"$PC_NATIVE" --root "$STATE" --log "$LOG" --log-format json --debug --systemd-cgroup \
	--criu /bin/true --rootless false --log_dir /tmp --driver x --kernel k --initrd i \
	--default_cpus 1 --default_memory 128 list -q >/dev/null
is "runc's and runV's global flags are accepted" "$?" 0
like "... runV's with a warning in the log" "$(cat "$LOG")" '"level":"warning"'

done_testing
