#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A container tty through the console socket (the pty master sent with
# SCM_RIGHTS, as containerd's shim receives it), for create and exec.
. "$(dirname "$0")/lib.sh"

# what the console socket's end read from the master, without the CRs and
# without an echoed NUL ("^@", seen now and then before or between the
# container's lines, on the base code too: not the container's output)
ttyout() { tr -d '\r\0' <"$1" | sed 's/\^@//g'; }

sock=$WORK/console.sock
b=$(bundle tty '["sh","-c","tty; [ -t 0 ] && [ -t 1 ] && [ -t 2 ] && echo stdio-is-tty; read line; echo got:$line; stty size"]')
cfg "$b" process.terminal true
cfg "$b" process.consoleSize '{"height":33,"width":111}'
"$RECVTTY" "$sock" $'hello\n' >"$WORK/tty.out" 2>"$WORK/tty.err" &
rpid=$!
for i in $(seq 50); do [ -S "$sock" ] && break; sleep 0.05; done
pc create --bundle "$b" --console-socket "$sock" tty </dev/null >/dev/null 2>"$WORK/err"
is "create with --console-socket" "$?" 0
pc start tty
wait "$rpid"
out=$(ttyout "$WORK/tty.out")
like "the receiver got one message with a payload" "$(cat "$WORK/tty.err")" "payload [0-9]+ "
like "the program's tty is a pty of the container" "$out" "^/dev/pts/0"
like "stdin, stdout and stderr are the tty" "$out" stdio-is-tty
like "input written to the master reaches the program" "$out" "got:hello"
like "consoleSize sets the window size" "$out" "33 111"
pc delete -f tty

# the terminal belongs to the process's user (runc: uid, devpts's tty gid)
b=$(bundle ttyuser '["sh","-c","stat -c \"%u %g %a\" $(tty); echo hi > $(tty) && echo writable"]')
cfg "$b" process.terminal true
cfg "$b" process.user '{"uid":1000,"gid":1000}'
sock=$WORK/console-u.sock
"$RECVTTY" "$sock" >"$WORK/ttyu.out" 2>/dev/null &
rpid=$!
for i in $(seq 50); do [ -S "$sock" ] && break; sleep 0.05; done
pc run -d --bundle "$b" --console-socket "$sock" ttyuser </dev/null >/dev/null
wait "$rpid"
out=$(ttyout "$WORK/ttyu.out")
like "uid 1000 owns its pty, group tty" "$out" "^1000 5 620$"
like "... and can open it" "$out" "^writable$"
pc delete -f ttyuser
b=$(bundle ttyuser2 '["sleep","1000"]')
pc run -d --bundle "$b" ttyuser2 </dev/null
out=$(pc exec -t -u 1000:1000 ttyuser2 sh -c 'stat -c "%u %g" $(tty)' </dev/null | tr -d '\r')
is "exec -t -u 1000: the pty is uid 1000's" "$out" "1000 5"
pc delete -f ttyuser2

# exec -t into a running container, through a console socket
b=$(bundle tty2 '["sleep","1000"]')
pc run -d --bundle "$b" tty2 </dev/null
sock=$WORK/console2.sock
"$RECVTTY" "$sock" >"$WORK/tty2.out" 2>/dev/null &
rpid=$!
for i in $(seq 50); do [ -S "$sock" ] && break; sleep 0.05; done
pc exec -t --console-socket "$sock" --detach --pid-file "$WORK/e.pid" tty2 sh -c 'tty; echo exec-tty' </dev/null
is "exec --tty --console-socket --detach" "$?" 0
wait "$rpid"
like "exec: the process has a tty" "$(ttyout "$WORK/tty2.out")" "/dev/pts/[0-9]+"$'\n'"exec-tty"
pc exec -t --detach tty2 true 2>"$WORK/err"
is "exec -t --detach without a console socket fails" "$?" 255
like "... saying why" "$(cat "$WORK/err")" "cannot allocate tty"
out=$(pc exec -t tty2 sh -c 'tty' </dev/null | tr -d '\r')
like "exec -t in the foreground: the runtime relays the pty" "$out" "^/dev/pts/[0-9]+$"
pc delete -f tty2

# run -t in the foreground without a console socket: the runtime relays
b=$(bundle tty3 '["sh","-c","tty; echo relayed; exit 4"]')
cfg "$b" process.terminal true
# a NUL that reaches the pty's input is echoed as "^@" (seen now and then,
# on the base code too, before any output of the container): not the
# container's output, so the harness drops it with the CRs
out=$(script -qec "$PC_NATIVE --root $STATE run --bundle $b tty3; echo rc=\$?" /dev/null </dev/null | tr -d '\r\0' | sed 's/\^@//g')
like "run -t relays the container's pty" "$out" "/dev/pts/0"$'\n'"relayed"
like "... and exits with the container's code" "$out" "rc=4"
check "... and deletes it" gone tty3

done_testing
