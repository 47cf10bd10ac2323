#!/usr/bin/env python3
"""rss_vs_length.py — peak memory of racecheck against run length (a script, not a test).

Builds one scalable bench program (bench/programs, bench_scale.h) with
racecheck and runs it at several lengths, writing the run record and the
schedule file as `racecheck run` does, and prints peak RSS, scheduling
points, switches and the schedule file's size per length. Memory must stay
flat: nothing the runtime keeps may grow with the number of operations.
lock_4threads makes 8 synchronisation operations (lock, unlock) per
thread-iteration: 6 M at scale 1.
Usage: bench/rss_vs_length.py [--build DIR] [--program NAME] [--ops 1e6,1e7,1e8] [--ops-at-scale-1 N] [--options OPTS]
"""
import argparse, os, shutil, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--build", default=str(ROOT / "build"))
    ap.add_argument("--program", default="lock_4threads")
    ap.add_argument("--ops", default="1e6,1e7")
    ap.add_argument("--ops-at-scale-1", type=float, default=6e6,
                    help="synchronisation operations the program makes at BENCH_SCALE=1")
    ap.add_argument("--options", default="", help="extra RACECHECK_OPTIONS (a:b=c)")
    args = ap.parse_args()
    racecheck = Path(args.build) / "bin" / "racecheck"
    work = Path(tempfile.mkdtemp(prefix="racecheck-rss-"))
    peak_rss = str(work / "peak_rss")
    subprocess.run(["clang-19", "-O2", str(ROOT / "bench" / "peak_rss.c"), "-o", peak_rss], check=True)
    exe = work / args.program
    subprocess.run([str(racecheck), "cc", "-O2", "-g", str(ROOT / "bench" / "programs" / f"{args.program}.c"),
                    "-o", str(exe)], check=True)
    load = os.getloadavg()
    print(f"{args.program}: peak RSS against run length ({os.cpu_count()} cores, load {load[0]:.1f})")
    print(f"{'sync ops':>12} {'seconds':>8} {'peak MiB':>9} {'points':>12} {'switches':>10} {'schedule KiB':>12}")
    for ops in (float(x) for x in args.ops.split(",")):
        record, schedule = work / "run.record", work / "run.schedule"
        env = dict(os.environ, BENCH_SCALE=str(ops / args.ops_at_scale_1),
                   RACECHECK_OPTIONS=f"report=0:record={record}:schedule_out={schedule}"
                   + (":" + args.options if args.options else ""))
        start = time.perf_counter()
        proc = subprocess.run([peak_rss, str(exe)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True, errors="replace")
        seconds = time.perf_counter() - start
        rss = next((int(l.split()[1]) for l in proc.stderr.splitlines() if l.startswith("peak_rss_kib ")), 0)
        meta = {}
        for line in record.read_text(errors="replace").splitlines():
            f = line.split("\t")
            if f[0] == "meta" and len(f) >= 3:
                meta[f[1]] = f[2]
        size = schedule.stat().st_size / 1024 if schedule.exists() else 0
        schedule.unlink(missing_ok=True)  # gigabytes at 100 M operations under a switch-happy strategy
        print(f"{ops:12.0f} {seconds:8.1f} {rss / 1024:9.1f} {meta.get('scheduling_points', '?'):>12} "
              f"{meta.get('switches', '?'):>10} {size:12.1f}" + ("" if proc.returncode in (0, 66) else
                                                                f"  (exit {proc.returncode})"))
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
