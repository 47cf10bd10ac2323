#!/usr/bin/env python3
"""bench.py — racecheck's benchmark harness (a script, not a test).

Builds each program in bench/programs three ways (native, racecheck,
ThreadSanitizer) with clang-19 -O2, runs them in interleaved rounds (native,
racecheck, tsan, native, ...) on this machine, so that load drifting during the
run hits all three alike, and prints median wall time, peak RSS and the ratios
racecheck/native, tsan/native and racecheck/tsan (medians of the per-round
ratios). The switch cost comes from
yield_pingpong: racecheck time / switches reported in the run record (an upper
bound: the rest of the run is charged to the switches too). Each row also
gives the peak RSS of each variant and racecheck's scheduling points and
switches (from its run record). The scalable programs (bench_scale.h) run
their operation counts times --scale: 1 is the full size (millions of
operations, minutes under a slow tool), the default 0.1 keeps a run short.
Usage: bench/bench.py [--build DIR] [--repeat N] [--scale F] [--only NAME,...]
"""
import argparse, os, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS = ROOT / "bench" / "programs"
# What kind of load each program is: the slowdown target applies to compute.
KIND = {"matmul": "compute", "histogram": "compute", "stencil": "compute", "scale": "compute", "lost_update": "racy-loop",
        "mutex_counter": "sync", "producer_consumer": "sync", "yield_pingpong": "switches",
        "pipe_pingpong": "io", "lock_4threads": "sync", "lock_8threads": "sync",
        "rwlock_readers": "sync", "condvar_queue": "sync", "condvar_pipeline": "sync",
        "relaxed_histogram": "atomics", "striped_map": "sync", "short_threads": "threads",
        "sched_points": "sync"}


def run_once(peak_rss, cmd, env):
    """Run cmd under the peak_rss helper, return (seconds, peak RSS in KiB, exit status)."""
    start = time.perf_counter()
    proc = subprocess.run([peak_rss] + cmd, env=env, stdout=subprocess.DEVNULL,
                          stderr=subprocess.PIPE, text=True, errors="replace")
    elapsed = time.perf_counter() - start
    rss = 0
    for line in proc.stderr.splitlines():
        if line.startswith("peak_rss_kib "):
            rss = int(line.split()[1])
    return elapsed, rss, proc.returncode


def read_meta(record):
    meta = {}
    try:
        for line in Path(record).read_text().splitlines():
            f = line.split("\t")
            if f[0] == "meta" and len(f) >= 3:
                meta[f[1]] = f[2]
    except OSError:
        pass
    return meta


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--scale", type=float, default=0.1,
                    help="operation counts of the scalable programs times F (1: full size)")
    args = ap.parse_args()
    build = Path(args.build)
    racecheck = build / "bin" / "racecheck"
    if not racecheck.exists():
        sys.exit(f"bench: {racecheck} not found; build first (bash tools/bootstrap.sh build)")
    names = sorted(p.stem for p in PROGRAMS.glob("*.c"))
    if args.only:
        names = [n for n in names if n in args.only.split(",")]
    work = Path(tempfile.mkdtemp(prefix="racecheck-bench-"))
    peak_rss = str(work / "peak_rss")
    subprocess.run(["clang-19", "-O2", str(ROOT / "bench" / "peak_rss.c"), "-o", peak_rss], check=True)
    variants = {
        "native": ["clang-19", "-O2", "-g", "-pthread"],
        "racecheck": [str(racecheck), "cc", "-O2", "-g"],
        "tsan": ["clang-19", "-O2", "-g", "-fsanitize=thread"],
    }
    base_env = dict(os.environ)
    base_env["TSAN_OPTIONS"] = "report_bugs=0:exitcode=0"
    base_env["BENCH_SCALE"] = str(args.scale)
    rows = []
    switch_cost = None
    for name in names:
        src = PROGRAMS / f"{name}.c"
        times, mems, meta = {}, {}, {}
        exes = {}
        for variant, cc in variants.items():
            exes[variant] = work / f"{name}.{variant}"
            subprocess.run(cc + [str(src), "-o", str(exes[variant])], check=True)
        # Rounds interleave the variants (native, racecheck, tsan, native, ...)
        # so that a change in machine load hits all three alike; ratios are
        # medians of the per-round ratios.
        samples = {variant: [] for variant in variants}
        for i in range(args.repeat):
            for variant in variants:
                env = dict(base_env)
                record = work / f"{name}.{i}.record"
                if variant == "racecheck":
                    env["RACECHECK_OPTIONS"] = f"seed={i}:report=0:record={record}"
                seconds, rss, status = run_once(peak_rss, [str(exes[variant])], env)
                if status not in (0, 66):
                    sys.exit(f"bench: {name} ({variant}) exited {status}")
                samples[variant].append((seconds, rss))
                if variant == "racecheck":
                    meta = read_meta(record)
        for variant in variants:
            times[variant] = statistics.median(s for s, _ in samples[variant])
            mems[variant] = statistics.median(m for _, m in samples[variant])
        def paired(a, b):
            return statistics.median(x[0] / y[0] for x, y in zip(samples[a], samples[b]))
        times["rc/nat"] = paired("racecheck", "native")
        times["tsan/nat"] = paired("tsan", "native")
        times["rc/tsan"] = paired("racecheck", "tsan")
        rows.append((name, times, mems, meta))
        if name == "yield_pingpong":
            switches = int(meta.get("switches", "0") or 0)
            if switches:
                # Upper bound: the whole run divided by its switches. Not
                # "minus native": under racecheck a yield is a scheduling
                # point, not a sched_yield syscall, so native is no baseline.
                switch_cost = times["racecheck"] / switches * 1e6

    load = os.getloadavg()
    print(f"racecheck benchmark — median of {args.repeat} interleaved rounds, {os.cpu_count()} cores, "
          f"load {load[0]:.1f}/{load[1]:.1f}/{load[2]:.1f} (1/5/15 min), scale {args.scale}, clang-19 -O2 "
          "(ratios: median of the per-round ratios; memory: peak RSS in MiB)")
    head = (f"{'program':18} {'kind':9} {'native s':>9} {'rc s':>8} {'tsan s':>8} {'rc/nat':>7} {'tsan/nat':>8} "
            f"{'rc/tsan':>7} {'MiB nat':>8} {'MiB rc':>7} {'MiB tsan':>8} {'points':>10} {'switches':>9}")
    print(head)
    print("-" * len(head))
    for name, t, m, meta in rows:
        print(f"{name:18} {KIND.get(name, '?'):9} {t['native']:9.3f} {t['racecheck']:8.3f} {t['tsan']:8.3f} "
              f"{t['rc/nat']:7.1f} {t['tsan/nat']:8.1f} {t['rc/tsan']:7.2f} "
              f"{m['native'] / 1024:8.1f} {m['racecheck'] / 1024:7.1f} {m['tsan'] / 1024:8.1f} "
              f"{meta.get('scheduling_points', '?'):>10} {meta.get('switches', '?'):>9}")
    if rows:
        geo = lambda key: statistics.geometric_mean(max(t[key], 1e-9) for _, t, _, _ in rows)
        print(f"geometric mean: racecheck/native {geo('rc/nat'):.1f}, tsan/native {geo('tsan/nat'):.1f}, "
              f"racecheck/tsan {geo('rc/tsan'):.2f}")
    if switch_cost is not None:
        print(f"thread switch cost (yield_pingpong, whole run / switches, an upper bound): {switch_cost:.2f} µs per switch")


if __name__ == "__main__":
    main()
