#!/usr/bin/env python3
"""longjmp_stack_test.py — a longjmp out of instrumented calls cuts the shadow call stack back to
the frame it lands in (end to end with the real plugin and runtime). The testcase leaves three
nested calls by longjmp 100,000 times, then races twice; at -O0, -O2 and -O2 with
_FORTIFY_SOURCE (longjmp becomes __longjmp_chk) each race's stacks must be exactly the real
frames (the skipped frames would otherwise pile up by the hundred thousand) and the run must be
fast.

Usage: longjmp_stack_test.py RACECHECK TESTCASE
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

# variable -> the main thread's access stack (innermost first)
EXPECTED = {"shared_total": ["jump_many", "main"],
            "shared_count": ["record_total", "jump_many", "main"]}
CREATION = ["jump_many", "main"]
SECONDS = 10


def functions(stack):
    return [frame["function"] for frame in stack]


def check_build(tool, source, workdir, flags):
    program = os.path.join(workdir, "prog")
    build = subprocess.run([tool, "cc", "-g", *flags, source, "-o", program], cwd=workdir,
                           capture_output=True)
    if build.returncode != 0:
        return [f"{flags}: build failed: {build.stderr.decode(errors='replace')}"]
    start = time.monotonic()
    result = subprocess.run([tool, "run", "--json", "out.json", program], cwd=workdir,
                            capture_output=True, timeout=120, stdin=subprocess.DEVNULL)
    elapsed = time.monotonic() - start
    failures = []
    if result.returncode != 66:
        failures.append(f"{flags}: exit {result.returncode}, want 66")
    if elapsed > SECONDS:
        failures.append(f"{flags}: took {elapsed:.1f} s")
    with open(os.path.join(workdir, "out.json")) as f:
        report = json.load(f)
    seen = set()
    for finding in report["findings"]:
        if finding["kind"] != "data-race":
            failures.append(f"{flags}: unexpected {finding['kind']} finding")
            continue
        name = finding["variable"]["name"]
        seen.add(name)
        for access in finding["accesses"]:
            got = functions(access["stack"])
            want = EXPECTED.get(name) if access["thread"] == "T0" else ["worker"]
            if got != want:
                failures.append(f"{flags}: {name} {access['thread']} stack {got[:8]} "
                                f"({len(got)} frames), want {want}")
        for thread in finding["threads"]:
            got = functions(thread["stack"])
            if thread["thread"] == "T1" and got != CREATION:
                failures.append(f"{flags}: T1 created at {got[:8]} ({len(got)} frames)")
    if seen != set(EXPECTED):
        failures.append(f"{flags}: races on {sorted(seen)}, want {sorted(EXPECTED)}")
    print(f"{' '.join(flags)}: {elapsed:.2f} s, {len(result.stderr)} bytes of report")
    return failures


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tool, source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-longjmp-")
    try:
        failures = []
        for flags in (["-O0"], ["-O2"], ["-O2", "-D_FORTIFY_SOURCE=2"]):
            failures += check_build(tool, source, workdir, flags)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for failure in failures:
        print("FAIL: " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
