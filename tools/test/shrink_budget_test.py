#!/usr/bin/env python3
"""shrink_budget_test.py — shrinking stops at its time budget and says so on a stderr that is not a
terminal (a pipe here, as under CI or `2>log`).

tools/test/shrink_budget.c crashes only with a preemption inside a check-then-act window, and its
schedules without the crash end with a long computation: every shrinking candidate that misses the
window costs many times the run that found the crash, so a shrinker without a budget spends 15-30 s
there (50 candidates). The first seed with the crash is run again with shrinking on:
  * stderr (a pipe) has the start line with the schedule's preemptions, the result line with
    "stopped by its time limit of 2.0 s" (--shrink-time-limit 2) and fewer than 50 runs;
  * the schedule kept (the best candidate within the limit, or the one found) says which it is,
    and it replays to the same crash.

Usage: shrink_budget_test.py RACECHECK SHRINK_BUDGET_SOURCE
"""

import json
import os
import re
import shutil
import sys
import tempfile

from tool_test_support import check, failures, run

SCHEDULE = os.path.join("racecheck-out", "finding-1.schedule")
START = re.compile(rb"racecheck: shrinking the schedule of the run's findings \((\d+) preemption\(s\)\)")
RESULT = re.compile(rb"racecheck: shrinking the run's findings: (\d+) -> (\d+) preemption\(s\) in (\d+) "
                    rb"run\(s\)(, stopped by its time limit of 2\.0 s)?")


def kinds(json_path):
    with open(json_path, encoding="utf-8") as source:
        return [f["kind"] for f in json.load(source).get("findings", [])]


def first_crash_seed(tool, program, workdir):
    json_path = os.path.join(workdir, "explore.json")
    run([tool, "run", "--schedules", "40", "--stop-on-first", "--no-shrink", "--out", "explore-out",
         "--json", json_path, "--", program], workdir)
    with open(json_path, encoding="utf-8") as source:
        crashes = [f for f in json.load(source).get("findings", []) if f["kind"] == "crash"]
    return crashes[0]["first_seed"] if crashes else None


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tool, source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-shrink-budget-")
    try:
        program = os.path.join(workdir, "prog")
        build = run([tool, "cc", "-g", "-O1", "-pthread", source, "-o", program], workdir)
        if build.returncode != 0:
            print(build.stderr.decode(errors="replace"))
            return 2
        seed = first_crash_seed(tool, program, workdir)
        if seed is None:
            print("no crash in 40 schedules")
            return 2
        json_path = os.path.join(workdir, "run.json")
        done = run([tool, "run", "--seed", str(seed), "--access-points", "on", "--json", json_path,
                    "--shrink-time-limit", "2", "--", program], workdir)
        stderr = done.stderr
        start, result = START.search(stderr), RESULT.search(stderr)
        check(done.returncode == 66 and kinds(json_path) == ["crash"],
              f"seed {seed}: expected the crash, exit status 66:\n{stderr.decode(errors='replace')}")
        if check(start and result, "the shrinking lines are missing from a piped stderr:\n"
                 + stderr.decode(errors="replace")):
            check(result.group(4) is not None and int(result.group(3)) < 50,
                  "shrinking did not stop at its time budget:\n" + stderr.decode(errors="replace"))
            check(start.group(1) == result.group(1), "the two lines name other preemption counts")
        with open(os.path.join(workdir, SCHEDULE), encoding="utf-8") as schedule:
            header = schedule.read()
        # How far the candidates got within the limit depends on the machine; whichever schedule
        # is kept (shrunk, or as found when no candidate reproduced) must say so and replay.
        check(("shrunk_from" in header) == (b"schedule shrunk" in stderr),
              "the schedule header and the replay note disagree on whether it was shrunk")
        replay_json = os.path.join(workdir, "replay.json")
        replay = run([tool, "replay", "--json", replay_json, SCHEDULE], workdir)
        check(replay.returncode == 66 and kinds(replay_json) == ["crash"],
              "the schedule kept does not replay to the crash:\n" + replay.stderr.decode(errors="replace"))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("PASS: shrinking stopped at its budget and said so on a piped stderr")
    return 0


if __name__ == "__main__":
    sys.exit(main())
