#!/usr/bin/env python3
"""sweep_none.py — explore every `EXPECT: none` testcase over many schedules and list what racecheck
reports: any finding is a false alarm (in the runtime, or a testcase that is not race-free).

Each testcase is compiled once (`racecheck cc|c++ -g -O2 -pthread`, as the ctest driver does) and
explored once per strategy with `racecheck run --schedules N --strategy S --seed 0` (its OPTIONS
header in RACECHECK_OPTIONS; spurious wake-ups follow racecheck's default, on for odd seeds).
Too slow for ctest (minutes per strategy); run it by hand after changing the runtime's models:

  tools/sweep_none.py --build build [--schedules 200] [--strategy random --strategy pct:3]
                      [-j 2] [--timeout 900] [TESTCASE...]

Prints one line per testcase and strategy with a finding (kind, first message), one line per
testcase explored (`done NAME: ...`), then the totals:
testcases, explorations, schedules run, findings. Exit status 0 when nothing was found, 1 otherwise,
2 when a testcase could not be compiled or explored.
"""

import argparse
import concurrent.futures
import json
import os
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, os.pardir, "testcases"))
import testcase_lib  # noqa: E402


def environment(options):
    env = dict(os.environ)
    env.pop("RACECHECK_OPTIONS", None)
    if options:
        env["RACECHECK_OPTIONS"] = options
    return env


def compile_testcase(tool, testcase, workdir):
    program = os.path.join(workdir, "prog")
    verb = "c++" if testcase.language == "c++" else "cc"
    command = [tool, verb, *testcase.compile_flags(), "-g", "-O2", "-pthread", testcase.path,
               "-o", program]
    done = subprocess.run(command, capture_output=True, text=True, cwd=workdir)
    if done.returncode != 0:
        raise RuntimeError(f"compilation failed: {' '.join(command)}\n{done.stderr}")
    return program


def explore(tool, testcase, program, strategy, schedules, workdir, timeout):
    """(schedules explored, findings) of one exploration."""
    report = os.path.join(workdir, "sweep-" + strategy.replace(":", "_") + ".json")
    command = [tool, "run", "--schedules", str(schedules), "--strategy", strategy, "--seed", "0",
               "--json", report, "--", program]
    done = subprocess.run(command, capture_output=True, cwd=workdir, timeout=timeout,
                          stdin=subprocess.DEVNULL, env=environment(testcase.options))
    if not os.path.exists(report):
        raise RuntimeError(f"no JSON report (status {done.returncode}): {' '.join(command)}\n"
                           f"{done.stderr.decode(errors='replace')[-2000:]}")
    with open(report, encoding="utf-8") as source:
        document = json.load(source)
    explored = document.get("exploration", {}).get("schedules")
    if not isinstance(explored, int):
        raise RuntimeError(f"the JSON report says no schedule count: {' '.join(command)}")
    return explored, document.get("findings", [])


def sweep_one(tool, path, strategies, schedules, timeout):
    testcase = testcase_lib.parse_testcase(path)
    with tempfile.TemporaryDirectory(prefix="sweep-") as workdir:
        program = compile_testcase(tool, testcase, workdir)
        return testcase.name, [(strategy, *explore(tool, testcase, program, strategy, schedules,
                                                   workdir, timeout))
                               for strategy in strategies]


def first_line(finding):
    text = finding.get("message") or finding.get("report_text") or ""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("=")]
    return lines[0] if lines else ""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default="build")
    parser.add_argument("--schedules", type=int, default=200)
    parser.add_argument("--strategy", action="append", dest="strategies")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900)
    parser.add_argument("testcases", nargs="*")
    args = parser.parse_args()
    strategies = args.strategies or ["random", "pct:3"]
    tool = os.path.abspath(os.path.join(args.build, "bin", "racecheck"))
    paths = [os.path.abspath(path) for path in args.testcases] or [
        path for path in testcase_lib.list_testcases(os.path.join(HERE, os.pardir, "testcases"))
        if testcase_lib.parse_testcase(path).expect == "none"]
    explorations = schedules_run = findings = 0
    broken = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        jobs = {pool.submit(sweep_one, tool, path, strategies, args.schedules, args.timeout): path
                for path in paths}
        for job in concurrent.futures.as_completed(jobs):
            try:
                name, results = job.result()
            except Exception as error:  # a broken testcase is reported, the sweep goes on
                broken.append(jobs[job])
                print(f"ERROR {os.path.basename(jobs[job])}: {error}", flush=True)
                continue
            for strategy, explored, found in results:
                explorations += 1
                schedules_run += explored
                findings += len(found)
                for finding in found:
                    print(f"FINDING {name} [{strategy}] {finding.get('kind')}: {first_line(finding)}",
                          flush=True)
            # One line per testcase done, so that a sweep cut short still says what it covered.
            print(f"done {name}: " + ", ".join(f"{strategy} {explored} schedules, {len(found)} findings"
                                               for strategy, explored, found in results), flush=True)
    print(f"{len(paths)} testcases, {explorations} explorations "
          f"({'/'.join(strategies)} x {args.schedules} schedules), {schedules_run} schedules run, "
          f"{findings} findings, {len(broken)} not explored")
    return 2 if broken else 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
