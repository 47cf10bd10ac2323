#!/usr/bin/env python3
"""glibc_semantics_test.py — the pthread and semaphore calls racecheck models return what glibc
returns, errors included. PROGRAM (glibc_error_codes.c) makes each call in each case and prints
"case: result" lines; it is built natively (the real glibc answers) and with `racecheck cc`, run
natively and under `racecheck run` with several seeds and both strategies (the answers must not
depend on the schedule), and the outputs must be equal line by line. Findings do not matter here (the
program misuses locks on purpose); the program's exit status must be 0 under both.

Usage: glibc_semantics_test.py RACECHECK PROGRAM
"""

import os
import shutil
import subprocess
import sys
import tempfile

from tool_test_support import check, failures, run


def compare(native, checked, label):
    native_lines, checked_lines = native.splitlines(), checked.splitlines()
    for n, c in zip(native_lines, checked_lines):
        check(n == c, f"{label}: glibc says `{n}`, racecheck says `{c}`")
    check(len(native_lines) == len(checked_lines),
          f"{label}: {len(native_lines)} lines natively, {len(checked_lines)} under racecheck")


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tool, source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-glibc-")
    try:
        native = os.path.join(workdir, "native")
        checked = os.path.join(workdir, "checked")
        cc = shutil.which("clang-19") or shutil.which("clang") or "cc"
        for command in ([cc, "-g", "-O1", "-pthread", source, "-o", native],
                        [tool, "cc", "-g", "-O1", source, "-o", checked]):
            build = run(command, workdir)
            if build.returncode != 0:
                print(build.stderr.decode(errors="replace"))
                return 2
        reference = run([native], workdir)
        check(reference.returncode == 0, f"native run exited {reference.returncode}")
        expected = reference.stdout.decode()
        for strategy, seed in (("random", 0), ("random", 1), ("random", 2), ("pct:3", 3)):
            label = f"{strategy} seed {seed}"
            result = run([tool, "run", "--seed", str(seed), "--strategy", strategy, "--",
                          checked], workdir)
            check(result.returncode in (0, 66), f"racecheck run ({label}) exited "
                  f"{result.returncode}: {result.stderr.decode(errors='replace')[-2000:]}")
            compare(expected, result.stdout.decode(), label)
        print(f"{len(expected.splitlines())} cases compared")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
