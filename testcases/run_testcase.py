#!/usr/bin/env python3
"""run_testcase.py — the ctest driver: run one racecheck testcase at one optimisation level.

Compiles the testcase with `<build>/bin/racecheck cc|c++ -g -O<n>`, explores it with one
`racecheck run --schedules N --seed 0 --out out --json explore.json` (N from the SCHEDULES header,
or its older name SEEDS; the real exploration path, findings merged by fingerprint; a time-out is
a failure; the OPTIONS header, if any, is passed in RACECHECK_OPTIONS), checks the exit status
(66 with findings, 0 without), judges the merged findings with the testcase's
EXPECT/SITE/VARIABLE headers (rules in testcase_lib.py) and computes how many schedules the
verdict needed (from each finding's `first_seed`).

With --checks (ctest passes it at -O2), a testcase that expects a finding also has to pass these,
so that every finding the suite knows is one a user can reproduce:
  replay       each distinct schedule file of an expected finding, replayed RUNS times
               (`racecheck replay`), gives RUNS byte-identical reports (text, JSON, program
               output, exit status) equal to the original: every finding of the exploration with
               that schedule appears in the replay with the same fingerprint and the same text
               block (`report_text`), and the schedule's kept stdout is reproduced;
  determinism  the same exploration (same --seed, M = max(N, 4) schedules) twice gives the same
               text report, JSON, program output, exit status and files in --out, byte for byte;
  jobs         the same exploration with --jobs 2 gives byte for byte what --jobs 1 gave.
With --replay-check (ctest passes it with --replay-runs 1 at the other levels) only the replay
check runs: every finding's (shrunk) schedule must also replay at -O0, where the program makes many
more scheduling points than at -O2, and once each keeps that cheap.
A failed check prints a unified diff of the first difference.

Prints a diagnosis on failure (what was expected, the problems, the text report) and writes a
one-line result JSON to <results>/<name>.<opt>.json for summarize.py.

Usage: run_testcase.py --build BUILD_DIR --opt O0|O2 [--results DIR] [--timeout S]
       [--checks|--replay-check] [--replay-runs 20] [--keep] TESTCASE
Exit status: 0 when the testcase passes, 1 when it fails, 2 on bad usage or a malformed testcase.
"""

import argparse
import difflib
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
OUT_DIR = "out"            # --out of every exploration, relative to its own directory
JSON_NAME = "explore.json"
# The determinism and jobs checks explore at least this many schedules, so that --jobs 2 has
# batches to split even for a testcase whose verdict needs one schedule.
CHECK_MIN_SCHEDULES = 4
DIFF_LINES = 60


class DriverFailure(Exception):
    """The testcase could not be judged (tool missing, compile error, timeout, bad exit status...)."""


class CheckFailure(Exception):
    """A replay, determinism or jobs property did not hold."""


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


def program_environment(options):
    """The environment of every racecheck invocation: the testcase's OPTIONS header, if any (racecheck
    adds its own options after these), and never an inherited RACECHECK_OPTIONS."""
    environment = dict(os.environ)
    environment.pop("RACECHECK_OPTIONS", None)
    if options:
        environment["RACECHECK_OPTIONS"] = options
    return environment


def run_tool(command, cwd, timeout, options):
    try:
        return subprocess.run(command, capture_output=True, cwd=cwd, timeout=timeout,
                              stdin=subprocess.DEVNULL, env=program_environment(options))
    except subprocess.TimeoutExpired as expired:
        stderr = expired.stderr.decode(errors="replace") if isinstance(expired.stderr, bytes) else ""
        raise DriverFailure(f"timed out after {timeout} s: {' '.join(command)}\n{stderr}")


def read_bytes(path):
    with open(path, "rb") as source:
        return source.read()


def text(data):
    return data.decode(errors="replace")


class Exploration:
    """One `racecheck run --schedules N --seed 0` invocation in its own directory: what it printed,
    its JSON report, its exit status and every file it wrote under --out."""

    def __init__(self, directory, command, status, stdout, stderr, json_bytes, document, out_files):
        self.directory, self.command, self.status = directory, command, status
        self.stdout, self.stderr, self.json_bytes = stdout, stderr, json_bytes
        self.document, self.out_files = document, out_files
        self.findings = document["findings"]

    def parts(self):
        """Everything that must be byte for byte the same in two equal explorations."""
        parts = {"exit status": str(self.status).encode(), "text report (stderr)": self.stderr,
                 "JSON report": self.json_bytes, "program output (stdout)": self.stdout,
                 f"list of files in {OUT_DIR}/": "\n".join(sorted(self.out_files)).encode()}
        for name, data in sorted(self.out_files.items()):
            parts[f"file {OUT_DIR}/{name}"] = data
        return parts


def files_under(directory):
    found = {}
    for root, _, names in os.walk(directory):
        for name in names:
            path = os.path.join(root, name)
            found[os.path.relpath(path, directory)] = read_bytes(path)
    return found


def explore(tool, program, schedules, directory, timeout, options, jobs=1, check_output=False):
    """Run the exploration in `directory` (created afresh) and check its exit status. A testcase
    expecting output-mismatch is explored with --check-output."""
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    command = [tool, "run", "--schedules", str(schedules), "--seed", "0", "--out", OUT_DIR,
               "--json", JSON_NAME]
    if check_output:
        command.append("--check-output")
    if jobs != 1:
        command += ["--jobs", str(jobs)]
    command += ["--", program]
    run = run_tool(command, directory, timeout, options)
    shown = " ".join(command)
    json_path = os.path.join(directory, JSON_NAME)
    if not os.path.exists(json_path):
        raise DriverFailure(f"no JSON report was written (status {run.returncode}): {shown}\n{text(run.stderr)}")
    json_bytes = read_bytes(json_path)
    try:
        document = json.loads(json_bytes)
    except ValueError as error:
        raise DriverFailure(f"the JSON report {json_path} is unreadable: {error}\n{text(run.stderr)}")
    findings = document.get("findings") if isinstance(document, dict) else None
    if not isinstance(findings, list):
        raise DriverFailure(f"the JSON report has no 'findings' list: {shown}\n{text(run.stderr)}")
    # `output-mismatch` alone does not fail an exploration (racecheck's default --fail-on).
    failing = [f for f in findings if not isinstance(f, dict) or f.get("kind") != "output-mismatch"]
    expected_status = EXIT_WITH_FINDINGS if failing else 0
    if run.returncode != expected_status:
        raise DriverFailure(f"exit status {run.returncode}, expected {expected_status} "
                            f"({len(findings)} finding(s)): {shown}\n"
                            f"stdout:\n{text(run.stdout)}\nstderr:\n{text(run.stderr)}")
    out_dir = os.path.join(directory, OUT_DIR)
    return Exploration(directory, command, run.returncode, run.stdout, run.stderr, json_bytes, document,
                       files_under(out_dir) if os.path.isdir(out_dir) else {})


def unified_diff(expected, got, expected_name, got_name):
    lines = list(difflib.unified_diff(text(expected).splitlines(), text(got).splitlines(),
                                      expected_name, got_name, lineterm="", n=2))
    shown = "\n".join(lines[:DIFF_LINES])
    return shown + (f"\n... ({len(lines) - DIFF_LINES} more diff lines)" if len(lines) > DIFF_LINES else "")


def first_difference(expected_parts, got_parts, expected_name, got_name):
    """The first part (in a fixed order) that differs, with its diff; None when all are equal."""
    for part in list(expected_parts) + [p for p in got_parts if p not in expected_parts]:
        expected, got = expected_parts.get(part, b"(missing)"), got_parts.get(part, b"(missing)")
        if expected != got:
            return f"{part} differs:\n{unified_diff(expected, got, expected_name, got_name)}"
    return None


def replay_schedule(tool, schedule, directory, timeout, options):
    json_path = os.path.join(directory, "replay.json")
    if os.path.exists(json_path):
        os.remove(json_path)
    replay = run_tool([tool, "replay", "--json", json_path, schedule], directory, timeout, options)
    return {"exit status": str(replay.returncode).encode(), "text report (stderr)": replay.stderr,
            "JSON report": read_bytes(json_path) if os.path.exists(json_path) else b"",
            "program output (stdout)": replay.stdout}


def check_replay_equals_original(finding, schedule, replay, exploration):
    """The replay reports this exploration finding: same fingerprint, same text block, same output."""
    if testcase_lib.is_reference_comparison(finding):
        check_replay_reproduces_comparison(finding, schedule, replay, exploration)
        return
    if replay["exit status"] != str(EXIT_WITH_FINDINGS).encode():
        raise CheckFailure(f"replaying {schedule} exited {text(replay['exit status'])}, expected "
                           f"{EXIT_WITH_FINDINGS}:\n{text(replay['text report (stderr)'])}")
    try:
        replayed = json.loads(replay["JSON report"]).get("findings", [])
    except ValueError:
        raise CheckFailure(f"replaying {schedule} wrote no readable JSON report:\n"
                           f"{text(replay['text report (stderr)'])}")
    fingerprints = [f.get("fingerprint") for f in replayed]
    if finding.get("fingerprint") not in fingerprints:
        raise CheckFailure(f"replaying {schedule} does not report the {finding.get('kind')} finding "
                           f"{finding.get('fingerprint')} (replay reports {', '.join(map(str, fingerprints)) or 'nothing'}):\n"
                           f"{text(replay['text report (stderr)'])}")
    block = finding.get("report_text")
    if not isinstance(block, str) or not block:
        raise CheckFailure(f"the exploration's {finding.get('kind')} finding has no report_text")
    if block.encode() not in replay["text report (stderr)"]:
        raise CheckFailure(f"replaying {schedule} prints another report for the {finding.get('kind')} "
                           f"finding than the exploration did:\n"
                           + unified_diff(block.encode(), replay["text report (stderr)"],
                                          "exploration report_text", "replay stderr"))
    kept = finding.get("stdout")
    if kept:
        original = exploration.out_files.get(os.path.relpath(kept, OUT_DIR))
        if original is None:
            raise CheckFailure(f"the output file {kept} named in the JSON report does not exist")
        if original != replay["program output (stdout)"]:
            raise CheckFailure(f"replaying {schedule} prints other program output than the schedule did:\n"
                               + unified_diff(original, replay["program output (stdout)"],
                                              kept, "replay stdout"))


def check_replay_reproduces_comparison(finding, schedule, replay, exploration):
    """A `failure`/`output-mismatch` comes from comparing schedules: its replay reproduces the exit
    status the finding names and the schedule's kept stdout (not a finding)."""
    status = testcase_lib.compared_exit_status(finding)
    if status is not None and replay["exit status"] != str(status).encode():
        raise CheckFailure(f"replaying {schedule} exited {text(replay['exit status'])}, but the "
                           f"{finding.get('kind')} finding names exit status {status}")
    kept = finding.get("stdout")
    if not kept:
        raise CheckFailure(f"the {finding.get('kind')} finding has no kept stdout")
    original = exploration.out_files.get(os.path.relpath(kept, OUT_DIR))
    if original != replay["program output (stdout)"]:
        raise CheckFailure(f"replaying {schedule} prints other program output than the schedule did")


def check_replays(tool, testcase, exploration, runs, timeout, options):
    """Each distinct schedule file of an expected finding replays `runs` times to identical reports
    that equal the original. Findings from the same seed share a schedule (same content): it is
    replayed once for all of them. Returns a one-line summary."""
    targets = testcase_lib.expected_findings(testcase, exploration.findings)
    if not targets:
        raise CheckFailure(f"no {testcase.expect} finding to replay")
    by_content = {}
    for finding in targets:
        schedule = finding.get("schedule")
        if not schedule:
            raise CheckFailure(f"the {finding.get('kind')} finding {finding.get('fingerprint')} has no schedule file")
        content = exploration.out_files.get(os.path.relpath(schedule, OUT_DIR))
        if content is None:
            raise CheckFailure(f"the schedule file {schedule} named in the JSON report does not exist")
        by_content.setdefault(content, []).append(finding)
    for group in by_content.values():
        schedule = group[0]["schedule"]
        first = None
        for attempt in range(1, runs + 1):
            replay = replay_schedule(tool, schedule, exploration.directory, timeout, options)
            if first is None:
                first = replay
                for finding in group:
                    check_replay_equals_original(finding, schedule, replay, exploration)
                continue
            difference = first_difference(first, replay, "replay 1", f"replay {attempt}")
            if difference:
                raise CheckFailure(f"replay {attempt} of {runs} of {schedule} differs from replay 1: {difference}")
    return (f"{len(by_content)} schedule(s) of {len(targets)} {testcase.expect} finding(s) replayed "
            f"{runs} times each, identical and equal to the exploration")


def check_same_exploration(expected, got, what):
    difference = first_difference(expected.parts(), got.parts(), expected.directory, got.directory)
    if difference:
        raise CheckFailure(f"{what}: {difference}")


def explore_strategy(tool, program, testcase, strategy, budget, directory, timeout):
    """One NEEDED item: `racecheck run --schedules BUDGET --strategy S`, stopping at the first
    schedule with a finding of the expected kind. Returns the schedules the verdict needed."""
    shutil.rmtree(directory, ignore_errors=True)
    os.makedirs(directory)
    kinds = ",".join(testcase_lib.EXPECTED_KINDS[testcase.expect])
    command = [tool, "run", "--schedules", str(budget), "--seed", "0", "--strategy", strategy,
               "--stop-on-first", "--fail-on", kinds, "--race-directed", "0", "--no-shrink",
               "--out", OUT_DIR, "--json", JSON_NAME, "--", program]
    run = run_tool(command, directory, timeout, testcase.options)
    json_path = os.path.join(directory, JSON_NAME)
    if not os.path.exists(json_path):
        raise DriverFailure(f"no JSON report was written (status {run.returncode}): "
                            f"{' '.join(command)}\n{text(run.stderr)}")
    with open(json_path, encoding="utf-8") as report:
        findings = json.load(report).get("findings", [])
    needed, _ = testcase_lib.schedules_needed(testcase, findings)
    if needed is None:
        raise DriverFailure(f"NEEDED {strategy}<={budget}: the verdict {testcase.expect} was not "
                            f"reached within {budget} schedules: {' '.join(command)}\n"
                            f"{text(run.stderr)}")
    return needed


def check_needed(tool, program, testcase, workdir, timeout, result):
    """The NEEDED header: each strategy reaches the verdict within its stated schedules."""
    for strategy, budget in testcase.needed:
        directory = os.path.join(workdir, "needed-" + strategy.replace(":", "-"))
        needed = explore_strategy(tool, program, testcase, strategy, budget, directory, timeout)
        result.checks[f"needed {strategy}"] = f"passed: {needed}/{budget} schedules"


class TestcaseRun:
    """Everything the driver learnt about one testcase at one optimisation level."""

    def __init__(self, testcase):
        self.evaluation = testcase_lib.Evaluation(testcase.expect)
        self.exploration = None
        self.needed = (None, False)  # testcase_lib.schedules_needed
        self.checks = {}


class ExplorationChecks:
    """The replay, determinism and jobs checks of one testcase: each is a method returning a
    one-line summary or raising CheckFailure (DriverFailure when a run could not be made)."""

    def __init__(self, tool, program, testcase, exploration, workdir, args):
        self.tool, self.program, self.testcase = tool, program, testcase
        self.exploration, self.workdir, self.args = exploration, workdir, args
        self.schedules = max(testcase.schedules, CHECK_MIN_SCHEDULES)
        self._reference = exploration if self.schedules == testcase.schedules else None

    def explore(self, name, jobs=1):
        return explore(self.tool, self.program, self.schedules, os.path.join(self.workdir, name),
                       self.args.timeout, self.testcase.options, jobs,
                       self.testcase.expect == "output-mismatch")

    def reference(self):
        """The --jobs 1 exploration of `schedules` schedules: the testcase's own when the budget is
        large enough, else one made for the checks (and then shared by both)."""
        if self._reference is None:
            self._reference = self.explore("check-reference")
        return self._reference

    def replay(self):
        return check_replays(self.tool, self.testcase, self.exploration, self.args.replay_runs,
                             self.args.timeout, self.testcase.options)

    def determinism(self):
        check_same_exploration(self.reference(), self.explore("check-again"),
                               f"the same exploration (--seed 0, {self.schedules} schedules) run twice")
        return f"{self.schedules} schedules explored twice: identical"

    def jobs(self):
        check_same_exploration(self.reference(), self.explore("check-jobs2", jobs=2),
                               f"--jobs 2 against --jobs 1 ({self.schedules} schedules)")
        return f"{self.schedules} schedules with --jobs 2: identical to --jobs 1"

    def run_all(self, result, replay_only=False):
        """Each check's outcome goes to result.checks, each failure to the evaluation's problems."""
        checks = (("replay", self.replay), ("determinism", self.determinism), ("jobs", self.jobs))
        for name, check in checks[:1] if replay_only else checks:
            try:
                result.checks[name] = "passed: " + check()
            except (CheckFailure, DriverFailure) as failure:
                result.checks[name] = "FAILED"
                result.evaluation.problems.append(f"{name} check failed: {failure}")


def print_diagnosis(testcase, opt, result, workdir):
    evaluation = result.evaluation
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
    if result.exploration:
        exploration = result.exploration
        print(f"---- {' '.join(exploration.command)} -> status {exploration.status}, "
              f"{len(exploration.findings)} finding(s); report (stderr):")
        print(text(exploration.stderr).rstrip() or "(empty)")
    print(f"---- work directory kept: {workdir}")


def describe_needed(testcase, result):
    needed, needs_phase_2 = result.needed
    if needed is None:
        return f"{testcase.schedules} schedule(s)"
    if needs_phase_2:
        return f"needed all {needed} schedule(s) and the race-directed phase 2"
    return f"needed {needed} of {testcase.schedules} schedule(s)"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("testcase")
    parser.add_argument("--build", required=True, help="racecheck build directory (holds bin/racecheck)")
    parser.add_argument("--opt", required=True, choices=["O0", "O1", "O2", "O3"])
    parser.add_argument("--results", help="directory for the one-line result JSON")
    parser.add_argument("--timeout", type=float, default=120.0,
                        help="seconds per racecheck invocation (default 120)")
    parser.add_argument("--checks", action="store_true",
                        help="also the replay, determinism and --jobs checks (for testcases expecting a finding)")
    parser.add_argument("--replay-check", action="store_true",
                        help="only the replay check (for testcases expecting a finding)")
    parser.add_argument("--replay-runs", type=int, default=20, help="replays per schedule file (default 20)")
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

    workdir = tempfile.mkdtemp(prefix=f"racecheck-{testcase.name}-{args.opt}-")
    result = TestcaseRun(testcase)
    try:
        tool = tool_path(os.path.abspath(args.build))
        program = compile_testcase(tool, testcase, args.opt, workdir)
        result.exploration = explore(tool, program, testcase.schedules, os.path.join(workdir, "explore"),
                                     args.timeout, testcase.options,
                                     check_output=testcase.expect == "output-mismatch")
        findings = result.exploration.findings
        result.evaluation = testcase_lib.evaluate(testcase, findings)
        result.needed = testcase_lib.schedules_needed(testcase, findings)
        if result.evaluation.passed:
            check_needed(tool, program, testcase, workdir, args.timeout, result)
        if (args.checks or args.replay_check) and testcase.expect != "none" and result.evaluation.passed:
            ExplorationChecks(tool, program, testcase, result.exploration, workdir, args).run_all(
                result, replay_only=not args.checks)
    except DriverFailure as failure:
        result.evaluation.got = "error"
        result.evaluation.problems.append(str(failure))

    evaluation = result.evaluation
    if args.results:
        findings = result.exploration.findings if result.exploration else []
        testcase_lib.write_result(args.results, testcase_lib.result_record(
            testcase, args.opt, evaluation, testcase.schedules, result.needed, findings, result.checks))
    if evaluation.passed:
        print(f"PASS testcase/{testcase.name}/{args.opt}: expected {testcase.expect}, got {evaluation.got} "
              f"({evaluation.outcome()}; {describe_needed(testcase, result)})")
        for name, outcome in result.checks.items():
            print(f"  {name}: {outcome}")
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
        return 0
    print_diagnosis(testcase, args.opt, result, workdir)
    return 1


if __name__ == "__main__":
    sys.exit(main())
