#!/usr/bin/env python3
"""stdin_pipe_test.py — input piped to `racecheck run` reaches every run, end to end with the real
plugin and runtime. The program reads two withdrawals from stdin, prints them, and crashes (an
assert) only when both check the balance before either withdraws and their sum exceeds it.
Checks:
  * exploring with "70 60" on a pipe finds the crash and no output difference (every schedule
    printed the same input); the crash's schedule is shrunk (the replay line says so) and
    finding-N.stdin beside it holds the input;
  * the printed replay command, run with nothing on stdin, reproduces the crash and prints the
    same input;
  * a single run (`--seed`) of a crashing seed also keeps the input, and its replay crashes;
  * with "10 20" on the pipe the same exploration is clean (the input decides).

Usage: stdin_pipe_test.py RACECHECK
"""

import json
import os
import re
import shlex
import subprocess
import sys
import tempfile

PROGRAM = r"""
#include <assert.h>
#include <pthread.h>
#include <stdio.h>

static pthread_mutex_t account_lock = PTHREAD_MUTEX_INITIALIZER;
static long balance = 100;

static void *customer(void *arg) {
  long amount = *(long *)arg;
  pthread_mutex_lock(&account_lock);
  int enough = balance >= amount;
  pthread_mutex_unlock(&account_lock);
  if (enough) {
    pthread_mutex_lock(&account_lock);
    balance -= amount;
    assert(balance >= 0);
    pthread_mutex_unlock(&account_lock);
  }
  return NULL;
}

int main(void) {
  long amounts[2];
  if (scanf("%ld %ld", &amounts[0], &amounts[1]) != 2) {
    printf("no input\n");
    return 3;
  }
  printf("input: %ld %ld\n", amounts[0], amounts[1]);
  fflush(stdout); /* before a crash can lose it */
  pthread_t first, second;
  pthread_create(&first, NULL, customer, &amounts[0]);
  pthread_create(&second, NULL, customer, &amounts[1]);
  pthread_join(first, NULL);
  pthread_join(second, NULL);
  printf("balance left: %ld\n", balance);
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


def kinds(json_path):
    with open(json_path) as f:
        return [f["kind"] for f in json.load(f)["findings"]]


def replay_crashes(tool, replay_line, workdir, label, want_input):
    """Runs the printed replay command with nothing on stdin."""
    command = shlex.split(replay_line.decode())
    replay = subprocess.run([tool] + command[1:], cwd=workdir, capture_output=True, timeout=120,
                            stdin=subprocess.DEVNULL)
    check(replay.returncode == 66, f"{label}: replay exited {replay.returncode}: "
          f"{replay.stderr.decode(errors='replace')}")
    check(b"crash" in replay.stderr.lower() or b"assert" in replay.stderr.lower(),
          f"{label}: the replay reports no crash")
    check(want_input in replay.stdout, f"{label}: the replay printed {replay.stdout!r}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tool = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="racecheck-stdin-") as workdir:
        source = os.path.join(workdir, "withdraw.c")
        with open(source, "w") as f:
            f.write(PROGRAM)
        binary = os.path.join(workdir, "withdraw")
        subprocess.run([tool, "cc", "-g", "-O1", source, "-o", binary], check=True, timeout=120)

        explored = subprocess.run([tool, "run", "--schedules", "12", "--json", "explore.json", "--",
                                   binary], cwd=workdir, input=b"70 60\n", capture_output=True,
                                  timeout=300)
        stderr = explored.stderr.decode(errors="replace")
        check(explored.returncode == 66, f"exploration exited {explored.returncode}: {stderr}")
        found = kinds(os.path.join(workdir, "explore.json"))
        check("crash" in found, f"exploration found {found}, no crash")
        check(not [k for k in found if "output" in k or "exit" in k],
              f"false output differences with piped input: {found}")
        check("shrunk" in stderr, f"the crash's schedule was not shrunk: {stderr}")
        lines = REPLAY.findall(explored.stderr)
        if check(lines, "no replay line"):
            schedule = lines[0].split()[-1].decode()
            stdin_copy = os.path.join(workdir, schedule[:-len(".schedule")] + ".stdin")
            check(os.path.exists(stdin_copy) and open(stdin_copy, "rb").read() == b"70 60\n",
                  f"no input kept beside {schedule}")
            replay_crashes(tool, lines[0], workdir, "explored", b"input: 70 60")

        clean = subprocess.run([tool, "run", "--schedules", "12", "--", binary], cwd=workdir,
                               input=b"10 20\n", capture_output=True, timeout=300)
        check(clean.returncode == 0, f"with 10 20 the exploration exited {clean.returncode}: "
              f"{clean.stderr.decode(errors='replace')}")

        single = None
        for seed in range(12):
            single = subprocess.run([tool, "run", "--seed", str(seed), "--", binary], cwd=workdir,
                                    input=b"70 60\n", capture_output=True, timeout=120)
            if single.returncode == 66:
                break
        if check(single.returncode == 66, "no single run crashed"):
            check(b"input: 70 60" in single.stdout, f"single run printed {single.stdout!r}")
            lines = REPLAY.findall(single.stderr)
            if check(lines, "single run: no replay line"):
                replay_crashes(tool, lines[0], workdir, "single run", b"input: 70 60")
    if failures:
        sys.exit(f"{len(failures)} failure(s)")
    print("ok")


if __name__ == "__main__":
    main()
