#!/usr/bin/env python3
"""e2e_test.py — the racecheck CLI with the real plugin and runtime (ctest
`tools.e2e`): builds tools/demo/bank.c with `racecheck cc`, runs it with
`racecheck run` and directly (the runtime then calls `racecheck report`), and
checks the findings, the exit statuses and that a seed reproduces its report.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

RACECHECK = None
DEMO = None


class EndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="racecheck-e2e-")
        cls.program = os.path.join(cls.tmp.name, "bank")
        r = subprocess.run([RACECHECK, "cc", "-O1", DEMO, "-o", cls.program],
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise AssertionError("racecheck cc failed: " + r.stderr)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_racecheck(self, *args):
        return subprocess.run([RACECHECK, "run", *args], capture_output=True, text=True,
                              timeout=120, cwd=self.tmp.name)

    def test_run_reports_the_race(self):
        out = os.path.join(self.tmp.name, "a.json")
        r = self.run_racecheck("--seed", "1", "--json", out, "--", self.program)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertRegex(r.stderr, r"WARNING: racecheck: data race on checking\S* \(\S*bank\.c:20 vs \S*bank\.c:20\)")
        self.assertIn("SUMMARY: racecheck: 1 data race(s), 0 deadlock(s) (seed 1, strategy random", r.stderr)
        self.assertIn("balance 3000", r.stdout)
        with open(out) as f:
            doc = json.load(f)
        race = doc["findings"][0]
        self.assertEqual(race["kind"], "data-race")
        self.assertEqual(race["accesses"][0]["location"]["line"], 20)
        self.assertEqual(race["variable"]["kind"], "global")

    def test_same_seed_same_report(self):
        reports = []
        for i in range(2):
            out = os.path.join(self.tmp.name, "seed%d.json" % i)
            r = self.run_racecheck("--seed", "7", "--json", out, "--", self.program)
            self.assertEqual(r.returncode, 66, r.stderr)
            with open(out) as f:
                reports.append((r.stderr, f.read()))
        self.assertEqual(reports[0], reports[1])

    def test_direct_run_renders_through_report(self):
        env = dict(os.environ, RACECHECK_OPTIONS="seed=1")
        r = subprocess.run([self.program], capture_output=True, text=True, timeout=120, env=env)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("WARNING: racecheck: data race on checking", r.stderr)
        self.assertIn("SUMMARY: racecheck:", r.stderr)


def main():
    global RACECHECK, DEMO
    RACECHECK = os.path.abspath(sys.argv[1])
    DEMO = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]], verbosity=2)


if __name__ == "__main__":
    main()
