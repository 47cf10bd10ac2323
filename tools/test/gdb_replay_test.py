#!/usr/bin/env python3
"""gdb_replay_test.py — `racecheck replay --gdb` (ctest `tools.gdb_replay`): for a data race, a
deadlock, a livelock and a crash, an exploration finds the finding and saves its schedule; the
replay under gdb (batch: gdb reads `frame` and `quit` from a pipe) must stop where the replay's own
JSON report puts the finding: the second racing access, a blocked request of the deadlock, the
first operation of the livelock's cycle, the faulting line. (`--rr`: rr_replay_test.py.)
usage: gdb_replay_test.py RACECHECK BANK.c DEADLOCK.c LIVELOCK.c CRASH.c CLEAN.c
"""
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from tool_test_support import build_program, check, failures

racecheck, bank, deadlock, livelock, crash, clean_source = sys.argv[1:7]
tmp = tempfile.mkdtemp(prefix="racecheck-gdb-")


def build(source):
    return build_program(racecheck, source, tmp)


def find_schedule(program, kind, schedules):
    """Explores seeds until a finding of `kind`; returns its schedule file."""
    out = os.path.join(tmp, os.path.basename(program) + "-out")
    report = out + ".json"
    subprocess.run([racecheck, "run", "--schedules", str(schedules), "--out", out, "--json",
                    report, "--", program], capture_output=True, text=True, timeout=300,
                   cwd=tmp, stdin=subprocess.DEVNULL)
    with open(report) as f:
        for finding in json.load(f)["findings"]:
            if finding["kind"] == kind:
                return finding["schedule"]
    return None


def position(location):
    return "%s:%d" % (os.path.basename(location["file"]), location["line"])


def expected_positions(finding):
    """Where the replay under gdb must stop, as the report says."""
    kind = finding["kind"]
    if kind == "data-race":
        return {position(finding["accesses"][0]["location"])}  # the current, second access
    if kind == "livelock":
        return {position(finding["waiters"][0]["location"])}  # the cycle's first operation
    if kind == "crash" and finding["waiters"] and finding["waiters"][0].get("fault"):
        frames = finding["waiters"][0]["fault"]["frames"]
        return {"%s:%d" % (os.path.basename(frames[0]["file"]), frames[0]["line"])}
    return {position(w["location"]) for w in finding["waiters"]}


def expected_threads(finding):
    """The threads gdb may stop in: the racing access's, a blocked requester, the cycle's first
    step's, the crashing one."""
    if finding["kind"] == "data-race":
        return {finding["accesses"][0]["thread"]}
    if finding["kind"] in ("livelock", "crash"):
        return {finding["waiters"][0]["thread"]}
    return {w["thread"] for w in finding["waiters"]}


def gdb_stop(schedule):
    """Replays under gdb; returns (replay JSON, the stop line racecheck printed, `frame`'s
    file:line)."""
    report = os.path.join(tmp, "replay.json")
    r = subprocess.run([racecheck, "replay", "--json", report, "--gdb", schedule],
                       input="frame\ninfo threads\nkill\nquit\n", capture_output=True, text=True,
                       timeout=300, cwd=tmp)
    with open(report) as f:
        doc = json.load(f)
    stop = re.search(r"racecheck: stopped at [^\n]*", r.stdout)
    # `frame` prints "#N  0x... in f (...)\n    at FILE:LINE" (the break where it wraps).
    frame = re.search(r"\(gdb\) #\d+\s.*?\sat (\S+):(\d+)\n", r.stdout, re.S)
    where = "%s:%s" % (os.path.basename(frame.group(1)), frame.group(2)) if frame else None
    return doc, (stop.group(0) if stop else None), where, r


cases = [
    (bank, "data-race", 1, "the data-race (the second racing access)"),
    (deadlock, "deadlock", 40, "the deadlock (the request that closes it)"),
    (livelock, "livelock", 8, "the livelock (its cycle's first step)"),
    (crash, "crash", 1, "the crash (its faulting instruction)"),
]
for source, kind, schedules, stop_text in cases:
    program = build(source)
    schedule = find_schedule(program, kind, schedules)
    if not check(schedule is not None, "%s: no %s found to replay" % (source, kind)):
        continue
    doc, stop, where, r = gdb_stop(schedule)
    first = next(f for f in doc["findings"] if f["kind"] != "lock-order-cycle")
    check(first["kind"] == kind, "%s: the replay's first finding is a %s" % (source, first["kind"]))
    expected = expected_positions(first)
    check(stop is not None and stop_text in stop,
          "%s: racecheck's stop line names %r: %r\n%s%s" % (source, stop_text, stop, r.stdout,
                                                           r.stderr[-3000:]))
    check(where in expected, "%s: gdb stopped at %s, the report says %s\n%s" %
          (source, where, sorted(expected), r.stdout[-3000:]))
    check(stop is not None and where is not None and ("/%s in thread" % where in stop or
                                                      ": %s in thread" % where in stop),
          "%s: the stop line %r names gdb's frame %s" % (source, stop, where))
    threads = expected_threads(first)
    check(stop is not None and any("(racecheck %s)" % t in stop for t in threads),
          "%s: stopped in the finding's thread %s: %r" % (source, sorted(threads), stop))
    print("%s: %s -> gdb stopped at %s (report: %s)" % (os.path.basename(source), kind, where,
                                                      ", ".join(sorted(expected))))

# The correct twin: a schedule without findings has nothing to stop at; replay says so and
# starts no gdb.
clean = build(clean_source)
clean_schedule = os.path.join(tmp, "clean.schedule")
subprocess.run([clean], env=dict(os.environ, RACECHECK_OPTIONS="schedule_out=" + clean_schedule),
               capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
r = subprocess.run([racecheck, "replay", "--gdb", clean_schedule], capture_output=True, text=True,
                   timeout=120, cwd=tmp, input="quit\n")
check(r.returncode == 2 and "no finding a debugger can stop at" in r.stderr
      and "Reading symbols" not in r.stdout,
      "clean schedule: replay --gdb refuses (exit %d): %s" % (r.returncode, r.stderr[-2000:]))

shutil.rmtree(tmp, ignore_errors=True)
if failures:
    sys.exit(1)
print("ok")
