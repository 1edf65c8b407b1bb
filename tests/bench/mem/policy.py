# SPDX-License-Identifier: Apache-2.0
"""A Pager policy replayed on a trace (a model; ck runs the same policy
for real with --pager-policy=brk:N,mmap:N, which mem.bench measures).

    policy.py --tune TRACE     prints the policy tuned on TRACE as ck's
                               option value (brk:N,mmap:N)

A policy is (brk_cap, mmap_head, unbind_delay):
  brk_cap       pages bound of each brk growth (ck's default: 8, tuned
                here; before it 64 MiB = 16384); the rest of a growth is
                left to faults;
  mmap_head     pages bound at the start of each anonymous mmap (ck's
                default: 1; MAP_POPULATE and stacks are bound anyway);
  unbind_delay  seconds a brk shrink keeps its pages before the UNBIND
                (ck: 0, at once; ck has no delayed unbind, so the tuning
                grid holds 0 only); a regrowth within the delay finds
                them still bound.
simulate() walks the trace's events in time and returns
  faults      first touches of pages the policy had not bound (reactive
              faults: ck's cost), and
  waste       memory bound and not live (bound but not yet touched, or
              kept after a free), integrated over time (KiB*s), with its
              mean over mem.bench's window (the trace and AFTER s after
              it, where report.py measures it) and its peak.
Touches in the trace are first touches (mktrace.py), so a touch of a page
the policy bound costs no fault and ends that page's waste.
"""
from trace import events, live_series, mean_procs


class P:
    def __init__(self):
        self.heap = 0              # heap size in pages
        self.bound = {}            # region id -> set of bound, untouched pages
        self.touched_heap = set()
        self.parked = {}           # heap page -> expiry (s)


def simulate(path, brk_cap, mmap_head, unbind_delay):
    procs = {}
    waste = 0                      # pages, now
    integral = 0.0                 # KiB*s
    peak = 0
    faults = 0
    t_prev = None
    t_end = 0.0

    def expire(p, t):
        nonlocal waste
        for pg in [pg for pg, e in p.parked.items() if e <= t]:
            del p.parked[pg]
            waste -= 1

    for t_us, pid, op, a in events(path):
        t = t_us / 1e6
        if t_prev is not None:
            integral += waste * 4 * (t - t_prev)
        t_prev = t_end = t
        p = procs.setdefault(pid, P())
        if p.parked:
            expire(p, t)
        b = p.bound
        if op == 'mmap':
            b[a[0]] = set(range(min(mmap_head, a[1])))
            waste += len(b[a[0]])
        elif op in ('unmap', 'madv'):
            if op == 'madv' and a[3] not in (4, 9):
                continue
            s = b.get(a[0], set())
            gone = {x for x in s if a[1] <= x < a[1] + a[2]}
            s -= gone
            waste -= len(gone)
            if a[0] == 0:
                p.touched_heap -= set(range(a[1], a[1] + a[2]))
        elif op == 'mremap':
            rid, off, n, m, new = a
            s = b.get(rid, set())
            moved = {x - off for x in s if off <= x < off + n}
            s -= {x + off for x in moved}
            b[new] = {x for x in moved if x < m}
            waste -= len(moved) - len(b[new])
        elif op == 'brk':
            n, old = a[0], p.heap
            s = b.setdefault(0, set())
            if n > old:
                for pg in range(old, n):
                    if pg in p.parked:
                        del p.parked[pg]
                        if pg in p.touched_heap:
                            p.touched_heap.discard(pg)
                        s.add(pg)   # still bound: stays waste until touched
                want = set(range(old, old + min(n - old, brk_cap))) - s
                s |= want
                waste += len(want)
            elif n < old:
                cut = {x for x in s if x >= n}
                s -= cut
                if unbind_delay > 0:
                    keep = cut | {x for x in p.touched_heap if x >= n}
                    for pg in keep:
                        if pg not in p.parked:
                            p.parked[pg] = t + unbind_delay
                            if pg not in cut:
                                waste += 1
                else:
                    waste -= len(cut)
                p.touched_heap = {x for x in p.touched_heap if x < n}
            p.heap = n
        elif op == 'touch':
            s = b.get(a[0], set())
            for pg in range(a[1], a[1] + a[2]):
                if pg in s:
                    s.discard(pg)
                    waste -= 1
                else:
                    faults += 1
                if a[0] == 0:
                    p.touched_heap.add(pg)
        elif op in ('exec', 'exit'):
            waste -= sum(len(s) for s in b.values()) + len(p.parked)
            procs[pid] = P()
        peak = max(peak, waste)
    return {'faults': faults, 'waste_kib_s': integral,
            'mean_waste_kib': integral / (t_end + AFTER),
            'peak_waste_kib': peak * 4}


# The window of the means: the trace and 6 s after it (report.py's: a VM
# returns memory late).
AFTER = 6.0
# ck's default (pager.c: brk:0,mmap:4, tuned on trace A with ck's own
# memory at 52 KiB a process; brk:8,mmap:1 before, when no policy was
# within the budget) and the one before the tuning (the first 64 MiB of
# a brk growth bound).
CK_DEFAULT = (0, 4, 0.0)
CK_BEFORE = (16384, 0, 0.0)
GRID = [(c, h, 0.0) for c in (0, 1, 2, 4, 8, 16, 32, 64, 256, 16384)
        for h in (0, 1, 4)]
# The target (issue 13): ParaCell's waste above the native replay of the
# same trace at most 0.4% of the trace's peak live memory. It is made of
# what the policy binds ahead (simulate()) and ck's own memory, a fixed
# amount per process whatever the policy: CK_OWN_KIB, measured by
# mem.bench (the --no-bind replay minus the native one, a process alive;
# report.py prints it for both traces), and STACK_KIB, the pages of
# stack:4 ck binds and the replayer never touches (measured: the tuned
# replay minus --no-bind minus the model's binding, a process; the trace
# has no stack events). MARGIN keeps the tuning clear of the run-to-run
# noise of the measured waste.
BUDGET = 0.004
MARGIN = 0.0005
# Measured 2026-12-07 (THP off, a boot a trace): --no-bind minus native
# 52 KiB a process on A and on B (93-95 before ck gave its start-up and
# seal-pass scratch back, 2026-12-06); the stack 8 and 8 KiB (10, 8 and
# 10 before). With 52, brk:0,mmap:4 is 0.350% of A's peak in the model,
# just within 0.4% less the margin: a few KiB more of ck a process and
# the tuning moves to brk:2,mmap:1 (0.33%, 242 more faults on A).
CK_OWN_KIB = 52.0
STACK_KIB = 9.0


def ck_own_kib(path):
    """The model of what ck holds a process whatever the brk and mmap
    policy, CK_OWN_KIB + STACK_KIB a process alive, mean over the window
    (KiB)."""
    ts, _, _ = live_series(path)
    return (CK_OWN_KIB + STACK_KIB) * mean_procs(path, ts[-1] + AFTER)


def tune(path, peak_live_kib, budget=BUDGET, margin=MARGIN):
    """The policy with the fewest faults whose waste above the native
    replay (the model's mean binding waste + ck's own memory,
    ck_own_kib()) stays within (budget - margin) x the trace's peak live
    memory (ties: less waste)."""
    own = ck_own_kib(path)
    best = None
    for pol in GRID:
        r = simulate(path, *pol)
        if r['mean_waste_kib'] + own > (budget - margin) * peak_live_kib:
            continue
        key = (r['faults'], r['mean_waste_kib'])
        if best is None or key < best[0]:
            best = (key, pol, r)
    return best


def ck_option(pol):
    """ck's --pager-policy value for a policy of the grid."""
    return 'brk:%d,mmap:%d' % (pol[0], pol[1])


if __name__ == '__main__':
    import sys
    import trace
    if len(sys.argv) != 3 or sys.argv[1] != '--tune':
        sys.exit('usage: policy.py --tune TRACE')
    _, live, _ = trace.live_series(sys.argv[2])
    best = tune(sys.argv[2], max(live))
    if not best:
        # ck's own memory alone is over the budget: no policy meets the
        # target, and the tuning cannot choose by it; ck's default stands
        # (report.py says so).
        sys.stderr.write('policy.py: no policy within the budget: ck\'s own memory'
                         ' and unused stack alone are %.2f%% of the peak (budget'
                         ' %.2f%%); ck\'s default stands\n' % (
                             100 * ck_own_kib(sys.argv[2]) / max(live),
                             100 * (BUDGET - MARGIN)))
        best = (None, CK_DEFAULT, None)
    print(ck_option(best[1]))
