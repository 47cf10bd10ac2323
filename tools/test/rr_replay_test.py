#!/usr/bin/env python3
"""rr_replay_test.py — `racecheck replay --rr` (ctest `tools.rr_replay`). rr records only where it
can read hardware performance counters (perf_event_open) on a CPU it knows. The test asks rr
itself (`rr record /bin/true`) and asserts what racecheck must do in each case:
- rr records here: `replay --rr` of the demo's race exits 66, rr saves a trace, and
  `rr replay -a` of that trace prints the same verdict (the report's first line) as the replay;
- rr is installed but cannot record: `replay --rr` exits 2 before replaying anything, naming rr's
  own error line;
- rr is not installed: `replay --rr` exits 2 saying so, before replaying anything.
The correct twin (a schedule without findings) gets the same refusal where rr cannot record, and
where rr can, the refusal of a replay with nothing to stop at.
usage: rr_replay_test.py RACECHECK BANK.c CLEAN.c
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile

from tool_test_support import build_program, check, failures

racecheck, bank, clean_source = sys.argv[1:4]
tmp = tempfile.mkdtemp(prefix="racecheck-rr-")


def build(source):
    return build_program(racecheck, source, tmp)


def replay(schedule, *extra, traces=None):
    env = dict(os.environ)
    if traces:
        env["_RR_TRACE_DIR"] = traces
    return subprocess.run([racecheck, "replay", *extra, schedule], capture_output=True,
                          text=True, timeout=300, cwd=tmp, stdin=subprocess.DEVNULL, env=env)


def verdict(text):
    """The report's first line: "racecheck: data race on ..." (without the run's details)."""
    for line in text.splitlines():
        if line.startswith("WARNING: racecheck:") or line.startswith("racecheck: data race"):
            return line
    return None


program = build(bank)
out = os.path.join(tmp, "out")
report = os.path.join(tmp, "run.json")
subprocess.run([racecheck, "run", "--seed", "1", "--out", out, "--json", report, "--", program],
               capture_output=True, timeout=300, cwd=tmp, stdin=subprocess.DEVNULL)
with open(report) as f:
    schedule = json.load(f)["findings"][0]["schedule"]
clean = build(clean_source)
clean_schedule = os.path.join(tmp, "clean.schedule")
subprocess.run([clean], env=dict(os.environ, RACECHECK_OPTIONS="schedule_out=" + clean_schedule),
               capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
plain = replay(schedule)
expected = verdict(plain.stderr)
check(plain.returncode == 66 and expected, "replay: exit %d, verdict %r: %s" %
      (plain.returncode, expected, plain.stderr[-2000:]))

rr = shutil.which("rr")
probe = None
if rr:
    probe = subprocess.run([rr, "record", "/bin/true"], capture_output=True, text=True,
                           timeout=120, stdin=subprocess.DEVNULL,
                           env=dict(os.environ, _RR_TRACE_DIR=os.path.join(tmp, "probe")))
if rr and probe.returncode == 0:
    traces = os.path.join(tmp, "traces")
    r = replay(schedule, "--rr", traces=traces)
    check(r.returncode == 66 and "the replay is recorded" in r.stderr,
          "--rr: exit %d: %s" % (r.returncode, r.stderr[-2000:]))
    trace = os.path.join(traces, "latest-trace")
    check(os.path.exists(trace), "--rr: rr saved a trace in " + traces)
    a = subprocess.run([rr, "replay", "-a", trace], capture_output=True, text=True, timeout=300,
                       stdin=subprocess.DEVNULL)
    check(verdict(a.stderr) == expected,
          "rr replay -a: verdict %r, the replay's %r: %s" % (verdict(a.stderr), expected,
                                                            a.stderr[-2000:]))
    r = replay(clean_schedule, "--rr", traces=traces)
    check(r.returncode == 2 and "no finding a debugger can stop at" in r.stderr,
          "clean schedule --rr: exit %d: %s" % (r.returncode, r.stderr[-2000:]))
    print("rr records here: replay --rr recorded, rr replay -a gave %r" % expected)
else:
    if rr:
        fatal = [line for line in probe.stderr.splitlines() if "FATAL" in line or "ERROR" in line]
        why = fatal[-1] if fatal else probe.stderr.strip().splitlines()[-1]
        want = ["--rr: rr cannot record on this machine", why]
    else:
        want = ["--rr: rr is not installed"]
    for name, path in (("race", schedule), ("clean twin", clean_schedule)):
        r = replay(path, "--rr")
        check(r.returncode == 2 and all(w in r.stderr for w in want),
              "%s: --rr must fail naming %s (exit %d): %s" % (name, want, r.returncode,
                                                              r.stderr[-2000:]))
        check(verdict(r.stderr) is None, "%s: nothing was replayed before the refusal" % name)
    print("rr cannot record here; replay --rr says: %s" % r.stderr.strip())

shutil.rmtree(tmp, ignore_errors=True)
if failures:
    sys.exit(1)
print("ok")
