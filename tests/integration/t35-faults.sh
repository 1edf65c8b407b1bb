#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Nothing left behind: a create killed with SIGKILL (as containerd's shim
# kills a runtime whose request timed out) at each of its steps leaves a
# container that delete --force removes whole, with no process, cgroup or
# state left; delete --force removes the cgroups a container made under
# its own. The runtime kills itself at a step with PARACELL_TEST_KILL_AT.
. "$(dirname "$0")/lib.sh"

# the container's init is a clone of "paracell ... create --bundle B ID"
procs_of() { pgrep -f -- "create --bundle $WORK/$1 $1\$"; }
# wait_procs_gone ID: up to 3 s for an unrecorded init to notice
wait_procs_gone() {
	local i
	for i in $(seq 30); do
		[ -z "$(procs_of "$1")" ] && return 0
		sleep 0.1
	done
	diag "left: $(procs_of "$1" | xargs -r ps -o pid,stat,args -p)"
	return 1
}

steps="dir state cgroup cloned ready recorded hooked released"
for step in $steps; do
	id=kill-$step
	b=$(bundle "$id" '["sleep","1000"]')
	cfg "$b" hooks '{"prestart":[{"path":"/bin/true"}]}'
	# in a subshell that exits, so an init it leaves is not this shell's
	rc=$( (PARACELL_TEST_KILL_AT=$step pc create --bundle "$b" "$id" </dev/null >/dev/null 2>&1
	       echo $?) )
	is "create killed at step $step: SIGKILL (137)" "$rc" 137
	# (killed at "dir", before it wrote a state: listed as unknown)
	like "... list shows the container" "$(pc list -q)" "^$id\$"
	pc delete --force "$id" >"$WORK/err" 2>&1
	is "... delete --force exits 0" "$?" 0
	check "... no state dir, no cgroup left" gone "$id"
	check "... no process left" wait_procs_gone "$id"
	is "... list no longer shows it" "$(pc list -q | grep -cx "$id")" 0
done

# an init whose runtime died before recording it does not wait for start
b=$(bundle orphan '["sleep","1000"]')
rc=$( (PARACELL_TEST_KILL_AT=ready pc create --bundle "$b" orphan </dev/null >/dev/null 2>&1
       echo $?) )
check "an init released by no runtime exits by itself" wait_procs_gone orphan
pc delete --force orphan >/dev/null 2>&1

# sub-cgroups the container made (in every hierarchy), its init in the
# deepest: delete --force removes them all, deepest first
b=$(bundle subcg '["sleep","1000"]')
pc run -d --bundle "$b" subcg </dev/null >/dev/null 2>&1
pid=$(pc state subcg | jget - pid)
n=0
for d in /sys/fs/cgroup/*/"$CGPARENT/subcg" /sys/fs/cgroup/"$CGPARENT/subcg"; do
	[ -d "$d" ] || continue
	mkdir -p "$d/a/b" "$d/c" && n=$((n + 1))
	echo "$pid" >"$d/a/b/cgroup.procs" 2>/dev/null
done
check "sub-cgroups made in $n hierarchies" test "$n" -gt 0
pc delete --force subcg >"$WORK/err" 2>&1
is "delete --force with sub-cgroups exits 0" "$?" 0
is "... says nothing" "$(cat "$WORK/err")" ""
check "... no state dir, no cgroup left" gone subcg
check "... its init is gone" test ! -d "/proc/$pid"

done_testing
