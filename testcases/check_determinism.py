#!/usr/bin/env python3
"""check_determinism.py — same binary, same seed: the same report, byte for byte.

Compiles one testcase with `<build>/bin/racecheck cc|c++ -g -O<n>` once, then for each seed runs
`racecheck run --seed S --json out.json -- prog` RUNS times and checks that the text report (the
run's stderr), the JSON report, the program's own output and the exit status are identical across
the runs of that seed. Different seeds may legitimately interleave differently, so each seed is
only compared with itself. Prints a unified diff of the first difference.

Usage: check_determinism.py --build BUILD_DIR [--opt O2] [--runs 10] [--seed 0 --seed 1] TESTCASE
Exit status 0 when every seed is self-consistent, 1 otherwise, 2 on bad usage.
"""

import argparse
import difflib
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testcase_lib  # noqa: E402
from run_testcase import DriverFailure, compile_testcase, tool_path  # noqa: E402


def run_once(tool, program, seed, workdir, timeout):
    json_path = os.path.join(workdir, "report.json")
    if os.path.exists(json_path):
        os.remove(json_path)
    command = [tool, "run", "--seed", str(seed), "--json", json_path, "--", program]
    try:
        run = subprocess.run(command, capture_output=True, cwd=workdir, timeout=timeout,
                             stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise DriverFailure(f"seed {seed}: timed out after {timeout} s: {' '.join(command)}")
    json_bytes = b""
    if os.path.exists(json_path):
        with open(json_path, "rb") as report:
            json_bytes = report.read()
    return {"exit status": str(run.returncode).encode(), "text report (stderr)": run.stderr,
            "JSON report": json_bytes, "program output (stdout)": run.stdout}


def first_difference(reference, other):
    for part, expected in reference.items():
        if other[part] != expected:
            diff = difflib.unified_diff(expected.decode(errors="replace").splitlines(),
                                        other[part].decode(errors="replace").splitlines(),
                                        "first run", "this run", lineterm="", n=2)
            return part, "\n".join(list(diff)[:60])
    return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("testcase")
    parser.add_argument("--build", required=True)
    parser.add_argument("--opt", default="O2", choices=["O0", "O1", "O2", "O3"])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--seed", type=int, action="append", help="seeds to check (default: 0 and 1)")
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args()
    try:
        testcase = testcase_lib.parse_testcase(os.path.abspath(args.testcase))
    except (OSError, testcase_lib.TestcaseError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    seeds = args.seed or [0, 1]
    workdir = tempfile.mkdtemp(prefix=f"racecheck-determinism-{testcase.name}-")
    failed = False
    try:
        tool = tool_path(os.path.abspath(args.build))
        program = compile_testcase(tool, testcase, args.opt, workdir)
        for seed in seeds:
            reference = run_once(tool, program, seed, workdir, args.timeout)
            if not reference["JSON report"]:
                print(f"FAIL seed {seed}: no JSON report was written\n"
                      + reference["text report (stderr)"].decode(errors="replace"))
                failed = True
                continue
            for attempt in range(2, args.runs + 1):
                difference = first_difference(reference, run_once(tool, program, seed, workdir, args.timeout))
                if difference:
                    part, diff = difference
                    print(f"FAIL {testcase.name} seed {seed}: run {attempt} of {args.runs} differs from "
                          f"run 1 in its {part}:\n{diff}")
                    failed = True
                    break
            else:
                print(f"ok   {testcase.name} -{args.opt} seed {seed}: {args.runs} identical runs "
                      f"(status {reference['exit status'].decode()})")
    except DriverFailure as failure:
        print(f"FAIL {testcase.name}: {failure}")
        failed = True
    if failed:
        print(f"work directory kept: {workdir}")
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
