#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# What real clients (docker, podman, containerd) send: values at the edges
# of the spec's types, updates, resources, exec's options.
. "$(dirname "$0")/lib.sh"

# big JSON integers: pcjson (jansson) cannot write them, sed can
bigcfg() { sed -i "s/$2/$3/g" "$1/config.json"; }

# uint64 up to UINT64_MAX: docker run --ulimit core=-1:-1 sends RLIM_INFINITY
b=$(bundle rlim '["sh","-c","ulimit -c; ulimit -Hc; ulimit -n"]')
cfg "$b" process.rlimits '[{"type":"RLIMIT_CORE","soft":1234567890123,"hard":1234567890123},{"type":"RLIMIT_NOFILE","soft":1000,"hard":1000}]'
bigcfg "$b" 1234567890123 18446744073709551615
runrc rlim
is "rlimit 18446744073709551615 (RLIM_INFINITY) is unlimited" "$out" "unlimited"$'\n'"unlimited"$'\n'"1000"
b=$(bundle rlim2 '["sleep","1000"]')
cfg "$b" process.rlimits '[{"type":"RLIMIT_CORE","soft":1234567890123,"hard":1234567890123}]'
bigcfg "$b" 1234567890123 18446744073709551615
pc run -d --bundle "$b" rlim2 </dev/null
is "... a container with it runs detached" "$?" 0
is "... its state reads back" "$(status_of rlim2)" running
is "... exec into it (the config saved in its state) works" "$(pc exec rlim2 sh -c 'ulimit -c' 2>&1)" unlimited
pc delete -f rlim2
bigcfg "$b" 18446744073709551615 18446744073709551616
cp "$b/config.json" "$WORK/rlim/config.json"
runrc rlim
like "past UINT64_MAX: still refused" "$out" "too big integer"

done_testing
