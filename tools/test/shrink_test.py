#!/usr/bin/env python3
"""shrink_test.py — schedule shrinking (explore/schedule_shrinker.h) end to end, with the real
plugin and runtime.

For a crash testcase (check-then-act) and a race testcase (race in a later loop iteration):
  * the first seeds whose unshrunk schedule (`--no-shrink`) has at least MIN_BEFORE preemptions
    shrink to at most 2: the replay line says "schedule shrunk from N to M preemption(s)", the
    schedule header says `shrunk_from N` and `preemptions M`, and the findings (kinds and
    fingerprints) are those of the unshrunk run;
  * replaying the shrunk schedule 20 times prints the run's report byte for byte (minus the
    replay line) and the same JSON findings;
  * `--shrink-attempts 0` and `--no-shrink` leave the schedule alone;
  * an exploration (`--schedules 10`) shrinks each finding's schedule, with the same report for
    `--jobs 1` and `--jobs 2`, and the shrunk schedule replays to that finding.

Usage: shrink_test.py RACECHECK CRASH_TESTCASE RACE_TESTCASE
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from tool_test_support import check, failures, run

REPLAYS = 20
MIN_BEFORE = 3
NOTE = re.compile(rb"# schedule shrunk from (\d+) to (\d+) preemption\(s\)")
SCHEDULE = os.path.join("racecheck-out", "finding-1.schedule")


def header_value(path, key):
    with open(path, "rb") as f:
        for line in f:
            if line.startswith(key.encode() + b" "):
                return int(line.split()[1])
            if line.startswith(b"decisions "):
                break
    return None


def findings_of(json_path):
    with open(json_path) as f:
        document = json.load(f)
    return sorted((f["kind"], f.get("fingerprint", "")) for f in document["findings"])


def without_replay_lines(stderr):
    """The report: without the replay line and the shrinker's progress lines."""
    return b"".join(line for line in stderr.splitlines(keepends=True)
                    if not line.startswith(b"replay: racecheck replay ") and
                    not line.startswith(b"racecheck: shrinking ") and
                    not line.startswith(b"racecheck: the shrunk schedule "))


def check_single_runs(tool, program, workdir, label, seeds_wanted):
    checked = 0
    for seed in range(40):
        plain = run([tool, "run", "--no-shrink", "--seed", str(seed), "--json", "plain.json", "--",
                     program], workdir)
        if plain.returncode != 66:
            continue
        before = header_value(os.path.join(workdir, SCHEDULE), "preemptions")
        check(header_value(os.path.join(workdir, SCHEDULE), "shrunk_from") is None,
              f"{label} seed {seed}: --no-shrink wrote shrunk_from")
        check(not NOTE.search(plain.stderr), f"{label} seed {seed}: --no-shrink printed a note")
        if before is None or before < MIN_BEFORE:
            continue
        zero = run([tool, "run", "--shrink-attempts", "0", "--seed", str(seed), "--", program],
                   workdir)
        check(not NOTE.search(zero.stderr) and
              header_value(os.path.join(workdir, SCHEDULE), "preemptions") == before,
              f"{label} seed {seed}: --shrink-attempts 0 changed the schedule")
        shrunk = run([tool, "run", "--seed", str(seed), "--json", "shrunk.json", "--", program],
                     workdir)
        check(shrunk.returncode == 66, f"{label} seed {seed}: shrunk run exited {shrunk.returncode}")
        note = NOTE.search(shrunk.stderr)
        if not check(note, f"{label} seed {seed}: no shrink note (before: {before})"):
            continue
        frm, to = int(note.group(1)), int(note.group(2))
        schedule = os.path.join(workdir, SCHEDULE)
        check(frm == before, f"{label} seed {seed}: note says from {frm}, schedule had {before}")
        check(to <= 2, f"{label} seed {seed}: shrunk from {frm} only to {to} (want <= 2)")
        check(header_value(schedule, "shrunk_from") == before,
              f"{label} seed {seed}: header shrunk_from is not {before}")
        check(header_value(schedule, "preemptions") == to,
              f"{label} seed {seed}: header preemptions is not {to}")
        check(findings_of(os.path.join(workdir, "shrunk.json")) ==
              findings_of(os.path.join(workdir, "plain.json")),
              f"{label} seed {seed}: the shrunk run's findings differ from the original's")
        expected = without_replay_lines(shrunk.stderr)
        expected_json = findings_of(os.path.join(workdir, "shrunk.json"))
        identical = 0
        for _ in range(REPLAYS):
            replay = run([tool, "replay", "--json", "replay.json", SCHEDULE], workdir)
            if (replay.returncode == 66 and replay.stderr == expected and
                    findings_of(os.path.join(workdir, "replay.json")) == expected_json):
                identical += 1
        check(identical == REPLAYS,
              f"{label} seed {seed}: {identical}/{REPLAYS} replays equal the shrunk run's report")
        print(f"{label} seed {seed}: shrunk from {frm} to {to} preemption(s); "
              f"{identical}/{REPLAYS} identical replays")
        checked += 1
        if checked == seeds_wanted:
            return
    check(checked == seeds_wanted,
          f"{label}: only {checked} seed(s) had >= {MIN_BEFORE} preemptions to shrink")


def check_exploration(tool, program, workdir, label):
    one = run([tool, "run", "--schedules", "10", "--json", "jobs1.json", "--", program], workdir)
    shutil.copy(os.path.join(workdir, SCHEDULE), os.path.join(workdir, "jobs1.schedule"))
    two = run([tool, "run", "--schedules", "10", "--jobs", "2", "--json", "jobs2.json", "--",
               program], workdir)
    check(one.returncode == 66, f"{label}: exploration exited {one.returncode}")
    notes = NOTE.findall(one.stderr)
    check(notes, f"{label}: exploration printed no shrink note")
    check(notes == NOTE.findall(two.stderr), f"{label}: --jobs 2 shrink notes differ from --jobs 1")
    with open(os.path.join(workdir, "jobs1.json")) as a, open(os.path.join(workdir, "jobs2.json")) as b:
        check(json.load(a)["findings"] == json.load(b)["findings"],
              f"{label}: --jobs 2 findings differ from --jobs 1")
    with open(os.path.join(workdir, "jobs1.schedule"), "rb") as a, \
            open(os.path.join(workdir, SCHEDULE), "rb") as b:
        check(a.read() == b.read(), f"{label}: --jobs 2 shrunk schedule differs from --jobs 1")
    replay = run([tool, "replay", "--json", "replay.json", SCHEDULE], workdir)
    check(replay.returncode == 66, f"{label}: replay of the shrunk exploration schedule "
          f"exited {replay.returncode}")
    with open(os.path.join(workdir, "jobs1.json")) as a:
        first = json.load(a)["findings"][0]
    check(any(f.get("fingerprint") == first.get("fingerprint")
              for f in json.load(open(os.path.join(workdir, "replay.json")))["findings"]),
          f"{label}: the shrunk exploration schedule does not replay to its finding")
    print(f"{label}: exploration shrinks ({notes[0][0].decode()} -> {notes[0][1].decode()}), "
          "--jobs 1 == --jobs 2")


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    tool, crash_source, race_source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-shrink-")
    try:
        for source, label, seeds in ((crash_source, "crash", 2), (race_source, "race", 1)):
            verb = "c++" if source.endswith(".cpp") else "cc"
            program = os.path.join(workdir, label)
            build = run([tool, verb, "-g", "-O2", source, "-o", program], workdir)
            if build.returncode != 0:
                print(build.stderr.decode(errors="replace"))
                return 2
            check_single_runs(tool, program, workdir, label, seeds)
        check_exploration(tool, os.path.join(workdir, "crash"), workdir, "crash")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
