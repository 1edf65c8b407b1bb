# SPDX-License-Identifier: Apache-2.0
# Sourced by the run-*.sh scripts. ck_arg: their one
# argument, "--ck PATH", into $ck (usage error: exit 2; not built: Bail
# out, exit 1).

ck_usage() {
	echo "usage: $0 --ck PATH" >&2
	exit 2
}

ck_arg() {
	case ${1:-} in
	--ck) [ $# -eq 2 ] || ck_usage; ck=$2 ;;
	*) ck_usage ;;
	esac
	[ -x "$ck" ] || { echo "Bail out! $ck is not built"; exit 1; }
}

# ck_work NAME: a fresh $work under /tmp, removed on exit.
ck_work() {
	work=$(mktemp -d "/tmp/$1.XXXXXX")
	trap 'rm -rf "$work"' EXIT
	trap 'exit 1' INT TERM HUP
}

# ck_same DESC: TAP line $n for the two runs in $work (a: native, b: under
# ck; .out, .err, .rc): ok when all three are the same, else not ok with
# the diffs and $bad counted up.
ck_same() {
	if cmp -s "$work/a.out" "$work/b.out" && cmp -s "$work/a.err" "$work/b.err" &&
	   cmp -s "$work/a.rc" "$work/b.rc"; then
		echo "ok $n - $1: same stdout, stderr and exit code"
	else
		echo "not ok $n - $1: differs natively and under ck"
		for f in out err rc; do
			diff "$work/a.$f" "$work/b.$f" | sed 's/^/# /' | head -20
		done
		bad=$((bad + 1))
	fi
}

# ck_report ok|fail DESC: TAP line $n (counted up); on a failure the
# script's own ck_detail shows what it has to show, and $failed is 1.
ck_report() {
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n - $2"
	else
		echo "not ok $n - $2"
		ck_detail || :	# its last test may be false (set -e)
		failed=1
	fi
}
