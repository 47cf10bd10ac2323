#!/usr/bin/env python3
"""virtual_time_test.py — what a program's clock shows under racecheck (runtime/src/sched/virtual_time.c),
end to end with the real plugin and runtime.

  * REAL_TIME_PROGRAM times ~50 ms of busy work and a 1 s sleep with clock_gettime: by default the
    clock is virtual (the busy work takes under 10 ms of it, the sleep exactly 1000 ms, and the run
    does not really sleep); with RACECHECK_OPTIONS=real_time=1 the busy work takes its real 50 ms
    and the sleep still at least 1000 ms;
  * EVENT_LOOP (epoll_wait with time-outs computed from clock_gettime, 10 ms timer ticks) explored
    over 20 schedules ends within seconds, without findings: its time-outs are virtual deadlines,
    not real waits while the virtual clock stands still.

Usage: virtual_time_test.py RACECHECK REAL_TIME_PROGRAM EVENT_LOOP
"""

import os
import re
import shutil
import sys
import tempfile
import time

from tool_test_support import check, failures, run

EVENT_LOOP_BOUND_S = 20  # 20 schedules; ~0.1 s on an idle machine, minutes before


def timings(tool, program, workdir, options):
    env_options = os.environ.get("RACECHECK_OPTIONS")
    os.environ["RACECHECK_OPTIONS"] = options
    try:
        started = time.monotonic()
        result = run([tool, "run", "--", program], workdir)
        wall = time.monotonic() - started
    finally:
        if env_options is None:
            del os.environ["RACECHECK_OPTIONS"]
        else:
            os.environ["RACECHECK_OPTIONS"] = env_options
    out = result.stdout.decode(errors="replace")
    match = re.search(r"busy (\d+) ms, slept (\d+) ms", out)
    if not check(result.returncode == 0 and match,
                 f"real_time_clock with '{options}' exited {result.returncode}: {out}"
                 f"{result.stderr.decode(errors='replace')}"):
        return None, None, wall
    return int(match.group(1)), int(match.group(2)), wall


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    tool, clock_source, loop_source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-vtime-")
    try:
        programs = {}
        for label, source in (("clock", clock_source), ("loop", loop_source)):
            programs[label] = os.path.join(workdir, label)
            build = run([tool, "cc", "-g", "-O2", source, "-o", programs[label]], workdir)
            if build.returncode != 0:
                print(build.stderr.decode(errors="replace"))
                return 2

        busy, slept, wall = timings(tool, programs["clock"], workdir, "")
        if busy is not None:
            check(busy < 10, f"virtual clock: 50 ms of busy work took {busy} ms of it")
            check(slept == 1000, f"virtual clock: sleep(1) took {slept} ms of it")
            check(wall < 1.0 + 0.5, f"the run really slept: {wall:.2f} s")
        busy, slept, _ = timings(tool, programs["clock"], workdir, "real_time=1")
        if busy is not None:
            check(busy >= 45, f"real_time=1: 50 ms of busy work measured {busy} ms")
            check(slept >= 1000, f"real_time=1: sleep(1) measured {slept} ms")

        started = time.monotonic()
        result = run([tool, "run", "--schedules", "20", "--", programs["loop"]], workdir)
        wall = time.monotonic() - started
        check(result.returncode == 0, f"event loop: exit status {result.returncode}: "
              f"{result.stderr.decode(errors='replace')[-2000:]}")
        check(wall < EVENT_LOOP_BOUND_S,
              f"event loop: 20 schedules took {wall:.1f} s (bound {EVENT_LOOP_BOUND_S} s)")
        print(f"event loop: 20 schedules in {wall:.2f} s")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        return 1
    print("ok: virtual time")
    return 0


if __name__ == "__main__":
    sys.exit(main())
