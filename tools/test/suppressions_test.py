#!/usr/bin/env python3
"""suppressions_test.py — the ways a user silences a known race, end to end with the real plugin,
runtime and CLI (analyzer/suppressions.h, instrument/AccessOptOuts.h). Checks:
  * a suppressions file (`--suppressions`, and RACECHECK_OPTIONS=suppressions=FILE on a plain
    run, where the runtime hands it to the report tool) silences a race matched by a frame's
    function: one run and an exploration exit 0 and print the rule's count;
  * a race of another function is not silenced: exit 66, reported;
  * `racecheck merge --suppressions` drops the matched findings from the shards' JSON, and only
    those;
  * a malformed file is an error naming its file and line;
  * `-fsanitize-ignorelist=FILE` given to `racecheck cc` (fun: and src: rules) leaves the listed
    function unchecked, and only it;
  * a lock named with racecheck_lock_name is reported by that name, and a `lock-order:` rule on
    the name silences the cycle while a rule on another name does not.

Usage: suppressions_test.py RACECHECK TWO_RACES_SOURCE NAMED_LOCK_CYCLE_SOURCE
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile

from tool_test_support import check, failures, run


def write(path, text):
    with open(path, "w") as f:
        f.write(text)
    return path


def kinds_and_functions(json_path):
    with open(json_path) as f:
        findings = json.load(f)["findings"]
    return [(f["kind"], json.dumps(f)) for f in findings]


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    tool, source, cycle_source = (os.path.abspath(p) for p in sys.argv[1:])
    workdir = tempfile.mkdtemp(prefix="racecheck-suppressions-")
    try:
        prog = os.path.join(workdir, "prog")
        build = run([tool, "cc", "-g", "-O1", source, "-o", prog], workdir)
        if build.returncode != 0:
            print(build.stderr.decode(errors="replace"))
            return 2
        supp = write(os.path.join(workdir, "supp.txt"),
                     "# the vendored library's counters race by design\n"
                     "race:legacy_stats_*\n"
                     "deadlock:never_matches\n")

        # Without suppressions the race fails the run.
        plain = run([tool, "run", "--", prog], workdir)
        check(plain.returncode == 66, f"unsuppressed run exited {plain.returncode}, not 66")

        one = run([tool, "run", "--suppressions", supp, "--json", "one.json", "--", prog], workdir)
        err = one.stderr.decode(errors="replace")
        check(one.returncode == 0, f"suppressed run exited {one.returncode}, not 0:\n{err}")
        check("supp.txt:2 race:legacy_stats_* suppressed 1 finding" in err,
              f"no count for the rule:\n{err}")
        check("supp.txt:3 deadlock:never_matches suppressed 0 findings" in err,
              f"no zero count for the unused rule:\n{err}")
        check(kinds_and_functions(os.path.join(workdir, "one.json")) == [],
              "the suppressed race is in the JSON")

        explored = run([tool, "run", "--schedules", "8", "--suppressions", supp, "--", prog],
                       workdir)
        err = explored.stderr.decode(errors="replace")
        check(explored.returncode == 0, f"suppressed exploration exited {explored.returncode}:\n{err}")
        check("race:legacy_stats_* suppressed 1 finding" in err,
              f"exploration: the finding of 8 schedules is not counted once:\n{err}")

        # The other race is not covered by the rule: it still fails the run.
        both = run([tool, "run", "--schedules", "8", "--suppressions", supp, "--json", "both.json",
                    "--", prog, "both"], workdir)
        check(both.returncode == 66, f"run with an unsuppressed race exited {both.returncode}")
        found = kinds_and_functions(os.path.join(workdir, "both.json"))
        check(len(found) == 1 and "deposit" in found[0][1] and "legacy_stats" not in found[0][1],
              f"expected only the race in deposit, got {found}")

        # Shards keep every finding; merge applies the rules to their JSON.
        for shard in ("0:3", "4:7"):
            run([tool, "run", "--seed-range", shard, "--json", f"shard-{shard[0]}.json", "--",
                 prog, "both"], workdir)
        merged = run([tool, "merge", "--suppressions", supp, "--json", "merged.json",
                      "shard-0.json", "shard-4.json"], workdir)
        out = merged.stdout.decode(errors="replace")
        check(merged.returncode == 66, f"merge exited {merged.returncode}, not 66:\n{out}")
        check("race:legacy_stats_* suppressed 1 finding" in out, f"merge: no count:\n{out}")
        found = kinds_and_functions(os.path.join(workdir, "merged.json"))
        check(len(found) == 1 and "deposit" in found[0][1] and "legacy_stats" not in found[0][1],
              f"merge: expected only the race in deposit, got {found}")

        # A plain run: the runtime passes the file to the report tool.
        env = dict(os.environ, RACECHECK_OPTIONS=f"suppressions={supp}")
        direct = subprocess.run([prog], cwd=workdir, capture_output=True, timeout=60, env=env,
                                stdin=subprocess.DEVNULL)
        err = direct.stderr.decode(errors="replace")
        check(direct.returncode == 0, f"plain run with suppressions=FILE exited {direct.returncode}:\n{err}")
        check("suppressed 1 finding" in err, f"plain run: no count:\n{err}")
        direct_both = subprocess.run([prog, "both"], cwd=workdir, capture_output=True, timeout=60,
                                     env=env, stdin=subprocess.DEVNULL)
        check(direct_both.returncode == 66,
              f"plain run with an unsuppressed race exited {direct_both.returncode}")
        env_run = subprocess.run([tool, "run", "--", prog], cwd=workdir, capture_output=True,
                                 timeout=120, env=env, stdin=subprocess.DEVNULL)
        check(env_run.returncode == 0, f"racecheck run with RACECHECK_OPTIONS=suppressions exited "
              f"{env_run.returncode}")

        bad = write(os.path.join(workdir, "bad.txt"), "race:ok\n\nthread:foo\n")
        refused = run([tool, "run", "--suppressions", bad, "--", prog], workdir)
        err = refused.stderr.decode(errors="replace")
        check(refused.returncode == 2, f"malformed file: exit {refused.returncode}, not 2")
        check("bad.txt:3: unknown kind 'thread'" in err, f"malformed file message:\n{err}")

        # The compiler's opt-out: an ignorelist in -fsanitize-ignorelist syntax.
        for label, rules, expect in (("fun", "[thread]\nfun:legacy_stats_*\n", 0),
                                     ("src", "src:*/no_such_file.c\n", 66)):
            listed = write(os.path.join(workdir, label + ".ignorelist"), rules)
            listed_prog = os.path.join(workdir, "prog-" + label)
            build = run([tool, "cc", "-g", "-O1", "-fsanitize-ignorelist=" + listed, source, "-o",
                         listed_prog], workdir)
            check(build.returncode == 0, f"{label}: build failed: {build.stderr.decode()}")
            res = run([tool, "run", "--schedules", "4", "--", listed_prog], workdir)
            check(res.returncode == expect,
                  f"ignorelist {label}: run exited {res.returncode}, not {expect}")
            res = run([tool, "run", "--schedules", "4", "--", listed_prog, "both"], workdir)
            check(res.returncode == 66, f"ignorelist {label}: the unlisted race did not fail the run")

        cycle = os.path.join(workdir, "cycle")
        build = run([tool, "cc", "-g", "-O1", cycle_source, "-o", cycle], workdir)
        check(build.returncode == 0, f"cycle: build failed: {build.stderr.decode()}")
        named = run([tool, "run", "--", cycle], workdir)
        err = named.stderr.decode(errors="replace")
        check(named.returncode == 66 and "mutex 'journal_lock'" in err,
              f"the named lock is not reported by its name (exit {named.returncode}):\n{err}")
        for rule, expect in (("lock-order:journal_lock\ndeadlock:journal_lock\n", 0),
                             ("lock-order:other_lock\ndeadlock:other_lock\n", 66)):
            rules = write(os.path.join(workdir, "locks.txt"), rule)
            res = run([tool, "run", "--suppressions", rules, "--", cycle], workdir)
            check(res.returncode == expect,
                  f"{rule!r}: run exited {res.returncode}, not {expect}")
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
