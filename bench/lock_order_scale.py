#!/usr/bin/env python3
"""lock_order_scale.py — scale benchmark of lock-order recording and cycle analysis (a script,
not a test).

Builds a generated program with `racecheck cc -O2`: LOCKS mutexes in a heap array; THREADS
threads each walk the array holding lock i while taking locks i+1 .. i+FANOUT (mod LOCKS) one at a
time, so every thread records LOCKS * FANOUT distinct lock-order edges (default 2 threads x
100,000 locks x 5 = 1,000,000 edges). All threads use one order, but the wrap-around makes the
whole lock graph one strongly connected component whose only cycles are LOCKS / FANOUT edges
long: the analysis must find nothing, and must not be slowed down by those long cycles.

Prints: run seconds and peak RSS of the instrumented program, record size, `lock-edge` count and
bytes per edge in the record, and `racecheck report` seconds on the full record vs. the same
record without its lock-order entries (the difference is the lock-order analysis, with parsing
of its entries). Usage: bench/lock_order_scale.py [--build DIR] [--locks N] [--threads N]
[--fanout N]
"""
import argparse, os, subprocess, sys, tempfile, time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROGRAM = r"""
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

enum { kLocks = %(locks)d, kThreads = %(threads)d, kFanout = %(fanout)d };
static pthread_mutex_t *locks;

static void *walk(void *unused) {
  (void)unused;
  for (int i = 0; i < kLocks; i++) {
    pthread_mutex_lock(&locks[i]);
    for (int d = 1; d <= kFanout; d++) {
      pthread_mutex_lock(&locks[(i + d) %% kLocks]);
      pthread_mutex_unlock(&locks[(i + d) %% kLocks]);
    }
    pthread_mutex_unlock(&locks[i]);
  }
  return NULL;
}

int main(void) {
  locks = malloc(sizeof *locks * kLocks);
  for (int i = 0; i < kLocks; i++)
    pthread_mutex_init(&locks[i], NULL);
  pthread_t threads[kThreads];
  for (int t = 0; t < kThreads; t++)
    pthread_create(&threads[t], NULL, walk, NULL);
  for (int t = 0; t < kThreads; t++)
    pthread_join(threads[t], NULL);
  puts("done");
  return 0;
}
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=str(ROOT / "build"))
    parser.add_argument("--locks", type=int, default=100000)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--fanout", type=int, default=5)
    args = parser.parse_args()
    racecheck = Path(args.build) / "bin" / "racecheck"
    with tempfile.TemporaryDirectory(prefix="racecheck-lock-order-") as work:
        work = Path(work)
        source = work / "scale.c"
        source.write_text(PROGRAM % {"locks": args.locks, "threads": args.threads, "fanout": args.fanout})
        subprocess.run([str(racecheck), "cc", "-O2", str(source), "-o", str(work / "scale")], check=True)
        record = work / "run.record"
        start = time.perf_counter()
        run = subprocess.Popen([str(racecheck), "run", "-q", "--record", str(record), "--", str(work / "scale")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(run.pid, 0)
        run_seconds = time.perf_counter() - start
        stderr = run.stderr.read().decode(errors="replace")
        if os.waitstatus_to_exitcode(status) != 0:
            print(f"unexpected exit status {os.waitstatus_to_exitcode(status)}:\n{stderr}")
            return 1
        text = record.read_bytes()
        edge_lines = [line for line in text.splitlines() if line.startswith(b"lock-edge\t")]
        edge_bytes = sum(len(line) + 1 for line in edge_lines)
        stripped = work / "stripped.record"
        stripped.write_bytes(b"".join(line + b"\n" for line in text.splitlines()
                                      if not line.startswith((b"lock-edge\t", b"fork-join-clock\t"))))

        def report_seconds(path):
            start = time.perf_counter()
            done = subprocess.run([str(racecheck), "report", "-q", str(path)], capture_output=True)
            elapsed = time.perf_counter() - start
            if done.returncode != 0:
                print(f"racecheck report exited {done.returncode}:\n{done.stdout.decode()}{done.stderr.decode()}")
                sys.exit(1)
            return elapsed

        full, base = report_seconds(record), report_seconds(stripped)
        print(f"locks {args.locks}, threads {args.threads}, fanout {args.fanout}")
        print(f"run (instrumented, with scheduler): {run_seconds:.2f} s, peak RSS of racecheck's "
              f"children {usage.ru_maxrss / 1024:.0f} MiB")
        print(f"record: {len(text) / 1e6:.1f} MB, {len(edge_lines)} lock-edge entries, "
              f"{edge_bytes / max(1, len(edge_lines)):.1f} bytes per edge")
        print(f"racecheck report: {full:.2f} s with lock-order entries, {base:.2f} s without "
              f"(lock-order analysis + parsing its entries: {full - base:.2f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
