"""tool_test_support.py — what the racecheck CLI test scripts share: a failure list that a script
checks at its end, and running a command with no input and a bound on its time."""

import os
import subprocess

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message)
    return condition


def run(command, cwd):
    return subprocess.run(command, cwd=cwd, capture_output=True, timeout=300,
                          stdin=subprocess.DEVNULL)


def build_program(racecheck, source, directory):
    """Compiles `source` with `racecheck cc -g -O0` into `directory`; returns the program's path
    (stops the test when it does not compile)."""
    program = os.path.join(directory, os.path.splitext(os.path.basename(source))[0])
    r = subprocess.run([racecheck, "cc", "-g", "-O0", source, "-o", program],
                       capture_output=True, text=True, timeout=300)
    if r.returncode != 0:
        raise SystemExit("racecheck cc failed: " + r.stderr)
    return program
