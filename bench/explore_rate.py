#!/usr/bin/env python3
"""explore_rate.py — how many schedules per second `racecheck run --schedules` explores, with the
fork server and with one exec per schedule, in the same session (a script, not a test).

Builds bench/programs_explore/lock_pingpong_100.c (two threads, ~100 synchronisation events) with
`racecheck cc -O2 -g`, then times REPEAT repetitions of

  racecheck run --schedules N --jobs J --timing [--no-fork-server]

for J = 1 and 2, alternating the two modes so that both see the same machine load, and prints the
median schedules/s of each mode, their ratio, and the cost per schedule (medians, microseconds):

  fork server:  fork        the server's fork() call
                switches    the child's thread switches x the per-switch cost measured below
                rest of the child   its start, thread creation, record and schedule file, exit
                            (the server measures the child's lifetime from its fork() call)
                IPC + wait  request/reply and waking racecheck, beyond the child's lifetime
                racecheck   reading the replies, the records it needs, analysis, merging, files
  exec:         start+run   fork+exec of the program (twice: the runtime re-executes itself
                            with ASLR off), the run, the record, exit
                racecheck   as above (every record is read)

The per-switch cost of a served child comes from bench/programs/yield_pingpong.c explored through
the fork server: (its child lifetime - an empty instrumented main's child lifetime) / its switches
per schedule, median of REPEAT explorations of 100 schedules; served children run pinned to one CPU
and sleep at once when they hand the token over (docs/fork-server.md), so this is a futex
wake-up and sleep per switch. The same figure for one process per schedule (unpinned, spinning
first) is printed for comparison: (run time - the empty program's) / switches.

Usage: bench/explore_rate.py [--build DIR] [--schedules 500] [--repeat 5] [--access-points on|off]
"""
import argparse, os, re, statistics, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAM = ROOT / "bench" / "programs_explore" / "lock_pingpong_100.c"
YIELD_PROGRAM = ROOT / "bench" / "programs" / "yield_pingpong.c"
TIMING = re.compile(r"racecheck: timing: (\d+) schedules, (fork server|one process per schedule); "
                    r"per schedule \(us\): running ([0-9.e+]+)(?:, of which fork ([0-9.e+]+), "
                    r"child lifetime ([0-9.e+]+); switches ([0-9.e+]+), scheduling points "
                    r"([0-9.e+]+))?")


ACCESS_POINTS = []  # --access-points, passed on to racecheck run when given


def explore(racecheck, binary, workdir, n, jobs, fork_server):
    command = [str(racecheck), "run", "--schedules", str(n), "--jobs", str(jobs), "--timing",
               "--out", str(workdir / "out"), *ACCESS_POINTS, str(binary)]
    if not fork_server:
        command.insert(2, "--no-fork-server")
    env = dict(os.environ)
    env.pop("RACECHECK_OPTIONS", None)
    start = time.perf_counter()
    proc = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                          env=env, cwd=workdir, stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"explore_rate.py: racecheck run failed ({proc.returncode}):\n{proc.stderr}")
    m = TIMING.search(proc.stderr)
    if not m or (m.group(2) == "fork server") != fork_server:
        sys.exit(f"explore_rate.py: unexpected timing line in:\n{proc.stderr}")
    per = {"total": 1e6 * seconds / n, "running": float(m.group(3))}
    if fork_server:
        per.update(fork=float(m.group(4)), child=float(m.group(5)), switches=float(m.group(6)))
        # The child's lifetime is measured from just before the fork() call.
        per["ipc"] = max(0.0, per["running"] - per["child"])
        per["cli"] = max(0.0, per["total"] - per["running"])
    else:
        per["cli"] = max(0.0, per["total"] - per["running"])
    return per


def run_program(binary, workdir, seed):
    record = workdir / "single.record"
    env = dict(os.environ, RACECHECK_OPTIONS=f"seed={seed}:report=0:record={record}")
    start = time.perf_counter()
    subprocess.run([str(binary)], env=env, stdout=subprocess.DEVNULL, check=True)
    seconds = time.perf_counter() - start
    meta = {}
    for line in record.read_text().splitlines():
        fields = line.split("\t")
        if fields[0] == "meta" and len(fields) >= 3:
            meta[fields[1]] = fields[2]
    return seconds, int(meta.get("switches", 0))


def median_of(runs, key):
    return statistics.median(r[key] for r in runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(ROOT / "build"), help="racecheck build directory")
    parser.add_argument("--schedules", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--access-points", choices=["on", "off", "auto"],
                        help="racecheck run --access-points (default: racecheck's, on when exploring)")
    args = parser.parse_args()
    if args.access_points:
        ACCESS_POINTS[:] = ["--access-points", args.access_points]
    racecheck = Path(args.build).resolve() / "bin" / "racecheck"
    if not racecheck.exists():
        sys.exit(f"explore_rate.py: {racecheck} not found; build racecheck first")
    n = args.schedules
    with tempfile.TemporaryDirectory(prefix="racecheck-explore-rate-") as tmp:
        tmp = Path(tmp)
        binary, yields, empty = tmp / "pingpong", tmp / "yields", tmp / "empty"
        (tmp / "empty.c").write_text("int main(void) { return 0; }\n")
        for source, output in ((PROGRAM, binary), (YIELD_PROGRAM, yields), (tmp / "empty.c", empty)):
            subprocess.run([str(racecheck), "cc", "-O2", "-g", str(source), "-o", str(output)],
                           check=True)
        per_switch, served_per_switch, empty_child = [], [], []
        for k in range(args.repeat):
            yield_seconds, switches = run_program(yields, tmp, k)
            empty_seconds, _ = run_program(empty, tmp, k)
            per_switch.append(1e6 * (yield_seconds - empty_seconds) / max(switches, 1))
            served_yields = explore(racecheck, yields, tmp, 100, 1, True)
            served_empty = explore(racecheck, empty, tmp, 100, 1, True)
            empty_child.append(served_empty["child"])
            served_per_switch.append((served_yields["child"] - served_empty["child"])
                                     / max(served_yields["switches"], 1))
        exec_switch_us = statistics.median(per_switch)
        switch_us = statistics.median(served_per_switch)

        results = {}
        explore(racecheck, binary, tmp, min(n, 50), 1, True)  # warm the page cache
        for jobs in (1, 2):
            served, executed = [], []
            for _ in range(args.repeat):
                served.append(explore(racecheck, binary, tmp, n, jobs, True))
                executed.append(explore(racecheck, binary, tmp, n, jobs, False))
            results[jobs] = (served, executed)

    print(f"program: {PROGRAM.relative_to(ROOT)}, {n} schedules x {args.repeat} repetitions per "
          f"mode, {os.cpu_count()} CPU(s); medians")
    print(f"per-switch cost (yield_pingpong): served child {switch_us:.2f} us, one process per "
          f"schedule {exec_switch_us:.2f} us; an empty main's served child lives "
          f"{statistics.median(empty_child):.0f} us")
    print(f"{'jobs':>4} {'fork server /s':>15} {'exec /s':>10} {'ratio':>7}")
    for jobs, (served, executed) in results.items():
        fs_rate = 1e6 / median_of(served, "total")
        ex_rate = 1e6 / median_of(executed, "total")
        print(f"{jobs:>4} {fs_rate:15.1f} {ex_rate:10.1f} {fs_rate / ex_rate:6.1f}x")
    for jobs, (served, executed) in results.items():
        total = median_of(served, "total")
        fork = median_of(served, "fork")
        child = median_of(served, "child")
        switches = median_of(served, "switches")
        switch_part = min(max(0.0, child - fork), switches * switch_us)
        print(f"cost per schedule, --jobs {jobs} (us; with --jobs 2 two schedules overlap, so the "
              "parts are per schedule and the total is wall time / schedules)" if jobs == 2 else
              f"cost per schedule, --jobs {jobs} (us):")
        print(f"  fork server  total {total:9.1f}")
        print(f"    fork                         {fork:9.1f}")
        print(f"    switches ({switches:.0f} x {switch_us:.2f})      {switch_part:9.1f}")
        print(f"    rest of the child            {max(0.0, child - fork - switch_part):9.1f}")
        print(f"    IPC + wait                   {median_of(served, 'ipc'):9.1f}")
        print(f"    racecheck (CLI)              {median_of(served, 'cli'):9.1f}")
        ex_total = median_of(executed, "total")
        ex_running = median_of(executed, "running")
        print(f"  exec         total {ex_total:9.1f}")
        print(f"    start+run+exit               {ex_running:9.1f}")
        print(f"    racecheck (CLI)              {median_of(executed, 'cli'):9.1f}")


if __name__ == "__main__":
    main()
