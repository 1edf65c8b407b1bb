# SPDX-License-Identifier: Apache-2.0
"""The memory trace (format: mktrace.py) read back: what a trace has live.

live_series(path) -> (times_s, live_kib, final_kib): the pages touched
and not yet freed, summed over the processes, after every event; and
per process what it had live when it exited.
procs_series(path) -> [(time_s, n)]: the processes alive (from their
start to their exit event), after every start and exit: what ck's own
memory, a fixed amount a process, is charged over.
Freed means unmapped, dropped by MADV_DONTNEED/MADV_REMOVE, cut off by a
brk shrink, or gone with exec/exit; MADV_FREE keeps pages (Linux frees
them lazily, and Anonymous: still counts them), as the replayer does.
"""


def events(path):
    with open(path) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            w = line.split()
            yield int(w[0]), int(w[1]), w[2], [int(x) for x in w[3:]]


class Mem:
    """One process's touched pages: region id -> set of page offsets."""

    def __init__(self):
        self.reg = {0: set()}
        self.n = 0

    def drop(self, rid, off, n):
        s = self.reg.get(rid)
        if not s:
            return
        gone = {p for p in s if off <= p < off + n}
        s -= gone
        self.n -= len(gone)

    def apply(self, op, a):
        if op == 'mmap':
            self.reg[a[0]] = set()
        elif op == 'unmap':
            self.drop(a[0], a[1], a[2])
        elif op == 'mremap':
            rid, off, n, m, new = a
            s = self.reg.get(rid, set())
            moved = {p - off for p in s if off <= p < off + n}
            self.drop(rid, off, n)
            self.reg[new] = {p for p in moved if p < m}
            self.n += len(self.reg[new])
        elif op == 'brk':
            self.drop(0, a[0], 1 << 40)
        elif op == 'madv':
            if a[3] in (4, 9):
                self.drop(a[0], a[1], a[2])
        elif op == 'touch':
            s = self.reg.setdefault(a[0], set())
            before = len(s)
            s.update(range(a[1], a[1] + a[2]))
            self.n += len(s) - before
        elif op in ('exec', 'exit'):
            self.reg, self.n = {0: set()}, 0


def live_series(path):
    procs, total = {}, 0
    ts, vals, final = [], [], {}
    for t, pid, op, a in events(path):
        m = procs.setdefault(pid, Mem())
        if op == 'exit':
            final[pid] = m.n * 4
        before = m.n
        m.apply(op, a)
        total += m.n - before
        ts.append(t / 1e6)
        vals.append(total * 4)
    return ts, vals, final


def procs_series(path):
    out, n = [], 0
    for t, _, op, _ in events(path):
        if op in ('start', 'exit'):
            n += 1 if op == 'start' else -1
            out.append((t / 1e6, n))
    return out


def mean_procs(path, t_end):
    """The mean number of processes alive over [0, t_end] s."""
    s, total = procs_series(path), 0.0
    for i, (t, n) in enumerate(s):
        t2 = s[i + 1][0] if i + 1 < len(s) else t_end
        total += n * max(0.0, min(t2, t_end) - t)
    return total / t_end if t_end else 0.0
