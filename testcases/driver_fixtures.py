#!/usr/bin/env python3
"""driver_fixtures.py — what the driver's self-tests share: fake testcase sources, builders of JSON
findings as racecheck reports them, and a base class that writes testcase files to a temp directory.

Imported by test_verdicts.py (header parsing and verdict rules) and test_driver.py (run_testcase.py
and summarize.py end to end).
"""

import os
import tempfile
import textwrap
import unittest

RACE_SOURCE = textwrap.dedent("""\
    // EXPECT: race
    // DESCRIPTION: a fake racy testcase
    // SEEDS: 2
    // VARIABLE: counter
    int counter;
    void a(void) { counter++; // SITE
    }
    void b(void) {
      counter = 3; // SITE
    }
    // a comment mentioning // SITE is not a site
    """)

NONE_SOURCE = textwrap.dedent("""\
    // EXPECT: none
    // DESCRIPTION: a fake race-free testcase
    int main(void) { return 0; }
    """)


def location(file_name, line, function="f"):
    return {"file": file_name, "line": line, "column": 1, "function": function}


def race_finding(first, second, name="counter", field=""):
    """A data-race finding whose two accesses are at (file, line) `first` and `second`."""
    return {
        "kind": "data-race",
        "message": f"WARNING: racecheck: data race on {name}",
        "variable": {"kind": "global", "name": name, "field": field},
        "accesses": [
            {"role": "current", "thread": "T1", "location": location(*first), "stack": [location(*first)],
             "locks_held": []},
            {"role": "previous", "thread": "T2", "location": location(*second), "stack": [location(*second)],
             "locks_held": []},
        ],
    }


def explored(finding, first_seed=0, number=1):
    """A finding as `run --schedules` reports it: fingerprint, first seed, count, schedule file,
    kept output and its block of the text report."""
    explored_finding = dict(finding)
    explored_finding.update({
        "fingerprint": f"{number:016x}", "first_seed": first_seed, "seen_in": 1,
        "schedule": f"out/finding-{number}.schedule", "stdout": f"out/finding-{number}.stdout",
        "report_text": f"==================\nWARNING: racecheck: finding {number} "
                       f"first seen with seed {first_seed}\n==================\n"})
    return explored_finding


class TestcaseFiles(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.TemporaryDirectory()
        self.addCleanup(self.directory.cleanup)

    def write(self, name, text):
        path = os.path.join(self.directory.name, name)
        with open(path, "w", encoding="utf-8") as out:
            out.write(text)
        return path

