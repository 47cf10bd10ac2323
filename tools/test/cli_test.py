#!/usr/bin/env python3
"""cli_test.py — tests of the `racecheck` command line (run by ctest).

Nothing here needs the real plugin or runtime: the racecheck binary is copied
into a scratch install tree (bin/, lib/ with stand-in plugin/runtime files), a
fake clang records the command line it was given, and a fake "instrumented"
program writes run records the way the runtime does (to the `record=` path of
RACECHECK_OPTIONS). So every check exercises the real executable end to end.
"""
import argparse
import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
import time
import unittest

RACECHECK = None
DATA = None

FAKE_CLANG = r'''#!/usr/bin/env python3
import json, os, sys
with open(os.environ["FAKE_CLANG_LOG"], "w") as f:
    json.dump(sys.argv, f)
sys.exit(int(os.environ.get("FAKE_CLANG_STATUS", "0")))
'''

# Mimics an instrumented program: reads RACECHECK_OPTIONS, echoes what it got,
# writes the record chosen by FAKE_MODE.
FAKE_PROGRAM = r'''#!/usr/bin/env python3
import os, signal, sys
opts = os.environ.get("RACECHECK_OPTIONS", "")
record = [kv.split("=", 1)[1] for kv in opts.split(":") if kv.startswith("record=")][-1]
mode = os.environ.get("FAKE_MODE", "race")
if mode not in ("seed-status", "seed-status-inverted", "seed-output", "child"):  # those print only what a real program would
    print("ARGS " + " ".join(sys.argv[1:]))
    print("OPTIONS " + opts)
    print("RECORD " + record)
    line = sys.stdin.readline().strip()
    if line:
        print("STDIN " + line)
    sys.stdout.flush()
data = os.environ["FAKE_DATA"]
def write(text):
    with open(record, "w") as f:
        f.write(text)
if mode == "race":
    write(open(os.path.join(data, "counter.record")).read())
elif mode in ("clean", "exit3"):
    write("racecheck-record\t1\nmeta\tseed\t0\nmeta\tstrategy\trandom\nend-record\n")
elif mode == "child":
    # Two forked children found something (fork orders 1 and 2); each wrote
    # its own record beside the parent's, which found nothing.
    write("racecheck-record\t1\nmeta\tseed\t0\nmeta\tstrategy\trandom\n"
          "meta\texit_status\t0\nmeta\texit_signal\t0\nend-record\n")
    for order, fixture in ((2, "counter.record"), (1, "deadlock.record")):
        header, rest = open(os.path.join(data, fixture)).read().split("\n", 1)
        with open(record + ".child%d" % order, "w") as f:
            f.write(header + "\nmeta\tprocess\t%d\n" % order + rest)
elif mode == "truncated":
    write("racecheck-record\t1\nmeta\tseed\t0\nsite\t0\ta.c\tf\t1\t1\t-1\n")
elif mode == "segv":
    os.kill(os.getpid(), signal.SIGSEGV)
elif mode in ("seed-status", "seed-status-inverted", "seed-output"):
    # A program whose outcome depends on the schedule: seeds >= 2 fail.
    seed = int([kv.split("=", 1)[1] for kv in opts.split(":") if kv.startswith("seed=")][-1])
    status = 1 if mode == "seed-status" and seed >= 2 else 0
    if mode == "seed-status-inverted":
        status = 1 if seed < 2 else 0
    print("total " + ("41" if mode == "seed-output" and seed >= 2 else "42"))
    write("racecheck-record\t1\nmeta\tseed\t%d\nmeta\tstrategy\trandom\n"
          "meta\texit_status\t%d\nmeta\texit_signal\t0\nend-record\n" % (seed, status))
    sys.exit(status)
sys.exit(3 if mode == "exit3" else 0)
'''


def write_executable(path, text):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


class Scratch(unittest.TestCase):
    """A scratch install tree: <tmp>/bin/racecheck, <tmp>/lib/*, fakes."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="racecheck-cli-test-")
        self.bin = os.path.join(self.tmp, "bin")
        self.lib = os.path.join(self.tmp, "lib")
        os.makedirs(self.bin)
        os.makedirs(self.lib)
        self.racecheck = os.path.join(self.bin, "racecheck")
        shutil.copy2(RACECHECK, self.racecheck)
        self.plugin = os.path.join(self.lib, "racecheck.so")
        self.runtime = os.path.join(self.lib, "libracecheck_rt.a")
        self.syms = os.path.join(self.lib, "racecheck_rt.syms")
        for p in (self.plugin, self.runtime, self.syms):
            open(p, "w").close()
        self.clang = os.path.join(self.tmp, "fake-clang")
        self.clangxx = os.path.join(self.tmp, "fake-clang++")
        write_executable(self.clang, FAKE_CLANG)
        write_executable(self.clangxx, FAKE_CLANG)
        self.program = os.path.join(self.tmp, "fakeprog")
        write_executable(self.program, FAKE_PROGRAM)
        self.log = os.path.join(self.tmp, "clang-args.json")
        self.env = dict(os.environ)
        self.env.update(RACECHECK_CLANG=self.clang, RACECHECK_CLANGXX=self.clangxx,
                        FAKE_CLANG_LOG=self.log, FAKE_DATA=DATA)
        self.env.pop("RACECHECK_OPTIONS", None)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def racecheck_cmd(self, *args, env=None, stdin=None, cwd=None, stdin_file=None):
        if stdin_file is not None:
            return subprocess.run([self.racecheck, *args], env=env or self.env,
                                  cwd=cwd or self.tmp, stdin=stdin_file, capture_output=True,
                                  text=True, errors="replace", timeout=60)
        return subprocess.run([self.racecheck, *args], env=env or self.env, cwd=cwd or self.tmp,
                              input=stdin, capture_output=True, text=True, timeout=60)


class CompileVerbs(Scratch):
    def compile(self, verb, *args, status=0):
        r = self.racecheck_cmd(verb, *args)
        self.assertEqual(r.returncode, status, r.stderr)
        with open(self.log) as f:
            argv = json.load(f)
        os.unlink(self.log)
        return argv

    def header_flags(self):
        # <racecheck/annotations.h> and the __RACECHECK__ guard, for every source
        return ["-isystem", os.path.join(self.tmp, "include"), "-D__RACECHECK__=1"]

    def plugin_flags(self):
        return self.header_flags() + ["-fplugin=" + self.plugin, "-fpass-plugin=" + self.plugin]

    def link_flags(self):
        return ["-Wl,--whole-archive", self.runtime, "-Wl,--no-whole-archive",
                "-Wl,--dynamic-list=" + self.syms, "-lpthread", "-ldl"]

    def test_compile_only_adds_the_plugin_and_line_tables_but_does_not_link(self):
        argv = self.compile("cc", "-c", "a.c", "-o", "a.o")
        self.assertEqual(argv[0], self.clang)
        self.assertEqual(argv[1:], self.plugin_flags() + ["-g", "-c", "a.c", "-o", "a.o"])

    def test_compile_and_link_adds_the_runtime(self):
        argv = self.compile("cc", "-O1", "a.c", "-o", "a")
        self.assertEqual(argv[1:], self.plugin_flags() + ["-g", "-O1", "a.c", "-o", "a"]
                         + self.link_flags())

    def test_user_debug_option_wins(self):
        for g in ("-g", "-g3", "-ggdb", "-gdwarf-4", "-g0"):
            argv = self.compile("cc", g, "-c", "a.c")
            # only the user's own option: racecheck adds no -g of its own
            self.assertEqual(argv.count("-g"), 1 if g == "-g" else 0, g)
        argv = self.compile("cc", "-gz", "-c", "a.c")
        self.assertIn("-g", argv)

    def test_link_of_objects_only_adds_the_runtime_not_the_plugin(self):
        argv = self.compile("cc", "a.o", "b.o", "-o", "prog")
        self.assertEqual(argv[1:], ["a.o", "b.o", "-o", "prog"] + self.link_flags())

    def test_shared_library_is_instrumented_without_the_runtime(self):
        argv = self.compile("cc", "-shared", "-fPIC", "lib.c", "-o", "lib.so")
        self.assertEqual(argv[1:], self.plugin_flags() + ["-g", "-shared", "-fPIC",
                                                           "lib.c", "-o", "lib.so"])

    def test_queries_pass_through_exactly_and_preprocessing_only_gains_the_headers(self):
        for args in (["--version"], ["-dumpmachine"], ["-print-search-dirs"], ["-v"],
                     ["-E", "a.c"], ["-M", "a.c"], ["-x", "c", "-E", "-"]):
            argv = self.compile("cc", *args)
            preprocesses = "-E" in args or "-M" in args
            self.assertEqual(argv[1:], (self.header_flags() if preprocesses else []) + args)

    def test_syntax_only_and_assembly_do_not_link(self):
        for stage in ("-fsyntax-only", "-S"):
            argv = self.compile("cc", stage, "a.c")
            self.assertEqual(argv[1:], self.plugin_flags() + ["-g", stage, "a.c"])

    def test_explicit_language_counts_as_source(self):
        argv = self.compile("cc", "-x", "c", "-c", "input.txt")
        self.assertEqual(argv[1:1 + len(self.plugin_flags())], self.plugin_flags())

    def test_cxx_uses_clangxx(self):
        argv = self.compile("c++", "-std=c++17", "x.cpp", "-o", "x")
        self.assertEqual(argv[0], self.clangxx)
        self.assertEqual(argv[-6:], self.link_flags())

    def test_arguments_with_spaces_and_odd_characters_pass_through(self):
        args = ["-DMSG=\"a b\"", "-c", "dir with space/a.c", "-o", "o:x.o"]
        argv = self.compile("cc", *args)
        self.assertEqual(argv[-5:], args)

    def test_exit_status_is_clangs(self):
        self.env["FAKE_CLANG_STATUS"] = "3"
        self.compile("cc", "-c", "a.c", status=3)

    def test_missing_plugin_is_a_clear_error(self):
        os.unlink(self.plugin)
        r = self.racecheck_cmd("cc", "-c", "a.c")
        self.assertEqual(r.returncode, 2)
        self.assertIn("the racecheck compiler plugin is missing: " + self.plugin, r.stderr)
        self.assertFalse(os.path.exists(self.log))

    def test_missing_runtime_only_matters_when_linking(self):
        os.unlink(self.runtime)
        self.compile("cc", "-c", "a.c")
        r = self.racecheck_cmd("cc", "a.c", "-o", "a")
        self.assertEqual(r.returncode, 2)
        self.assertIn("the racecheck runtime is missing: " + self.runtime, r.stderr)

    def test_missing_compiler(self):
        self.env["RACECHECK_CLANG"] = os.path.join(self.tmp, "no-such-clang")
        r = self.racecheck_cmd("cc", "-c", "a.c")
        self.assertEqual(r.returncode, 127)
        self.assertIn("cannot run the compiler '" + self.env["RACECHECK_CLANG"] + "'", r.stderr)

    def test_help(self):
        r = self.racecheck_cmd("cc", "--help")
        self.assertEqual(r.returncode, 0)
        self.assertIn("racecheck cc", r.stdout)
        self.assertFalse(os.path.exists(self.log))


class RunVerb(Scratch):
    def run_program(self, *args, mode="race", stdin="", env_extra=None, cwd=None):
        env = dict(self.env, FAKE_MODE=mode)
        env.update(env_extra or {})
        return self.racecheck_cmd("run", *args, env=env, stdin=stdin, cwd=cwd)

    def field(self, stdout, key):
        for line in stdout.splitlines():
            if line.startswith(key + " "):
                return line[len(key) + 1:]
        self.fail("no %s line in %r" % (key, stdout))

    def test_race_reports_and_exits_66(self):
        r = self.run_program("--seed", "5", "--", self.program, "-x", "--flag", "arg")
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("WARNING: racecheck: data race on counter (counter.c:9 vs counter.c:9)", r.stderr)
        self.assertIn("SUMMARY: racecheck: 1 data race(s)", r.stderr)
        self.assertEqual(self.field(r.stdout, "ARGS"), "-x --flag arg")
        options = self.field(r.stdout, "OPTIONS").split(":")
        self.assertIn("seed=5", options)
        self.assertIn("report=0", options)
        self.assertNotIn("strategy=random", options)  # only what the user chose
        record = self.field(r.stdout, "RECORD")
        self.assertFalse(os.path.exists(record), "the temporary record was not removed")

    def test_program_arguments_without_double_dash(self):
        r = self.run_program("--strategy", "random", self.program, "-v", "--seed", "9")
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertEqual(self.field(r.stdout, "ARGS"), "-v --seed 9")
        options = self.field(r.stdout, "OPTIONS").split(":")
        self.assertIn("strategy=random", options)
        self.assertNotIn("seed=9", options)

    def test_double_dash_after_the_program_belongs_to_it(self):
        r = self.run_program("--seed", "1", self.program, "a", "--", "--b")
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertEqual(self.field(r.stdout, "ARGS"), "a -- --b")

    def test_options_of_the_user_are_kept_and_ours_come_last(self):
        r = self.run_program("--preempt-budget", "10", "--", self.program,
                             env_extra={"RACECHECK_OPTIONS": "verbose=1:record=/elsewhere"})
        options = self.field(r.stdout, "OPTIONS").split(":")
        self.assertEqual(options[0], "verbose=1")
        self.assertIn("preempt_budget=10", options)
        self.assertTrue(options[-2].startswith("record=") and options[-2] != "record=/elsewhere")

    def test_stdin_is_forwarded(self):
        r = self.run_program("--", self.program, stdin="hello\n")
        self.assertEqual(self.field(r.stdout, "STDIN"), "hello")

    def test_json_output(self):
        out = os.path.join(self.tmp, "report.json")
        r = self.run_program("--json", out, "--", self.program)
        self.assertEqual(r.returncode, 66, r.stderr)
        with open(out) as f:
            doc = json.load(f)
        self.assertEqual(doc["tool"], "racecheck")
        self.assertEqual(doc["findings"][0]["kind"], "data-race")
        self.assertEqual(doc["findings"][0]["accesses"][0]["location"]["file"], "counter.c")

    def test_clean_run_exits_with_the_programs_status(self):
        r = self.run_program("--", self.program, mode="clean")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("SUMMARY: racecheck: 0 data race(s), 0 deadlock(s)", r.stderr)
        r = self.run_program("--", self.program, mode="exit3")
        self.assertEqual(r.returncode, 3, r.stderr)

    def test_findings_of_a_forked_child_are_reported(self):
        out = os.path.join(self.tmp, "child.json")
        r = self.run_program("--json", out, "--", self.program, mode="child")
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("findings of child process 1 (", r.stderr)
        self.assertIn("WARNING: racecheck: deadlock (2 threads blocked)", r.stderr)
        self.assertLess(r.stderr.index("child process 1 ("),
                        r.stderr.index("child process 2 ("))
        with open(out) as f:
            doc = json.load(f)
        self.assertEqual([(x["kind"], x["process"]) for x in doc["findings"]],
                         [("deadlock", 1), ("data-race", 2)])

    def test_exploration_finds_what_only_a_forked_child_found(self):
        out = os.path.join(self.tmp, "explored.json")
        r = self.run_program("--schedules", "3", "--no-fork-server", "--json", out, "--",
                             self.program, mode="child")
        self.assertEqual(r.returncode, 66, r.stderr)
        with open(out) as f:
            doc = json.load(f)
        self.assertEqual(sorted((x["kind"], x.get("process"), x["seen_in"]) for x in doc["findings"]),
                         [("data-race", 2, 3), ("deadlock", 1, 3)])

    def test_quiet_clean_run_prints_nothing(self):
        r = self.run_program("--quiet", "--", self.program, mode="clean")
        self.assertEqual(r.returncode, 0)
        self.assertEqual(r.stderr, "")

    def test_uninstrumented_program(self):
        r = self.racecheck_cmd("run", "--", "/bin/true")
        self.assertEqual(r.returncode, 2)
        self.assertIn("the program is not instrumented with racecheck (no run record was written)",
                      r.stderr)

    def test_program_failing_without_record(self):
        r = self.racecheck_cmd("run", "--", "/bin/false")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no run record was written and the program exited with status 1", r.stderr)
        self.assertIn("or the racecheck runtime stopped it early", r.stderr)

    def test_truncated_record(self):
        r = self.run_program("--", self.program, mode="truncated")
        self.assertEqual(r.returncode, 2)
        self.assertIn("record is truncated: the program died before racecheck could finish writing it",
                      r.stderr)

    def test_killed_without_record(self):
        r = self.run_program("--", self.program, mode="segv")
        self.assertEqual(r.returncode, 2)
        self.assertIn("killed by signal 11 (SIGSEGV) before racecheck could write its run record", r.stderr)

    def test_record_path_is_kept_and_a_stale_record_is_not_read(self):
        path = os.path.join(self.tmp, "my.record")
        r = self.run_program("--record", path, "--", self.program)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertTrue(os.path.exists(path))
        self.assertIn("racecheck: run record: " + path, r.stderr)
        r = self.run_program("--record", path, "--", self.program, mode="none")
        self.assertEqual(r.returncode, 2)
        self.assertIn("not instrumented", r.stderr)

    def test_keep_record_uses_racecheck_out(self):
        r = self.run_program("--seed", "4", "--keep-record", "--", self.program)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertTrue(os.path.exists(os.path.join(self.tmp, "racecheck-out", "fakeprog.seed4.record")))

    def test_record_path_with_separator_is_rejected(self):
        r = self.run_program("--record", os.path.join(self.tmp, "a:b"), "--", self.program)
        self.assertEqual(r.returncode, 2)
        self.assertIn("must not contain ':'", r.stderr)

    def test_missing_program(self):
        r = self.racecheck_cmd("run", "--", os.path.join(self.tmp, "no-such-program"))
        self.assertEqual(r.returncode, 127)
        self.assertIn("cannot run", r.stderr)
        self.assertIn("No such file or directory", r.stderr)

    def test_no_program(self):
        r = self.racecheck_cmd("run")
        self.assertEqual(r.returncode, 2)
        self.assertIn("no program to run", r.stderr)

    def test_bad_seed(self):
        r = self.racecheck_cmd("run", "--seed", "many", "--", self.program)
        self.assertEqual(r.returncode, 2)
        self.assertIn("--seed", r.stderr)

    def test_help_lists_runtime_options(self):
        r = self.racecheck_cmd("run", "--help")
        self.assertEqual(r.returncode, 0)
        for name in ("seed=0", "strategy=random", "preempt_budget=10000", "watchdog_seconds=60"):
            self.assertIn(name, r.stdout)


class ScheduleOptions(Scratch):
    """run's schedule and exploration options, and replay's errors (the real schedule/replay
    round trip is tested with real programs by testcases/check_replay.py)."""

    run_program = RunVerb.run_program
    field = RunVerb.field

    def test_schedule_out_is_requested_before_record_and_report(self):
        r = self.run_program("--", self.program)
        options = self.field(r.stdout, "OPTIONS").split(":")
        self.assertTrue(options[-3].startswith("schedule_out="), options)
        self.assertTrue(options[-2].startswith("record="), options)
        # the fake program writes no schedule: no replay line, no racecheck-out/
        self.assertNotIn("replay:", r.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.tmp, "racecheck-out")))

    def test_pct_strategy_is_translated(self):
        r = self.run_program("--strategy", "pct:4", "--pct-steps", "50", "--", self.program)
        options = self.field(r.stdout, "OPTIONS").split(":")
        self.assertIn("strategy=pct", options)
        self.assertIn("pct_depth=4", options)
        self.assertIn("pct_steps=50", options)
        for bad in ("pct:", "pct:x", "a:b"):
            r = self.run_program("--strategy", bad, "--", self.program)
            self.assertEqual(r.returncode, 2, bad)
            self.assertIn("invalid strategy", r.stderr)

    def test_schedules_merge_the_same_finding(self):
        json_path = os.path.join(self.tmp, "merged.json")
        # --ignore-output: the fake program prints its (seed-dependent) options on stdout.
        r = self.run_program("--schedules", "3", "--seed", "7", "--ignore-output", "--json", json_path,
                             "--", self.program)
        self.assertEqual(r.returncode, 66, r.stderr)
        seeds = [[o for o in self.field(run, "OPTIONS").split(":") if o.startswith("seed=")]
                 for run in r.stdout.split("ARGS")[1:]]
        self.assertEqual(seeds, [["seed=7"], ["seed=8"], ["seed=9"]])
        self.assertEqual(r.stderr.count("WARNING: racecheck: data race on counter"), 1, r.stderr)
        self.assertIn("seen in 3 of 3 schedules, first with seed 7", r.stderr)
        self.assertIn("SUMMARY: racecheck: 1 data race(s), 0 deadlock(s) in 3 schedules (seeds 7..9",
                      r.stderr)
        with open(json_path) as f:
            doc = json.load(f)
        self.assertEqual(doc["exploration"]["schedules"], 3)
        self.assertEqual([(f["seen_in"], f["first_seed"]) for f in doc["findings"]], [(3, 7)])

    def test_schedules_compare_exit_status_and_output_with_the_first(self):
        out_dir = os.path.join(self.tmp, "failures-out")
        json_path = os.path.join(self.tmp, "failures.json")
        r = self.run_program("--schedules", "4", "--out", out_dir, "--json", json_path, "--",
                             self.program, mode="seed-status")
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertNotIn("total", r.stdout)  # each schedule's output went to its own files
        self.assertEqual(r.stderr.count("WARNING: racecheck: failure: exit status 1 differs from the "
                                        "reference schedule's 0"), 1, r.stderr)
        self.assertIn("seen in 2 of 4 schedules, first with seed 2", r.stderr)
        with open(json_path) as f:
            finding = json.load(f)["findings"][0]
        self.assertEqual((finding["kind"], finding["first_seed"]), ("failure", 2))
        with open(finding["stdout"]) as f:
            self.assertIn("total 42", f.read())
        with open(os.path.join(out_dir, "reference.stdout")) as f:
            self.assertEqual(f.read(), "total 42\n")
        # --fail-on without `failure`: still reported, not a failing exit status
        r = self.run_program("--schedules", "4", "--fail-on", "data-race,crash", "--", self.program,
                             mode="seed-status")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("failure: exit status 1 differs", r.stderr)
        # output varies: nothing by default, an output-mismatch when asked, failing only when asked
        r = self.run_program("--schedules", "4", "--out", out_dir, "--", self.program, mode="seed-output")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("WARNING", r.stderr)
        r = self.run_program("--schedules", "4", "--out", out_dir, "--check-output", "--", self.program,
                             mode="seed-output")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("output mismatch: output differs from the reference schedule's", r.stderr)
        self.assertIn("expected: total 42", r.stderr)
        self.assertIn("this run: total 41", r.stderr)
        r = self.run_program("--schedules", "4", "--out", out_dir, "--check-output", "--fail-on",
                             "output-mismatch", "--", self.program, mode="seed-output")
        self.assertEqual(r.returncode, 66, r.stderr)
        expected = os.path.join(self.tmp, "expected.txt")
        with open(expected, "w") as f:
            f.write("total 41\n")
        r = self.run_program("--schedules", "4", "--out", out_dir, "--expect-output", expected,
                             "--fail-on", "output-mismatch", "--", self.program, mode="seed-output")
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("output mismatch: output differs from the expected output " + expected, r.stderr)
        self.assertIn("seen in 2 of 4 schedules, first with seed 0", r.stderr)
        r = self.run_program("--schedules", "4", "--ignore-output", "--", self.program, mode="seed-output")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("total 41", r.stdout)
        for bad in (["--fail-on", "races"], ["--check-output", "--ignore-output"], ["--check-output"]):
            schedules = [] if bad == ["--check-output"] else ["--schedules", "2"]
            r = self.run_program(*schedules, *bad, "--", self.program, mode="seed-output")
            self.assertEqual(r.returncode, 2, (bad, r.stderr))

    def test_a_failing_reference_is_reported_once_a_schedule_exits_0(self):
        # seeds 0 and 1 exit 1, seeds 2 and 3 exit 0: the failures are 0 and 1, not 2 and 3
        r = self.run_program("--schedules", "4", "--json", "-", "--", self.program,
                             mode="seed-status-inverted")
        self.assertEqual(r.returncode, 66, r.stderr)
        finding = json.loads(r.stdout)["findings"][0]
        self.assertEqual((finding["kind"], finding["first_seed"], finding["seen_in"]), ("failure", 0, 2))
        self.assertIn("exit status 1 differs from the reference schedule's 0", r.stderr)

    def test_stop_on_first_and_seed_range(self):
        r = self.run_program("--seed-range", "4:6", "--stop-on-first", "--", self.program)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("in 1 schedules (seeds 4..4, strategy random), stopped at the first finding", r.stderr)
        r = self.run_program("--seed-range", "4:6", "--ignore-output", "--", self.program, mode="clean")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertIn("0 data race(s), 0 deadlock(s) in 3 schedules (seeds 4..6", r.stderr)
        for bad in ("6:4", "4", "a:b"):
            r = self.run_program("--seed-range", bad, "--", self.program)
            self.assertEqual(r.returncode, 2, bad)
            self.assertIn("--seed-range wants A:B", r.stderr)

    def test_replay_errors(self):
        r = self.racecheck_cmd("replay", os.path.join(self.tmp, "missing.schedule"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot open the schedule file", r.stderr)
        path = os.path.join(self.tmp, "bad.schedule")
        with open(path, "w") as f:
            f.write('racecheck-schedule 1\ntool 0\nbinary x\nprogram "/bin/true\n')
        r = self.racecheck_cmd("replay", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("line 4: expected a \"quoted\" string", r.stderr)

    def test_replay_refuses_a_program_that_is_not_a_racecheck_executable(self):
        # A schedule file names a command to run: replay checks the file it names (an ELF
        # executable with the racecheck runtime and the recorded identity) before it runs anything.
        marker = os.path.join(self.tmp, "MARKER")
        script = os.path.join(self.tmp, "script")
        write_executable(script, "#!/bin/sh\ntouch %s\n" % marker)
        for program, args, wanted in (
                (script, [], "is not an ELF executable"),
                ("/bin/sh", ["sh", "-c", "touch " + marker], "lacks the racecheck runtime"),
                (os.path.join(self.tmp, "missing"), [], "cannot be opened"),
                (self.tmp, [], "is not a regular file")):
            path = os.path.join(self.tmp, "crafted.schedule")
            with open(path, "w") as f:
                f.write('racecheck-schedule 1\ntool 0\nbinary build-id:00\nprogram "%s"\n' % program)
                for a in args:
                    f.write('arg "%s"\n' % a)
                f.write('strategy "random"\nseed 0\ndecisions 0\nend\n')
            r = self.racecheck_cmd("replay", path)
            self.assertEqual(r.returncode, 2, program)
            self.assertIn(wanted, r.stderr, program)
            self.assertIn("replay runs only the executable the schedule was recorded for", r.stderr)
            self.assertFalse(os.path.exists(marker), program)

    def test_replay_help_says_the_file_names_a_command(self):
        r = self.racecheck_cmd("replay", "--help")
        self.assertIn("names a command to run", r.stdout)


class HostileInput(Scratch):
    """Bounded reads, validated options, escaped control characters."""

    run_program = RunVerb.run_program
    field = RunVerb.field

    def test_unknown_options_are_errors_never_the_program(self):
        marker = os.path.join(self.tmp, "--bogus")
        for args in (["--bogus", "--", self.program], ["--bogus", self.program], ["-z", self.program]):
            r = self.racecheck_cmd("run", *args)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn("unknown option " + args[0], r.stderr)
            self.assertNotIn("ARGS", r.stdout)
        self.assertFalse(os.path.exists(marker))
        for verb in (["report", "--bogus", "x.record"], ["replay", "--bogus", "x.schedule"],
                     ["merge", "--bogus", "x.json"]):
            r = self.racecheck_cmd(*verb)
            self.assertEqual(r.returncode, 2, verb)
            self.assertIn("--bogus", r.stderr)

    def test_seeds_and_counts_out_of_range_are_refused(self):
        for args, wanted in ((["--seed", "-5"], "not a whole number"),
                             (["--seed", "9223372036854775808"], "larger than 9223372036854775807"),
                             (["--seed", "18446744073709551616"], "--seed"),
                             (["--preempt-budget", "-3"], "not a whole number"),
                             (["--schedules", "-1"], "not a whole number"),
                             (["--confirm-attempts", "-1"], "not a whole number"),
                             (["--shrink-attempts", "1e3"], "not a whole number"),
                             (["--jobs", "-2"], "--jobs"),
                             (["--seed-range", "0:9223372036854775808"], "A <= B <= 9223372036854775807"),
                             (["--seed", "9223372036854775807", "--schedules", "2"], "largest seed")):
            r = self.run_program(*args, "--", self.program)
            self.assertEqual(r.returncode, 2, args)
            self.assertIn(wanted, r.stderr, args)
            self.assertNotIn("ARGS", r.stdout, args)
        r = self.run_program("--seed", "9223372036854775807", "--", self.program)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("seed=9223372036854775807", self.field(r.stdout, "OPTIONS"))

    def check_ends_quickly(self, args, wanted, **kwargs):
        start = time.monotonic()
        r = self.racecheck_cmd(*args, **kwargs)
        self.assertLess(time.monotonic() - start, 10, args)
        self.assertEqual(r.returncode, 2, args)
        self.assertIn(wanted, r.stderr, args)

    def test_endless_and_huge_inputs_end_with_an_error(self):
        huge = os.path.join(self.tmp, "huge")
        with open(huge, "wb") as f:  # sparse: 300 MiB of NULs, no newline
            f.truncate(300 << 20)
        nested = os.path.join(self.tmp, "nested.json")
        with open(nested, "w") as f:
            f.write("[" * 100000)
        self.check_ends_quickly(["replay", "/dev/zero"], "is not a regular file")
        self.check_ends_quickly(["replay", huge], "line 1: byte \\x00")
        long_line = os.path.join(self.tmp, "long.schedule")
        with open(long_line, "w") as f:  # printable, but one endless header line
            f.write("racecheck-schedule 1\ntool " + "x" * (17 << 20))
        self.check_ends_quickly(["replay", long_line], "the header is longer than")
        self.check_ends_quickly(["report", "/dev/zero"], "the line is longer than")
        self.check_ends_quickly(["report", huge], "the line is longer than")
        self.check_ends_quickly(["merge", "/dev/zero"], "is larger than")
        self.check_ends_quickly(["merge", huge], "is larger than")
        self.check_ends_quickly(["merge", nested], "nests deeper than")
        yes = subprocess.Popen(["yes", "racecheck-record\t1"], stdout=subprocess.PIPE)
        try:
            self.check_ends_quickly(["report", "/dev/stdin"], "a second record header", stdin=None, stdin_file=yes.stdout)
        finally:
            yes.kill()
            yes.wait()

    def test_control_characters_from_files_are_escaped(self):
        path = os.path.join(self.tmp, "esc.schedule")
        with open(path, "w") as f:
            f.write('racecheck-schedule 1\n\x1b]0;title\x07tool 0\n')
        r = self.racecheck_cmd("replay", path)
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("\x1b", r.stderr)
        self.assertIn("line 2: byte \\x1b", r.stderr)
        record = os.path.join(self.tmp, "esc.record")
        with open(os.path.join(DATA, "counter.record")) as f:
            text = f.read()
        with open(record, "w") as f:  # a source file name with a terminal escape
            f.write(text.replace("counter.c", "count\x1b[2Jer.c"))
        r = self.racecheck_cmd("report", record)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertNotIn("\x1b", r.stdout)
        self.assertIn("count\\x1b[2Jer.c", r.stdout)
        with open(record, "w") as f:
            f.write("racecheck-record\t1\nmeta\tseed\t\x1b[31mbogus\n")
        r = self.racecheck_cmd("report", record)
        self.assertEqual(r.returncode, 2)
        self.assertNotIn("\x1b", r.stderr)
        self.assertIn("\\x1b[31mbogus", r.stderr)


class ReportVerb(Scratch):
    def test_text_report_and_exit_66(self):
        r = self.racecheck_cmd("report", "--text", os.path.join(DATA, "counter.record"))
        self.assertEqual(r.returncode, 66, r.stderr)
        with open(os.path.join(DATA, "counter.txt")) as f:
            self.assertEqual(r.stdout, f.read())

    def test_json_only(self):
        r = self.racecheck_cmd("report", "--json", "-", os.path.join(DATA, "deadlock.record"))
        self.assertEqual(r.returncode, 66, r.stderr)
        doc = json.loads(r.stdout)
        self.assertEqual(doc["findings"][0]["kind"], "deadlock")

    def test_text_and_json_file_as_the_runtime_calls_it(self):
        out = os.path.join(self.tmp, "r.json")
        r = self.racecheck_cmd("report", "--text", "--json", out, os.path.join(DATA, "bank.record"))
        self.assertEqual(r.returncode, 66)
        self.assertIn("WARNING: racecheck: data race on checking.balance", r.stdout)
        with open(out) as f:
            self.assertEqual(json.load(f)["seed"], 7)

    def test_clean_record_exits_0(self):
        path = os.path.join(self.tmp, "clean.record")
        with open(path, "w") as f:
            f.write("racecheck-record\t1\nend-record\n")
        r = self.racecheck_cmd("report", path)
        self.assertEqual(r.returncode, 0)

    def test_errors_exit_2_with_the_line(self):
        path = os.path.join(self.tmp, "bad.record")
        with open(path, "w") as f:
            f.write("racecheck-record\t1\nsite\t0\ta.c\n")
        r = self.racecheck_cmd("report", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn(path + ":2: `site` needs 6 field(s), got 2", r.stderr)
        with open(path, "w") as f:
            f.write("racecheck-record\t9\nend-record\n")
        r = self.racecheck_cmd("report", path)
        self.assertEqual(r.returncode, 2)
        self.assertIn("unsupported record format version 9", r.stderr)
        r = self.racecheck_cmd("report", os.path.join(self.tmp, "missing.record"))
        self.assertEqual(r.returncode, 2)
        self.assertIn("cannot open the record", r.stderr)

    def test_no_verb_and_version(self):
        r = self.racecheck_cmd()
        self.assertEqual(r.returncode, 2)
        r = self.racecheck_cmd("--version")
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^racecheck \d+\.\d+\.\d+")


def main():
    global RACECHECK, DATA
    parser = argparse.ArgumentParser()
    parser.add_argument("--racecheck", required=True)
    parser.add_argument("--data", required=True)
    args, rest = parser.parse_known_args()
    RACECHECK = os.path.abspath(args.racecheck)
    DATA = os.path.abspath(args.data)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
