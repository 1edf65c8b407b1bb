#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Platform selection (DESIGN.md section 6): --platform, else the binary's
# name, else the config file, else xgate; nothing in config.json chooses;
# xgate is refused without PKU, before anything is created.
. "$(dirname "$0")/lib.sh"

# The xgate rows check its refusal without PKU; with PKU xgate runs
# containers (under ck, static programs only: not this busybox-static,
# which is glibc), and t65-xgate.sh checks the selection there.
if grep -qw pku /proc/cpuinfo && grep -qw ospke /proc/cpuinfo; then
	echo "1..0 # SKIP this host has PKU: t65-xgate.sh covers the platform here"
	exit 0
fi
xgate_msg=PKU
unset PARACELL_CONFIG
nocfg=$WORK/none.json   # a config path that does not exist: the default applies
p() { local bin=$1; shift; PARACELL_CONFIG=${CFG:-$nocfg} "$bin" --root "$STATE" --log "$LOG" --log-format json "$@"; }

b=$(bundle plat '["true"]')
CFG= p "$PARACELL" run --bundle "$b" plat </dev/null 2>"$WORK/err"
check "paracell (no flag, no config) defaults to xgate and refuses" test $? -ne 0
like "... naming the reason ($xgate_msg)" "$(cat "$WORK/err")" "$xgate_msg"
like "... logged" "$(last_log_msg)" "$xgate_msg"
check "... leaving nothing" gone plat

cfg "$b" annotations '{"io.paracell.platform":"native"}'
cfg "$b" platform '"native"'
CFG= p "$PARACELL" run --bundle "$b" plat </dev/null 2>"$WORK/err"
check "config.json (annotation, field) cannot downgrade xgate" test $? -ne 0
like "... still the xgate refusal" "$(cat "$WORK/err")" "$xgate_msg"

CFG= p "$PARACELL" --platform native run --bundle "$b" plat </dev/null
is "--platform native runs" "$?" 0
CFG= p "$PC_NATIVE" run --bundle "$b" plat </dev/null
is "the binary name paracell-native runs native" "$?" 0
CFG= p "$PC_NATIVE" --platform xgate run --bundle "$b" plat </dev/null 2>"$WORK/err"
check "--platform beats the binary name" test $? -ne 0
like "... with the xgate refusal" "$(cat "$WORK/err")" "$xgate_msg"

echo '{"platform":"native"}' >"$WORK/rt.json"
CFG=$WORK/rt.json p "$PARACELL" run --bundle "$b" plat </dev/null
is "the config file (\$PARACELL_CONFIG) can choose native" "$?" 0
CFG=$WORK/rt.json p "$PARACELL" --platform xgate run --bundle "$b" plat </dev/null 2>/dev/null
check "--platform beats the config file" test $? -ne 0
echo '{"platform":"xgate"}' >"$WORK/rt2.json"
CFG=$WORK/rt2.json p "$PC_NATIVE" run --bundle "$b" plat </dev/null
is "the binary name beats the config file" "$?" 0
echo '{"platform":"fast"}' >"$WORK/rt3.json"
CFG=$WORK/rt3.json p "$PARACELL" run --bundle "$b" plat </dev/null 2>"$WORK/err"
check "a bad config file is an error" test $? -ne 0
like "... naming the file" "$(cat "$WORK/err")" "rt3.json"
CFG= p "$PARACELL" --platform bogus run --bundle "$b" plat </dev/null 2>"$WORK/err"
like "an unknown --platform is refused" "$(cat "$WORK/err")" 'unknown platform "bogus"'

like "features shows the selected platform (native)" "$(CFG= p "$PC_NATIVE" features)" '"io.paracell.platform": "native"'
like "features shows the selected platform (xgate)" "$(CFG= p "$PARACELL" features)" '"io.paracell.platform": "xgate"'
b=$(bundle plat2 '["sleep","1000"]')
CFG= p "$PC_NATIVE" run -d --bundle "$b" plat2 </dev/null
is "state shows the container's platform" "$(CFG= p "$PARACELL" state plat2 | jget - platform)" native
CFG= p "$PARACELL" delete -f plat2
is "other commands work on a native container whatever the selection" "$?" 0

done_testing
