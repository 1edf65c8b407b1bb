# SPDX-License-Identifier: Apache-2.0
# Sourced by run-stop.sh, run-vdso.sh and run-elf.sh. ck_arg: their one
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
