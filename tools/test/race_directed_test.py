#!/usr/bin/env python3
"""race_directed_test.py — the race-directed second phase of `racecheck run --schedules`
(explore/race_directed.h) end to end, with the real plugin and runtime.

TESTCASE has a race whose reversed order fails an assertion that random and PCT schedules do not
reach. For it:
  * phase 1 alone (`--race-directed 0`), random and pct:3, 20 schedules: the race, no crash;
  * with phase 2 (the default): a crash finding with "phase": 2 and its race target, reported as
    found by the race-directed phase; its schedule's header says `phase 2` and names the target;
  * replaying that schedule 20 times gives 20 identical reports with the crash;
  * `--jobs 2` and `--seed-range 0:19` give the same findings as `--jobs 1` / `--schedules 20`.

Usage: race_directed_test.py RACECHECK TESTCASE
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

from tool_test_support import check, failures, run

SCHEDULES = "20"
REPLAYS = 20


def explore(tool, program, workdir, *extra):
    result = run([tool, "run", "--schedules", SCHEDULES, "--json", "run.json", *extra, "--",
                  program], workdir)
    with open(os.path.join(workdir, "run.json")) as f:
        return result, json.load(f)["findings"]


def comparable(findings):
    return [{k: v for k, v in f.items() if k not in ("schedule", "stdout", "stderr")}
            for f in findings]


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tool, source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-race-directed-")
    try:
        program = os.path.join(workdir, "prog")
        build = run([tool, "cc", "-g", "-O2", source, "-o", program], workdir)
        if build.returncode != 0:
            print(build.stderr.decode(errors="replace"))
            return 2
        for strategy in ("random", "pct:3"):
            _, findings = explore(tool, program, workdir, "--strategy", strategy,
                                  "--race-directed", "0")
            kinds = [f["kind"] for f in findings]
            check("data-race" in kinds, f"phase 1 ({strategy}) did not find the race: {kinds}")
            check("crash" not in kinds, f"phase 1 ({strategy}) already crashes: the testcase does "
                  "not need phase 2")

        result, findings = explore(tool, program, workdir)
        crashes = [f for f in findings if f["kind"] == "crash"]
        if check(len(crashes) == 1, f"phase 2 found {len(crashes)} crash(es): "
                 f"{[f['kind'] for f in findings]}"):
            crash = crashes[0]
            check(crash.get("phase") == 2 and crash.get("race_target"),
                  f"the crash is not marked as phase 2: {crash.get('phase')}")
            check(b"found by the race-directed phase 2" in result.stderr,
                  "the text report does not say phase 2 found the crash")
            schedule = os.path.join(workdir, crash["schedule"])
            with open(schedule, "rb") as f:
                header = f.read().split(b"\ndecisions ")[0]
            check(b"\nphase 2\n" in header and b"\nrace_target " in header,
                  "the schedule header lacks `phase 2` / `race_target`")
            reports = set()
            crashed = 0
            for _ in range(REPLAYS):
                replay = run([tool, "replay", "--json", "replay.json", crash["schedule"]], workdir)
                reports.add(replay.stderr)
                with open(os.path.join(workdir, "replay.json")) as f:
                    crashed += any(x["kind"] == "crash" for x in json.load(f)["findings"])
            check(len(reports) == 1 and crashed == REPLAYS,
                  f"replays: {len(reports)} distinct report(s), {crashed}/{REPLAYS} with the crash")
            print(f"phase 2: crash found (target {crash['race_target']}), "
                  f"{crashed}/{REPLAYS} identical replays")

        _, parallel = explore(tool, program, workdir, "--jobs", "2")
        check(comparable(parallel) == comparable(findings), "--jobs 2 findings differ")
        shard = run([tool, "run", "--seed-range", "0:" + str(int(SCHEDULES) - 1), "--json",
                     "shard.json", "--", program], workdir)
        with open(os.path.join(workdir, "shard.json")) as f:
            check(comparable(json.load(f)["findings"]) == comparable(findings),
                  "--seed-range findings differ from --schedules")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
