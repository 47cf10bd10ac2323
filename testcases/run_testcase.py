#!/usr/bin/env python3
"""run_testcase.py — the ctest driver: run one racecheck testcase at one optimisation level.

Compiles the testcase with `<build>/bin/racecheck cc|c++ -g -O<n>`, runs it under
`racecheck run --seed S --json out.json` for every seed 0..SEEDS-1 (each with a timeout; a timeout
is a failure; the OPTIONS header, if any, is passed in RACECHECK_OPTIONS), checks the exit status (66 with findings, 0 without), judges the union of the
findings with the testcase's EXPECT/SITE/VARIABLE headers (rules in testcase_lib.py), prints a
diagnosis on failure (what was expected and the text reports) and writes a one-line result JSON to
<results>/<name>.<opt>.json for summarize.py.

Usage: run_testcase.py --build BUILD_DIR --opt O0|O2 [--results DIR] [--timeout S] [--keep] TESTCASE
Exit status: 0 when the testcase passes, 1 when it fails, 2 on bad usage or a malformed testcase.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testcase_lib  # noqa: E402

EXIT_WITH_FINDINGS = 66


class DriverFailure(Exception):
    """The testcase could not be judged (tool missing, compile error, timeout, bad exit status...)."""


def tool_path(build_dir):
    path = os.path.join(build_dir, "bin", "racecheck")
    if not os.access(path, os.X_OK):
        raise DriverFailure(f"the racecheck tool is not built: {path} does not exist or is not executable")
    return path


def compile_testcase(tool, testcase, opt, workdir):
    program = os.path.join(workdir, "prog")
    verb = "c++" if testcase.language == "c++" else "cc"
    command = [tool, verb, *testcase.compile_flags(), "-g", f"-{opt}", "-pthread",
               testcase.path, "-o", program]
    compiled = subprocess.run(command, capture_output=True, text=True, cwd=workdir)
    if compiled.returncode != 0 or not os.path.exists(program):
        raise DriverFailure(f"compilation failed (status {compiled.returncode}): {' '.join(command)}\n"
                            f"{compiled.stdout}{compiled.stderr}")
    return program


class SeedRun:
    def __init__(self, seed, command, status, stdout, stderr, findings):
        self.seed, self.command, self.status = seed, command, status
        self.stdout, self.stderr, self.findings = stdout, stderr, findings


def run_seed(tool, program, seed, workdir, timeout, options=None):
    json_path = os.path.join(workdir, f"seed{seed}.json")
    if os.path.exists(json_path):
        os.remove(json_path)
    command = [tool, "run", "--seed", str(seed), "--json", json_path, "--", program]
    environment = dict(os.environ)
    environment.pop("RACECHECK_OPTIONS", None)
    if options:  # the testcase's OPTIONS header; racecheck adds its own options after these
        environment["RACECHECK_OPTIONS"] = options
    try:
        run = subprocess.run(command, capture_output=True, text=True, errors="replace",
                             cwd=workdir, timeout=timeout, stdin=subprocess.DEVNULL, env=environment)
    except subprocess.TimeoutExpired as expired:
        stderr = expired.stderr.decode(errors="replace") if isinstance(expired.stderr, bytes) else (expired.stderr or "")
        raise DriverFailure(f"seed {seed}: timed out after {timeout} s: {' '.join(command)}\n{stderr}")
    if not os.path.exists(json_path):
        raise DriverFailure(f"seed {seed}: no JSON report was written (status {run.returncode}): "
                            f"{' '.join(command)}\n{run.stderr}")
    try:
        with open(json_path, encoding="utf-8") as report:
            document = json.load(report)
    except (OSError, ValueError) as error:
        raise DriverFailure(f"seed {seed}: the JSON report {json_path} is unreadable: {error}\n{run.stderr}")
    findings = document.get("findings")
    if not isinstance(findings, list):
        raise DriverFailure(f"seed {seed}: the JSON report has no 'findings' list\n{run.stderr}")
    expected_status = EXIT_WITH_FINDINGS if findings else 0
    if run.returncode != expected_status:
        raise DriverFailure(f"seed {seed}: exit status {run.returncode}, expected {expected_status} "
                            f"({len(findings)} finding(s)): {' '.join(command)}\n"
                            f"stdout:\n{run.stdout}\nstderr:\n{run.stderr}")
    return SeedRun(seed, command, run.returncode, run.stdout, run.stderr, findings)


def print_diagnosis(testcase, opt, evaluation, runs, workdir):
    print(f"FAIL testcase/{testcase.name}/{opt}: expected {testcase.expect}, got {evaluation.got} "
          f"({evaluation.outcome()})")
    print(f"  testcase: {testcase.path}")
    print(f"  description: {testcase.description}")
    if testcase.site_lines:
        print("  SITE lines: " + ", ".join(f"{testcase.basename}:{line}" for line in testcase.site_lines))
    if testcase.variable:
        print(f"  variable: {testcase.variable}")
    for problem in evaluation.problems:
        print(f"  problem: {problem}")
    for run in runs:
        print(f"---- seed {run.seed}: {' '.join(run.command)} -> status {run.status}, "
              f"{len(run.findings)} finding(s); report (stderr):")
        print(run.stderr.rstrip() or "(empty)")
    print(f"---- work directory kept: {workdir}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("testcase")
    parser.add_argument("--build", required=True, help="racecheck build directory (holds bin/racecheck)")
    parser.add_argument("--opt", required=True, choices=["O0", "O1", "O2", "O3"])
    parser.add_argument("--results", help="directory for the one-line result JSON")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per run (default 120)")
    parser.add_argument("--keep", action="store_true", help="keep the work directory even on success")
    args = parser.parse_args()

    try:
        testcase = testcase_lib.parse_testcase(os.path.abspath(args.testcase))
    except (OSError, testcase_lib.TestcaseError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.results:
        stale = testcase_lib.result_path(args.results, testcase.name, args.opt)
        if os.path.exists(stale):
            os.remove(stale)

    seeds = list(range(testcase.seeds))
    workdir = tempfile.mkdtemp(prefix=f"racecheck-{testcase.name}-{args.opt}-")
    runs = []
    evaluation = testcase_lib.Evaluation(testcase.expect)
    try:
        tool = tool_path(os.path.abspath(args.build))
        program = compile_testcase(tool, testcase, args.opt, workdir)
        for seed in seeds:
            runs.append(run_seed(tool, program, seed, workdir, args.timeout, testcase.options))
        findings = [finding for run in runs for finding in run.findings]
        evaluation = testcase_lib.evaluate(testcase, findings)
    except DriverFailure as failure:
        evaluation.got = "error"
        evaluation.problems.append(str(failure))

    if args.results:
        testcase_lib.write_result(args.results, testcase_lib.result_record(testcase, args.opt, evaluation, seeds))
    if evaluation.passed:
        print(f"PASS testcase/{testcase.name}/{args.opt}: expected {testcase.expect}, got {evaluation.got} "
              f"({evaluation.outcome()}; seeds {seeds[0]}..{seeds[-1]})")
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        return 0
    print_diagnosis(testcase, args.opt, evaluation, runs, workdir)
    return 1


if __name__ == "__main__":
    sys.exit(main())
