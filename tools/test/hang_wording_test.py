#!/usr/bin/env python3
"""hang_wording_test.py — what deadlock and hang reports say about each thread (end to end with
the real plugin and runtime):
  * a step-budget hang whose threads spin through atomics: they are `runnable (next operation:
    atomic ...)`, never "blocked in atomic read-modify-write"; JSON `state` is `runnable`, the
    joining main thread's `blocked`;
  * the watchdog's thread spinning without scheduling points: `running without reaching a
    scheduling point`, never "blocked in none"; JSON `state` `running`;
  * a std::condition_variable nobody notifies: the deadlock names the user's line where the
    condition variable was first used, never the libstdc++ header cut before its line.

Usage: hang_wording_test.py RACECHECK
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

from tool_test_support import check, failures, run

SPIN = r"""
#include <pthread.h>
#include <stdatomic.h>
atomic_int flag, counter;
static void *spinner(void *unused) {
  (void)unused;
  for (;;) {
    int seen = atomic_load(&counter);
    atomic_compare_exchange_weak(&counter, &seen, seen + 1);
    atomic_fetch_add(&counter, 1);
    if (atomic_load(&flag)) /* nobody sets it */
      return 0;
  }
}
int main(void) {
  pthread_t t[2];
  for (int i = 0; i < 2; i++) pthread_create(&t[i], 0, spinner, 0);
  for (int i = 0; i < 2; i++) pthread_join(t[i], 0);
  return 0;
}
"""

# The loop reads `stop` in inline assembly: no instrumented access, so no scheduling point.
BUSY = r"""
#include <pthread.h>
int stop;
static void *loop(void *unused) {
  (void)unused;
  int v;
  do __asm__ volatile("mov %1, %0" : "=r"(v) : "m"(stop)); while (!v);
  return 0;
}
int main(void) {
  pthread_t t;
  pthread_create(&t, 0, loop, 0);
  pthread_join(t, 0);
  return 0;
}
"""

CONDVAR = r"""
#include <condition_variable>
#include <mutex>
#include <thread>
struct Queue { std::mutex m; std::condition_variable cv; bool ready = false; };
int main() {
  Queue *q = new Queue;
  std::thread t([q] { std::lock_guard<std::mutex> g(q->m); });
  t.join();
  std::unique_lock<std::mutex> lk(q->m);
  q->cv.wait(lk, [q] { return q->ready; }); // WAIT LINE: nobody notifies
}
"""


def build(tool, workdir, name, text, opt):
    source = os.path.join(workdir, name)
    with open(source, "w") as f:
        f.write(text)
    program = os.path.join(workdir, name.split(".")[0])
    verb = "c++" if name.endswith(".cpp") else "cc"
    b = run([tool, verb, "-g", opt, source, "-o", program], workdir)
    if b.returncode != 0:
        raise SystemExit(b.stderr.decode(errors="replace"))
    return program


def run_json(tool, workdir, program, options):
    r = subprocess.run([tool, "run", "--json", "out.json", "--", program], cwd=workdir, capture_output=True, timeout=120,
                       stdin=subprocess.DEVNULL, env=dict(os.environ, RACECHECK_OPTIONS=options))
    with open(os.path.join(workdir, "out.json")) as f:
        report = json.load(f)
    return r.stderr.decode(errors="replace") + r.stdout.decode(errors="replace"), report


def waiters(report, kind):
    return [w for f in report["findings"] if f["kind"] == kind for w in f["waiters"]]


def check_spin(tool, workdir, opt):
    text, report = run_json(tool, workdir, build(tool, workdir, "spin.c", SPIN, opt),
                            "max_steps=20000")
    ws = waiters(report, "hang")
    states = {w["thread"]: w["state"] for w in ws}
    check(states == {"T0": "blocked", "T1": "runnable", "T2": "runnable"},
          f"{opt}: step-budget hang states {states}")
    check(re.search(r"Thread T1 runnable \(next operation: atomic [a-z -]+\):", text),
          f"{opt}: a spinning thread is runnable: {text}")
    check("blocked in atomic" not in text and "blocked in none" not in text,
          f"{opt}: no spinning thread is called blocked: {text}")


def check_busy(tool, workdir, opt):
    text, report = run_json(tool, workdir, build(tool, workdir, "busy.c", BUSY, opt),
                            "watchdog_ms=300")
    ws = waiters(report, "hang")
    check([(w["thread"], w["state"]) for w in ws] == [("T1", "running")],
          f"{opt}: watchdog hang waiters {ws}")
    check("Thread T1 running without reaching a scheduling point:" in text and
          "blocked in none" not in text, f"{opt}: the spinning thread is running: {text}")


def check_condvar(tool, workdir, opt):
    text, report = run_json(tool, workdir, build(tool, workdir, "queue.cpp", CONDVAR, opt), "")
    line = next(i for i, l in enumerate(CONDVAR.splitlines(), 1) if "WAIT LINE" in l)
    ws = waiters(report, "deadlock")
    check(len(ws) == 1 and ws[0]["object"] == f"cond created at queue.cpp:{line}",
          f"{opt}: the condition variable is named by its user line {line}: {ws}")
    check("cond created at /usr" not in text, f"{opt}: no header position for the object: {text}")


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    tool = os.path.abspath(sys.argv[1])
    workdir = tempfile.mkdtemp(prefix="racecheck-hang-wording-")
    try:
        for opt in ("-O0", "-O2"):
            check_spin(tool, workdir, opt)
            check_busy(tool, workdir, opt)
            check_condvar(tool, workdir, opt)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
