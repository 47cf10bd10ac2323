#!/usr/bin/env python3
"""progress_line_test.py — the live progress line of `racecheck run --schedules`.

Under a pseudo-terminal, `run --schedules 30` must draw the line in place ("\\r", then
"N/30 schedules, R schedules/s, F distinct finding(s)") ending at 30/30 with a numeric rate, and
erase it before the summary; with stderr on a pipe there must be no progress text at all.

Usage: progress_line_test.py RACECHECK TESTCASE   Exit status 0 on success, 1 on failure.
"""

import os
import pty
import re
import subprocess
import sys
import tempfile

TIMEOUT = 120
LINE = re.compile(rb"\rracecheck: (\d+)/30 schedules, (\d+|-) schedules/s, (\d+) distinct finding\(s\)")


def run_under_pty(command, cwd):
    """Runs `command` with stdin/stdout/stderr on a new pseudo-terminal; returns its output."""
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        os.execv(command[0], command)
    output = b""
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    racecheck, source = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
    failures = []
    with tempfile.TemporaryDirectory(prefix="racecheck-progress-") as workdir:
        binary = os.path.join(workdir, "program")
        subprocess.run([racecheck, "cc", "-g", "-O1", source, "-o", binary], check=True,
                       timeout=TIMEOUT)
        command = [racecheck, "run", "--schedules", "30", "--", binary]
        status, output = run_under_pty(command, workdir)
        lines = LINE.findall(output)
        if status != 0:
            failures.append(f"on a terminal: exit status {status}")
        if not lines:
            failures.append(f"on a terminal: no progress line in {output!r}")
        elif lines[-1][0] != b"30" or not lines[-1][1].isdigit():
            failures.append(f"on a terminal: the last progress line is {lines[-1]!r}, "
                            "not 30/30 with a rate")
        elif b"\r\x1b[K" not in output.split(b"SUMMARY")[0][-200:]:
            failures.append("on a terminal: the line is not erased before the summary")
        proc = subprocess.run(command, capture_output=True, cwd=workdir, timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL)
        if proc.returncode != 0:
            failures.append(f"on a pipe: exit status {proc.returncode}")
        if b"schedules/s" in proc.stderr or b"\r" in proc.stderr:
            failures.append(f"on a pipe: progress text in {proc.stderr!r}")
    for failure in failures:
        print("FAIL " + failure)
    if failures:
        return 1
    print("ok   progress line on a terminal, none on a pipe")
    return 0


if __name__ == "__main__":
    sys.exit(main())
