#!/usr/bin/env python3
"""jobs_merge_test.py — `racecheck run --jobs` and `racecheck merge` against real testcases.

For each TESTCASE (compiled once with `racecheck cc|c++ -g -O1`):
  * `run --schedules 8 --jobs 2` and `--jobs 1` must give byte-identical text reports (stderr),
    stdout, JSON reports, exit statuses and finding-N.schedule files; and so must
    `--jobs 3 --stop-on-first` and `--jobs 1 --stop-on-first`.
  * `merge` of the JSON of `--seed-range 0:3` and `--seed-range 4:7` (shards given in reverse
    order) must equal `--seed-range 0:7`: the same text (merge's stdout against the run's stderr)
    and JSON, except the paths of schedule and output files, which name the shards' files.
    The shards run with --ignore-output: each shard's output reference is its own first seed.
    Merging overlapping shards is refused with exit status 2.

Usage: jobs_merge_test.py RACECHECK TESTCASE...   Exit status 0 on success, 1 on failure.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

TIMEOUT = 300


class CheckFailure(Exception):
    pass


def run(command, cwd):
    return subprocess.run(command, capture_output=True, cwd=cwd, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL)


def explore(racecheck, binary, workdir, extra):
    """One exploration in `workdir` (racecheck-out/ emptied first); returns what it produced."""
    out_dir = os.path.join(workdir, "racecheck-out")
    shutil.rmtree(out_dir, ignore_errors=True)
    json_path = os.path.join(workdir, "report.json")
    if os.path.exists(json_path):
        os.remove(json_path)
    result = run([racecheck, "run", *extra, "--json", "report.json", binary], workdir)
    with open(json_path, "rb") as f:
        report = f.read()
    files = {}
    for name in sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else []:
        with open(os.path.join(out_dir, name), "rb") as f:
            files[name] = f.read()
    return {"status": result.returncode, "stdout": result.stdout, "stderr": result.stderr,
            "json": report, "files": files}


def compare_runs(label, one, other):
    for key in ("status", "stdout", "stderr", "json", "files"):
        if one[key] != other[key]:
            raise CheckFailure(f"{label}: {key} differs\n--- jobs 1:\n{one[key]!r}\n--- other:\n"
                               f"{other[key]!r}")


def without_paths(report):
    for finding in report["findings"]:
        for field in ("schedule", "stdout", "stderr"):
            finding.pop(field, None)
    return report


def text_without_paths(text):
    """The report lines: without paths and the shrinker's progress lines (a merge shrinks nothing)."""
    return [line for line in text.decode().splitlines()
            if not line.startswith("replay: ") and not line.startswith("output of that schedule: ")
            and not line.startswith("racecheck: shrinking ")
            and not line.startswith("racecheck: the shrunk schedule ")]


def check(racecheck, testcase, workdir):
    stem = os.path.splitext(os.path.basename(testcase))[0]
    binary = os.path.join(workdir, stem)
    driver = "c++" if testcase.endswith(".cpp") else "cc"
    built = run([racecheck, driver, "-g", "-O1", testcase, "-o", binary], workdir)
    if built.returncode != 0:
        raise CheckFailure(f"{stem}: build failed:\n{built.stderr.decode()}")

    serial = explore(racecheck, binary, workdir, ["--schedules", "8", "--jobs", "1"])
    if serial["status"] != 66:
        raise CheckFailure(f"{stem}: expected findings (status 66), got {serial['status']}:\n"
                           f"{serial['stderr'].decode()}")
    parallel = explore(racecheck, binary, workdir, ["--schedules", "8", "--jobs", "2"])
    compare_runs(f"{stem} --jobs 2", serial, parallel)

    serial_stop = explore(racecheck, binary, workdir,
                          ["--schedules", "8", "--jobs", "1", "--stop-on-first"])
    parallel_stop = explore(racecheck, binary, workdir,
                            ["--schedules", "8", "--jobs", "3", "--stop-on-first"])
    compare_runs(f"{stem} --jobs 3 --stop-on-first", serial_stop, parallel_stop)

    whole = explore(racecheck, binary, workdir, ["--seed-range", "0:7", "--ignore-output"])
    for name, seeds in (("shard-a.json", "0:3"), ("shard-b.json", "4:7")):
        shard = explore(racecheck, binary, workdir,
                        ["--seed-range", seeds, "--ignore-output", "--jobs", "2",
                         "--out", "out-" + name])
        with open(os.path.join(workdir, name), "wb") as f:
            f.write(shard["json"])
    merged = run([racecheck, "merge", "--json", "merged.json", "shard-b.json", "shard-a.json"],
                 workdir)
    if merged.returncode != whole["status"]:
        raise CheckFailure(f"{stem}: merge exited {merged.returncode}, the whole run "
                           f"{whole['status']}:\n{merged.stderr.decode()}")
    whole_text = text_without_paths(whole["stderr"])
    merged_text = text_without_paths(merged.stdout)
    if whole_text != merged_text:
        raise CheckFailure(f"{stem}: merged text differs:\n--- whole:\n" + "\n".join(whole_text) +
                           "\n--- merged:\n" + "\n".join(merged_text))
    with open(os.path.join(workdir, "merged.json")) as f:
        merged_json = without_paths(json.load(f))
    whole_json = without_paths(json.loads(whole["json"]))
    if merged_json != whole_json:
        raise CheckFailure(f"{stem}: merged JSON differs:\n--- whole:\n"
                           f"{json.dumps(whole_json, indent=1)}\n--- merged:\n"
                           f"{json.dumps(merged_json, indent=1)}")
    for shards in (["shard-a.json", "shard-a.json"], ["shard-b.json"] * 2):
        overlapping = run([racecheck, "merge", *shards], workdir)
        if overlapping.returncode != 2 or b"adjacent seed ranges" not in overlapping.stderr:
            raise CheckFailure(f"{stem}: merge of overlapping shards {shards} exited "
                               f"{overlapping.returncode}: {overlapping.stderr.decode()}")
    print(f"ok: {stem}: --jobs 2/3 equal --jobs 1, merge of 0:3 and 4:7 equals 0:7 "
          f"({len(whole_json['findings'])} finding(s))")


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    racecheck = os.path.abspath(sys.argv[1])
    failures = 0
    for testcase in sys.argv[2:]:
        workdir = tempfile.mkdtemp(prefix="racecheck-jobs-")
        try:
            check(racecheck, os.path.abspath(testcase), workdir)
        except CheckFailure as e:
            print(f"FAIL: {e}")
            failures += 1
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
