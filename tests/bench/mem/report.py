#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""The memory-elasticity report of mem.bench (issue 13).

    report.py --dir BUILD --trace A.trace --held-out B.trace

Reads BUILD/vm.out (the test VM's output, each line prefixed with the
host's time: "S NAME T ANON_KIB NLIVE" samples of the driver, "E NAME ..."
the replayers' counts, "K NAME T MEMFREE NBLOCKS HEX" the guest's free
2 MiB blocks, "MEMBENCH-START/END NAME") and BUILD/qemu.rss (host time,
qemu's Rss: and Anonymous: in KiB), prints a table per trace (A, the
tuning one: runs guest, ckt, ck, ckr; B, the check: the same names + B)
and writes the plots' data and BUILD/mem-bench.gp.

Measured: the replays' resident memory (sum of Anonymous: of the
replayers, ck included) and qemu's resident memory above its level just
before the guest replay started (the guest's kernel, page cache and
qemu's own TCG buffers are not the workload's, and an idle guest has
already reported its free memory).

Modelled, on the guest's real free-page state during its replay (the K
lines, every 250 ms): a 2 MiB block is held by the host unless free.
  free-page-reporting-like (Linux mm/page_reporting.c): free blocks of
    order >= pageblock_order (9: 2 MiB) are reported after a delay of
    2 s (PAGE_REPORTING_DELAY) and the host discards them; a block is
    back at the host's cost as soon as the guest allocates from it.
    Rule: a block is released once it has been free for 2 s.
  HyperAlloc-like (Wrenger et al., "HyperAlloc", EuroSys 2025; the
    issue's rule): the host reclaims free 2 MiB frames every 5 s, and an
    allocation in a reclaimed frame brings all of it back. Rule: at every
    5 s tick, the blocks free at that moment are released. (HyperAlloc's
    own allocator, LLFree, packs allocations to keep 2 MiB frames free;
    the guest here runs Linux's buddy allocator, so the model sees the
    buddy's fragmentation: it errs in the VM's disfavour.)
  Both start from the guest's state at the replay's start (blocks free
  then are taken as already released) and report memory above it.
"""
import argparse
import os
import sys

import policy
import trace

KIB_S_PER_GIB_S = 1024.0 * 1024.0
BLOCK_KIB = 2048


def read_vm(path):
    samples, counts, kpf, marks, acct = {}, {}, {}, {}, {}
    with open(path, errors='replace') as f:
        for line in f:
            w = line.split()
            if len(w) < 2:
                continue
            host = float(w[0])
            if w[1] == 'S' and len(w) >= 6:
                samples.setdefault(w[2], []).append((float(w[3]), int(w[4])))
            elif w[1] == 'E' and len(w) >= 4 and w[3] == 'replayer:':
                c = counts.setdefault(w[2], {})
                kv = w[6:]
                if len(kv) != 12 or not all(x.isdigit() for x in kv[1::2]):
                    continue
                for k, v in zip(kv[0::2], kv[1::2]):
                    if k == 'lag_us':
                        c['lag_us'] = max(c.get('lag_us', 0), int(v))
                    else:
                        c[k] = c.get(k, 0) + int(v)
            elif w[1] == 'A' and len(w) == 6:
                acct.setdefault(w[2], {}).setdefault(int(w[3]), []).append(
                    (int(w[4]) / 1e6, int(w[5])))
            elif w[1] == 'K' and len(w) >= 7:
                kpf.setdefault(w[2], []).append((float(w[3]), int(w[4]), int(w[5]), w[6]))
            elif w[1].startswith('MEMBENCH-') and len(w) >= 3:
                marks[(w[1], w[2])] = host
    return samples, counts, kpf, marks, acct


def trace_time_series(per_pid):
    """Sum of the replayers' memory after each of their events, in trace
    time: [(t, kib)] (a replayer's last value holds until its next)."""
    deltas = []
    for rows in per_pid.values():
        prev = 0
        for t, v in rows:
            deltas.append((t, v - prev))
            prev = v
    deltas.sort()
    out, cur = [], 0
    for t, d in deltas:
        cur += d
        if out and out[-1][0] == t:
            out[-1] = (t, cur)
        else:
            out.append((t, cur))
    return out


def integral(series, t_end):
    """KiB*s of a step series [(t, kib)] over [0, t_end]."""
    total = 0.0
    for i, (t, v) in enumerate(series):
        if t >= t_end:
            break
        t2 = series[i + 1][0] if i + 1 < len(series) else t_end
        total += v * (min(t2, t_end) - max(t, 0.0)) if t2 > 0 else 0.0
    return total


def at(series, t):
    v = 0
    for ts, x in series:
        if ts > t:
            break
        v = x
    return v


def blocks(hexmap, nb):
    out = set()
    for i, ch in enumerate(hexmap):
        d = int(ch, 16)
        for k in range(4):
            if d >> k & 1 and i * 4 + k < nb:
                out.add(i * 4 + k)
    return out


def model(kpf, rule):
    """Held memory above the start, [(t, kib)], for 'fpr' or 'ha' (only
    the change is meaningful: a block the guest has not touched since
    boot is not resident in the host, but the model cannot tell)."""
    if not kpf:
        return []
    nb = kpf[0][2]
    released = blocks(kpf[0][3], nb)
    free_since = {b: kpf[0][0] for b in released}
    base = nb - len(released)
    out, tick = [], 5.0
    for t, _, _, hx in kpf:
        free = blocks(hx, nb)
        for b in list(free_since):
            if b not in free:
                del free_since[b]
        for b in free:
            free_since.setdefault(b, t)
        released &= free            # an allocation brings a block back
        if rule == 'fpr':
            released |= {b for b in free if t - free_since[b] >= 2.0}
        else:
            while t >= tick:
                released |= free
                tick += 5.0
        out.append((t, (nb - len(released) - base) * BLOCK_KIB))
    return out


def qemu_series(dir_, t0_host, col, absolute=False):
    """qemu's Rss: (col 1) or its guest RAM's (col 2) above its median
    in the 2 s before the replay (or all of it), [(t, kib)] from the
    replay's start."""
    rows = []
    with open(os.path.join(dir_, 'qemu.rss')) as f:
        for line in f:
            w = line.split()
            if len(w) == 3:
                rows.append((float(w[0]), int(w[col])))
    before = sorted(r for h, r in rows if t0_host - 2.0 <= h < t0_host)
    if not before:
        return [], 0
    base = 0 if absolute else before[len(before) // 2]
    return [(h - t0_host, r - base) for h, r in rows if h >= t0_host], \
        before[len(before) // 2]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--dir', required=True)
    ap.add_argument('--trace', required=True)
    ap.add_argument('--held-out', required=True)
    ap.add_argument('--policy', required=True,
                    help="the tuned policy ck ran as --pager-policy (brk:N,mmap:N)")
    o = ap.parse_args()
    samples, counts, kpf, marks, acct = read_vm(os.path.join(o.dir, 'vm.out'))
    # ParaCell and the native replay: memory after every event, in trace
    # time (TCG makes ck lag the timeline; see the lag line). Fall back to
    # the driver's wall-clock samples where a run has no -a output.
    for n in acct:
        samples[n] = trace_time_series(acct[n])
    tuned = [int(x.split(':')[1]) for x in o.policy.split(',')] + [0.0]
    print('mem: ParaCell and the native replay: replayers\' Anonymous: (ck included) in'
          ' trace time; QEMU: host-side Rss every 100 ms (wall clock from the replay\'s'
          ' start), above its level just before it ("above idle") or all of it; the'
          ' policies: modelled on the guest\'s free 2 MiB blocks (report.py\'s header)')
    print('mem: ParaCell ran with the Pager on the module; "tuned" is ck'
          ' --pager-policy=%s (policy.py --tune on trace A, ck\'s default where no'
          ' policy is within the budget; ck\'s default is %s%s),'
          ' "64 MiB brk" --pager-policy=brk:16384,mmap:0,stack:4 (ck\'s default'
          ' before the tuning)' % (
              o.policy, policy.ck_option(policy.CK_DEFAULT),
              '' if tuple(tuned) == policy.CK_DEFAULT else
              ': NOT the tuned policy, pager.c and the tuning disagree'))
    plots = []
    for name, path, sfx in (('A', o.trace, ''), ('B', o.held_out, 'B')):
        if not samples.get('ckt' + sfx) and sfx:
            print('mem: trace B: not replayed (no samples)')
            continue
        plots.append(report_trace(o, name, path, sfx, tuned, samples, counts,
                                  kpf, marks))
    policy_report(o.trace, o.held_out)
    plot(o.dir, plots)


def report_trace(o, tname, path, sfx, tuned, samples, counts, kpf, marks):
    """The table, waste and faults of one trace's four replays (run names
    guest, ckt, ck, ckr, each + sfx); returns (trace name, systems, t_end)
    for the plot."""
    r = {n: n + sfx for n in ('guest', 'ckt', 'ck', 'ckr')}
    for n in r.values():
        if not samples.get(n):
            sys.exit('report: no samples of the %s replay in vm.out' % n)
    ts, live, _ = trace.live_series(path)
    live_s = list(zip(ts, live))
    peak_live = max(live)
    t_trace = ts[-1]
    # The driver's T0 is 0.3 s after it starts, just after the START mark.
    t0_host = marks.get(('MEMBENCH-START', r['guest']), 0.0) + 0.3
    qemu, qbase = qemu_series(o.dir, t0_host, 1)
    qram, rbase = qemu_series(o.dir, t0_host, 2)
    kp = kpf.get(r['guest'], [])
    systems = [
        ('trace (live pages)', 'trace', live_s),
        ('ParaCell: ck, tuned policy', 'measured', samples[r['ckt']]),
        ('ParaCell: ck, 64 MiB brk (before)', 'measured', samples[r['ck']]),
        ('ParaCell: ck --no-bind', 'measured', samples[r['ckr']]),
        ('native replay (guest, no ck)', 'measured', samples[r['guest']]),
        ('QEMU guest RAM, FPR, above idle', 'measured', qram),
        ('QEMU process (+TCG), above idle', 'measured', qemu),
        ('free-page-reporting-like, above', 'modelled', model(kp, 'fpr')),
        ('HyperAlloc-like, above idle', 'modelled', model(kp, 'ha')),
        ('QEMU guest RAM, FPR, all of it', 'measured',
         qemu_series(o.dir, t0_host, 2, absolute=True)[0]),
    ]
    # The window: the trace and 6 s after it (a VM returns memory late).
    t_end = t_trace + policy.AFTER
    ck_gibs = integral(samples[r['ckt']], t_end) / KIB_S_PER_GIB_S
    ckd_gibs = integral(samples[r['ck']], t_end) / KIB_S_PER_GIB_S
    print('mem: trace %s%s: %d processes, %.1f s; peak live %.1f MiB; window 0..%.1f s'
          ' (6 s after the trace: a VM returns memory late)' % (
              tname, ' (the check: not used for tuning)' if sfx else ' (tuning)',
              len({p for p in trace_pids(path)}), t_trace, peak_live / 1024, t_end))
    print('mem: %s %-34s %-9s %9s %9s %10s %10s' % (tname, 'system', 'kind', 'GiB*s',
                                                  'peak MiB', 'tuned/sys', 'before/sys'))
    rows = {}
    for name, kind, s in systems:
        if not s:
            print('mem: %s %-34s %-9s (no data)' % (tname, name, kind))
            continue
        g = integral(s, t_end) / KIB_S_PER_GIB_S
        pk = max(v for t, v in s if t <= t_end) / 1024
        rows[name] = g
        print('mem: %s %-34s %-9s %9.3f %9.1f %10s %10s' % (
            tname, name, kind, g, pk, '%.3f' % (ck_gibs / g) if g > 0 else '-',
            '%.3f' % (ckd_gibs / g) if g > 0 else '-'))
    print('mem: %s QEMU resident just before the guest replay ("idle"): process %.1f MiB'
          ' (TCG\'s code buffer included), guest RAM %.1f MiB' % (
              tname, qbase / 1024, rbase / 1024))
    # Waste. Raw: resident memory above what the trace has live. The
    # target is judged above the native replay of the same trace in the
    # same boot (what ParaCell adds: the replayer's own stack, data and
    # buffers, which the trace does not count, are in both), split into
    # ck's own memory (--no-bind minus native) and what the policy bound
    # ahead and the program had not touched (the policy minus --no-bind).
    waste = {}
    for n, label in (('ckt', 'ck, tuned'), ('ck', 'ck, 64 MiB'), ('ckr', 'ck --no-bind'),
                     ('guest', 'native')):
        s = samples[r[n]]
        over = [(t, max(0, v - at(live_s, t))) for t, v in s]
        waste[n] = integral(over, t_end) / t_end
        print('mem: %s waste %-12s mean resident above live %7.0f KiB = %.2f%% of peak live' % (
            tname, label, waste[n], 100.0 * waste[n] / peak_live))
    pct = lambda k: 100.0 * k / peak_live
    nproc = trace.mean_procs(path, t_end)
    own = waste['ckr'] - waste['guest']
    stack = waste['ckt'] - waste['ckr'] - policy.simulate(path, *tuned)['mean_waste_kib']
    print('mem: %s a process alive (%.2f on average): ck\'s own memory (--no-bind minus'
          ' native) %.0f KiB (the tuning assumes %.0f: policy.CK_OWN_KIB); the stack ck'
          ' binds and the program does not touch (tuned minus --no-bind minus the'
          ' model\'s binding) %.0f KiB (policy.STACK_KIB: %.0f)' % (
              tname, nproc, own / nproc if nproc else 0, policy.CK_OWN_KIB,
              stack / nproc if nproc else 0, policy.STACK_KIB))
    for n, label, pol in (('ckt', 'tuned', tuned), ('ck', '64 MiB brk', policy.CK_BEFORE)):
        m = policy.simulate(path, *pol)
        print('mem: %s waste of ck, %s, above the native replay %.2f%% of peak'
              ' (<= 0.4%%: %s) = ck\'s own memory (--no-bind minus native) %.2f%%'
              ' + bound ahead and not yet touched (%s minus --no-bind) %.2f%%'
              ' (model, the stack included: %.2f%% + %.2f%%); raw, above the trace\'s live pages,'
              ' %.2f%% (the native replay\'s own: %.2f%%)' % (
                  tname, label, pct(waste[n] - waste['guest']),
                  'met' if pct(waste[n] - waste['guest']) <= 0.4 else 'NOT met',
                  pct(own), label, pct(waste[n] - waste['ckr']),
                  pct(policy.CK_OWN_KIB * nproc),
                  pct(m['mean_waste_kib'] + policy.STACK_KIB * nproc),
                  pct(waste[n]), pct(waste['guest'])))
    for n in ('ckt', 'ck', 'ckr', 'guest'):
        c = counts.get(r[n], {})
        print('mem: %s faults %-6s touches %d (heap %d): faults on heap touches %d,'
              ' elsewhere %d; worst lag %.2f s' % (
                  tname, n, c.get('touched', 0), c.get('heap_touched', 0),
                  c.get('heap_faults', 0), c.get('mmap_faults', 0),
                  c.get('lag_us', 0) / 1e6))
    mt = policy.simulate(path, *tuned)
    ct = counts.get(r['ckt'], {})
    print('mem: %s faults the tuned policy leaves (model: touches of pages it did not'
          ' bind): %d; measured under ck, tuned: %d' % (
              tname, mt['faults'], ct.get('heap_faults', 0) + ct.get('mmap_faults', 0)))

    def ratio(name):
        g = rows.get(name)
        return '%.3f' % (ck_gibs / g) if g else '-'
    print('mem: %s targets (ck, tuned): ck/HyperAlloc-like %s above idle (<= 0.6);'
          ' ck/QEMU guest %s above idle, %s all of it (<= 0.5); waste above the'
          ' native replay %.2f%% of peak (<= 0.4%%: %s; raw %.2f%%); 0 faults on memory ck bound (the model\'s faults are'
          ' exactly the touches of pages ck did not bind, measured %d against %d;'
          ' with 64 MiB of brk bound: %d faults on heap touches)' % (
              tname, ratio('HyperAlloc-like, above idle'),
              ratio('QEMU guest RAM, FPR, above idle'),
              ratio('QEMU guest RAM, FPR, all of it'),
              pct(waste['ckt'] - waste['guest']),
              'met' if pct(waste['ckt'] - waste['guest']) <= 0.4 else 'NOT met',
              pct(waste['ckt']),
              ct.get('heap_faults', 0) + ct.get('mmap_faults', 0), mt['faults'],
              counts.get(r['ck'], {}).get('heap_faults', -1)))
    return tname, systems, t_end


def trace_pids(path):
    for _, pid, op, _ in trace.events(path):
        if op == 'start':
            yield pid


def policy_report(a, b):
    _, live_a, _ = trace.live_series(a)
    _, live_b, _ = trace.live_series(b)
    peak_a, peak_b = max(live_a), max(live_b)
    best = policy.tune(a, peak_a)
    print('mem: Pager policy (modelled on the traces; brk_cap and mmap_head in'
          ' pages, unbind delay in s), tuned on A (fewest faults with the mean'
          ' binding waste + ck\'s own memory and unused stack, %.0f KiB a process,'
          ' <= %.2f%% of peak: %.2f%% less a margin for noise), checked on B;'
          ' waste is the mean over the window, "+own" adds ck\'s own:' % (
              policy.CK_OWN_KIB + policy.STACK_KIB, 100 * (policy.BUDGET - policy.MARGIN),
              100 * policy.BUDGET))
    own_a = 100 * policy.ck_own_kib(a) / peak_a
    own_b = 100 * policy.ck_own_kib(b) / peak_b
    pols = [('64 MiB brk', policy.CK_BEFORE), ('ck default', policy.CK_DEFAULT),
            ('brk 0 mmap 1', (0, 1, 0.0)), ('brk 0 mmap 0', (0, 0, 0.0))]
    if best:
        pols.append(('tuned on A', best[1]))
    else:
        print('mem:   tuned on A: no policy within the budget: ck\'s own memory and'
              ' unused stack alone are %.2f%% of A\'s peak in the model, so ck\'s'
              ' default stands (and ran as "tuned")' % own_a)
    for name, pol in pols:
        ra, rb = policy.simulate(a, *pol), policy.simulate(b, *pol)
        wa, wb = 100 * ra['mean_waste_kib'] / peak_a, 100 * rb['mean_waste_kib'] / peak_b
        print('mem:   %-12s %-17s A: faults %6d waste %5.2f%% +own %5.2f%%'
              '   B: faults %6d waste %5.2f%% +own %5.2f%%' % (
                  name, '%d/%d/%.1f' % pol, ra['faults'], wa, wa + own_a,
                  rb['faults'], wb, wb + own_b))


def plot(dir_, plots):
    """BUILD/mem-bench.gp: trace A's plot in mem-bench.png, trace B's in
    mem-bench-B.png."""
    with open(os.path.join(dir_, 'mem-bench.gp'), 'w') as f:
        f.write('set terminal pngcairo size 1200,700\n')
        f.write("set xlabel 'trace time (s)'\nset ylabel 'resident (MiB)'\n")
        f.write('set key outside below\nset grid\n')
        for tname, systems, t_end in plots:
            files = []
            for i, (name, kind, s) in enumerate(systems):
                if not s or 'all of it' in name:    # off the scale: in the title
                    continue
                fn = os.path.join(dir_, 'series.%s.%d.dat' % (tname, i))
                with open(fn, 'w') as d:
                    for t, v in s:
                        if t <= t_end:
                            d.write('%.3f %.3f\n' % (t, v / 1024))
                files.append((fn, '%s (%s)' % (name, kind)))
            f.write("set output '%s'\n" % os.path.join(
                dir_, 'mem-bench%s.png' % ('' if tname == 'A' else '-' + tname)))
            qall = [s for n, _, s in systems if 'all of it' in n and s]
            f.write("set title 'Memory over time, trace %s: ParaCell measured; the QEMU"
                    " guest measured above its idle level (all of its RAM: %.0f..%.0f MiB);"
                    " policies modelled'\n" % (
                        tname,
                        min(v for _, v in qall[0]) / 1024 if qall else 0,
                        max(v for _, v in qall[0]) / 1024 if qall else 0))
            f.write('plot ' + ', '.join("'%s' using 1:2 with steps title '%s'" % (fn, t)
                                        for fn, t in files) + '\n')


if __name__ == '__main__':
    sys.exit(main())
