#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""ptyrun.py [--timeout S] -- CMD...

Runs CMD (an interactive shell) on a fresh pty as its controlling terminal
and types it the lines of stdin one at a time, each once the shell's
prompt ($PS1, which must be set, e.g. "$ ") is back. Prints the
transcript (the terminal's echo of the typed lines and the shell's
output) with CRs dropped, then "exit N" (or "signal N"). A prompt that
does not come back within the timeout (default 60 s) ends the run with
"TIMEOUT" after what was read, and the shell is killed.
"""
import os
import pty
import select
import signal
import sys
import time


def main():
    args = sys.argv[1:]
    timeout = 60.0
    while args and args[0] != '--':
        if args[0] == '--timeout' and len(args) > 1:
            timeout = float(args[1])
        else:
            sys.exit('usage: ptyrun.py [--timeout S] -- CMD...')
        args = args[2:]
    cmd = args[1:]
    prompt = os.environ.get('PS1', '').encode()
    if not cmd or not prompt:
        sys.exit('ptyrun.py: no CMD, or PS1 is not set')
    lines = sys.stdin.read().splitlines()
    pid, fd = pty.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    out = b''

    def read_until(want):
        nonlocal out
        end = time.monotonic() + timeout
        start = len(out)
        while want is None or len(out) == start or not out.endswith(want):
            left = end - time.monotonic()
            if left <= 0:
                return False
            r, _, _ = select.select([fd], [], [], left)
            if not r:
                continue
            try:
                b = os.read(fd, 4096)
            except OSError:	# EIO: the slave side is closed
                return want is None
            if not b:
                return want is None
            out += b
        return True

    ok = read_until(prompt)
    for line in lines:
        if not ok:
            break
        os.write(fd, line.encode() + b'\n')
        ok = read_until(None if line == 'exit' else prompt)
    if not ok:
        os.kill(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(out.decode(errors='replace').replace('\r', ''))
    if not ok:
        sys.stdout.write('\nTIMEOUT\n')
    if os.WIFEXITED(status):
        print('exit %d' % os.WEXITSTATUS(status))
    else:
        print('signal %d' % os.WTERMSIG(status))


main()
