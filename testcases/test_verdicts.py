#!/usr/bin/env python3
"""test_verdicts.py — unit tests of the testcase library's rules (no racecheck build needed).

Covers header parsing, position extraction from JSON findings, the verdict rules of
testcase_lib.evaluate, "schedules needed", and the TSan report parser.
Run: python3 test_verdicts.py  (registered in ctest as testcases/verdict-selftest)
"""

import os
import sys
import textwrap
import unittest

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import check_with_tsan  # noqa: E402
import testcase_lib  # noqa: E402
from driver_fixtures import (RACE_SOURCE, NONE_SOURCE, TestcaseFiles, explored,  # noqa: E402
                             location, race_finding)

CYCLE_SOURCE = textwrap.dedent("""\
    // EXPECT: lock-order-cycle
    // DESCRIPTION: a fake ABBA testcase
    void f(void) {
      lock(a); // SITE
      lock(b); // SITE
    }
    void g(void) {
      lock(b); // SITE
      lock(a); // SITE
    }
    """)


def cycle_finding(*steps):
    """A lock-order-cycle finding; each step is ((file, line) held acquisition, (file, line) wanted)."""
    return {
        "kind": "lock-order-cycle",
        "message": "WARNING: racecheck: potential deadlock: lock-order cycle",
        "accesses": [],
        "waiters": [],
        "lock_order_cycle": {"hold_and_wait": [
            {"thread": f"T{i + 1}",
             "holds": {"acquired_at": location(*held), "acquisition_stack": [location(*held)]},
             "wants": {"location": location(*wanted), "stack": [location(*wanted)]},
             "locks_held": [{"acquired_at": location("fake_cycle.c", 99)}]}
            for i, (held, wanted) in enumerate(steps)]},
    }


class ParseTest(TestcaseFiles):
    def test_headers_and_sites(self):
        testcase = testcase_lib.parse_testcase(self.write("fake_race.c", RACE_SOURCE))
        self.assertEqual(testcase.name, "fake_race")
        self.assertEqual(testcase.expect, "race")
        self.assertEqual(testcase.seeds, 2)
        self.assertEqual(testcase.language, "c")
        self.assertEqual(testcase.variable, "counter")
        self.assertEqual(testcase.site_lines, [6, 9])

    def test_cpp_and_std(self):
        path = self.write("x.cpp", "// EXPECT: none\n// DESCRIPTION: d\n// STD: c++20\nint main() {}\n")
        testcase = testcase_lib.parse_testcase(path)
        self.assertEqual(testcase.language, "c++")
        self.assertEqual(testcase.compile_flags(), ["-std=c++20"])

    def test_malformed(self):
        cases = {
            "no_expect.c": "// DESCRIPTION: d\nint x;\n",
            "bad_expect.c": "// EXPECT: maybe\n// DESCRIPTION: d\n",
            "no_description.c": "// EXPECT: none\nint x;\n",
            "race_without_site.c": "// EXPECT: race\n// DESCRIPTION: d\nint x;\n",
            "none_with_site.c": "// EXPECT: none\n// DESCRIPTION: d\nint x; // SITE\n",
            "bad_seeds.c": "// EXPECT: none\n// DESCRIPTION: d\n// SEEDS: zero\n",
            "unknown_key.c": "// EXPECT: none\n// DESCRIPTION: d\n// EXPECTED: race\n",
        }
        for name, text in cases.items():
            with self.subTest(name):
                with self.assertRaises(testcase_lib.TestcaseError):
                    testcase_lib.parse_testcase(self.write(name, text))


class EvaluateTest(TestcaseFiles):
    def setUp(self):
        super().setUp()
        self.race = testcase_lib.parse_testcase(self.write("fake_race.c", RACE_SOURCE))
        self.none = testcase_lib.parse_testcase(self.write("fake_none.c", NONE_SOURCE))

    def test_true_positive(self):
        result = testcase_lib.evaluate(self.race, [race_finding(("/abs/fake_race.c", 6), ("fake_race.c", 9))])
        self.assertTrue(result.passed, result.problems)
        self.assertEqual(result.got, "race")
        self.assertEqual(result.outcome(), "TP")

    def test_sites_may_be_named_in_different_findings_and_deep_in_stacks(self):
        inlined = race_finding(("stl_vector.h", 100), ("fake_race.c", 6))
        inlined["accesses"][0]["stack"] = [location("stl_vector.h", 100),
                                          {**location("invoke.h", 5), "inlined_at": location("fake_race.c", 9)}]
        result = testcase_lib.evaluate(self.race, [inlined])
        self.assertTrue(result.passed, result.problems)

    def test_missing_site_is_a_false_negative(self):
        result = testcase_lib.evaluate(self.race, [race_finding(("fake_race.c", 6), ("fake_race.c", 6))])
        self.assertFalse(result.passed)
        self.assertEqual(result.outcome(), "FN")
        self.assertIn("fake_race.c:9", result.problems[0])

    def test_no_race_is_a_false_negative(self):
        result = testcase_lib.evaluate(self.race, [])
        self.assertEqual((result.got, result.outcome()), ("none", "FN"))

    def test_finding_without_site_is_a_false_positive(self):
        findings = [race_finding(("fake_race.c", 6), ("fake_race.c", 9)),
                    race_finding(("fake_race.c", 2), ("other.c", 9))]
        result = testcase_lib.evaluate(self.race, findings)
        self.assertEqual(result.outcome(), "FP")

    def test_same_line_in_other_file_does_not_count(self):
        result = testcase_lib.evaluate(self.race, [race_finding(("other.c", 6), ("other.c", 9))])
        self.assertEqual(result.outcome(), "FP+FN")

    def test_lock_acquisition_positions_do_not_count(self):
        finding = race_finding(("other.c", 1), ("other.c", 2))
        finding["accesses"][0]["locks_held"] = [{"name": "m", "acquired_at": location("fake_race.c", 6)}]
        finding["accesses"][1]["locks_held"] = [{"name": "m", "acquired_at": location("fake_race.c", 9)}]
        self.assertEqual(testcase_lib.evaluate(self.race, [finding]).outcome(), "FP+FN")

    def test_variable_must_be_named(self):
        wrong = race_finding(("fake_race.c", 6), ("fake_race.c", 9), name="other")
        result = testcase_lib.evaluate(self.race, [wrong])
        self.assertEqual(result.outcome(), "BAD")
        self.assertIn("counter", result.problems[0])

    def test_variable_with_field_and_array_index(self):
        finding = race_finding(("a.c", 1), ("a.c", 2), name="stats", field="errors")
        self.assertEqual(testcase_lib.variable_names(finding), {"stats", "stats.errors"})
        finding = race_finding(("a.c", 1), ("a.c", 2), name="readings", field="[3]")
        self.assertEqual(testcase_lib.variable_names(finding), {"readings", "readings[3]"})

    def test_none_expected(self):
        self.assertEqual(testcase_lib.evaluate(self.none, []).outcome(), "TN")
        result = testcase_lib.evaluate(self.none, [race_finding(("fake_none.c", 3), ("fake_none.c", 3))])
        self.assertEqual((result.got, result.outcome()), ("race", "FP"))

    def test_other_finding_kinds_are_false_positives(self):
        deadlock = {"kind": "deadlock", "message": "WARNING: racecheck: deadlock (2 threads blocked)"}
        self.assertEqual(testcase_lib.evaluate(self.none, [deadlock]).outcome(), "FP")
        result = testcase_lib.evaluate(self.race, [race_finding(("fake_race.c", 6), ("fake_race.c", 9)), deadlock])
        self.assertEqual(result.outcome(), "FP")


class LockOrderCycleEvaluateTest(TestcaseFiles):
    def setUp(self):
        super().setUp()
        self.cycle = testcase_lib.parse_testcase(self.write("fake_cycle.c", CYCLE_SOURCE))
        self.none = testcase_lib.parse_testcase(self.write("fake_none.c", NONE_SOURCE))
        self.abba = cycle_finding((("fake_cycle.c", 4), ("fake_cycle.c", 5)),
                                  (("fake_cycle.c", 8), ("fake_cycle.c", 9)))

    def test_parse(self):
        self.assertEqual((self.cycle.expect, self.cycle.site_lines), ("lock-order-cycle", [4, 5, 8, 9]))
        with self.assertRaises(testcase_lib.TestcaseError):
            testcase_lib.parse_testcase(self.write("no_sites.c", "// EXPECT: lock-order-cycle\n// DESCRIPTION: d\n"))

    def test_cycle_naming_every_site_is_a_true_positive(self):
        result = testcase_lib.evaluate(self.cycle, [self.abba])
        self.assertTrue(result.passed, result.problems)
        self.assertEqual((result.got, result.outcome()), ("lock-order-cycle", "TP"))

    def test_a_real_deadlock_also_counts(self):
        deadlock = {"kind": "deadlock", "waiters": [
            {"thread": "T1", "location": location("fake_cycle.c", 5), "stack": []},
            {"thread": "T2", "location": location("fake_cycle.c", 9), "stack": []}]}
        result = testcase_lib.evaluate(self.cycle, [self.abba, deadlock])
        self.assertTrue(result.passed, result.problems)
        # alone, the deadlock names only the waiting lines
        result = testcase_lib.evaluate(self.cycle, [deadlock])
        self.assertEqual(result.outcome(), "FN")
        self.assertIn("fake_cycle.c:4", result.problems[0])

    def test_no_cycle_is_a_false_negative(self):
        result = testcase_lib.evaluate(self.cycle, [])
        self.assertEqual((result.got, result.outcome()), ("none", "FN"))

    def test_other_locks_held_do_not_name_sites(self):
        partial = cycle_finding((("fake_cycle.c", 4), ("fake_cycle.c", 5)), (("x.c", 8), ("x.c", 9)))
        partial["lock_order_cycle"]["hold_and_wait"][1]["locks_held"] = [
            {"acquired_at": location("fake_cycle.c", 8)}, {"acquired_at": location("fake_cycle.c", 9)}]
        self.assertEqual(testcase_lib.evaluate(self.cycle, [partial]).outcome(), "FN")

    def test_unrelated_cycle_and_races_are_false_positives(self):
        elsewhere = cycle_finding((("x.c", 1), ("x.c", 2)), (("x.c", 3), ("x.c", 4)))
        self.assertEqual(testcase_lib.evaluate(self.cycle, [self.abba, elsewhere]).outcome(), "FP")
        race = race_finding(("fake_cycle.c", 4), ("fake_cycle.c", 8))
        result = testcase_lib.evaluate(self.cycle, [self.abba, race])
        self.assertEqual((result.got, result.outcome()), ("race", "FP"))

    def test_cycle_is_a_false_positive_when_none_is_expected(self):
        self.assertEqual(testcase_lib.evaluate(self.none, [self.abba]).outcome(), "FP")


DEADLOCK_SOURCE = textwrap.dedent("""\
    // EXPECT: deadlock
    // DESCRIPTION: a fake ABBA testcase that really deadlocks
    // SEEDS: 4
    void f(void) {
      lock(a);
      lock(b); // SITE
    }
    void g(void) {
      lock(b);
      lock(a); // SITE
    }
    """)


class DeadlockEvaluateTest(TestcaseFiles):
    def setUp(self):
        super().setUp()
        self.testcase = testcase_lib.parse_testcase(self.write("fake_deadlock.c", DEADLOCK_SOURCE))
        self.deadlock = {"kind": "deadlock", "waiters": [
            {"thread": "T1", "location": location("fake_deadlock.c", 6), "stack": []},
            {"thread": "T2", "location": location("fake_deadlock.c", 10), "stack": []}]}
        self.cycle = cycle_finding((("fake_deadlock.c", 5), ("fake_deadlock.c", 6)),
                                   (("fake_deadlock.c", 9), ("fake_deadlock.c", 10)))

    def test_parse(self):
        self.assertEqual((self.testcase.expect, self.testcase.site_lines, self.testcase.seeds),
                         ("deadlock", [6, 10], 4))

    def test_deadlock_naming_every_site_is_a_true_positive(self):
        result = testcase_lib.evaluate(self.testcase, [self.deadlock, self.cycle])
        self.assertTrue(result.passed, result.problems)
        self.assertEqual((result.got, result.outcome()), ("deadlock", "TP"))

    def test_a_cycle_alone_is_a_false_negative(self):
        result = testcase_lib.evaluate(self.testcase, [self.cycle])
        self.assertEqual((result.got, result.outcome()), ("lock-order-cycle", "FN"))

    def test_waiter_missing_a_site_is_a_false_negative(self):
        self.deadlock["waiters"].pop()
        result = testcase_lib.evaluate(self.testcase, [self.deadlock])
        self.assertEqual(result.outcome(), "FN")
        self.assertIn("fake_deadlock.c:10", result.problems[0])

    def test_unrelated_cycle_and_races_are_false_positives(self):
        elsewhere = cycle_finding((("x.c", 1), ("x.c", 2)), (("x.c", 3), ("x.c", 4)))
        self.assertEqual(testcase_lib.evaluate(self.testcase, [self.deadlock, elsewhere]).outcome(), "FP")
        race = race_finding(("fake_deadlock.c", 5), ("fake_deadlock.c", 9))
        result = testcase_lib.evaluate(self.testcase, [self.deadlock, race])
        self.assertEqual((result.got, result.outcome()), ("race", "FP"))

    def test_exit_holding_misuse_is_the_deadlocks_cause_other_misuse_is_not(self):
        exit_holding = {"kind": "misuse", "misuse": "exit-holding", "waiters": []}
        result = testcase_lib.evaluate(self.testcase, [self.deadlock, exit_holding])
        self.assertEqual((result.got, result.outcome()), ("deadlock", "TP"), result.problems)
        unlock = {"kind": "misuse", "misuse": "unlock-not-held", "waiters": []}
        self.assertEqual(testcase_lib.evaluate(self.testcase, [self.deadlock, unlock]).outcome(), "FP")

    def test_deadlock_is_a_false_positive_when_none_is_expected(self):
        none = testcase_lib.parse_testcase(self.write("fake_none.c", NONE_SOURCE))
        self.assertEqual(testcase_lib.evaluate(none, [self.deadlock]).outcome(), "FP")


HANG_SOURCE = textwrap.dedent("""\
    // EXPECT: hang
    // DESCRIPTION: a fake spin on a flag nobody sets
    // OPTIONS: max_steps=20000:preempt_budget=50
    int flag;
    void spin(void) {
      while (!load(&flag)) {} // SITE
    }
    """)

CRASH_SOURCE = textwrap.dedent("""\
    // EXPECT: crash
    // DESCRIPTION: a fake failed assertion
    // SEEDS: 3
    void check(int balance) {
      assert(balance >= 0); // SITE
    }
    """)


FAILURE_SOURCE = textwrap.dedent("""\
    // EXPECT: failure
    // DESCRIPTION: a fake self-check that exits 1 in some schedules
    int main(void) { return total() != 40; }
    """)

MISMATCH_SOURCE = textwrap.dedent("""\
    // EXPECT: output-mismatch
    // DESCRIPTION: a fake program printing a schedule-dependent total
    int main(void) { printf("%d", total()); }
    """)


class ComparisonEvaluateTest(TestcaseFiles):
    """EXPECT failure / output-mismatch: findings of exploration's comparison with the reference."""

    def setUp(self):
        super().setUp()
        self.failure = testcase_lib.parse_testcase(self.write("fake_failure.c", FAILURE_SOURCE))
        self.mismatch = testcase_lib.parse_testcase(self.write("fake_mismatch.c", MISMATCH_SOURCE))
        self.failure_finding = {"kind": "failure", "details": [
            "exit status 1 differs from the reference schedule's 0", "reference: seed 0"]}
        self.mismatch_finding = {"kind": "output-mismatch", "details": [
            "output differs from the reference schedule's", "first difference at line 1"]}

    def test_the_finding_of_the_kind_is_a_true_positive(self):
        for testcase, finding in ((self.failure, self.failure_finding),
                                  (self.mismatch, self.mismatch_finding)):
            result = testcase_lib.evaluate(testcase, [finding])
            self.assertTrue(result.passed, result.problems)
            self.assertEqual((result.got, result.outcome()), (testcase.expect, "TP"))

    def test_none_and_the_other_comparison_kind(self):
        self.assertEqual(testcase_lib.evaluate(self.failure, []).outcome(), "FN")
        result = testcase_lib.evaluate(self.failure, [self.mismatch_finding])
        self.assertEqual((result.got, result.outcome()), ("output-mismatch", "FP+FN"))
        none = testcase_lib.parse_testcase(self.write("fake_none.c", NONE_SOURCE))
        for finding in (self.failure_finding, self.mismatch_finding):
            self.assertEqual(testcase_lib.evaluate(none, [finding]).outcome(), "FP")

    def test_under_race_a_comparison_is_what_the_race_does(self):
        race = testcase_lib.parse_testcase(self.write("fake_race.c", RACE_SOURCE))
        races = [race_finding(("fake_race.c", 6), ("fake_race.c", 9))]
        for finding in (self.failure_finding, self.mismatch_finding):
            result = testcase_lib.evaluate(race, races + [finding])
            self.assertEqual(result.outcome(), testcase_lib.evaluate(race, races).outcome())

    def test_crash_is_not_a_failure(self):
        crash = {"kind": "crash", "waiters": []}
        result = testcase_lib.evaluate(self.failure, [crash])
        self.assertEqual((result.got, result.outcome()), ("crash", "FP+FN"))


class FailureEvaluateTest(TestcaseFiles):
    def setUp(self):
        super().setUp()
        self.hang = testcase_lib.parse_testcase(self.write("fake_hang.c", HANG_SOURCE))
        self.crash = testcase_lib.parse_testcase(self.write("fake_crash.c", CRASH_SOURCE))
        self.hang_finding = {"kind": "hang", "waiters": [
            {"thread": "T1", "location": location("fake_hang.c", 6), "stack": []},
            {"thread": "T0", "location": location("fake_hang.c", 9), "stack": []}]}
        self.crash_finding = {"kind": "crash", "waiters": [
            {"thread": "T2", "location": location("libc.c", 1),
             "stack": [{"function": "check", "location": location("fake_crash.c", 5)}]}]}

    def test_parse_options_and_verdicts(self):
        self.assertEqual((self.hang.expect, self.hang.options, self.hang.site_lines),
                         ("hang", "max_steps=20000:preempt_budget=50", [6]))
        self.assertEqual((self.crash.expect, self.crash.options, self.crash.seeds), ("crash", None, 3))

    def test_bad_options_are_rejected(self):
        path = self.write("bad_options.c", "// EXPECT: none\n// DESCRIPTION: d\n// OPTIONS: a=1 b=2\n")
        with self.assertRaises(testcase_lib.TestcaseError):
            testcase_lib.parse_testcase(path)

    def test_failure_naming_the_site_is_a_true_positive(self):
        for testcase, finding in ((self.hang, self.hang_finding), (self.crash, self.crash_finding)):
            result = testcase_lib.evaluate(testcase, [finding])
            self.assertTrue(result.passed, result.problems)
            self.assertEqual((result.got, result.outcome()), (testcase.expect, "TP"))

    def test_site_only_in_the_stack_counts(self):
        result = testcase_lib.evaluate(self.crash, [self.crash_finding])
        self.assertEqual(result.outcome(), "TP")

    def test_no_failure_is_a_false_negative(self):
        result = testcase_lib.evaluate(self.crash, [])
        self.assertEqual((result.got, result.outcome()), ("none", "FN"))

    def test_other_kind_is_not_the_expected_failure(self):
        result = testcase_lib.evaluate(self.crash, [dict(self.hang_finding)])
        self.assertEqual((result.got, result.outcome()), ("hang", "FP+FN"))

    def test_failure_missing_the_site_is_a_false_negative(self):
        self.hang_finding["waiters"].pop(0)
        result = testcase_lib.evaluate(self.hang, [self.hang_finding])
        self.assertEqual(result.outcome(), "FN")
        self.assertIn("fake_hang.c:6", result.problems[0])

    def test_race_beside_the_failure_is_a_false_positive(self):
        race = race_finding(("fake_crash.c", 5), ("fake_crash.c", 5))
        result = testcase_lib.evaluate(self.crash, [self.crash_finding, race])
        self.assertEqual((result.got, result.outcome()), ("race", "FP"))

    def test_crash_is_a_false_positive_when_none_is_expected(self):
        none = testcase_lib.parse_testcase(self.write("fake_none.c", NONE_SOURCE))
        self.assertEqual(testcase_lib.evaluate(none, [self.crash_finding]).outcome(), "FP")


MISUSE_SOURCE = textwrap.dedent("""\
    // EXPECT: misuse
    // DESCRIPTION: a fake unlock of a mutex another thread holds
    void worker(void) {
      unlock(m); // SITE
    }
    """)


class MisuseEvaluateTest(TestcaseFiles):
    def setUp(self):
        super().setUp()
        self.misuse = testcase_lib.parse_testcase(self.write("fake_misuse.c", MISUSE_SOURCE))
        self.finding = {"kind": "misuse", "misuse": "unlock-other-thread", "waiters": [
            {"thread": "T1", "location": location("libc.c", 1),
             "stack": [{"function": "worker", "location": location("fake_misuse.c", 4)}]},
            {"thread": "T0", "location": location("fake_misuse.c", 9), "stack": []}]}

    def test_misuse_naming_the_site_is_a_true_positive(self):
        result = testcase_lib.evaluate(self.misuse, [self.finding])
        self.assertTrue(result.passed, result.problems)
        self.assertEqual((result.got, result.outcome()), ("misuse", "TP"))
        self.assertEqual(testcase_lib.EXPECTED_KINDS["misuse"], ("misuse",))

    def test_no_misuse_is_a_false_negative(self):
        result = testcase_lib.evaluate(self.misuse, [])
        self.assertEqual((result.got, result.outcome()), ("none", "FN"))

    def test_misuse_naming_no_site_is_a_false_positive(self):
        elsewhere = {"kind": "misuse", "waiters": [
            {"thread": "T2", "location": location("fake_misuse.c", 7), "stack": []}]}
        result = testcase_lib.evaluate(self.misuse, [self.finding, elsewhere])
        self.assertEqual(result.outcome(), "FP")

    def test_other_kinds_beside_it_are_false_positives(self):
        race = race_finding(("fake_misuse.c", 4), ("fake_misuse.c", 4))
        self.assertEqual(testcase_lib.evaluate(self.misuse, [self.finding, race]).outcome(), "FP")
        crash = {"kind": "crash", "waiters": []}
        self.assertEqual(testcase_lib.evaluate(self.misuse, [self.finding, crash]).outcome(), "FP")

    def test_misuse_is_a_false_positive_when_none_is_expected(self):
        none = testcase_lib.parse_testcase(self.write("fake_none.c", NONE_SOURCE))
        self.assertEqual(testcase_lib.evaluate(none, [self.finding]).outcome(), "FP")


LIVELOCK_SOURCE = textwrap.dedent("""\
    // EXPECT: livelock
    // DESCRIPTION: a fake polite back-off on two mutexes
    void f(void) {
      while (trylock(b) != 0) { // SITE
        unlock(a); lock(a);
      }
    }
    void g(void) {
      while (trylock(a) != 0) { // SITE
        unlock(b); lock(b);
      }
    }
    """)

STARVATION_SOURCE = textwrap.dedent("""\
    // EXPECT: starvation
    // DESCRIPTION: a fake writer starved by readers
    void writer(void) {
      wrlock(l); // SITE
    }
    void reader(void) {
      rdlock(l);
    }
    """)


class LivenessEvaluateTest(TestcaseFiles):
    """EXPECT livelock / starvation: like crash and hang, but the SITE lines may be named anywhere
    in the finding (its cycle or bypass evidence), except the locks held and thread creation."""

    def setUp(self):
        super().setUp()
        self.livelock = testcase_lib.parse_testcase(self.write("fake_livelock.c", LIVELOCK_SOURCE))
        self.starvation = testcase_lib.parse_testcase(self.write("fake_starve.c", STARVATION_SOURCE))
        self.livelock_finding = {"kind": "livelock", "waiters": [
            {"thread": "T1", "location": location("fake_livelock.c", 4), "stack": []}],
            "livelock": {"cycle": [{"thread": "T2", "operations": [
                {"operation": "pthread_mutex_trylock", "location": location("fake_livelock.c", 9)}]}]}}
        self.starvation_finding = {"kind": "starvation", "waiters": [
            {"thread": "T1", "location": location("x.c", 1),
             "stack": [location("fake_starve.c", 4)]}]}

    def test_parse(self):
        self.assertEqual((self.livelock.expect, self.livelock.site_lines), ("livelock", [4, 9]))
        self.assertEqual((self.starvation.expect, self.starvation.site_lines), ("starvation", [4]))

    def test_finding_naming_every_site_is_a_true_positive(self):
        for testcase, finding in ((self.livelock, self.livelock_finding),
                                  (self.starvation, self.starvation_finding)):
            result = testcase_lib.evaluate(testcase, [finding])
            self.assertTrue(result.passed, result.problems)
            self.assertEqual((result.got, result.outcome()), (testcase.expect, "TP"))

    def test_site_missing_is_a_false_negative(self):
        del self.livelock_finding["livelock"]
        result = testcase_lib.evaluate(self.livelock, [self.livelock_finding])
        self.assertEqual(result.outcome(), "FN")
        self.assertIn("fake_livelock.c:9", result.problems[0])

    def test_locks_held_and_creation_sites_do_not_name_sites(self):
        finding = {"kind": "starvation",
                   "waiters": [{"thread": "T1", "location": location("x.c", 1), "stack": [],
                                "locks_held": [{"acquired_at": location("fake_starve.c", 4)}]}],
                   "threads": [{"thread": "T1", "created_at": location("fake_starve.c", 4)}]}
        self.assertEqual(testcase_lib.evaluate(self.starvation, [finding]).outcome(), "FN")

    def test_no_finding_or_a_hang_instead(self):
        self.assertEqual(testcase_lib.evaluate(self.livelock, []).outcome(), "FN")
        hang = {"kind": "hang", "waiters": [{"thread": "T1", "location": location("fake_livelock.c", 4)}]}
        result = testcase_lib.evaluate(self.livelock, [hang])
        self.assertEqual((result.got, result.outcome()), ("hang", "FP+FN"))
        result = testcase_lib.evaluate(self.livelock, [self.livelock_finding, hang])
        self.assertEqual((result.got, result.outcome()), ("livelock", "FP"))

    def test_liveness_findings_are_false_positives_when_none_is_expected(self):
        none = testcase_lib.parse_testcase(self.write("fake_none.c", NONE_SOURCE))
        for finding in (self.livelock_finding, self.starvation_finding):
            self.assertEqual(testcase_lib.evaluate(none, [finding]).outcome(), "FP")
        result = testcase_lib.evaluate(self.starvation, [self.livelock_finding])
        self.assertEqual((result.got, result.outcome()), ("livelock", "FP+FN"))


class TsanParserTest(unittest.TestCase):
    def test_parse(self):
        report = textwrap.dedent("""\
            ==================
            WARNING: ThreadSanitizer: data race (pid=1)
              Write of size 4 at 0x1 by thread T2:
                #0 main::$_0::operator()() const /src/race.cpp:10:11 (prog+0x1) (BuildId: 1)
                #1 void std::__invoke_impl<void>(std::__invoke_other, main::$_0&&) /usr/include/invoke.h:61:14 (prog+0x2)

              Previous read of size 4 at 0x1 by main thread:
                #0 main /src/race.cpp:20 (prog+0x3)

              Location is global 'counter' of size 4 at 0x1 (prog+0x4)

              Thread T2 (tid=3, running) created by main thread at:
                #0 pthread_create <null> (prog+0x5)
                #1 main /src/race.cpp:30:3 (prog+0x6)

            SUMMARY: ThreadSanitizer: data race /src/race.cpp:10:11 in f
            ==================
            """)
        findings = check_with_tsan.parse_tsan_reports(report)
        self.assertEqual(len(findings), 1)
        self.assertEqual(findings[0]["kind"], "data-race")
        self.assertEqual(findings[0]["variable"], {"name": "counter"})
        self.assertEqual(testcase_lib.finding_positions(findings[0]),
                         {("race.cpp", 10), ("invoke.h", 61), ("race.cpp", 20)})


class SchedulesNeededTest(TestcaseFiles):
    def setUp(self):
        super().setUp()
        self.race = testcase_lib.parse_testcase(self.write("fake_race.c", RACE_SOURCE))

    def test_schedules_header_and_its_older_name(self):
        path = self.write("s.c", "// EXPECT: none\n// DESCRIPTION: d\n// SCHEDULES: 12\n")
        self.assertEqual(testcase_lib.parse_testcase(path).schedules, 12)
        self.assertEqual(self.race.schedules, 2)  # SEEDS: 2
        both = self.write("both.c", "// EXPECT: none\n// DESCRIPTION: d\n// SCHEDULES: 2\n// SEEDS: 2\n")
        with self.assertRaises(testcase_lib.TestcaseError):
            testcase_lib.parse_testcase(both)
        zero = self.write("zero.c", "// EXPECT: none\n// DESCRIPTION: d\n// SCHEDULES: 0\n")
        with self.assertRaises(testcase_lib.TestcaseError):
            testcase_lib.parse_testcase(zero)

    def test_needed_is_the_first_seed_that_completes_the_verdict(self):
        findings = [explored(race_finding(("fake_race.c", 6), ("fake_race.c", 6)), first_seed=0, number=1),
                    explored(race_finding(("fake_race.c", 9), ("fake_race.c", 9)), first_seed=5, number=2)]
        self.assertEqual(testcase_lib.schedules_needed(self.race, findings), (6, False))
        findings.append(explored(race_finding(("fake_race.c", 6), ("fake_race.c", 9)), first_seed=2, number=3))
        self.assertEqual(testcase_lib.schedules_needed(self.race, findings), (3, False))
        self.assertEqual(testcase_lib.schedules_needed(self.race, findings, first_seed=1), (2, False))

    def test_a_phase_2_finding_comes_after_the_whole_budget(self):
        phase_2 = explored(race_finding(("fake_race.c", 9), ("fake_race.c", 9)), first_seed=0, number=2)
        phase_2["phase"] = 2
        findings = [explored(race_finding(("fake_race.c", 6), ("fake_race.c", 6)), first_seed=1, number=1),
                    phase_2]
        self.assertEqual(testcase_lib.schedules_needed(self.race, findings), (2, True))  # SEEDS: 2
        findings.append(explored(race_finding(("fake_race.c", 9), ("fake_race.c", 6)), first_seed=1, number=3))
        self.assertEqual(testcase_lib.schedules_needed(self.race, findings), (2, False))

    def test_not_needed_when_the_verdict_is_not_met(self):
        missing_site = [explored(race_finding(("fake_race.c", 6), ("fake_race.c", 6)))]
        self.assertEqual(testcase_lib.schedules_needed(self.race, missing_site), (None, False))
        self.assertEqual(testcase_lib.schedules_needed(self.race, []), (None, False))

    def test_reference_comparisons_are_not_replayed(self):
        crash = testcase_lib.parse_testcase(self.write("fake_crash.c", CRASH_SOURCE))
        signal = {"kind": "crash", "message": "crash: thread T1 received SIGABRT"}
        comparison = {"kind": "failure", "details": ["exit status 1 differs from the reference schedule's 0"]}
        race = race_finding(("fake_crash.c", 5), ("fake_crash.c", 5))
        self.assertEqual(testcase_lib.expected_findings(crash, [signal, comparison, race]), [signal])

    def test_a_failure_testcase_replays_its_comparisons(self):
        failure = testcase_lib.parse_testcase(self.write("fake_failure.c", FAILURE_SOURCE))
        comparison = {"kind": "failure", "details": ["exit status 3 differs from the reference schedule's 0"]}
        mismatch = {"kind": "output-mismatch", "details": ["output differs from the reference schedule's"]}
        self.assertEqual(testcase_lib.expected_findings(failure, [comparison, mismatch]), [comparison])
        self.assertEqual(testcase_lib.compared_exit_status(comparison), 3)
        self.assertIsNone(testcase_lib.compared_exit_status(mismatch))


if __name__ == "__main__":
    unittest.main()
