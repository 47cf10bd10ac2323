#!/usr/bin/env python3
"""check_replay.py — schedule files and `racecheck replay` against real testcases.

Three checks, each compiling TESTCASE once with `<build>/bin/racecheck cc|c++ -g -O<n>`:

  (default)   find the first seed whose run has a finding (for `EXPECT: deadlock`, `crash`, `hang`,
              `livelock` or `starvation`, a finding of that kind),
              then `racecheck replay racecheck-out/finding-1.schedule` RUNS times: every replay
              must print the run's text report byte for byte (minus the run's `replay:` lines),
              the same JSON report, the same program output and the same exit status.
  --errors    a schedule is rejected, with exit status 2 and a message saying why, when it
              belongs to another binary (same source built at another -O level), is truncated,
              is malformed (the message names the line), or diverges from the run (the message
              says at which step and what the run did instead); program arguments with blanks,
              quotes, backslashes, newlines and empty ones round-trip exactly through a schedule.
  --explore   `racecheck run --schedules N` merges the findings of N seeds by fingerprint: each
              reported once with "seen in K of N schedules, first with seed X", where K and X
              agree with N separate runs, and its schedule replays to that finding (findings
              only exploration can make — race-directed phase 2, output comparisons — excepted).

Usage: check_replay.py --build BUILD [--opt O2] [--runs 20] [--strategy S] [--errors|--explore]
       TESTCASE
Exit status 0 on success, 1 on a failed check, 2 on bad usage or a setup error.
"""

import argparse
import difflib
import json
import os
import shutil
import subprocess
import sys
import tempfile

sys.dont_write_bytecode = True  # keep the source tree free of __pycache__
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import testcase_lib  # noqa: E402
from run_testcase import DriverFailure, compile_testcase, tool_path  # noqa: E402

TIMEOUT = 120
SCHEDULE = os.path.join("racecheck-out", "finding-1.schedule")


class CheckFailure(Exception):
    """A check did not hold."""


def run(command, workdir, env=None):
    try:
        return subprocess.run(command, capture_output=True, cwd=workdir, timeout=TIMEOUT,
                              stdin=subprocess.DEVNULL, env=env)
    except subprocess.TimeoutExpired:
        raise DriverFailure(f"timed out after {TIMEOUT} s: {' '.join(command)}")


def read_bytes(path):
    if not os.path.exists(path):
        return b""
    with open(path, "rb") as f:
        return f.read()


def without_replay_lines(stderr):
    """The report: without the replay line and the shrinker's progress lines (a replay shrinks
    nothing)."""
    return b"".join(line for line in stderr.splitlines(keepends=True)
                    if not line.startswith(b"replay: racecheck replay ") and
                    not line.startswith(b"racecheck: shrinking ") and
                    not line.startswith(b"racecheck: the shrunk schedule "))


def first_failing_seed(tool, program, testcase, workdir, strategy, max_seeds=20):
    """The first seed (and its outcome) whose run has the finding the testcase is about."""
    wanted = testcase.expect if testcase.expect in ("deadlock", "crash", "hang", "livelock", "starvation") else "data-race"
    for seed in range(max(testcase.seeds, max_seeds)):
        json_path = os.path.join(workdir, "run.json")
        command = [tool, "run", "--seed", str(seed), "--json", json_path]
        if strategy:
            command += ["--strategy", strategy]
        result = run(command + ["--", program], workdir)
        document = json.loads(read_bytes(json_path) or b"{}")
        kinds = [f.get("kind") for f in document.get("findings", [])]
        if wanted in kinds:
            if result.returncode != 66:
                raise CheckFailure(f"seed {seed}: a run with findings exited {result.returncode}")
            return seed, result, read_bytes(json_path), document
    raise DriverFailure(f"no seed below {max(testcase.seeds, max_seeds)} gives a {wanted} finding")


def show_diff(what, expected, got):
    diff = difflib.unified_diff(expected.decode(errors="replace").splitlines(),
                                got.decode(errors="replace").splitlines(),
                                "run", "replay", lineterm="", n=2)
    return f"{what} differs:\n" + "\n".join(list(diff)[:60])


def check_replays(tool, program, testcase, workdir, runs, strategy):
    seed, first, first_json, document = first_failing_seed(tool, program, testcase, workdir, strategy)
    if b"replay: racecheck replay " + SCHEDULE.encode() not in first.stderr:
        raise CheckFailure("the run did not print the replay command:\n" + first.stderr.decode(errors="replace"))
    if document["findings"][0].get("schedule") != SCHEDULE:
        raise CheckFailure(f"the JSON finding has no \"schedule\": \"{SCHEDULE}\"")
    expected = {"text report (stderr)": without_replay_lines(first.stderr),
                "program output (stdout)": first.stdout,
                "exit status": str(first.returncode).encode()}
    # A shrunk run's JSON keeps the finding run's stats (the replay's are the shrunk run's,
    # `shrunk_run_stats`); the rest is the replay's, and every replay's JSON is byte-identical.
    expected_document = json.loads(first_json)
    if "shrunk_run_stats" in expected_document:
        expected_document["stats"] = expected_document.pop("shrunk_run_stats")
    first_replay_json = None
    for i in range(runs):
        json_path = os.path.join(workdir, "replay.json")
        if os.path.exists(json_path):
            os.remove(json_path)
        replay = run([tool, "replay", "--json", json_path, SCHEDULE], workdir)
        replay_json = read_bytes(json_path)
        got = {"text report (stderr)": replay.stderr, "program output (stdout)": replay.stdout,
               "exit status": str(replay.returncode).encode()}
        for what, value in expected.items():
            if got[what] != value:
                raise CheckFailure(f"replay {i + 1} of seed {seed}: " + show_diff(what, value, got[what]))
        first_replay_json = first_replay_json or replay_json
        if json.loads(replay_json) != expected_document or replay_json != first_replay_json:
            raise CheckFailure(f"replay {i + 1} of seed {seed}: " +
                               show_diff("JSON report", first_json, replay_json))
    kinds = sorted({f["kind"] for f in document["findings"]})
    print(f"PASS: seed {seed} ({', '.join(kinds)}) replayed {runs} times with the identical report")


def expect_rejection(result, *needles):
    text = result.stderr.decode(errors="replace")
    if result.returncode != 2:
        raise CheckFailure(f"expected exit status 2, got {result.returncode}:\n{text}")
    for needle in needles:
        if needle not in text:
            raise CheckFailure(f"expected {needle!r} in the message:\n{text}")
    return text


def runtime_replay(program, schedule, workdir, args=()):
    env = dict(os.environ, RACECHECK_OPTIONS=f"replay={schedule}:report=0")
    return run([program, *args], workdir, env)


def check_errors(tool, program, testcase, workdir, opt):
    seed, _, _, _ = first_failing_seed(tool, program, testcase, workdir, None)
    original = os.path.join(workdir, SCHEDULE)
    with open(original, encoding="utf-8") as f:
        lines = f.read().splitlines(keepends=True)
    binary = next(line.split()[1] for line in lines if line.startswith("binary "))
    decisions = [i for i, line in enumerate(lines) if line[:1].isdigit()]
    if not decisions:
        raise DriverFailure("the schedule has no decision to tamper with")

    def variant(name, new_lines):
        path = os.path.join(workdir, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("".join(new_lines))
        return path

    # Another binary: the same source at another optimisation level.
    other_dir = os.path.join(workdir, "other")
    os.makedirs(other_dir)
    other = compile_testcase(tool, testcase, "O0" if opt != "O0" else "O1", other_dir)
    text = expect_rejection(runtime_replay(other, original, workdir),
                            "was recorded for another binary", binary)
    if text.count("build-id:") + text.count("fnv1a64:") < 2:
        raise CheckFailure("the message must name both identities:\n" + text)
    moved = variant("moved.schedule", [f'program "{other}"\n' if line.startswith("program ") else line
                                       for line in lines])
    expect_rejection(run([tool, "replay", moved], workdir), "was recorded for another binary")

    # Truncated in the middle of a decision line, and without the 'end' line.
    cut = decisions[len(decisions) // 2]
    truncated = variant("truncated.schedule", lines[:cut] + [lines[cut][:3]])
    expect_rejection(runtime_replay(program, truncated, workdir),
                     f"line {cut + 1}:", "truncated")
    no_end = variant("no-end.schedule", lines[:-1])
    expect_rejection(runtime_replay(program, no_end, workdir), "without the 'end' line")
    expect_rejection(run([tool, "replay", variant("empty.schedule", [])], workdir), "line 0")

    # Malformed: a thread that is not T<number>; a bad header value.
    bad = list(lines)
    first = decisions[0]
    fields = bad[first].split(" ")
    fields[1] = "X" + fields[1][1:]
    bad[first] = " ".join(fields)
    expect_rejection(runtime_replay(program, variant("bad-thread.schedule", bad), workdir),
                     f"line {first + 1}:", "expected T<number>")
    bad_seed = [("seed x1\n" if line.startswith("seed ") else line) for line in lines]
    seed_line = next(i for i, line in enumerate(lines) if line.startswith("seed ")) + 1
    expect_rejection(run([tool, "replay", variant("bad-seed.schedule", bad_seed)], workdir),
                     f"line {seed_line}:", "not a number")

    # Divergence: the file says another operation than the program performs there.
    diverging = list(lines)
    fields = diverging[first].split(" ")
    step, thread = fields[0], fields[1]
    fields[2] = "yield"
    diverging[first] = " ".join(fields)
    expect_rejection(run([tool, "replay", variant("diverging.schedule", diverging)], workdir),
                     f"replay diverged at step {step}:", f"says {thread} does yield", "but")
    # ... or lists a decision the run never reaches (after the last decision: a `switches`
    # section, when there is one, follows the decisions).
    last = decisions[-1] + 1
    extra = lines[:last] + ["999999999 T0 yield -\n"] + lines[last:]
    extra = [(f"decisions {len(decisions) + 1}\n" if line.startswith("decisions ") else line)
             for line in extra]
    expect_rejection(runtime_replay(program, variant("extra.schedule", extra), workdir),
                     "replay diverged", "still has 1 decision(s)")

    # Arguments round-trip exactly: a schedule written by the runtime for these arguments
    # replays with the same ones (the program's own argv, read back from /proc by a probe).
    args = ["plain", "two words", "", 'q"uote', "back\\slash", "new\nline", "tab\t", "ünïcode"]
    probe_dir = os.path.join(workdir, "probe")
    os.makedirs(probe_dir)
    probe_src = os.path.join(probe_dir, "probe.c")
    with open(probe_src, "w", encoding="utf-8") as f:
        f.write('#include <pthread.h>\n#include <stdio.h>\nstatic int shared;\n'
                'static void *worker(void *p) { (void)p; shared++; return 0; }\n'
                'int main(int argc, char **argv) {\n  pthread_t t;\n'
                '  pthread_create(&t, 0, worker, 0);\n  shared++;\n  pthread_join(t, 0);\n'
                '  for (int i = 0; i < argc; i++) printf("[%s]", argv[i]);\n  return 0;\n}\n')
    probe = os.path.join(probe_dir, "probe")
    built = run([tool, "cc", "-g", "-O1", "-pthread", probe_src, "-o", probe], probe_dir)
    if built.returncode != 0:
        raise DriverFailure("cannot build the argument probe:\n" + built.stderr.decode(errors="replace"))
    recorded = run([tool, "run", "--", probe, *args], probe_dir)
    if recorded.returncode != 66:
        raise CheckFailure("the probe's race was not reported:\n" + recorded.stderr.decode(errors="replace"))
    replayed = run([tool, "replay", os.path.join(probe_dir, SCHEDULE)], workdir)
    if replayed.stdout != recorded.stdout or replayed.returncode != 66:
        raise CheckFailure(f"arguments did not round-trip: run printed {recorded.stdout!r}, "
                           f"replay {replayed.stdout!r} (status {replayed.returncode})")
    print("PASS: another binary, truncated, malformed and diverging schedules are rejected; "
          "arguments round-trip")


def check_explore(tool, program, workdir, schedules, strategy):
    json_path = os.path.join(workdir, "explore.json")
    command = [tool, "run", "--schedules", str(schedules), "--json", json_path]
    if strategy:
        command += ["--strategy", strategy]
    explored = run(command + ["--", program], workdir)
    text = explored.stderr.decode(errors="replace")
    document = json.loads(read_bytes(json_path) or b"{}")
    merged = document.get("findings", [])
    # The same N seeds, one by one.
    separately = {}
    for seed in range(schedules):
        seed_json = os.path.join(workdir, "seed.json")
        # A single run makes shared accesses scheduling points only when asked, as exploring does.
        command = [tool, "run", "--seed", str(seed), "--json", seed_json, "--out", "separate-out",
                   "--access-points", "on"]
        if strategy:
            command += ["--strategy", strategy]
        run(command + ["--", program], workdir)
        # A schedule counts once for a fingerprint, however many of its findings share it.
        for fingerprint in {f["fingerprint"] for f in json.loads(read_bytes(seed_json)).get("findings", [])}:
            entry = separately.setdefault(fingerprint, {"seen_in": 0, "first_seed": seed})
            entry["seen_in"] += 1
    if not separately:
        raise DriverFailure(f"no finding in {schedules} seeds")
    if explored.returncode != 66:
        raise CheckFailure(f"exploration with findings exited {explored.returncode}:\n{text}")
    if any(f["seen_in"] > schedules for f in merged):
        raise CheckFailure(f"a finding seen in more schedules than the {schedules} explored:\n" + text)
    if len({f["fingerprint"] for f in merged}) != len(merged):
        raise CheckFailure("a fingerprint is reported twice:\n" + text)
    # Separate runs cannot show what only exploration finds: the race-directed phase 2's findings
    # and the comparisons of a schedule's output or exit status with the reference schedule's.
    comparable = [f for f in merged if f.get("phase") != 2 and not testcase_lib.is_reference_comparison(f)]
    got = {f["fingerprint"]: {"seen_in": f["seen_in"], "first_seed": f["first_seed"]} for f in comparable}
    if got != separately:
        raise CheckFailure(f"merged {got} but the separate runs give {separately}")
    if text.count("WARNING: racecheck:") != len(merged):
        raise CheckFailure("each distinct finding must be printed once:\n" + text)
    for f in comparable:
        line = f"seen in {f['seen_in']} of {schedules} schedules, first with seed {f['first_seed']}"
        if line not in text:
            raise CheckFailure(f"missing {line!r}:\n{text}")
        replay_json = os.path.join(workdir, "replay.json")
        run([tool, "replay", "--json", replay_json, f["schedule"]], workdir)
        replayed = {x["fingerprint"] for x in json.loads(read_bytes(replay_json)).get("findings", [])}
        if f["fingerprint"] not in replayed:
            raise CheckFailure(f"replaying {f['schedule']} does not give finding {f['fingerprint']}")
    summary = [l for l in text.splitlines() if l.startswith("SUMMARY: racecheck:")]
    if len(summary) != 1 or f"in {schedules} schedules" not in summary[0]:
        raise CheckFailure("expected one exploration SUMMARY line:\n" + text)
    print(f"PASS: {schedules} schedules merged into {len(merged)} finding(s): "
          + ", ".join(f"seen in {f['seen_in']}, first seed {f['first_seed']}" for f in merged))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", required=True)
    parser.add_argument("--opt", default="O2", choices=["O0", "O1", "O2", "O3"])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--strategy")
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--errors", action="store_true")
    mode.add_argument("--explore", type=int, metavar="N")
    parser.add_argument("testcase")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="racecheck-replay-")
    try:
        testcase = testcase_lib.parse_testcase(os.path.abspath(args.testcase))
        tool = tool_path(os.path.abspath(args.build))
        program = compile_testcase(tool, testcase, args.opt, workdir)
        if args.errors:
            check_errors(tool, program, testcase, workdir, args.opt)
        elif args.explore:
            check_explore(tool, program, workdir, args.explore, args.strategy)
        else:
            check_replays(tool, program, testcase, workdir, args.runs, args.strategy)
    except (DriverFailure, testcase_lib.TestcaseError) as error:
        print(f"ERROR: {error}")
        print(f"---- work directory kept: {workdir}")
        return 2
    except CheckFailure as failure:
        print(f"FAIL: {failure}")
        print(f"---- work directory kept: {workdir}")
        return 1
    shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
