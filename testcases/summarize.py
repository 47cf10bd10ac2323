#!/usr/bin/env python3
"""summarize.py — the table of true/false positives/negatives over all testcase results.

Reads the one-line result JSONs that run_testcase.py wrote (<results>/<name>.<opt>.json), prints
one row per testcase with its outcome at each optimisation level, then per-level totals in the
style of the Go race detector's test summary, then the "schedules needed" table: for every
testcase that expects a finding, how many schedules of its exploration budget the verdict needed
at each optimisation level (`needed/budget`, from each merged finding's first seed) and which
replay/determinism/jobs checks passed. Fails when any result is a false positive, a false
negative, otherwise wrong (BAD/ERROR, a failed check included) or missing.

Usage: summarize.py --results DIR [--testcases DIR] [--opt O0 --opt O2]
With --testcases, every testcase x opt must have a result (a missing one fails the summary).
Exit status 0 when everything passed, 1 otherwise.
"""

import argparse
import json
import os
import sys

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testcase_lib  # noqa: E402

COUNT_KEYS = ("TP", "FP", "FN", "TN")


def load_results(results_dir):
    results = {}
    if not os.path.isdir(results_dir):
        return results
    for entry in sorted(os.listdir(results_dir)):
        if not entry.endswith(".json"):
            continue
        with open(os.path.join(results_dir, entry), encoding="utf-8") as source:
            record = json.loads(source.readline())
        results[(record["name"], record["opt"])] = record
    return results


CHECK_NAMES = ("replay", "determinism", "jobs")


def needed_cell(record):
    """`needed/budget`, e.g. `3/8`; `8/8+p2` when it took the race-directed phase 2 as well; `-/8`
    when the verdict was not reached."""
    if record is None:
        return "MISSING"
    needed = record.get("schedules_needed")
    phase_2 = "+p2" if record.get("needs_phase_2") else ""
    return f"{needed if needed is not None else '-'}/{record.get('schedules', '?')}{phase_2}"


def checks_cell(records):
    """The checks that ran at any level, e.g. `replay ok, determinism ok, jobs FAILED`."""
    outcomes = {}
    for record in records:
        for name, outcome in (record or {}).get("checks", {}).items():
            outcomes[name] = "ok" if outcome.startswith("passed") else "FAILED"
    return ", ".join(f"{name} {outcomes[name]}" for name in CHECK_NAMES if name in outcomes) or "-"


def print_schedules_needed(expected, results, opts, width):
    """The per-testcase table of how many schedules exploration needed (needed/budget), which
    shows how much margin each testcase's SCHEDULES budget has."""
    finding_testcases = [name for name in sorted(expected) if expected[name] != "none"]
    if not finding_testcases:
        return
    print()
    print("schedules needed (needed/budget: the fewest schedules, seeds 0..n-1, whose findings meet the verdict;"
          " +p2: and the race-directed phase 2)")
    print(f"{'testcase':{width}}{'expect':12}" + "".join(f"{opt:10}" for opt in opts) + "checks")
    for name in finding_testcases:
        records = [results.get((name, opt)) for opt in opts]
        shown = expected[name].replace("lock-order-", "")  # as in the first table
        print(f"{name:{width}}{shown:12}" + "".join(f"{needed_cell(r):10}" for r in records)
              + checks_cell(records))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--results", required=True)
    parser.add_argument("--testcases", help="testcase directory: every testcase must have a result")
    parser.add_argument("--opt", action="append", help="optimisation levels (default: those in the results)")
    args = parser.parse_args()

    results = load_results(args.results)
    opts = args.opt or sorted({opt for (_, opt) in results})
    if args.testcases:
        testcases = [testcase_lib.parse_testcase(path) for path in testcase_lib.list_testcases(args.testcases)]
        names = [testcase.name for testcase in testcases]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            print(f"error: testcase names used twice (a .c and a .cpp?): {', '.join(duplicates)}")
            return 1
        expected = {testcase.name: testcase.expect for testcase in testcases}
    else:
        expected = {name: record["expected"] for (name, _), record in results.items()}
    if not expected:
        print(f"error: no testcases and no results in {args.results}")
        return 1

    width = max(len(name) for name in expected) + 2
    # "lock-order-cycle" is shown as "cycle" to keep the columns narrow.
    print(f"{'testcase':{width}}{'expect':10}" + "".join(f"{opt:8}" for opt in opts))
    totals = {opt: dict.fromkeys(COUNT_KEYS + ("failed", "missing", "tests"), 0) for opt in opts}
    failures = []
    for name in sorted(expected):
        row = f"{name:{width}}{expected[name].replace('lock-order-', ''):10}"
        for opt in opts:
            record = results.get((name, opt))
            total = totals[opt]
            total["tests"] += 1
            if record is None:
                total["missing"] += 1
                failures.append(f"testcase/{name}/{opt}: no result (the driver did not run or crashed)")
                row += f"{'MISSING':8}"
                continue
            for key in COUNT_KEYS:
                total[key] += record.get(key, 0)
            if not record.get("passed"):
                total["failed"] += 1
                failures.append(f"testcase/{name}/{opt}: {record.get('outcome')}: "
                                + "; ".join(problem.splitlines()[0] for problem in record.get("problems", [])))
            row += f"{record.get('outcome', '?') + ('' if record.get('passed') else '!'):8}"
        print(row)

    print()
    print(f"{'opt':6}{'tests':>7}{'TP':>5}{'FP':>5}{'FN':>5}{'TN':>5}{'failed':>8}{'missing':>9}")
    for opt in opts:
        t = totals[opt]
        print(f"{opt:6}{t['tests']:>7}{t['TP']:>5}{t['FP']:>5}{t['FN']:>5}{t['TN']:>5}{t['failed']:>8}{t['missing']:>9}")
    for opt in opts:
        t = totals[opt]
        passed = t["tests"] - t["failed"] - t["missing"]
        print(f"{opt}: passed {passed} of {t['tests']} tests ({100.0 * passed / t['tests']:.2f}%, "
              f"{t['FP']} false positive(s), {t['FN']} false negative(s))")
    print_schedules_needed(expected, results, opts, width)
    if failures:
        print()
        print("failures:")
        for failure in failures:
            print("  " + failure)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
