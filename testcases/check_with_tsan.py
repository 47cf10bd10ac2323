#!/usr/bin/env python3
"""check_with_tsan.py — cross-check the testcases' EXPECT/SITE/VARIABLE headers with ThreadSanitizer.

ThreadSanitizer is an independent happens-before detector, so it is a good oracle for the
testcases themselves: a race testcase should make TSan report a race on its SITE lines and a
race-free one should keep TSan quiet. Builds each testcase with `clang -fsanitize=thread -g -O<n>`,
runs it (TSan is not deterministic: SCHEDULES means "run that many times" here) and judges TSan's
reports with the same rules the racecheck driver uses (testcase_lib.evaluate). TSan reports no
field names, so VARIABLE only has to start with the global TSan names.

Not part of ctest (it tests the testcases, not racecheck). Usage:
  check_with_tsan.py [--opt O0 --opt O2] [--runs N] [--cc clang-19 --cxx clang++-19] [TESTCASE...]
Exit status 0 when TSan agrees with every header, 1 otherwise.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testcase_lib  # noqa: E402

REPORT_START = re.compile(r"^WARNING: ThreadSanitizer: (.+?)(?: \(pid=\d+\))?$")
ACCESS_START = re.compile(r"^  (Previous )?(?:[Aa]tomic )?(read|write|Read|Write) of size (\d+)")
# "    #3 demangled function (maybe with spaces) /path/file.cpp:252:13 (binary+0x...)"
FRAME = re.compile(r"^\s+#\d+ (.*) (\S+?):(\d+)(?::\d+)? \(")
LOCATION = re.compile(r"^  Location is global '([^']+)'")

# Where ThreadSanitizer (clang 19) is known to disagree with a testcase's header, and why the
# header is right. Checked with clang-19 -fsanitize=thread at -O0 and -O2.
KNOWN_DISAGREEMENTS = {
    "none_fence_message_passing":
        "TSan does not model standalone atomic_thread_fence, so fence-based message passing looks racy",
    "race_detached_thread":
        "TSan reports only the first of the two races between main and the detached thread "
        "(worker_done); the worker_result race (lines 12/23) is real but not reported",
    "race_later_iteration":
        "natively the first thread usually finishes all ten iterations before the second starts, "
        "so its lock releases order everything; racecheck's scheduler interleaves them (SCHEDULES: 8)",
}


def parse_tsan_reports(stderr_text):
    """TSan's text reports as racecheck-style JSON findings (kind, accesses with location/stack,
    variable name)."""
    findings, finding, access = [], None, None
    for line in stderr_text.splitlines():
        start = REPORT_START.match(line)
        if start:
            kind = start.group(1)
            # heap-use-after-free is TSan's name for a race between free() and a later access.
            racy = kind in ("data race", "heap-use-after-free")
            finding = {"kind": "data-race" if racy else kind.replace(" ", "-"),
                       "message": line, "accesses": [], "variable": {}}
            findings.append(finding)
            access = None
            continue
        if finding is None:
            continue
        if line.startswith("SUMMARY: ThreadSanitizer"):
            finding, access = None, None
            continue
        if ACCESS_START.match(line):
            access = {"stack": []}
            finding["accesses"].append(access)
            continue
        location = LOCATION.match(line)
        if location:
            finding["variable"] = {"name": location.group(1)}
            access = None
            continue
        frame = FRAME.match(line)
        if frame and access is not None:
            function, file_name, line_number = frame.group(1), frame.group(2), int(frame.group(3))
            access["stack"].append({"function": function, "file": file_name, "line": line_number})
            continue
        if not line.startswith("    "):
            access = None  # thread creation stacks, mutex stacks... are not access stacks
    return findings


def check(testcase, opt, runs_override, cc, cxx, workdir):
    compiler = cxx if testcase.language == "c++" else cc
    program = os.path.join(workdir, f"{testcase.name}.{opt}")
    command = [compiler, "-fsanitize=thread", "-g", f"-{opt}", "-pthread", *testcase.compile_flags(),
               testcase.path, "-o", program]
    compiled = subprocess.run(command, capture_output=True, text=True)
    if compiled.returncode != 0:
        return False, f"compile failed: {' '.join(command)}\n{compiled.stderr}"
    findings, report_text = [], ""
    environment = dict(os.environ, TSAN_OPTIONS="halt_on_error=0 exitcode=66 report_thread_leaks=0")
    for _ in range(runs_override or testcase.seeds):
        try:
            run = subprocess.run([program], capture_output=True, text=True, timeout=120, env=environment)
        except subprocess.TimeoutExpired:
            # A testcase whose bug can keep it from ending natively (a lost wake-up) says so in
            # its DESCRIPTION; TSan then has nothing to judge for this run.
            report_text += "(run timed out natively)\n"
            continue
        findings += parse_tsan_reports(run.stderr)
        report_text += run.stderr
    evaluation = testcase_lib.evaluate(testcase, findings, variable_match="prefix")
    detail = "; ".join(evaluation.problems)
    if not evaluation.passed:
        detail += "\n" + report_text
    return evaluation.passed, f"{evaluation.outcome()} {detail}".rstrip()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("testcases", nargs="*")
    parser.add_argument("--opt", action="append", choices=["O0", "O1", "O2", "O3"])
    parser.add_argument("--runs", type=int, default=0, help="runs per testcase (default: its SCHEDULES)")
    parser.add_argument("--cc", default="clang-19")
    parser.add_argument("--cxx", default="clang++-19")
    args = parser.parse_args()
    paths = args.testcases or testcase_lib.list_testcases(os.path.dirname(os.path.abspath(__file__)))
    failures = 0
    with tempfile.TemporaryDirectory(prefix="racecheck-tsan-") as workdir:
        for path in paths:
            testcase = testcase_lib.parse_testcase(os.path.abspath(path))
            if testcase.expect in testcase_lib.FAILURE_KINDS:
                # Program failures (crash, hang) are not TSan's to judge.
                print(f"skip  {testcase.name:36} EXPECT {testcase.expect}", flush=True)
                continue
            for opt in args.opt or ["O0", "O2"]:
                ok, detail = check(testcase, opt, args.runs, args.cc, args.cxx, workdir)
                known = KNOWN_DISAGREEMENTS.get(testcase.name)
                if ok:
                    status = "ok   "
                elif known:
                    status, detail = "known", f"{detail.splitlines()[0]} -- known: {known}"
                else:
                    status = "FAIL "
                    failures += 1
                print(f"{status} {testcase.name:36} {opt} {detail}", flush=True)
    print(f"{failures} unexplained disagreement(s) with ThreadSanitizer")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
