#!/usr/bin/env python3
"""explore_rate.py — how many schedules per second `racecheck run --schedules` explores
(a script, not a test).

Builds bench/programs_explore/lock_pingpong_100.c (two threads, ~100 synchronisation events)
natively and with `racecheck cc -O2 -g`, then, in the same session, times SCHEDULES runs of:

  exec baseline   the native binary, started fork/exec-per-run from this script: what one
                  process start plus the program costs without racecheck
  instrumented    the racecheck binary started directly with RACECHECK_OPTIONS
                  seed=N:report=0:record=FILE: process start + the serialized, scheduled run
                  + writing the record, with no CLI and no analysis
  cli --jobs 1    `racecheck run --schedules N --jobs 1` (one program at a time)
  cli --jobs 2    `racecheck run --schedules N --jobs 2`

and prints schedules/s plus the cost per schedule split as
  process start+exec+native run  = exec baseline
  scheduled run + record         = instrumented - exec baseline
  CLI: analysis, merging, files  = cli --jobs 1 - instrumented
There is no fork server yet: every schedule is a fresh fork+exec of the program (the
dynamic loader, libc and runtime initialisation are paid each time).

Usage: bench/explore_rate.py [--build DIR] [--schedules 200]
"""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "bench" / "programs_explore" / "lock_pingpong_100.c"


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(ROOT / "build"), help="racecheck build directory")
    parser.add_argument("--schedules", type=int, default=200)
    args = parser.parse_args()
    racecheck = Path(args.build).resolve() / "bin" / "racecheck"
    if not racecheck.exists():
        sys.exit(f"explore_rate.py: {racecheck} not found; build racecheck first")
    n = args.schedules
    with tempfile.TemporaryDirectory(prefix="racecheck-explore-rate-") as tmp:
        tmp = Path(tmp)
        native, instrumented = tmp / "native", tmp / "instrumented"
        subprocess.run(["clang-19", "-O2", "-g", "-pthread", str(PROGRAM), "-o", str(native)], check=True)
        subprocess.run([str(racecheck), "cc", "-O2", "-g", str(PROGRAM), "-o", str(instrumented)],
                       check=True)
        record = tmp / "run.record"
        env = dict(os.environ)
        env.pop("RACECHECK_OPTIONS", None)

        def exec_loop():
            for _ in range(n):
                subprocess.run([str(native)], stdout=subprocess.DEVNULL, check=True)

        def instrumented_loop():
            for seed in range(n):
                e = dict(env, RACECHECK_OPTIONS=f"seed={seed}:report=0:record={record}")
                subprocess.run([str(instrumented)], stdout=subprocess.DEVNULL, env=e, check=True)

        def cli(jobs):
            def go():
                proc = subprocess.run([str(racecheck), "run", "--schedules", str(n), "--jobs", str(jobs),
                                       "--out", str(tmp / f"out{jobs}"), str(instrumented)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                                      env=env, cwd=tmp)
                if proc.returncode != 0:
                    sys.exit(f"explore_rate.py: racecheck run failed ({proc.returncode}):\n{proc.stderr}")
            return go

        exec_loop()  # warm the page cache
        points = {
            "exec baseline": timed(exec_loop),
            "instrumented": timed(instrumented_loop),
            "cli --jobs 1": timed(cli(1)),
            "cli --jobs 2": timed(cli(2)),
        }
        events = subprocess.run(
            [str(racecheck), "report", "--json", "-", str(record)], capture_output=True, text=True)
    print(f"program: {PROGRAM.relative_to(ROOT)}, {n} schedules, {os.cpu_count()} CPU(s)")
    print(f"{'mode':16} {'total s':>9} {'schedules/s':>12} {'ms/schedule':>12}")
    for name, seconds in points.items():
        print(f"{name:16} {seconds:9.3f} {n / seconds:12.1f} {1000 * seconds / n:12.3f}")
    per = {k: 1000 * v / n for k, v in points.items()}
    print("cost per schedule (ms), --jobs 1:")
    print(f"  process start+exec+native run  {per['exec baseline']:8.3f}")
    print(f"  scheduled run + record         {per['instrumented'] - per['exec baseline']:8.3f}")
    print(f"  CLI: analysis, merging, files  {per['cli --jobs 1'] - per['instrumented']:8.3f}")
    print(f"speed-up of --jobs 2 over --jobs 1: {points['cli --jobs 1'] / points['cli --jobs 2']:.2f}x")
    print("No fork server yet: every schedule is a fresh fork+exec of the program.")
    if events.returncode == 0:
        import json
        try:
            stats = json.loads(events.stdout).get("stats", {})
            if stats:
                print("last instrumented run's stats:", json.dumps(stats, sort_keys=True))
        except ValueError:
            pass


if __name__ == "__main__":
    main()
