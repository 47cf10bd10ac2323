#!/usr/bin/env python3
"""kernel_wait_test.py — nothing a program does in the kernel can hang `racecheck run` (end to end,
real plugin and runtime).

  * Stuck for real: a program whose threads all wait in the kernel forever (the testcase: a read
    of a pipe nobody writes, an fgets — libc's own read, holding its FILE lock — and main joining
    them) ends within the watchdog's bound plus a margin, exit status 66, with one `hang` finding
    naming each thread's system call (`read`) at its line; one process per schedule and the fork
    server (`--schedules 2`) alike. The program's output before it got stuck is still there.
  * The same for a single-threaded program stuck in getline (no thread but main: the watchdog
    exists from main on; a served child is watched by its server).
  * Blocked but not stuck: a thread in getline on a pipe that main feeds after a delay the
    program measures in real time; the run ends with the program, no finding. A program reading
    a terminal for longer than the bound waits for a person, not stuck: it ends when the line
    comes, no finding.

Usage: kernel_wait_test.py RACECHECK TESTCASE   Exit status 0 on success, 1 on failure.
"""

import json
import os
import pty
import subprocess
import sys
import tempfile
import time

from tool_test_support import check, failures

BOUND_MS = 300
# The bound, then a served child's server looks once a second; the rest is start-up and report.
MARGIN_S = 4.0

SINGLE_THREADED = r"""
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
int main(void) {
  int fds[2];
  if (pipe(fds) != 0) return 1;
  printf("before the wait\n");
  FILE *in = fdopen(fds[0], "r");
  char *line = NULL;
  size_t cap = 0;
  if (getline(&line, &cap, in) > 0) /* nobody writes: never returns */
    puts(line);
  return 0;
}
"""

READS_STDIN = r"""
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
int main(void) {
  char *line = NULL;
  size_t cap = 0;
  if (getline(&line, &cap, stdin) <= 0) return 1;
  printf("read %s", line);
  free(line);
  return 0;
}
"""

FED_LATE = r"""
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
static int fds[2];
static int lines;
static void *reader(void *unused) {
  FILE *in = fdopen(fds[0], "r");
  char *line = NULL;
  size_t cap = 0;
  while (getline(&line, &cap, in) > 0) lines++;
  free(line);
  return unused;
}
int main(void) {
  if (pipe(fds) != 0) return 1;
  pthread_t t;
  pthread_create(&t, NULL, reader, NULL);
  /* Busy for 100 ms of real time (no sleep: racecheck's time is virtual), while the reader
   * waits in the kernel. */
  struct timespec start, now;
  clock_gettime(CLOCK_MONOTONIC, &start);
  do clock_gettime(CLOCK_MONOTONIC, &now);
  while ((now.tv_sec - start.tv_sec) * 1000000000L + (now.tv_nsec - start.tv_nsec) < 100000000L);
  if (write(fds[1], "a\nb\n", 4) != 4) return 1;
  close(fds[1]);
  pthread_join(t, NULL);
  printf("lines: %d\n", lines);
  return lines == 2 ? 0 : 1;
}
"""


def build(racecheck, workdir, name, source_path=None, text=None):
    if text is not None:
        source_path = os.path.join(workdir, name + ".c")
        with open(source_path, "w") as f:
            f.write(text)
    binary = os.path.join(workdir, name)
    subprocess.run([racecheck, "cc", "-g", "-O1", source_path, "-o", binary, "-lpthread"],
                   check=True, timeout=120)
    return binary


def run(racecheck, workdir, binary, extra, options):
    json_path = os.path.join(workdir, "report.json")
    if os.path.exists(json_path):
        os.remove(json_path)
    env = dict(os.environ, RACECHECK_OPTIONS=options)
    start = time.monotonic()
    proc = subprocess.run([racecheck, "run", *extra, "--json", json_path, "--", binary],
                          cwd=workdir, capture_output=True, timeout=120,
                          stdin=subprocess.DEVNULL, env=env)
    elapsed = time.monotonic() - start
    report = None
    if os.path.exists(json_path):
        with open(json_path) as f:
            report = json.load(f)
    return proc, elapsed, report


def check_stuck(racecheck, workdir, binary, label, expect_reads, expect_stdout):
    for extra in ([], ["--schedules", "2"]):
        what = f"{label} {' '.join(extra) or 'single run'}"
        proc, elapsed, report = run(racecheck, workdir, binary, extra, f"watchdog_ms={BOUND_MS}")
        check(elapsed < BOUND_MS / 1000 + MARGIN_S, f"{what}: took {elapsed:.1f} s")
        check(proc.returncode == 66, f"{what}: exit status {proc.returncode}, want 66")
        if not check(report is not None, f"{what}: no JSON report"):
            continue
        hangs = [f for f in report["findings"] if f["kind"] == "hang"]
        check(len(report["findings"]) == 1 and len(hangs) == 1,
              f"{what}: findings {[f['kind'] for f in report['findings']]}, want one hang")
        if not hangs:
            continue
        check("blocked in the kernel" in hangs[0]["message"], f"{what}: message "
              f"{hangs[0]['message']!r}")
        # Each thread in read, and its line somewhere in its stack (at -O1 getline may be an
        # inline wrapper from <bits/stdio.h>, the innermost frame).
        reads = sorted((w["thread"], [frame["line"] for frame in w["stack"]])
                       for w in hangs[0]["waiters"] if w["object"] == "read to return")
        got = [(thread, line) for (thread, line) in expect_reads
               if any(t == thread and line in frames for (t, frames) in reads)]
        check(len(reads) == len(expect_reads) and got == expect_reads,
              f"{what}: threads in read {reads}, want {expect_reads}")
        if expect_stdout and not extra:
            check(expect_stdout in proc.stdout, f"{what}: stdout {proc.stdout!r} lacks "
                  f"{expect_stdout!r}")


def check_terminal(racecheck, workdir, binary):
    """A single-threaded program in getline on a terminal: no hang after several bounds; the line
    typed then ends it normally."""
    master, slave = pty.openpty()
    env = dict(os.environ, RACECHECK_OPTIONS=f"watchdog_ms={BOUND_MS}")
    proc = subprocess.Popen([racecheck, "run", "--", binary], cwd=workdir, stdin=slave,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    time.sleep(4 * BOUND_MS / 1000 + 0.5)
    check(proc.poll() is None, "terminal: the run ended while the program waited for input")
    os.write(master, b"typed\n")
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
    os.close(master)
    check(proc.returncode == 0 and out == b"read typed\n" and b"hang" not in err,
          f"terminal: exit status {proc.returncode}, stdout {out!r}, "
          f"stderr {err.decode(errors='replace')!r}")


def site_lines(path):
    with open(path) as f:
        return [n for n, line in enumerate(f, 1) if line.rstrip().endswith("// SITE")]


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    racecheck = os.path.abspath(sys.argv[1])
    testcase = os.path.abspath(sys.argv[2])
    with tempfile.TemporaryDirectory(prefix="racecheck-kernel-wait-") as workdir:
        lines = site_lines(testcase)
        binary = build(racecheck, workdir, "stuck", testcase)
        check_stuck(racecheck, workdir, binary, "threads stuck", [("T1", lines[0]), ("T2", lines[1])],
                    None)
        binary = build(racecheck, workdir, "single", text=SINGLE_THREADED)
        check_stuck(racecheck, workdir, binary, "single thread stuck", [("T0", 13)],
                    b"before the wait\n")
        check_terminal(racecheck, workdir, build(racecheck, workdir, "stdin", text=READS_STDIN))
        binary = build(racecheck, workdir, "fed_late", text=FED_LATE)
        for extra in ([], ["--schedules", "10"]):
            proc, elapsed, report = run(racecheck, workdir, binary, extra, "")
            what = f"fed late {' '.join(extra) or 'single run'}"
            check(proc.returncode == 0, f"{what}: exit status {proc.returncode}\n"
                  f"{proc.stderr.decode(errors='replace')}")
            check(report is not None and not report["findings"], f"{what}: findings")
            check(elapsed < 10, f"{what}: took {elapsed:.1f} s")
    if failures:
        sys.exit(1)
    print("kernel_wait_test: ok")


if __name__ == "__main__":
    main()
