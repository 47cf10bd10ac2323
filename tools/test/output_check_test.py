#!/usr/bin/env python3
"""output_check_test.py — opt-in output comparison (`--check-output`, kind `output-mismatch`) and
`--fail-on`, end to end with the real plugin and runtime on a correct program whose printed
statistics vary by schedule (testcases/none_output_varies_by_schedule.c). Checks:
  * by default 16 schedules give no finding and exit 0 (output may vary);
  * with --check-output the variation is reported as `output-mismatch`, yet the exit status stays
    0 and --stop-on-first does not stop on it (the default --fail-on leaves it out);
  * with --fail-on output-mismatch the exit status is 66 and --stop-on-first stops at the first;
  * replaying the mismatch's schedule prints the stdout kept for it, 5 times alike.

Usage: output_check_test.py RACECHECK TESTCASE
"""

import json
import os
import shutil
import sys
import tempfile

from tool_test_support import check, failures, run

SCHEDULES = 16


def explore(tool, program, workdir, *flags):
    json_path = os.path.join(workdir, "run.json")
    if os.path.exists(json_path):
        os.remove(json_path)
    result = run([tool, "run", "--schedules", str(SCHEDULES), *flags, "--json", json_path, "--",
                  program], workdir)
    with open(json_path) as f:
        return result, json.load(f)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tool, source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-output-check-")
    try:
        program = os.path.join(workdir, "prog")
        build = run([tool, "cc", "-g", "-O2", source, "-o", program], workdir)
        if build.returncode != 0:
            print(build.stderr.decode(errors="replace"))
            return 2

        result, doc = explore(tool, program, workdir)
        check(result.returncode == 0 and doc["findings"] == [],
              f"default: exit {result.returncode}, findings {[f['kind'] for f in doc['findings']]}")

        result, doc = explore(tool, program, workdir, "--check-output", "--stop-on-first")
        kinds = [f["kind"] for f in doc["findings"]]
        check(kinds == ["output-mismatch"], f"--check-output: findings {kinds}")
        check(result.returncode == 0, f"--check-output: exit {result.returncode}, expected 0")
        check(doc["exploration"]["schedules"] == SCHEDULES,
              f"--stop-on-first stopped on an output-mismatch the user does not fail on "
              f"({doc['exploration']['schedules']} schedules)")
        mismatch = doc["findings"][0] if kinds else None

        result, doc = explore(tool, program, workdir, "--check-output", "--fail-on",
                              "output-mismatch,data-race", "--stop-on-first")
        check(result.returncode == 66, f"--fail-on output-mismatch: exit {result.returncode}")
        check(doc["exploration"]["schedules"] < SCHEDULES,
              f"--stop-on-first did not stop ({doc['exploration']['schedules']} schedules)")

        if mismatch and check(mismatch.get("schedule") and mismatch.get("stdout"),
                              "the mismatch has no schedule or kept stdout"):
            with open(os.path.join(workdir, mismatch["stdout"]), "rb") as f:
                kept = f.read()
            for attempt in range(5):
                replay = run([tool, "replay", mismatch["schedule"]], workdir)
                check(replay.returncode == 0 and replay.stdout == kept,
                      f"replay {attempt + 1}: exit {replay.returncode}, stdout {replay.stdout!r} "
                      f"(kept {kept!r})")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
