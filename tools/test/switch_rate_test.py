#!/usr/bin/env python3
"""switch_rate_test.py — the default single run switches threads only where a strategy needs to
(option random_decay_steps, runtime/src/sched/strategy_random.c), end to end with the real plugin
and runtime, on bench/programs/sched_points.c (N threads x 100,000 mutex lock/unlock and relaxed
fetch_add, race-free).

Checks:
  * 4 threads, the default: no finding, and fewer than 1 switch per 50 scheduling points;
  * the same with random_decay_steps=0 (a uniform choice at every point): more than 1 switch per
    3 points (so the first check can fail);
  * the default run's schedule file records random_decay_steps and replays twice to the same
    scheduling points and switches (the replay reads the option from the file, not from the
    environment, which says otherwise).

Usage: switch_rate_test.py RACECHECK SCHED_POINTS_SOURCE
"""

import json
import os
import shutil
import sys
import tempfile

from tool_test_support import check, failures, run


def stats(workdir, name):
    with open(os.path.join(workdir, name)) as f:
        report = json.load(f)
    return report["stats"], report["findings"]


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tool, source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-switch-rate-")
    try:
        program = os.path.join(workdir, "sched_points")
        build = run([tool, "cc", "-g", "-O2", source, "-o", program], workdir)
        if build.returncode != 0:
            print(build.stderr.decode(errors="replace"))
            return 2

        # The program itself, as a CI gate runs it: one run, seed 0.
        os.environ["RACECHECK_OPTIONS"] = "schedule_out=default.schedule:json=default.json"
        run([program, "4"], workdir)
        default, findings = stats(workdir, "default.json")
        check(not findings, f"the race-free program reports {[f['kind'] for f in findings]}")
        check(default["switches"] * 50 < default["scheduling_points"],
              f"default run: {default['switches']} switches in {default['scheduling_points']} "
              "scheduling points, not fewer than 1 in 50")

        os.environ["RACECHECK_OPTIONS"] = "random_decay_steps=0:json=uniform.json"
        run([program, "4"], workdir)
        uniform, _ = stats(workdir, "uniform.json")
        check(uniform["switches"] * 3 > uniform["scheduling_points"],
              f"uniform walk: {uniform['switches']} switches in {uniform['scheduling_points']} "
              "scheduling points, not more than 1 in 3")

        with open(os.path.join(workdir, "default.schedule")) as f:
            check("\nrandom_decay_steps 1000\n" in f.read(),
                  "the schedule file does not record random_decay_steps 1000")
        os.environ["RACECHECK_OPTIONS"] = "random_decay_steps=0"
        for i in range(2):
            name = f"replay{i}.json"
            run([tool, "replay", "--json", name, "default.schedule"], workdir)
            replayed, replay_findings = stats(workdir, name)
            check((replayed["scheduling_points"], replayed["switches"]) ==
                  (default["scheduling_points"], default["switches"]),
                  f"replay {i}: {replayed['scheduling_points']} points, {replayed['switches']} "
                  f"switches; the run had {default['scheduling_points']}, {default['switches']}")
            check(not replay_findings, f"replay {i} reports a finding")
        os.environ.pop("RACECHECK_OPTIONS", None)
    finally:
        if not failures:
            shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s); work directory kept: {workdir}")
        return 1
    print("switch rate: default "
          f"{default['switches']}/{default['scheduling_points']}, uniform "
          f"{uniform['switches']}/{uniform['scheduling_points']}; replays identical")
    return 0


if __name__ == "__main__":
    sys.exit(main())
