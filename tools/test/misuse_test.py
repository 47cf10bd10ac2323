#!/usr/bin/env python3
"""misuse_test.py — the `misuse` finding end to end with the real plugin and runtime
(runtime/src/detect/misuse.c). Checks:
  * an unlock of an errorcheck mutex by a thread that does not hold it is a `misuse` with case
    `unlock-other-thread`, its JSON names the offending call first and the holder's acquisition
    second, and the run goes on: the program's own output shows glibc's EPERM and its end;
  * a condition wait without the mutex, made three times at one site in one run, is reported
    once (one finding per case and site);
  * a misuse is never a data race, and `racecheck run` exits 66 with it.

Usage: misuse_test.py RACECHECK UNLOCK_OTHER_TESTCASE COND_WAIT_NOT_HELD_TESTCASE
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

from tool_test_support import check, failures, run


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    tool, unlock_source, wait_source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-misuse-")
    try:
        programs = {}
        for label, source in (("unlock", unlock_source), ("wait", wait_source)):
            programs[label] = os.path.join(workdir, label)
            build = run([tool, "cc", "-g", "-O0", source, "-o", programs[label]], workdir)
            if build.returncode != 0:
                print(build.stderr.decode(errors="replace"))
                return 2

        explored = run([tool, "run", "--schedules", "2", "--out", "out", "--json", "run.json",
                        "--", programs["unlock"]], workdir)
        check(explored.returncode == 66, f"run exited {explored.returncode}, not 66")
        with open(os.path.join(workdir, "run.json")) as f:
            findings = json.load(f)["findings"]
        check([f["kind"] for f in findings] == ["misuse"],
              f"expected one misuse, got {[f['kind'] for f in findings]}")
        if findings:
            misuse = findings[0]
            check(misuse.get("misuse") == "unlock-other-thread", f"case {misuse.get('misuse')}")
            check("which T1 holds" in misuse["message"], f"message: {misuse['message']}")
            waiters = misuse["waiters"]
            check(len(waiters) == 2 and waiters[0]["thread"] == "T0" and waiters[1]["thread"] == "T1",
                  f"waiters: {[w.get('thread') for w in waiters]}")
            with open(os.path.join(workdir, "out", "finding-1.stdout")) as f:
                output = f.read()
            check("unlock by main: 1" in output, f"the program did not go on as natively: {output!r}")

        # The record of one run, before exploration merges findings by fingerprint.
        record = os.path.join(workdir, "wait.record")
        single = subprocess.run([programs["wait"]], cwd=workdir, capture_output=True, timeout=60,
                                env=dict(os.environ, RACECHECK_OPTIONS=f"record={record}"))
        check(single.returncode == 66, f"the run exited {single.returncode}, not 66")
        with open(record) as f:
            lines = f.read().splitlines()
        causes = [line.split("\t")[2] for line in lines if line.startswith("cause\tmisuse\t")]
        check(causes == ["wait-not-held"], f"three waits at one site gave {causes}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
