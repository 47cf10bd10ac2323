#!/usr/bin/env python3
"""signal_exec_test.py — a finding survives every way a program can end but SIGKILL of the
program itself, end to end with the real plugin and runtime (race_then_end.c: a race, then the
end argv[1] names). Checks:
  * `run --json` reports the race (exit 66) after raise(SIGINT), raise(SIGHUP), SIGTERM sent
    from outside (also while another thread holds the run token), quick_exit, an exec from main and one from a thread; the JSON names the signal;
  * a program that races, then execs itself (an instrumented image) to race elsewhere: `run`
    and an exploration report both races;
  * a program with its own SIGTERM handler still runs it (the handler's output is there);
  * run without the CLI, raise(SIGINT) still kills the program with SIGINT, after the report;
  * a thread spinning outside any scheduling point after the race: the watchdog reports the
    hang within watchdog_seconds and the race is in the same report;
  * main polling a plain flag nobody can set after the race: a `spin` hang and the race, within
    seconds (the watchdog set far away);
  * ^C (SIGINT) and SIGTERM sent to an exploring `racecheck run --schedules`: it stops, prints
    and writes (JSON) the findings so far, exits 66, leaves no program running and removes its
    scratch directory (/dev/shm/racecheck-run-*); SIGKILL of racecheck takes its programs too;
  * `--record` into a directory that does not exist creates it.

Usage: signal_exec_test.py RACECHECK PROGRAM_SOURCE
"""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from tool_test_support import check, failures


def run(command, cwd, env=None, timeout=60):
    return subprocess.run(command, cwd=cwd, capture_output=True, timeout=timeout,
                          stdin=subprocess.DEVNULL, env=env)


def races(json_path):
    """The JSON report ({} when none was written) and its data races."""
    if not check(os.path.exists(json_path), f"no JSON report {os.path.basename(json_path)}"):
        return {"exit_signal": None, "exploration": {}}, []
    with open(json_path) as f:
        report = json.load(f)
    return report, [f for f in report["findings"] if f["kind"] == "data-race"]


def children(pid):
    """Every descendant of pid (from /proc/<pid>/task/*/children)."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    kids = [int(k) for k in f.read().split()]
                found += kids
                todo += kids
        except OSError:
            pass
    return found


def alive(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(") ")[1][0] != "Z"
    except OSError:
        return False


def scratch_dir_of(pids):
    """The scratch directory a running program's files are in (its output goes to the
    schedule's slot files there) or that its RACECHECK_OPTIONS names."""
    pattern = re.compile(r"(/\S*?/racecheck-run-[^/:\0\s]+)/")
    for pid in pids:
        texts = []
        try:
            with open(f"/proc/{pid}/environ", "rb") as f:
                texts.append(f.read().decode(errors="replace"))
            for fd in os.listdir(f"/proc/{pid}/fd"):
                texts.append(os.readlink(f"/proc/{pid}/fd/{fd}"))
        except OSError:
            pass
        for text in texts:
            m = pattern.search(text)
            if m:
                return m.group(1)
    return None


def single_runs(tool, program, workdir):
    expected_signal = {"raise-int": signal.SIGINT, "raise-hup": signal.SIGHUP}
    for mode in ("raise-int", "raise-hup", "quick-exit", "exec-main", "exec-thread",
                 "handled-term"):
        out = os.path.join(workdir, mode + ".json")
        r = run([tool, "run", "--json", out, "--", program, mode], workdir)
        check(r.returncode == 66, f"{mode}: exit status {r.returncode}, not 66: "
              f"{r.stderr.decode(errors='replace')[-600:]}")
        report, found = races(out)
        check(len(found) == 1, f"{mode}: {len(found)} data races in the JSON, not 1")
        if mode in expected_signal:
            check(report["exit_signal"] == expected_signal[mode],
                  f"{mode}: exit_signal {report['exit_signal']} in the JSON")
        if mode == "handled-term":
            check(b"handled 1" in r.stdout, "the program's own SIGTERM handler did not run")

    # Without the CLI the program still dies of the signal, after the report.
    r = run([program, "raise-int"], workdir)
    check(r.returncode == -signal.SIGINT, f"raise(SIGINT) alone: returncode {r.returncode}")
    check(b"data race on counter" in r.stderr, "raise(SIGINT) alone: no race in the report")

    # SIGTERM sent to the program from outside: while main waits in pause(), and while a
    # thread keeps the run token (the signal reaches another thread and is handed to it);
    # "sysv-exit": the program's own handler, installed by System V's signal (strict C
    # modes), calls _exit(5) at a scheduling point, so the record is written.
    for mode in ("wait", "busy", "sysv-exit"):
        out = os.path.join(workdir, f"term-{mode}.json")
        cli = subprocess.Popen([tool, "run", "--json", out, "--", program, mode], cwd=workdir,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE)
        check(cli.stdout.readline() == b"ready\n", f"{mode}: the program did not start")
        start = time.monotonic()
        for pid in children(cli.pid):
            os.kill(pid, signal.SIGTERM)
        try:
            cli.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            cli.kill()
            cli.communicate()
        took = time.monotonic() - start
        check(cli.returncode == 66, f"SIGTERM from outside ({mode}): exit status {cli.returncode}")
        check(took < 5, f"SIGTERM from outside ({mode}): the program took {took:.1f} s to end")
        report, found = races(out)
        ended = (report.get("exit_status") == 5 if mode == "sysv-exit"
                 else report["exit_signal"] == signal.SIGTERM)
        check(len(found) == 1 and ended,
              f"SIGTERM from outside ({mode}): {len(found)} races, "
              f"exit_signal {report['exit_signal']}, exit_status {report.get('exit_status')}")


def exec_of_instrumented_image(tool, program, workdir):
    """The program races, then execs itself to race on another variable: both are reported."""
    r = run([tool, "run", "--", program, "exec-self"], workdir)
    check(r.returncode == 66, f"exec-self: exit status {r.returncode}")
    check(b"data race on counter" in r.stderr and b"data race on second_counter" in r.stderr,
          "exec-self: the run does not report the races before and after the exec")
    out = os.path.join(workdir, "exec-self.json")
    r = run([tool, "run", "--schedules", "4", "--json", out, "--", program, "exec-self"], workdir)
    _, found = races(out)
    check(r.returncode == 66 and len(found) == 2,
          f"exec-self explored: status {r.returncode}, {len(found)} races (2 expected)")


def watchdog(tool, program, workdir):
    env = dict(os.environ, RACECHECK_OPTIONS="watchdog_seconds=2")
    out = os.path.join(workdir, "spin.json")
    start = time.monotonic()
    r = run([tool, "run", "--json", out, "--", program, "spin"], workdir, env=env, timeout=60)
    took = time.monotonic() - start
    check(r.returncode == 66, f"spin: exit status {r.returncode}")
    check(took < 20, f"spin: the watchdog took {took:.1f} s with watchdog_seconds=2")
    report, found = races(out)
    kinds = sorted(f["kind"] for f in report["findings"])
    check(len(found) == 1 and "hang" in kinds, f"spin: findings {kinds}")


def plain_spin(tool, program, workdir):
    """A race, then main polls a plain flag after every other thread ended: the spin rule, not
    the watchdog (set far away), ends the run within seconds with the race and a spin hang."""
    env = dict(os.environ, RACECHECK_OPTIONS="watchdog_seconds=600")
    out = os.path.join(workdir, "plain-spin.json")
    start = time.monotonic()
    r = run([tool, "run", "--json", out, "--", program, "plain-spin"], workdir, env=env,
            timeout=120)
    took = time.monotonic() - start
    check(r.returncode == 66, f"plain-spin: exit status {r.returncode}")
    check(took < 30, f"plain-spin: the hang took {took:.1f} s to be reported")
    report, found = races(out)
    hangs = [f for f in report.get("findings", []) if f["kind"] == "hang"]
    check(len(found) == 1 and len(hangs) == 1 and "spins at" in hangs[0].get("message", ""),
          f"plain-spin: {len(found)} races, hangs {[h.get('message') for h in hangs]}")


def interrupted_exploration(tool, program, workdir, sig, mode, extra):
    out = os.path.join(workdir, f"explore-{sig}.json")
    cli = subprocess.Popen([tool, "run", "--schedules", "1000000", *extra, "--json", out,
                            "--", program, mode], cwd=workdir, stdin=subprocess.DEVNULL,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    scratch, programs = None, []
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not scratch:
        time.sleep(0.2)
        programs = children(cli.pid)
        scratch = scratch_dir_of(programs)
    time.sleep(1)  # some schedules done
    programs = children(cli.pid)
    cli.send_signal(sig)
    try:
        _, err = cli.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # did not stop: fail without leaving it running
        cli.kill()
        _, err = cli.communicate()
    label = f"exploration stopped by signal {sig} ({mode})"
    check(cli.returncode == 66, f"{label}: exit status {cli.returncode}: "
          f"{err.decode(errors='replace')[-600:]}")
    check(b"interrupted by " in err, f"{label}: the summary does not say it was interrupted")
    report, found = races(out)
    check(len(found) == 1, f"{label}: {len(found)} races in the JSON")
    check(report["exploration"].get("interrupted_by_signal") == sig,
          f"{label}: {report['exploration']}")
    time.sleep(0.2)
    check(not [p for p in programs if alive(p)], f"{label}: programs left running")
    check(scratch is not None and not os.path.exists(scratch),
          f"{label}: scratch directory {scratch} left behind")


def killed_cli(tool, program, workdir):
    cli = subprocess.Popen([tool, "run", "--schedules", "1000000", "--", program, "wait"],
                           cwd=workdir, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
    programs, deadline = [], time.monotonic() + 20
    while time.monotonic() < deadline and len(programs) < 2:  # the server and its child
        time.sleep(0.2)
        programs = children(cli.pid)
    scratch = scratch_dir_of(programs)
    cli.kill()
    cli.wait()
    time.sleep(0.5)
    check(programs and not [p for p in programs if alive(p)],
          "SIGKILL of racecheck left its programs running")
    if scratch:  # nobody is left to remove it
        shutil.rmtree(scratch, ignore_errors=True)


def main():
    if len(sys.argv) != 3:
        print(__doc__)
        return 2
    tool, source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-signals-")
    try:
        program = os.path.join(workdir, "race_then_end")
        build = run([tool, "cc", "-g", "-O1", source, "-o", program], workdir)
        if build.returncode != 0:
            print(build.stderr.decode(errors="replace"))
            return 2
        single_runs(tool, program, workdir)
        exec_of_instrumented_image(tool, program, workdir)
        watchdog(tool, program, workdir)
        plain_spin(tool, program, workdir)
        interrupted_exploration(tool, program, workdir, signal.SIGINT, "none", [])
        interrupted_exploration(tool, program, workdir, signal.SIGTERM, "wait", [])
        interrupted_exploration(tool, program, workdir, signal.SIGINT, "none",
                                ["--no-fork-server"])
        killed_cli(tool, program, workdir)

        record = os.path.join(workdir, "new", "dir", "run.record")
        r = run([tool, "run", "--record", record, "--", program, "none"], workdir)
        check(r.returncode == 66 and os.path.exists(record),
              f"--record into a new directory: status {r.returncode}, record "
              f"{'written' if os.path.exists(record) else 'missing'}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print("FAILED" if failures else "PASSED", f"({len(failures)} failures)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
