#!/usr/bin/env python3
"""test_driver.py — end-to-end tests of the testcase driver (no racecheck build needed).

Runs run_testcase.py and summarize.py against a fake `racecheck` tool that writes canned JSON
reports and exit statuses; the rules they apply are unit-tested in test_verdicts.py.
Run: python3 test_driver.py  (registered in ctest as testcases/driver-selftest)
"""

import json
import os
import subprocess
import sys
import textwrap
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, HERE)
import testcase_lib  # noqa: E402
from driver_fixtures import NONE_SOURCE, RACE_SOURCE, TestcaseFiles, explored, race_finding  # noqa: E402

# The fake runs under this very interpreter (not a `python3` looked up on PATH, which may be a slow
# version-manager shim): the end-to-end tests start it dozens of times.
FAKE_TOOL = f"#!{sys.executable} -S\n" + textwrap.dedent("""\
    # A stand-in for build/bin/racecheck.
    #   cc/c++: create the -o file.
    #   run --schedules N --seed S --out D --json F [--jobs J]: write $FAKE_REPORT's document as the
    #     JSON report and each finding's schedule/stdout file, print the findings' report_text,
    #     exit with $FAKE_STATUS after sleeping $FAKE_SLEEP seconds.
    #   replay --json F SCHEDULE: report the findings of $FAKE_REPORT whose schedule file has this
    #     content (none with $FAKE_REPLAY_DROPS; with other text under $FAKE_REPLAY_OTHER_TEXT),
    #     print $FAKE_REPLAY_OUTPUT if set, exit $FAKE_REPLAY_STATUS or else 66 when there are some.
    # $FAKE_VARIES (every invocation) / $FAKE_REPLAY_FLAKY (replays) / $FAKE_JOBS_DIFFER (--jobs 2)
    # add a line that differs from the previous invocation's. Every invocation is logged to $FAKE_LOG.
    import json, os, sys, time
    args = sys.argv[1:]
    if args[0] in ("cc", "c++"):
        with open(args[args.index("-o") + 1], "w") as out:
            out.write("program")
        sys.exit(0)
    with open(os.environ["FAKE_LOG"], "a") as log:
        log.write(" ".join(args) + "\\n")
    with open(os.environ["FAKE_LOG"]) as log:
        invocation = len(log.readlines())
    def option(name, default=None):
        return args[args.index(name) + 1] if name in args else default
    with open(os.environ["FAKE_REPORT"]) as source:
        document = json.load(source)
    output = os.environ.get("FAKE_OUTPUT", "program output\\n")
    varies = "invocation %d\\n" % invocation if os.environ.get("FAKE_VARIES") else ""
    if args[0] == "run":
        time.sleep(float(os.environ.get("FAKE_SLEEP", "0")))
        for finding in document["findings"]:
            if finding.get("schedule"):
                os.makedirs(os.path.dirname(finding["schedule"]), exist_ok=True)
                with open(finding["schedule"], "w") as out:
                    out.write("schedule of seed %s\\n" % finding.get("first_seed"))
            if finding.get("stdout"):
                with open(finding["stdout"], "w") as out:
                    out.write(output)
        if os.environ.get("FAKE_JOBS_DIFFER") and option("--jobs", "1") != "1":
            varies += "merged in another order\\n"
        with open(option("--json"), "w") as out:
            json.dump(document, out)
        sys.stderr.write("fake exploration of %s schedules\\n" % option("--schedules") + varies
                         + "".join(f.get("report_text", "") for f in document["findings"]))
        sys.exit(int(os.environ.get("FAKE_STATUS", "0")))
    assert args[0] == "replay", args
    with open(args[-1]) as source:
        content = source.read()
    replayed = [f for f in document["findings"]
                if f.get("schedule") and open(f["schedule"]).read() == content]
    if os.environ.get("FAKE_REPLAY_DROPS"):
        replayed = []
    if os.environ.get("FAKE_REPLAY_FLAKY"):
        varies += "replay invocation %d\\n" % invocation
    with open(option("--json"), "w") as out:
        json.dump({"findings": [{"kind": f["kind"], "fingerprint": f["fingerprint"]} for f in replayed]}, out)
    sys.stdout.write(os.environ.get("FAKE_REPLAY_OUTPUT", output))
    printed = "".join(f["report_text"] for f in replayed)
    if os.environ.get("FAKE_REPLAY_OTHER_TEXT"):
        printed = printed.replace("first seen", "seen first")
    sys.stderr.write(varies + printed)
    sys.exit(int(os.environ.get("FAKE_REPLAY_STATUS", 66 if replayed else 0)))
    """)


class DriverEndToEndTest(TestcaseFiles):
    def setUp(self):
        super().setUp()
        self.build = os.path.join(self.directory.name, "build")
        os.makedirs(os.path.join(self.build, "bin"))
        tool = os.path.join(self.build, "bin", "racecheck")
        with open(tool, "w", encoding="utf-8") as out:
            out.write(FAKE_TOOL)
        os.chmod(tool, 0o755)
        self.results = os.path.join(self.directory.name, "results")
        self.testcases = os.path.join(self.directory.name, "testcases")
        os.makedirs(self.testcases)
        self.race = os.path.join(self.testcases, "fake_race.c")
        with open(self.race, "w", encoding="utf-8") as out:
            out.write(RACE_SOURCE)
        self.report = os.path.join(self.directory.name, "report.json")
        self.log = os.path.join(self.directory.name, "invocations.log")
        self.good = [explored(race_finding(("fake_race.c", 6), ("fake_race.c", 6)), first_seed=0, number=1),
                     explored(race_finding(("fake_race.c", 9), ("fake_race.c", 9)), first_seed=1, number=2)]

    def drive(self, findings, status, sleep=0.0, timeout=30.0, checks=False, testcase=None, replay_runs=3,
              **fake):
        with open(self.report, "w", encoding="utf-8") as out:
            json.dump({"tool": "racecheck", "findings": findings}, out)
        if os.path.exists(self.log):
            os.remove(self.log)
        environment = dict(os.environ, FAKE_REPORT=self.report, FAKE_STATUS=str(status),
                           FAKE_SLEEP=str(sleep), FAKE_LOG=self.log, **fake)
        testcase = testcase or self.race
        command = [sys.executable, os.path.join(HERE, "run_testcase.py"), "--build", self.build,
                   "--opt", "O2", "--results", self.results, "--timeout", str(timeout), testcase]
        if checks:
            command += ["--checks", "--replay-runs", str(replay_runs)]
        run = subprocess.run(command, capture_output=True, text=True,
                             env=environment)
        name = os.path.splitext(os.path.basename(testcase))[0]
        with open(testcase_lib.result_path(self.results, name, "O2"), encoding="utf-8") as source:
            return run, json.loads(source.read())

    def invocations(self):
        with open(self.log, encoding="utf-8") as log:
            return log.read().splitlines()

    def test_pass_with_one_exploration(self):
        run, record = self.drive(self.good, 66)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertEqual((record["outcome"], record["TP"], record["got"]), ("TP", 1, "race"))
        self.assertEqual((record["schedules"], record["schedules_needed"], record["needs_phase_2"]), (2, 2, False))
        self.assertEqual([f["first_seed"] for f in record["findings"]], [0, 1])
        self.assertIn("needed 2 of 2 schedule(s)", run.stdout)
        [invocation] = self.invocations()
        self.assertTrue(invocation.startswith("run --schedules 2 --seed 0 "), invocation)
        self.assertEqual(record["checks"], {})

    def test_missing_expected_finding_fails(self):
        run, record = self.drive(self.good[:1], 66)
        self.assertEqual(run.returncode, 1)
        self.assertEqual((record["outcome"], record["schedules_needed"]), ("FN", None))
        self.assertIn("fake_race.c:9", run.stdout)
        self.assertIn("finding 1 first seen with seed 0", run.stdout)  # the report is shown

    def test_wrong_exit_status(self):
        run, record = self.drive(self.good, 0)
        self.assertEqual(run.returncode, 1)
        self.assertEqual(record["outcome"], "ERROR")
        self.assertIn("exit status 0, expected 66", run.stdout)

    def test_nonzero_status_without_findings(self):
        run, record = self.drive([], 3)
        self.assertEqual((run.returncode, record["outcome"]), (1, "ERROR"))

    def test_false_negative_prints_diagnosis(self):
        run, record = self.drive([], 0)
        self.assertEqual(run.returncode, 1)
        self.assertEqual((record["FN"], record["got"]), (1, "none"))
        self.assertIn("expected race, got none", run.stdout)
        self.assertIn("fake exploration of 2 schedules", run.stdout)

    def test_none_testcase_explores_its_budget_and_must_report_nothing(self):
        none = os.path.join(self.testcases, "fake_none.c")
        with open(none, "w", encoding="utf-8") as out:
            out.write(NONE_SOURCE.replace("// DESCRIPTION", "// SCHEDULES: 7\n// DESCRIPTION"))
        run, record = self.drive([], 0, checks=True, testcase=none)
        self.assertEqual((run.returncode, record["outcome"], record["schedules_needed"]), (0, "TN", None))
        self.assertEqual([i.split()[:3] for i in self.invocations()], [["run", "--schedules", "7"]])
        run, record = self.drive(self.good[:1], 66, testcase=none)
        self.assertEqual((run.returncode, record["outcome"]), (1, "FP"))

    def test_timeout(self):
        run, record = self.drive([], 0, sleep=5, timeout=1)
        self.assertEqual(run.returncode, 1)
        self.assertIn("timed out", run.stdout)
        self.assertEqual(record["outcome"], "ERROR")

    def test_checks_pass(self):
        run, record = self.drive(self.good, 66, checks=True, replay_runs=5)
        self.assertEqual(run.returncode, 0, run.stdout + run.stderr)
        self.assertEqual(sorted(record["checks"]), ["determinism", "jobs", "replay"])
        self.assertTrue(all(v.startswith("passed") for v in record["checks"].values()), record["checks"])
        invocations = self.invocations()
        # two schedules (seeds 0 and 1) replayed 5 times each; the checks explore 4 schedules
        self.assertEqual(sum(i.startswith("replay ") for i in invocations), 10)
        explorations = [i for i in invocations if i.startswith("run ")]
        self.assertEqual(len(explorations), 4)
        self.assertEqual(sum("--schedules 4" in i for i in explorations), 3)
        self.assertEqual(sum("--jobs 2" in i for i in explorations), 1)

    def test_flaky_replay_fails_with_a_diff(self):
        run, record = self.drive(self.good, 66, checks=True, FAKE_REPLAY_FLAKY="1")
        self.assertEqual((run.returncode, record["outcome"], record["passed"]), (1, "BAD", False))
        self.assertEqual(record["checks"]["replay"], "FAILED")
        self.assertIn("replay 2 of 3", run.stdout)
        self.assertIn("+replay invocation", run.stdout)

    def test_replay_without_the_finding_fails(self):
        run, record = self.drive(self.good, 66, checks=True, FAKE_REPLAY_DROPS="1", FAKE_REPLAY_STATUS="66")
        self.assertEqual((run.returncode, record["checks"]["replay"]), (1, "FAILED"))
        self.assertIn("does not report the data-race finding", run.stdout)

    def test_replay_with_another_report_fails(self):
        run, record = self.drive(self.good, 66, checks=True, FAKE_REPLAY_OTHER_TEXT="1")
        self.assertEqual((run.returncode, record["checks"]["replay"]), (1, "FAILED"))
        self.assertIn("prints another report", run.stdout)
        self.assertIn("+WARNING: racecheck: finding 1 seen first with seed 0", run.stdout)

    def test_replay_with_other_program_output_fails(self):
        run, record = self.drive(self.good, 66, checks=True, FAKE_REPLAY_OUTPUT="other output\n")
        self.assertEqual((run.returncode, record["checks"]["replay"]), (1, "FAILED"))
        self.assertIn("prints other program output", run.stdout)
        self.assertIn("+other output", run.stdout)

    def test_replay_without_findings_fails(self):
        run, record = self.drive(self.good, 66, checks=True, FAKE_REPLAY_DROPS="1")
        self.assertEqual(record["checks"]["replay"], "FAILED")
        self.assertIn("exited 0, expected 66", run.stdout)

    def test_nondeterministic_exploration_fails_with_a_diff(self):
        run, record = self.drive(self.good, 66, checks=True, FAKE_VARIES="1")
        self.assertEqual(run.returncode, 1)
        self.assertEqual(record["checks"]["determinism"], "FAILED")
        self.assertIn("run twice: text report (stderr) differs", run.stdout)
        self.assertIn("+invocation", run.stdout)

    def test_jobs_must_agree(self):
        run, record = self.drive(self.good, 66, checks=True, FAKE_JOBS_DIFFER="1")
        self.assertEqual(run.returncode, 1)
        self.assertEqual((record["checks"]["jobs"], record["checks"]["determinism"][:6]), ("FAILED", "passed"))
        self.assertIn("--jobs 2 against --jobs 1", run.stdout)
        self.assertIn("+merged in another order", run.stdout)

    def test_summary(self):
        summarize = [sys.executable, os.path.join(HERE, "summarize.py"), "--results", self.results,
                     "--testcases", self.testcases, "--opt", "O2"]
        self.drive(self.good, 66, checks=True)
        good = subprocess.run(summarize, capture_output=True, text=True)
        self.assertEqual(good.returncode, 0, good.stdout)
        self.assertIn("O2: passed 1 of 1 tests", good.stdout)
        self.assertIn("schedules needed", good.stdout)
        self.assertRegex(good.stdout, r"fake_race +race +2/2 +replay ok, determinism ok, jobs ok")
        path = testcase_lib.result_path(self.results, "fake_race", "O2")
        with open(path, encoding="utf-8") as source:
            record = json.load(source)
        record.update(passed=False, outcome="BAD", problems=["jobs check failed: differs"])
        record["checks"]["jobs"] = "FAILED"
        with open(path, "w", encoding="utf-8") as out:
            json.dump(record, out)
        failed_check = subprocess.run(summarize, capture_output=True, text=True)
        self.assertEqual(failed_check.returncode, 1)
        self.assertIn("jobs FAILED", failed_check.stdout)
        self.drive([], 0)
        bad = subprocess.run(summarize, capture_output=True, text=True)
        self.assertEqual(bad.returncode, 1)
        self.assertIn("FN!", bad.stdout)
        self.assertRegex(bad.stdout, r"fake_race +race +-/2")
        missing = subprocess.run(summarize[:-1] + ["O0"], capture_output=True, text=True)
        self.assertEqual(missing.returncode, 1)
        self.assertIn("MISSING", missing.stdout)


if __name__ == "__main__":
    unittest.main()
