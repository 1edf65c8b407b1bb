#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""ck's own memory per process, page by page (issue 13). Run in the test VM.

    ck-pages.py --ck CK [--wait S] [--opt CKOPT]... -- PROGRAM ARGS...

Starts PROGRAM natively, then as `ck CKOPTS -- PROGRAM ARGS` (transparent
huge pages off, as the bench's driver has them), waits S seconds (default
2) for it to come to rest, and reads each one's /proc/PID/smaps and
/proc/PID/pagemap: the pages present and anonymous (pagemap bit 63 set,
bit 61 clear), mapping by mapping, with the pkey smaps gives each. Pages
of ck's own image (.data/.bss) are named by the symbols on them (nm of
CK). Prints "#" lines: the native and ck totals (Anonymous: and the
pages counted), then ck's mappings, one line each, and the difference.
Both processes are killed after the reading.
"""
import bisect
import ctypes
import struct
import subprocess
import sys
import time

PG = 4096


def maps_of(pid):
    """[(lo, hi, perms, name, pkey, anon_kb)] from /proc/PID/smaps."""
    out, cur = [], None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            w = line.split()
            if "-" in w[0] and not w[0].endswith(":"):
                lo, hi = (int(x, 16) for x in w[0].split("-"))
                cur = [lo, hi, w[1], w[5] if len(w) > 5 else "", "-", 0]
                out.append(cur)
            elif w[0] == "ProtectionKey:":
                cur[4] = w[1]
            elif w[0] == "Anonymous:":
                cur[5] = int(w[1])
    return out


def is_zero_page(pfn):
    """KPF_ZERO_PAGE (bit 24) of /proc/kpageflags: a read, not a write."""
    try:
        with open("/proc/kpageflags", "rb") as f:
            f.seek(pfn * 8)
            (flags,) = struct.unpack("<Q", f.read(8))
    except (OSError, struct.error):
        return False
    return bool(flags >> 24 & 1)


def anon_pages(pid, lo, hi):
    """The present anonymous pages in [lo, hi): [(addr, zero)], zero if
    it is the shared zero page (read, never written: not Anonymous:)."""
    res = []
    try:
        with open(f"/proc/{pid}/pagemap", "rb") as f:
            f.seek(lo // PG * 8)
            data = f.read((hi - lo) // PG * 8)
    except OSError:
        return res
    for i in range(len(data) // 8):
        (e,) = struct.unpack_from("<Q", data, i * 8)
        if e >> 63 & 1 and not e >> 61 & 1:
            res.append((lo + i * PG, is_zero_page(e & ((1 << 55) - 1))))
    return res


def symbols(path):
    """Sorted [(addr, size, name)] of PATH's data and bss symbols."""
    out = subprocess.run(["nm", "-S", "-n", path], capture_output=True,
                         text=True).stdout
    syms = []
    for line in out.splitlines():
        w = line.split()
        if len(w) == 4 and w[2] in "dDbBrR":
            syms.append((int(w[0], 16), int(w[1], 16), w[3]))
    return syms


def on_page(syms, page):
    """The symbols overlapping PAGE, largest first, with their bytes on it."""
    addrs = [s[0] for s in syms]
    i = max(bisect.bisect_right(addrs, page) - 1, 0)
    hits = []
    while i < len(syms) and syms[i][0] < page + PG:
        a, n, name = syms[i]
        part = min(a + n, page + PG) - max(a, page)
        if part > 0:
            hits.append((part, name))
        i += 1
    hits.sort(reverse=True)
    return ", ".join(f"{n}:{p}" for p, n in hits[:4]) + \
        (" ..." if len(hits) > 4 else "")


def probe(cmd, wait):
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(41, 1, 0, 0, 0)        # PR_SET_THP_DISABLE, inherited
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    time.sleep(wait)
    if p.poll() is not None:
        sys.exit(f"ck-pages: {cmd} exited ({p.returncode}) before the reading")
    maps = maps_of(p.pid)
    pages = [(m, anon_pages(p.pid, m[0], m[1])) for m in maps]
    p.kill()
    p.wait()
    return pages


def main():
    args = sys.argv[1:]
    ck, wait, opts = None, 2.0, []
    while args and args[0] != "--":
        if args[0] == "--ck":
            ck = args[1]
        elif args[0] == "--wait":
            wait = float(args[1])
        elif args[0] == "--opt":
            opts.append(args[1])
        else:
            sys.exit(__doc__)
        args = args[2:]
    prog = args[1:]
    if not ck or not prog:
        sys.exit(__doc__)
    syms = symbols(ck)
    nat = probe(prog, wait)
    ckp = probe([ck] + opts + ["--"] + prog, wait)
    tot = {}
    for name, pages in (("native", nat), ("ck", ckp)):
        kb = sum(m[5] for m, _ in pages)
        n = sum(1 for _, a in pages for _, z in a if not z)
        z = sum(1 for _, a in pages for _, z in a if z)
        tot[name] = n
        print(f"# {name}: Anonymous: {kb} kB, {n} anonymous pages present "
              f"(and {z} read-only zero pages)")
    for m, addrs in ckp:
        if not addrs:
            continue
        lo, hi, perms, name, pkey, _ = m
        print(f"# {lo:x}-{hi:x} {perms} pkey {pkey} {name or '[anon]'} "
              f"({(hi - lo) // 1024} kB): "
              f"{sum(1 for _, z in addrs if not z)} pages")
        for a, z in addrs:
            where = on_page(syms, a) if syms and \
                syms[0][0] <= a < syms[-1][0] + syms[-1][1] else ""
            print(f"#   {a:x} +{(a - lo) // PG}{' (zero page)' if z else ''}"
                  f" {where}")
    print(f"# ck minus native: {tot['ck'] - tot['native']} pages, "
          f"{(tot['ck'] - tot['native']) * 4} kB")


main()
