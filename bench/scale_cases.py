#!/usr/bin/env python3
"""scale_cases.py — the scale cases of racecheck (a script, not a test).

Builds the programs in bench/programs_scale natively and with `racecheck cc -O2`, runs each case
natively and under `racecheck run -q --no-confirm` (one schedule) REPEAT times, and prints median
wall time and peak RSS (bench/peak_rss.c) and their ratios to native:
  threads-1k / threads-10k  many_threads.c: 1,000 and 10,000 short threads, 64 alive at a time
                            (the per-thread cost should stay flat);
  malloc-4g                 big_malloc.c: a 4 GiB malloc touched once per MiB by two threads;
  mmap-1g                   mmap_file.c: a 1 GiB file mapped and read as 64-bit words by one thread;
  sem-ring-6 / sem-ring-7   semaphore_ring.c with 6 and 7 threads and one permit (lock-order cycles
                            the semaphore serialises: nothing to report), run with confirmation on;
  sem-ring-6x2 / -7x2       the same with two permits: real potential deadlocks, confirmed.
Usage: bench/scale_cases.py [--build DIR] [--repeat N] [--only NAME,...]
"""
import argparse, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "bench" / "programs_scale"


def run_once(peak_rss, cmd):
    start = time.perf_counter()
    proc = subprocess.run([peak_rss] + cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                          text=True, errors="replace")
    elapsed = time.perf_counter() - start
    rss = 0
    for line in proc.stderr.splitlines():
        if line.startswith("peak_rss_kib "):
            rss = int(line.split()[1])
    return elapsed, rss, proc.returncode, proc.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--only", default="")
    args = ap.parse_args()
    racecheck = str(Path(args.build) / "bin" / "racecheck")
    with tempfile.TemporaryDirectory(prefix="racecheck-scale-") as work:
        work = Path(work)
        peak_rss = str(work / "peak_rss")
        subprocess.run(["clang-19", "-O2", str(ROOT / "bench" / "peak_rss.c"), "-o", peak_rss], check=True)
        for name in ("many_threads", "big_malloc", "mmap_file", "semaphore_ring"):
            src = str(PROGRAMS / f"{name}.c")
            subprocess.run(["clang-19", "-O2", "-pthread", src, "-o", str(work / f"{name}.native")], check=True)
            subprocess.run([racecheck, "cc", "-O2", "-pthread", src, "-o", str(work / f"{name}.rc")], check=True)
        data = work / "data.bin"
        with open(data, "wb") as f:  # real pages, so that reading them is real work
            block = bytes(range(256)) * 4096
            for _ in range(1024):
                f.write(block)
        quick = ["run", "-q", "--no-confirm", "--"]
        cases = [
            ("threads-1k", ["many_threads", "1000"], quick),
            ("threads-10k", ["many_threads", "10000"], quick),
            ("malloc-4g", ["big_malloc", "4"], quick),
            ("mmap-1g", ["mmap_file", str(data)], quick),
            ("sem-ring-6", ["semaphore_ring", "6", "1"], ["run", "-q", "--"]),
            ("sem-ring-7", ["semaphore_ring", "7", "1"], ["run", "-q", "--"]),
            ("sem-ring-6x2", ["semaphore_ring", "6", "2"], ["run", "-q", "--"]),
            ("sem-ring-7x2", ["semaphore_ring", "7", "2"], ["run", "-q", "--"]),
        ]
        only = set(filter(None, args.only.split(",")))
        print(f"{'case':14} {'native s':>9} {'rc s':>8} {'ratio':>7} {'native MiB':>11} {'rc MiB':>8} {'ratio':>6}  rc exit")
        for name, (prog, *pargs), verb in cases:
            if only and name not in only:
                continue
            native_cmd = [str(work / f"{prog}.native")] + pargs
            rc_cmd = [racecheck] + verb + [str(work / f"{prog}.rc")] + pargs
            nt, nr, rt, rr, status = [], [], [], [], 0
            for _ in range(args.repeat):
                t, r, _, _ = run_once(peak_rss, native_cmd)
                nt.append(t); nr.append(r)
                t, r, status, _ = run_once(peak_rss, rc_cmd)
                rt.append(t); rr.append(r)
            n_t, r_t = statistics.median(nt), statistics.median(rt)
            n_r, r_r = statistics.median(nr) / 1024, statistics.median(rr) / 1024
            print(f"{name:14} {n_t:9.3f} {r_t:8.2f} {r_t / n_t:7.1f} {n_r:11.0f} {r_r:8.0f} "
                  f"{r_r / max(n_r, 1):6.1f}  {status}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
