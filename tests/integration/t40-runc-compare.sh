#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Output compared field by field with runc on the same bundle wherever the
# formats must match: state, list, ps, features, spec, --version.
. "$(dirname "$0")/lib.sh"

RUNC_ROOT=$WORK/runc
runc_() { runc --root "$RUNC_ROOT" "$@"; }
trap 'for i in $(runc_ list -q 2>/dev/null); do runc_ delete -f $i; done; cleanup' EXIT
keys() { "$PCJSON" keys - "$@" | grep -vx platform | tr '\n' ' '; }

b=$(bundle cmp '["sleep","1000"]')
cfg "$b" annotations '{"a.b":"c"}'
mkdir -p "$b.runc" && cp "$b/config.json" "$b.runc/"
cfg "$b.runc" linux.cgroupsPath "\"$CGPARENT/runc-cmp\""
runc_ create --bundle "$b.runc" cmp </dev/null >/dev/null 2>&1
pc create --bundle "$b" cmp </dev/null >/dev/null 2>&1
runc_ state cmp >"$WORK/r.json"
pc state cmp >"$WORK/p.json"

is "state: the same keys as runc (plus platform)" "$(keys <"$WORK/p.json")" "$(keys <"$WORK/r.json")"
is "state: platform is native" "$(jget "$WORK/p.json" platform)" native
for f in ociVersion id status rootfs owner annotations; do
	is "state: $f as runc" "$(jget "$WORK/p.json" $f)" "$(jget "$WORK/r.json" $f)"
done
is "state: bundle" "$(jget "$WORK/p.json" bundle)" "$b"
is "state: pid is the init's" "$(jget "$WORK/p.json" pid)" "$(pc ps --format json cmp | tr -d '[]')"
rfc='^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]+Z$'
like "state: created in RFC 3339 with ns" "$(jget "$WORK/p.json" created)" "$rfc"
like "state: runc's created has the same form" "$(jget "$WORK/r.json" created)" "$rfc"
is "state: key order as runc" "$(grep -o '^  "[a-zA-Z]*"' "$WORK/p.json" | grep -v platform | tr -d ' \n')" \
	"$(grep -o '^  "[a-zA-Z]*"' "$WORK/r.json" | tr -d ' \n')"

runc_ start cmp; pc start cmp
runc_ list -f json >"$WORK/rl.json"
pc list -f json >"$WORK/pl.json"
is "list -f json: the same keys" "$(keys 0 <"$WORK/pl.json")" "$(keys 0 <"$WORK/rl.json")"
for f in ociVersion id status rootfs owner; do
	is "list -f json: $f as runc" "$(jget "$WORK/pl.json" 0.$f)" "$(jget "$WORK/rl.json" 0.$f)"
done
is "list: the same header" "$(pc list | head -n 1 | tr -s ' ')" "$(runc_ list | head -n 1 | tr -s ' ')"
is "list: the same columns" "$(pc list | sed -n 2p | awk '{print $1, $3, $6}')" \
	"$(runc_ list | sed -n 2p | awk '{print $1, $3, $6}')"
is "list: the same column widths" "$(pc list | sed -n 2p | sed 's/[^ ]\+/x/g' | wc -c)" \
	"$(runc_ list | sed -n 2p | sed 's/[^ ]\+/x/g' | wc -c)"
like "ps --format json: one pid, as runc" "$(pc ps --format json cmp) $(runc_ ps --format json cmp)" '^\[[0-9]+\] \[[0-9]+\]$'
is "ps: the same header" "$(pc ps cmp | head -n 1)" "$(runc_ ps cmp | head -n 1)"
is "ps: the same row shape" "$(pc ps cmp | sed -n 2p | awk '{print $1, NF, $NF}')" \
	"$(runc_ ps cmp | sed -n 2p | awk '{print $1, NF, $NF}')"
is "ps -o pid,comm (ps options)" "$(pc ps cmp -o pid,comm | sed -n 2p | awk '{print $2}')" sleep

runc_ features >"$WORK/rf.json"
pc features >"$WORK/pf.json"
is "features: the same top-level keys" "$(keys <"$WORK/pf.json")" "$(keys <"$WORK/rf.json")"
is "features: the same linux keys" "$(keys linux <"$WORK/pf.json")" "$(keys linux <"$WORK/rf.json")"
for k in cgroup seccomp apparmor selinux; do
	is "features: the same linux.$k keys" "$(keys linux.$k <"$WORK/pf.json")" "$(keys linux.$k <"$WORK/rf.json")"
done
is "features: the same mount options as runc" "$("$PCJSON" get "$WORK/pf.json" mountOptions)" \
	"$("$PCJSON" get "$WORK/rf.json" mountOptions)"
like "features: libcap knows runc's capabilities" "$(jget "$WORK/pf.json" linux.capabilities)" \
	"$(jget "$WORK/rf.json" linux.capabilities | sed 's/[][]//g; s/,.*//')"
like "features: io.paracell.platform is native" "$(jget "$WORK/pf.json" annotations)" '"io.paracell.platform":"native"'
is "features: the same namespaces as runc" "$(jget "$WORK/pf.json" linux.namespaces)" \
	"$(jget "$WORK/rf.json" linux.namespaces)"
is "features: ociVersionMax as runc" "$(jget "$WORK/pf.json" ociVersionMax)" "$(jget "$WORK/rf.json" ociVersionMax)"

mkdir -p "$WORK/sp/r" "$WORK/sp/p"
(cd "$WORK/sp/r" && runc spec) && pc spec --bundle "$WORK/sp/p"
for k in "" process linux root; do
	is "spec: the same ${k:-top-level} keys as runc" "$(keys $k <"$WORK/sp/p/config.json")" \
		"$(keys $k <"$WORK/sp/r/config.json")"
done
is "spec: the same mounts" "$(jget "$WORK/sp/p/config.json" mounts)" "$(jget "$WORK/sp/r/config.json" mounts)"
pc spec --bundle "$WORK/sp/p" 2>"$WORK/err"
is "spec refuses to overwrite" "$?" 1
like "... saying so" "$(cat "$WORK/err")" "exists"
is "--version: the spec line as runc" "$(pc --version | grep '^spec:')" "$(runc --version | grep '^spec:')"
like "--version: first line" "$(pc --version | head -n 1)" '^paracell version [0-9]+\.[0-9]+\.[0-9]+$'
like "--version: a commit line, as runc" "$(pc --version | sed -n 2p)" '^commit: [0-9a-f]'
is "-v: the same as --version" "$(pc -v)" "$(pc --version)"
# runc's lines but go, then ParaCell's own: where the runtime finds ck
is "-v: runc's lines but go, then ck" "$(pc -v | cut -d: -f1 | sed 1d | tr '\n' ' ')" \
	"$(runc -v | cut -d: -f1 | sed 1d | grep -v '^go$' | tr '\n' ' ')ck "
for c in create start run state kill delete list ps exec pause resume update spec features events; do
	out=$(pc "$c" -h 2>&1)
	rc=$?
	is "$c -h exits 0, as runc" "$rc" 0
	like "... with runc's NAME and USAGE" "$out" "^NAME:"$'\n'"   paracell $c - .*"$'\n'"USAGE:"$'\n'"   paracell $c"
done
is "kill --help: the same" "$(pc kill --help)" "$(pc kill -h)"
is "help kill: the same" "$(pc help kill)" "$(pc kill -h)"
is "-h after the id, as runc" "$(pc kill someid -h)" "$(pc kill -h)"
like "exec: -h after the id is the process's" "$(pc exec nope sh -h 2>&1)" "container does not exist"
: >"$LOG"
pc --debug state nope 2>/dev/null
like "--debug: a debug line in the log" "$(head -n 1 "$LOG")" '"level":"debug"'
: >"$LOG"
pc state nope 2>/dev/null
unlike "... none without it" "$(cat "$LOG")" '"level":"debug"'
is "without --log: the log line on stderr, as runc's" \
	"$("$PC_NATIVE" --root "$STATE" state nope 2>&1 | sed 's/time="[^"]*"/T/')" \
	"$(runc --root "$WORK/runc-nolog" state nope 2>&1 | sed 's/time="[^"]*"/T/')"
like "help lists the commands" "$(pc help)" "create.*"$'\n'".*start"

done_testing
