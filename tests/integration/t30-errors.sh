#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Errors as containerd reads them: exit codes and messages of runc (run
# side by side on the same bundle), the JSON log line, and a failed create
# leaving nothing behind.
. "$(dirname "$0")/lib.sh"

RUNC_ROOT=$WORK/runc
RUNC_LOG=$WORK/runc.json
runc_() { runc --root "$RUNC_ROOT" --log "$RUNC_LOG" --log-format json "$@"; }
trap 'for i in $(runc_ list -q 2>/dev/null); do runc_ delete -f $i; done; cleanup' EXIT

# same RC and message fragment from runc and paracell: both CMD...
both() {
	local desc=$1 frag=$2 rrc prc pmsg
	shift 2
	local a ra=()
	for a in "$@"; do [ -d "$a" ] && ra+=("$a.runc") || ra+=("$a"); done
	runc_ "${ra[@]}" >/dev/null 2>&1 </dev/null
	rrc=$?
	: >"$LOG"
	pc "$@" >/dev/null 2>"$WORK/err" </dev/null
	prc=$?
	is "$desc: exit code $rrc as runc" "$prc" "$rrc"
	if [ -n "$frag" ]; then
		like "$desc: runc says \"$frag\"" "$(tail -n 1 "$RUNC_LOG" | jget - msg)" "$frag"
		like "$desc: stderr says it too" "$(cat "$WORK/err")" "$frag"
		pmsg=$(tail -n 1 "$LOG" | jget - msg)
		like "$desc: so does the JSON log's msg" "$pmsg" "$frag"
	fi
}

both "state of a missing container" "container does not exist" state nope
both "kill of a missing container" "container does not exist" kill nope 9
both "delete of a missing container" "container does not exist" delete nope
both "delete --force of a missing container" "" delete --force nope
both "ps of a missing container" "container does not exist" ps nope
both "start of a missing container" "container does not exist" start nope
both "pause of a missing container" "container does not exist" pause nope
both "resume of a missing container" "container does not exist" resume nope
both "exec in a missing container" "container does not exist" exec nope true

line=$(tail -n 1 "$LOG")
is "log line: level error" "$(echo "$line" | jget - level)" error
like "log line: RFC 3339 time" "$(echo "$line" | jget - time)" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9:]+)$'
is "log line: only level, msg, time" "$(echo "$line" | "$PCJSON" keys - | tr '\n' ' ')" "level msg time "

# runcbundle DIR: a copy for runc, in a cgroup of its own
runcbundle() { mkdir -p "$1.runc"; cp "$1/config.json" "$1.runc/"; cfg "$1.runc" linux.cgroupsPath "\"$CGPARENT/runc-$(basename "$1")\""; }

# the same stopped container under both runtimes
b=$(bundle stop '["true"]')
runcbundle "$b"
runc_ run -d --bundle "$b.runc" stop </dev/null >/dev/null 2>&1
pc run -d --bundle "$b" stop </dev/null >/dev/null 2>&1
sleep 0.3
is "runc and paracell both see it stopped" "$(runc_ state stop | jget - status) $(status_of stop)" "stopped stopped"
both "kill of a stopped container" "container not running" kill stop 9
both "kill --all of a stopped container" "" kill --all stop 9
both "kill 0 of a stopped container" "container not running" kill stop 0
both "start of a stopped container" "cannot start a container that has stopped" start stop
both "ps --format json of a stopped container" "" ps --format json stop
is "ps --format json of a stopped container prints null, like runc" \
	"$(pc ps --format json stop)" "$(runc_ ps --format json stop)"
both "state of a stopped container" "" state stop
both "delete of a stopped container" "" delete stop

# a running one
b=$(bundle busy '["sleep","1000"]')
runcbundle "$b"
runc_ run -d --bundle "$b.runc" busy </dev/null >/dev/null 2>&1
pc run -d --bundle "$b" busy </dev/null >/dev/null 2>&1
both "start of a running container" "cannot start an already running container" start busy
both "delete of a running container" "cannot delete container busy that is not stopped: running" delete busy
both "create of an existing id" "container with given ID already exists" create --bundle "$b" busy
both "resume of a running container" "" resume busy
both "kill with a bad signal" "" kill busy FOO
is "runc and paracell both still running" "$(runc_ state busy | jget - status) $(status_of busy)" "running running"
both "kill with signal 0 (a probe)" "" kill busy 0
is "... which kills nothing" "$(runc_ state busy | jget - status) $(status_of busy)" "running running"
both "kill with a signal name" "" kill busy SIGKILL
sleep 0.3
both "delete after kill" "" delete busy

# bad config: clear message, non-zero, nothing left behind
badcfg() { # NAME DESC EXPECT-REGEX (config already edited)
	pc create --bundle "$WORK/$1" "$1" </dev/null >/dev/null 2>"$WORK/err"
	is "$2: create fails" "$?" 1
	like "$2: says why" "$(cat "$WORK/err")" "$3"
	like "$2: logged" "$(last_log_msg)" "$3"
	check "$2: nothing left (state, cgroup)" gone "$1"
	is "$2: no process left" "$(pgrep -f "pc-it.*$1" | wc -l)" 0
}
b=$(bundle badjson); echo '{"ociVersion": "1.0.2",' >"$b/config.json"
badcfg badjson "invalid JSON" "invalid JSON"
b=$(bundle badtype); cfg "$b" process.args '"sh"'
badcfg badtype "args not an array" "process.args must be an array"
b=$(bundle noroot); "$PCJSON" del "$b/config.json" root
badcfg noroot "no root" "root is required"
b=$(bundle nocwd); "$PCJSON" del "$b/config.json" process.cwd
badcfg nocwd "no cwd" "process.cwd is required"
b=$(bundle badcap); cfg "$b" process.capabilities.bounding '["CAP_NOPE"]'
badcfg badcap "unknown capability" "unknown capability \"CAP_NOPE\""
b=$(bundle noexe '["/no/such/program"]')
badcfg noexe "missing program" "no/such/program"
# a program that cannot run: runc's words, which docker matches to exit
# 127 ("executable file not found", "no such file or directory") or 126
# ("permission denied"), case sensitive in older dockers
n=0
for a in nosuchprogram /no/such/program /etc/passwd /etc /etc/passwd/x; do
	n=$((n + 1))
	b=$(bundle "exe$n" "[\"$a\"]")
	runcbundle "$b"
	runc_ create --bundle "$b.runc" "exe$n" </dev/null >/dev/null 2>&1
	rmsg=$(tail -n 1 "$RUNC_LOG" | jget - msg | sed 's/^runc create failed: unable to start container process: //')
	pc create --bundle "$b" "exe$n" </dev/null >/dev/null 2>&1
	is "program $a: runc's message" "$(last_log_msg)" "$rmsg"
	runc_ delete -f "exe$n" >/dev/null 2>&1
	check "... nothing left" gone "exe$n"
done
b=$(bundle badmount); cfg "$b" mounts.0 '{"destination":"/x","type":"bind","source":"/no/such/dir"}'
badcfg badmount "bad bind source" "/no/such/dir"
b=$(bundle badfs); cfg "$b" mounts.0 '{"destination":"/x","type":"nosuchfs","source":"x"}'
badcfg badfs "unknown filesystem type" "nosuchfs"
b=$(bundle badcwd '["true"]'); cfg "$b" process.cwd '"/no/such/dir"'
badcfg badcwd "missing cwd" "chdir to cwd"
b=$(bundle unk '["true"]'); cfg "$b" somethingNew '{"x":1}'; cfg "$b" process.alsoNew 1
pc run --bundle "$b" unk </dev/null
is "unknown fields are ignored" "$?" 0
b=$(bundle tty); cfg "$b" process.terminal true
badcfg tty "terminal without console socket" "cannot allocate tty"
# a 1 MiB cgroupsPath (spliced in by awk: too long for an argument) is
# refused at once, not after a minute of CPU
b=$(bundle longcg '["true"]')
cfg "$b" linux.cgroupsPath '"@LONG@"'
awk '{ s = "/a"; while (length(s) < 1048576) s = s s; sub("@LONG@", s); print }' \
	"$b/config.json" >"$b/c.json" && mv "$b/c.json" "$b/config.json"
t0=$(date +%s)
badcfg longcg "1 MiB cgroupsPath" "cgroupsPath is longer than"
check "... refused within 2 s (took $(( $(date +%s) - t0 )) s)" test $(( $(date +%s) - t0 )) -le 2

# list shows a container whose state cannot be read, as unknown, and says why
mkdir -p "$STATE/broken" && echo '{bad' >"$STATE/broken/state.json"
out=$(pc list 2>/dev/null)
like "list shows a container with a damaged state" "$out" '^broken +0 +unknown +root$'
is "... list -q too" "$(pc list -q 2>/dev/null | grep -cx broken)" 1
is "... list -f json: status unknown" "$(pc list -f json 2>/dev/null | jget - 0.status)" unknown
like "... and logs why" "$(last_log_msg)" "load container broken: state .*state.json"
rm -rf "$STATE/broken"

done_testing
