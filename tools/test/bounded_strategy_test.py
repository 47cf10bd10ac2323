#!/usr/bin/env python3
"""bounded_strategy_test.py — the bounded searches `--strategy pb:N` (preemption bounding) and
`db:N` (delay bounding), runtime/src/sched/strategy_{preemption,delay}_bounded.c, end to end.

For a check-then-act crash that needs one thread switch between a check and its act:
  * seed 0 of pb:1 and db:1 is the schedule without preemptions/delays: no crash;
  * an exploration of 40 seeds finds the crash with pb:1, pb:2, db:1 and db:2 (it needs one
    preemption or delay), and prints how many schedules each needed;
  * the exploration is exact by seed: `--jobs 2` gives the findings of `--jobs 1`, and a single
    `run --seed S` of the finding's first seed shows it too;
  * the finding's schedule replays to it (the header's strategy carries the bound).
`--strategy pb:0` and `db:17` are refused.

Usage: bounded_strategy_test.py RACECHECK CRASH_TESTCASE
"""

import json
import os
import shutil
import sys
import tempfile

from tool_test_support import check, failures, run

SCHEDULE = os.path.join("racecheck-out", "finding-1.schedule")


def findings(path):
    with open(path) as f:
        return json.load(f)["findings"]


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tool, source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-bounded-")
    try:
        program = os.path.join(workdir, "prog")
        build = run([tool, "cc", "-g", "-O2", source, "-o", program], workdir)
        if build.returncode != 0:
            print(build.stderr.decode(errors="replace"))
            return 2
        for strategy in ("pb:1", "db:1"):
            zero = run([tool, "run", "--strategy", strategy, "--seed", "0", "--", program], workdir)
            check(zero.returncode == 0,
                  f"{strategy} seed 0 (no preemption) exited {zero.returncode}, expected 0")
        for strategy in ("pb:1", "pb:2", "db:1", "db:2"):
            one = run([tool, "run", "--strategy", strategy, "--schedules", "40", "--json",
                       "one.json", "--", program], workdir)
            if not check(one.returncode == 66, f"{strategy}: 40 schedules found nothing "
                         f"(exit {one.returncode})"):
                continue
            crashes = [f for f in findings(os.path.join(workdir, "one.json")) if f["kind"] == "crash"]
            if not check(crashes, f"{strategy}: no crash among the findings"):
                continue
            seed = crashes[0]["first_seed"]
            print(f"{strategy}: crash first at seed {seed} (schedules needed: {seed + 1})")
            two = run([tool, "run", "--strategy", strategy, "--schedules", "40", "--jobs", "2",
                       "--json", "two.json", "--", program], workdir)
            check(two.returncode == 66 and findings(os.path.join(workdir, "one.json")) ==
                  findings(os.path.join(workdir, "two.json")),
                  f"{strategy}: --jobs 2 findings differ from --jobs 1")
            single = run([tool, "run", "--no-shrink", "--strategy", strategy, "--seed", str(seed),
                          "--", program], workdir)
            check(single.returncode == 66, f"{strategy}: run --seed {seed} alone exited "
                  f"{single.returncode}, the exploration found the crash there")
            replay = run([tool, "replay", SCHEDULE], workdir)
            check(replay.returncode == 66 and b"strategy " + strategy.encode() in replay.stderr,
                  f"{strategy}: the replay of seed {seed}'s schedule exited {replay.returncode} "
                  f"or did not name the strategy:\n{replay.stderr.decode(errors='replace')}")
        for bad in ("pb:0", "db:17"):
            refused = run([tool, "run", "--strategy", bad, "--", program], workdir)
            check(refused.returncode not in (0, 66), f"--strategy {bad} was accepted")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
