"""tool_test_support.py — what the racecheck CLI test scripts share: a failure list that a script
checks at its end, and running a command with no input and a bound on its time."""

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
