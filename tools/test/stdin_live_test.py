#!/usr/bin/env python3
"""stdin_live_test.py — a stdin that never ends does not hang `racecheck run`: racecheck copies
the input as the first run reads it, never ahead of it. The program reads one line (or nothing),
prints it, and races on a counter. Checks, each within a bound where the old read-it-all-first
copy hung forever:
  * an open pipe holding one line, never closed: a single run prints the line and reports the
    race;
  * an open, empty pipe (a CI job's stdin) and a program that never reads it: the run ends;
  * `yes` on the pipe, 6 schedules: every schedule printed "got: y" (no output difference), the
    finding's input copy beside its schedule starts with "y", and its replay prints "got: y".

Usage: stdin_live_test.py RACECHECK
"""

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

PROGRAM = r"""
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static long counter;

static void *bump(void *arg) {
  (void)arg;
  counter++;
  return NULL;
}

int main(int argc, char **argv) {
  char line[64] = "nothing";
  if (argc < 2 && !fgets(line, sizeof line, stdin)) strcpy(line, "eof");
  line[strcspn(line, "\n")] = 0;
  printf("got: %s\n", line);
  pthread_t a, b;
  pthread_create(&a, NULL, bump, NULL);
  pthread_create(&b, NULL, bump, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 0;
}
"""

REPLAY = re.compile(rb"replay: (racecheck replay \S+)")
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message)
    return condition


def run_open_pipe(command, workdir, data, label):
    """Runs `command` with a pipe on stdin that holds `data` and stays open."""
    proc = subprocess.Popen(command, cwd=workdir, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    proc.stdin.write(data)
    proc.stdin.flush()
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        check(False, f"{label}: racecheck still ran after 60 s on an open stdin")
        return None
    finally:
        proc.stdin.close()
    return proc.returncode, out, err


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tool = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="racecheck-stdin-live-") as workdir:
        source = os.path.join(workdir, "reader.c")
        with open(source, "w") as f:
            f.write(PROGRAM)
        binary = os.path.join(workdir, "reader")
        subprocess.run([tool, "cc", "-g", "-O1", source, "-o", binary], check=True, timeout=120)

        result = run_open_pipe([tool, "run", "--", binary], workdir, b"hello\n", "one line")
        if result:
            status, out, err = result
            check(status == 66, f"one line: exit {status}: {err.decode(errors='replace')}")
            check(b"got: hello" in out, f"one line: the program printed {out!r}")

        result = run_open_pipe([tool, "run", "--", binary, "no-read"], workdir, b"", "empty")
        if result:
            status, out, err = result
            check(status == 66, f"empty: exit {status}: {err.decode(errors='replace')}")
            check(b"got: nothing" in out, f"empty: the program printed {out!r}")

        yes = subprocess.Popen(["yes"], stdout=subprocess.PIPE)
        try:
            explored = subprocess.run([tool, "run", "--schedules", "6", "--json", "yes.json", "--",
                                       binary], cwd=workdir, stdin=yes.stdout, capture_output=True,
                                      timeout=120)
        except subprocess.TimeoutExpired:
            explored = None
            check(False, "yes: racecheck still ran after 120 s")
        finally:
            yes.kill()
            yes.wait()
        if explored:
            stderr = explored.stderr.decode(errors="replace")
            check(explored.returncode == 66, f"yes: exit {explored.returncode}: {stderr}")
            with open(os.path.join(workdir, "yes.json")) as f:
                found = [f["kind"] for f in json.load(f)["findings"]]
            check("data_race" in found or "race" in " ".join(found), f"yes: found {found}")
            check(not [k for k in found if "output" in k or "exit" in k],
                  f"yes: later schedules saw other input: {found}")
            lines = REPLAY.findall(explored.stderr)
            if check(lines, f"yes: no replay line: {stderr}"):
                schedule = lines[0].split()[-1].decode()
                copy = os.path.join(workdir, schedule[:-len(".schedule")] + ".stdin")
                check(os.path.exists(copy) and open(copy, "rb").read(4) == b"y\ny\n",
                      f"yes: no input kept beside {schedule}")
                command = shlex.split(lines[0].decode())
                replay = subprocess.run([tool] + command[1:], cwd=workdir, capture_output=True,
                                        timeout=120, stdin=subprocess.DEVNULL)
                check(b"got: y" in replay.stdout, f"yes: the replay printed {replay.stdout!r}")
    if failures:
        sys.exit(f"{len(failures)} failure(s)")
    print("ok")


if __name__ == "__main__":
    main()
