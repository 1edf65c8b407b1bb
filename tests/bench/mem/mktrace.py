#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Join strace and perf page-fault recordings into a ParaCell memory trace.

    mktrace.py --seed N --calls K --session S DIR   > trace   (see record)

DIR holds call.I.cmd, call.I.strace (strace -f -ttt) and call.I.faults
(perf script -F pid,time,addr) for I = 1..K. Output, one event a line,
ordered by time ("#" lines are comments):

    T PID start PPID       process PID appears (fork/clone of a process)
    T PID exec             execve succeeded: every region and brk dropped
    T PID mmap ID NPAGES   new anonymous region ID (per process, from 1)
    T PID unmap ID OFF N   pages OFF..OFF+N-1 of region ID unmapped
    T PID mremap ID OFF N M NEWID   pages OFF..+N of ID moved, resized to M,
                           as new region NEWID (mremap with MREMAP_MAYMOVE)
    T PID brk NPAGES       the heap (region 0) is now NPAGES long
    T PID madv ID OFF N ADVICE      madvise (4 DONTNEED, 8 FREE, 9 REMOVE)
    T PID touch ID OFF N   first touch of pages OFF..OFF+N-1 of region ID
    T PID exit             the process ended

T is in microseconds from the start of the trace, PIDs are renumbered
from 1, offsets and sizes are in 4 KiB pages.

What counts as memory (stated in the bench report too):
- regions are private or shared anonymous mappings, writable private
  file mappings (their written pages are anonymous: .data, relocations)
  and the brk heap; read-only file mappings, the initial stack and the
  program's own segments are not replayed;
- a page is touched at its first page fault (perf) after it was mapped
  or dropped; a read fault of an untouched page (the zero page) counts as
  a touch too, and MAP_POPULATE counts as touching the whole mapping;
- threads belong to their process (CLONE_THREAD); a fork child inherits
  its parent's regions, replayed lazily (a region is mapped in the child
  when the child first touches it: copy-on-write pages it never writes
  are shared with the parent and not its own); its brk before an execve
  is not replayed.

Think time: the tool calls were recorded back to back; each call's events
are shifted so that the gap before call I (I > 1) is a draw from a
log-normal distribution, median 3 s, sigma 0.8, clipped to 0.5..12 s,
with random.Random(seed) (Python's Mersenne Twister), plus 1 s before the
first call.
"""
import argparse
import math
import random
import re
import sys

PAGE = 4096
RE_LINE = re.compile(r'^(\d+)\s+(\d+\.\d+)\s+(.*)$')
RE_CALL = re.compile(r'^(\w+)\((.*)\)\s+=\s+(-?\w+)')
MAP_FIXED = 0x10


def pages(n):
    return (n + PAGE - 1) // PAGE


def split_args(s):
    out, depth, cur = [], 0, ''
    for ch in s:
        if ch in '([{':
            depth += 1
        elif ch in ')]}':
            depth -= 1
        if ch == ',' and depth == 0:
            out.append(cur.strip())
            cur = ''
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return out


def num(s):
    s = s.strip()
    if s == 'NULL':
        return 0
    return int(s, 0)


class Region:
    """A live piece [lo, hi) (pages from base) of region id: unmapping a
    hole leaves two pieces with the same id and base."""
    def __init__(self, rid, base, npages, lo=0):
        self.id, self.base, self.lo, self.hi = rid, base, lo, npages
        self.touched = set()    # page offsets from the region's base
        self.emitted = True

    @property
    def npages(self):
        return self.hi

    def piece(self, lo, hi):
        r = Region(self.id, self.base, hi, lo)
        r.touched = {x for x in self.touched if lo <= x < hi}
        r.emitted = self.emitted
        return r


class Proc:
    def __init__(self, pid, ppid):
        self.pid, self.ppid = pid, ppid
        self.regions = []       # sorted by nothing; few enough
        self.next_id = 1
        self.brk_start = None
        self.brk = None         # region 0
        self.alive = True

    def new_id(self):
        self.next_id += 1
        return self.next_id - 1

    def find(self, addr):
        for r in self.regions:
            if r.base + r.lo * PAGE <= addr < r.base + r.hi * PAGE:
                return r
        return None


class Tracer:
    def __init__(self):
        self.ev = []            # (t, seq, text)
        self.seq = 0
        self.procs = {}         # tgid -> Proc
        self.tgid = {}          # tid -> tgid
        self.renum = {}
        self.pending_run = {}   # tgid -> [t, rid, off, n]

    def out_pid(self, pid):
        if pid not in self.renum:
            self.renum[pid] = len(self.renum) + 1
        return self.renum[pid]

    def emit(self, t, pid, text):
        if text != 'touch':
            self.flush_run(pid)
        self.seq += 1
        self.ev.append((t, self.seq, '%d %s' % (self.out_pid(pid), text)))

    def flush_run(self, pid):
        run = self.pending_run.pop(pid, None)
        if run:
            self.seq += 1
            self.ev.append((run[0], self.seq, '%d touch %d %d %d' % (
                self.out_pid(pid), run[1], run[2], run[3])))

    def proc(self, pid, t, ppid=0):
        p = self.procs.get(pid)
        if p is None or not p.alive:
            p = Proc(pid, ppid)
            self.procs[pid] = p
            self.tgid[pid] = pid
            self.emit(t, pid, 'start %d' % (self.out_pid(ppid) if ppid else 0))
        return p

    def ensure_emitted(self, t, p, r):
        if not r.emitted:
            self.emit(t, p.pid, 'mmap %d %d' % (r.id, r.npages))
            r.emitted = True

    # Remove [addr, addr+len) from every region of p (emitting unmaps).
    def cut(self, t, p, addr, length, emit=True):
        end = addr + pages(length) * PAGE
        for r in list(p.regions):
            s_, e_ = r.base + r.lo * PAGE, r.base + r.hi * PAGE
            s, e = max(s_, addr), min(e_, end)
            if s >= e:
                continue
            off, n = (s - r.base) // PAGE, (e - s) // PAGE
            if r.emitted and emit:
                self.emit(t, p.pid, 'unmap %d %d %d' % (r.id, off, n))
            p.regions.remove(r)
            if r.lo < off:
                p.regions.append(r.piece(r.lo, off))
            if off + n < r.hi:
                p.regions.append(r.piece(off + n, r.hi))

    def add_region(self, t, p, base, length, populate):
        r = Region(p.new_id(), base, pages(length))
        p.regions.append(r)
        self.emit(t, p.pid, 'mmap %d %d' % (r.id, r.npages))
        if populate:
            r.touched = set(range(r.npages))
            self.emit(t, p.pid, 'touch %d 0 %d' % (r.id, r.npages))
        return r

    def syscall(self, t, tid, name, args, ret):
        pid = self.tgid.get(tid, tid)
        p = self.proc(pid, t)
        a = split_args(args)
        if ret.startswith('-') or ret == '?':
            return
        if name in ('clone', 'clone3', 'fork', 'vfork'):
            child = int(ret)
            if 'CLONE_THREAD' in args:
                self.tgid[child] = pid
                return
            c = self.proc(child, t, pid)
            for r in p.regions + ([p.brk] if p.brk else []):
                cr = Region(c.new_id(), r.base, r.hi, r.lo)
                cr.emitted = False
                c.regions.append(cr)
            return
        if name == 'execve':
            self.emit(t, pid, 'exec')
            p.regions, p.brk, p.brk_start, p.next_id = [], None, None, 1
            return
        if name == 'mmap':
            addr, length, prot, flags, fd = a[0], num(a[1]), a[2], a[3], a[4]
            ret_addr = int(ret, 16)
            self.cut(t, p, ret_addr, length)
            anon = 'MAP_ANONYMOUS' in flags
            wfile = 'PROT_WRITE' in prot and 'MAP_PRIVATE' in flags
            if anon or wfile:
                self.add_region(t, p, ret_addr, length,
                                'MAP_POPULATE' in flags and anon)
            return
        if name == 'munmap':
            self.cut(t, p, num(a[0]), num(a[1]))
            return
        if name == 'mremap':
            old, oldlen, newlen = num(a[0]), num(a[1]), num(a[2])
            new = int(ret, 16)
            r = p.find(old)
            if r is None:
                return
            self.ensure_emitted(t, p, r)
            off, n = (old - r.base) // PAGE, pages(oldlen)
            nr = Region(p.new_id(), new, pages(newlen))
            nr.touched = {x - off for x in r.touched if off <= x < off + n}
            self.emit(t, pid, 'mremap %d %d %d %d %d' % (r.id, off, n,
                                                       nr.npages, nr.id))
            self.cut(t, p, old, oldlen, emit=False)
            p.regions.append(nr)
            return
        if name == 'brk':
            cur = int(ret, 16)
            if p.brk_start is None:
                if num(a[0]) == 0:
                    p.brk_start = cur
                    p.brk = Region(0, cur, 0)
                return
            n = pages(cur - p.brk_start)
            if n < p.brk.npages:
                p.brk.touched = {x for x in p.brk.touched if x < n}
            p.brk.hi = n
            self.emit(t, pid, 'brk %d' % n)
            return
        if name == 'madvise':
            adv = a[2]
            code = {'MADV_DONTNEED': 4, 'MADV_FREE': 8,
                    'MADV_REMOVE': 9}.get(adv)
            if code is None:
                return
            addr, length = num(a[0]), num(a[1])
            for r in p.regions + ([p.brk] if p.brk else []):
                rs, re_ = r.base + r.lo * PAGE, r.base + r.hi * PAGE
                s, e = max(rs, addr), min(re_, addr + pages(length) * PAGE)
                if s >= e or not r.emitted:
                    continue
                off, n = (s - r.base) // PAGE, (e - s) // PAGE
                self.emit(t, pid, 'madv %d %d %d %d' % (r.id, off, n, code))
                if code != 8:   # MADV_FREE keeps pages until reclaim
                    r.touched -= set(range(off, off + n))
            return

    def exit(self, t, tid):
        if self.tgid.get(tid, tid) != tid:
            return      # a thread
        p = self.procs.get(tid)
        if p and p.alive:
            self.emit(t, tid, 'exit')
            p.alive = False

    def fault(self, t, pid, addr):
        p = self.procs.get(pid)
        if p is None or not p.alive:
            return
        r = p.find(addr)
        if r is None and p.brk and \
                p.brk.base <= addr < p.brk.base + p.brk.npages * PAGE:
            r = p.brk
        if r is None:
            return
        off = (addr - r.base) // PAGE
        if off in r.touched:
            return
        self.ensure_emitted(t, p, r)
        r.touched.add(off)
        run = self.pending_run.get(pid)
        if run and run[1] == r.id and run[2] + run[3] == off:
            run[3] += 1
            return
        self.flush_run(pid)
        self.pending_run[pid] = [t, r.id, off, 1]


def read_strace(path):
    """Yield (t, tid, name, args, ret) and (t, tid, '+++', '', '')."""
    pend = {}
    with open(path, errors='replace') as f:
        for line in f:
            m = RE_LINE.match(line.rstrip('\n'))
            if not m:
                continue
            tid, t, rest = int(m.group(1)), float(m.group(2)), m.group(3)
            if rest.startswith('+++'):
                yield (t, tid, '+++', '', '')
                continue
            if rest.endswith('<unfinished ...>'):
                pend[tid] = (t, rest[:-len('<unfinished ...>')].rstrip())
                continue
            rm = re.match(r'^<\.\.\. (\w+) resumed>(.*)$', rest)
            if rm:
                if tid not in pend:
                    continue
                t, head = pend.pop(tid)
                rest = head + rm.group(2)
            cm = RE_CALL.match(rest)
            if cm:
                yield (t, tid, cm.group(1), cm.group(2), cm.group(3))


def read_faults(path):
    with open(path) as f:
        for line in f:
            w = line.split()
            if len(w) != 3:
                continue
            yield (float(w[1].rstrip(':')), int(w[0]), '#fault', w[2], '')


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', type=int, required=True)
    ap.add_argument('--calls', type=int, required=True)
    ap.add_argument('--session', required=True)
    ap.add_argument('dir')
    o = ap.parse_args()
    rnd = random.Random(o.seed)
    tr = Tracer()
    offset_t = 1.0
    print('# paracell memtrace 1, session %s, seed %d' % (o.session, o.seed))
    print('# think time: log-normal median 3 s sigma 0.8 clipped 0.5..12 s')
    for i in range(1, o.calls + 1):
        d = '%s/call.%d' % (o.dir, i)
        evs = list(read_strace(d + '.strace'))
        if not evs:
            continue
        traced = {e[1] for e in evs}
        evs += [e for e in read_faults(d + '.faults') if e[1] in traced]
        # Syscalls sort before faults at the same time (entry times).
        evs.sort(key=lambda e: (e[0], e[2] == '#fault'))
        t0 = evs[0][0]
        if i > 1:
            gap = math.exp(math.log(3.0) + 0.8 * rnd.gauss(0, 1))
            offset_t += min(12.0, max(0.5, gap))
        with open(d + '.cmd') as f:
            print('# call %d at %.3f s: %s' % (i, offset_t, f.read().strip()))
        last = offset_t
        for (t, tid, name, args, ret) in evs:
            tt = int(round((offset_t + t - t0) * 1e6))
            last = max(last, offset_t + t - t0)
            if name == '#fault':
                tr.fault(tt, tid, int(args, 16))
            elif name == '+++':
                tr.exit(tt, tid)
            else:
                tr.syscall(tt, tid, name, args, ret)
        for pid, p in tr.procs.items():
            if p.alive:
                tr.exit(int(round(last * 1e6)), pid)
        for pid in list(tr.pending_run):
            tr.flush_run(pid)
        tr.procs, tr.tgid = {}, {}
        offset_t = last
    tr.ev.sort()
    for t, _, text in tr.ev:
        print('%d %s' % (t, text))


if __name__ == '__main__':
    sys.exit(main())
