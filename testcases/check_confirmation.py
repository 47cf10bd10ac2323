#!/usr/bin/env python3
"""check_confirmation.py — `racecheck run` confirming potential deadlocks by directed schedules.

Two checks, each compiling TESTCASE once with `<build>/bin/racecheck cc|c++ -g -O<n>`:

  --confirm   among seeds 0..SCHEDULES-1 (`SCHEDULES` header), the first run that reports the testcase's
              lock-order cycle without deadlocking itself (with --require-directed: every such
              seed) must mark it confirmed ("deadlock (confirmed)" in the text, JSON `confirmed`
              true and a `confirmation` with a schedule file and the attempt count); the cycle's
              steps must name every `// SITE` line (both acquisitions of each thread); then
              `racecheck replay` of the confirmation schedule RUNS times must print the same text
              and JSON report every time, with a deadlock whose waiters stand at the cycle's
              request lines. --require-directed also checks that no seed deadlocks under the
              random strategy alone, so the confirmation is the directed strategy's doing.
  --no-attempt  no seed of the testcase (an inversion the analyzer filters out, e.g. a gated
              one) reports a cycle or a confirmation, and `racecheck run` ran the program just
              once (the program's output appears once).

Usage: check_confirmation.py --build BUILD [--opt O2] [--runs 20] (--confirm [--require-directed]
       | --no-attempt) TESTCASE
Exit status 0 on success, 1 on a failed check, 2 on bad usage or a setup error.
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
from run_testcase import DriverFailure, compile_testcase, tool_path  # noqa: E402

TIMEOUT = 120


class CheckFailure(Exception):
    pass


def run(command, workdir):
    environment = dict(os.environ)
    environment.pop("RACECHECK_OPTIONS", None)
    return subprocess.run(command, capture_output=True, text=True, errors="replace", cwd=workdir,
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL, env=environment)


SOURCE = None  # basename of the testcase: only its own lines count


def positions(value):
    """Lines of the testcase's own file named anywhere in a JSON value."""
    return {line for name, line in testcase_lib.positions_in(value) if name == SOURCE}


def run_seed_json(tool, program, seed, workdir, extra):
    json_path = os.path.join(workdir, f"seed{seed}.json")
    if os.path.exists(json_path):
        os.remove(json_path)
    command = [tool, "run", "--seed", str(seed), "--json", json_path, *extra, "--", program]
    result = run(command, workdir)
    if not os.path.exists(json_path):
        raise DriverFailure(f"no JSON report (status {result.returncode}): {' '.join(command)}\n"
                            f"{result.stderr}")
    with open(json_path, encoding="utf-8") as report:
        return result, json.load(report)


def check_confirm(tool, testcase, program, workdir, runs, require_directed):
    sites = set(testcase.site_lines)
    checked = 0
    for seed in range(testcase.seeds):
        if require_directed:
            _, plain = run_seed_json(tool, program, seed, workdir, ["--no-confirm"])
            if any(f["kind"] == "deadlock" for f in plain["findings"]):
                raise CheckFailure(f"seed {seed} deadlocks under the random strategy alone; the "
                                   "testcase cannot show that directed schedules find it")
        result, report = run_seed_json(tool, program, seed, workdir, ["--out", "out"])
        if any(f["kind"] == "deadlock" for f in report["findings"]):
            continue  # the run deadlocked by itself: confirmed without directed schedules
        cycles = [f for f in report["findings"] if f["kind"] == "lock-order-cycle"]
        if not cycles:
            continue
        cycle = cycles[0]
        loc = cycle["lock_order_cycle"]
        confirmation = loc.get("confirmation")
        if not loc.get("confirmed") or not confirmation or not confirmation.get("schedule"):
            raise CheckFailure(f"seed {seed}: the cycle was not confirmed: {json.dumps(loc.get('confirmation'))}"
                               f"\n{result.stderr}")
        if not 1 <= confirmation["attempts"] <= confirmation["budget"]:
            raise CheckFailure(f"seed {seed}: implausible confirmation {confirmation}")
        if "deadlock (confirmed)" not in result.stderr or \
                f"racecheck replay {confirmation['schedule']}" not in result.stderr:
            raise CheckFailure(f"seed {seed}: the text report does not say the cycle is confirmed "
                               f"and how to replay it:\n{result.stderr}")
        named = positions(loc["hold_and_wait"])
        if not sites <= named:
            raise CheckFailure(f"seed {seed}: the cycle names lines {sorted(named)}, missing SITE "
                               f"lines {sorted(sites - named)}")
        # Each thread's step names both of its acquisition lines.
        for step in loc["hold_and_wait"]:
            held = positions(step["holds"]) & sites
            wanted = positions(step["wants"]) & sites
            if not held or not wanted or held == wanted:
                raise CheckFailure(f"seed {seed}: step of {step['thread']} does not name both its "
                                   f"acquisition lines (held at {sorted(held)}, wants at {sorted(wanted)})")
        request_lines = {frozenset(positions(step["wants"]) & sites) for step in loc["hold_and_wait"]}
        check_replays(tool, workdir, confirmation["schedule"], runs, request_lines, seed)
        checked += 1
        if not require_directed:
            break
    if checked == 0:
        raise CheckFailure(f"no seed in 0..{testcase.seeds - 1} reported the cycle without "
                           "deadlocking by itself; nothing was confirmed by directed schedules")
    print(f"ok: {testcase.name}: confirmed by directed schedules in {checked} seed(s); each "
          f"confirmation schedule replayed {runs} times to the identical deadlock report")


def check_replays(tool, workdir, schedule, runs, request_lines, seed):
    first = None
    for i in range(runs):
        json_path = os.path.join(workdir, "replay.json")
        result = run([tool, "replay", "--json", json_path, schedule], workdir)
        with open(json_path, encoding="utf-8") as report:
            document = json.load(report)
        outcome = (result.returncode, result.stdout, result.stderr, json.dumps(document, sort_keys=True))
        if first is None:
            first = outcome
            deadlocks = [f for f in document["findings"] if f["kind"] == "deadlock"]
            if result.returncode != 66 or not deadlocks:
                raise CheckFailure(f"seed {seed}: replaying {schedule} gave no deadlock (status "
                                   f"{result.returncode}):\n{result.stderr}")
            waiting = positions(deadlocks[0]["waiters"])
            for lines in request_lines:
                if not lines & waiting:
                    raise CheckFailure(f"seed {seed}: the replayed deadlock has no waiter at "
                                       f"{sorted(lines)} (waiters at {sorted(waiting)})")
        elif outcome != first:
            raise CheckFailure(f"seed {seed}: replay {i + 1} of {schedule} differs from the first:\n"
                               f"first:\n{first[2]}\nnow:\n{result.stderr}")


def check_no_attempt(tool, testcase, program, workdir):
    for seed in range(max(testcase.seeds, 4)):
        result, report = run_seed_json(tool, program, seed, workdir, [])
        for f in report["findings"]:
            if f["kind"] == "lock-order-cycle" or "confirmation" in (f.get("lock_order_cycle") or {}):
                raise CheckFailure(f"seed {seed}: unexpected {f['kind']} finding: {f['message']}")
        if "directed" in result.stderr or "confirmed" in result.stderr:
            raise CheckFailure(f"seed {seed}: the report mentions a confirmation:\n{result.stderr}")
        plain = run([program], workdir)
        if result.stdout != plain.stdout or not plain.stdout:
            raise CheckFailure(f"seed {seed}: `racecheck run` ran the program more than once (its "
                               f"output {result.stdout!r}, one plain run {plain.stdout!r})")
    print(f"ok: {testcase.name}: no cycle and no directed run")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--opt", default="O2")
    parser.add_argument("--runs", type=int, default=20)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--confirm", action="store_true")
    mode.add_argument("--no-attempt", action="store_true")
    parser.add_argument("--require-directed", action="store_true")
    parser.add_argument("testcase")
    args = parser.parse_args()
    try:
        testcase = testcase_lib.parse_testcase(args.testcase)
        tool = tool_path(args.build)
        global SOURCE
        SOURCE = testcase.basename
    except (testcase_lib.TestcaseError, DriverFailure) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    workdir = tempfile.mkdtemp(prefix="racecheck-confirm-")
    try:
        program = compile_testcase(tool, testcase, args.opt, workdir)
        if args.confirm:
            check_confirm(tool, testcase, program, workdir, args.runs, args.require_directed)
        else:
            check_no_attempt(tool, testcase, program, workdir)
        return 0
    except DriverFailure as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except (CheckFailure, subprocess.TimeoutExpired) as error:
        print(f"FAIL: {args.testcase}: {error}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
