#!/usr/bin/env python3
"""e2e_test.py — the racecheck CLI with the real plugin and runtime (ctest
`tools.e2e`): builds tools/demo/bank.c with `racecheck cc`, runs it with
`racecheck run` and directly (the runtime then calls `racecheck report`), and
checks the findings, the exit statuses and that a seed reproduces its report.
Small programs written here check what needs the whole chain: source paths
(absolute in the record, relative to the working directory in reports), C++
static initialisers leaving no frame behind, and races on freed heap memory.
"""
import json
import os
import subprocess
import sys
import tempfile
import unittest

RACECHECK = None
DEMO = None


class EndToEnd(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="racecheck-e2e-")
        cls.program = os.path.join(cls.tmp.name, "bank")
        r = subprocess.run([RACECHECK, "cc", "-O1", DEMO, "-o", cls.program],
                           capture_output=True, text=True, timeout=300)
        if r.returncode != 0:
            raise AssertionError("racecheck cc failed: " + r.stderr)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def run_racecheck(self, *args):
        return subprocess.run([RACECHECK, "run", *args], capture_output=True, text=True,
                              timeout=120, cwd=self.tmp.name)

    def test_run_reports_the_race(self):
        out = os.path.join(self.tmp.name, "a.json")
        r = self.run_racecheck("--seed", "1", "--json", out, "--", self.program)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertRegex(r.stderr, r"WARNING: racecheck: data race on checking\S* \(\S*bank\.c:20 vs \S*bank\.c:20\)")
        self.assertIn("SUMMARY: racecheck: 1 data race(s), 0 deadlock(s) (seed 1, strategy random", r.stderr)
        self.assertIn("balance 3000", r.stdout)
        with open(out) as f:
            doc = json.load(f)
        race = doc["findings"][0]
        self.assertEqual(race["kind"], "data-race")
        self.assertEqual(race["accesses"][0]["location"]["line"], 20)
        self.assertEqual(race["variable"]["kind"], "global")

    def test_same_seed_same_report(self):
        reports = []
        for i in range(2):
            out = os.path.join(self.tmp.name, "seed%d.json" % i)
            r = self.run_racecheck("--seed", "7", "--json", out, "--", self.program)
            self.assertEqual(r.returncode, 66, r.stderr)
            with open(out) as f:
                reports.append((r.stderr, f.read()))
        self.assertEqual(reports[0], reports[1])

    def test_paths_are_relative_to_the_working_directory_when_under_it(self):
        demo_dir = os.path.dirname(DEMO)
        out = os.path.join(self.tmp.name, "paths.json")
        # From the directory above the demo: a relative path. (--out: the schedule file of
        # the finding goes to the temporary directory, not into the source tree.)
        r = subprocess.run([RACECHECK, "run", "--seed", "1", "--json", out,
                            "--out", os.path.join(self.tmp.name, "out"), "--", self.program],
                           capture_output=True, text=True, timeout=120,
                           cwd=os.path.dirname(demo_dir))
        self.assertEqual(r.returncode, 66, r.stderr)
        relative = os.path.join(os.path.basename(demo_dir), "bank.c")
        self.assertIn("(%s:20 vs %s:20)" % (relative, relative), r.stderr)
        with open(out) as f:
            self.assertEqual(json.load(f)["findings"][0]["accesses"][0]["location"]["file"],
                             relative)
        # From elsewhere (the temporary directory): the absolute path.
        r = self.run_racecheck("--seed", "1", "--json", out, "--", self.program)
        self.assertIn("(%s:20 vs %s:20)" % (DEMO, DEMO), r.stderr)
        with open(out) as f:
            self.assertEqual(json.load(f)["findings"][0]["accesses"][0]["location"]["file"], DEMO)

    def build(self, name, source, verb="cc", flags=()):
        path = os.path.join(self.tmp.name, name)
        with open(path, "w") as f:
            f.write(source)
        program = os.path.splitext(path)[0]
        r = subprocess.run([RACECHECK, verb, "-g", "-O1", "-pthread", *flags, path, "-o", program],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        return program

    def test_static_initialisers_leave_no_frame_on_the_main_thread(self):
        # The dynamic initialiser of `table` calls __cxa_atexit (not
        # instrumented); main must not inherit that call's position.
        program = self.build("global_init.cpp", """
#include <pthread.h>
#include <vector>
std::vector<int> table(4);
long counter;
static void *work(void *) { counter++; return nullptr; }
int main() {
  pthread_t a, b;
  pthread_create(&a, nullptr, work, nullptr);
  pthread_create(&b, nullptr, work, nullptr);
  pthread_join(a, nullptr);
  pthread_join(b, nullptr);
  return (int)table.size() - 4;
}
""", verb="c++")
        r = self.run_racecheck("--seed", "0", "--", program)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("created by T0 at:\n    #0 main global_init.cpp:", r.stderr)
        self.assertNotIn("global_var_init", r.stderr)
        self.assertNotIn("_GLOBAL__sub_I", r.stderr)
        self.assertNotIn("uninstrumented", r.stderr)

    def test_read_of_freed_block_names_the_free(self):
        program = self.build("late_read.c", """
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
static atomic_int released;
static void *read_late(void *arg) {
  const long *totals = arg;
  while (!atomic_load_explicit(&released, memory_order_relaxed))
    ;
  return (void *)totals[1];
}
int main(void) {
  long *totals = calloc(64, sizeof *totals);
  pthread_t reader;
  pthread_create(&reader, NULL, read_late, totals);
  free(totals);
  atomic_store_explicit(&released, 1, memory_order_relaxed);
  pthread_join(reader, NULL);
  return 0;
}
""")
        out = os.path.join(self.tmp.name, "late_read.json")
        r = self.run_racecheck("--seed", "0", "--json", out, "--", program)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("data race on heap block of size 512 at offset 8, freed by thread T0 at "
                      "late_read.c:16 (late_read.c:10 vs late_read.c:16)", r.stderr)
        self.assertIn("  and freed by thread T0 at:\n    #0 main late_read.c:16:", r.stderr)
        with open(out) as f:
            variable = json.load(f)["findings"][0]["variable"]
        self.assertTrue(variable["freed"])
        self.assertEqual(variable["freed_by"], "T0")
        self.assertEqual(variable["freed_at"]["line"], 16)
        self.assertEqual(variable["free_stack"][0]["function"], "main")

    def test_race_in_fortified_call_is_headlined_at_the_callers_line(self):
        # At -O2 with _FORTIFY_SOURCE=2, memcpy is glibc's inline wrapper in
        # bits/string_fortified.h calling __memcpy_chk: the headline names
        # the user's memcpy line, the stack keeps the header's frame.
        program = self.build("fortified.c", """
#include <pthread.h>
#include <string.h>
char record[64] = "initial record";
volatile size_t length = 15;
static void *copier(void *out) {
  memcpy(out, record, length);
  return NULL;
}
int main(void) {
  char copy[64];
  pthread_t t;
  pthread_create(&t, NULL, copier, copy);
  record[3] = 'T';
  pthread_join(t, NULL);
  return 0;
}
""", flags=("-O2", "-U_FORTIFY_SOURCE", "-D_FORTIFY_SOURCE=2"))
        r = self.run_racecheck("--seed", "0", "--", program)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("data race on record[3] (fortified.c:7 vs fortified.c:14)", r.stderr)
        self.assertIn("string_fortified.h", r.stderr)  # the stack's innermost frame

    def test_graph_writes_dot_and_renders_svg_with_a_dot_on_path(self):
        """--graph writes the lock-order cycle as DOT and, when Graphviz's dot
        is on PATH, renders FILE.svg (a fake dot stands in for Graphviz)."""
        source = os.path.join(self.tmp.name, "abba.c")
        with open(source, "w") as f:
            f.write("#include <pthread.h>\n"
                    "pthread_mutex_t first = PTHREAD_MUTEX_INITIALIZER;\n"
                    "pthread_mutex_t second = PTHREAD_MUTEX_INITIALIZER;\n"
                    "static void *other(void *arg) {\n"
                    "  pthread_mutex_lock(&second);\n"
                    "  pthread_mutex_lock(&first);\n"
                    "  pthread_mutex_unlock(&first);\n"
                    "  pthread_mutex_unlock(&second);\n"
                    "  return arg;\n"
                    "}\n"
                    "int main(void) {\n"
                    "  pthread_t t;\n"
                    "  pthread_create(&t, 0, other, 0);\n"
                    "  pthread_mutex_lock(&first);\n"
                    "  pthread_mutex_lock(&second);\n"
                    "  pthread_mutex_unlock(&second);\n"
                    "  pthread_mutex_unlock(&first);\n"
                    "  pthread_join(t, 0);\n"
                    "  return 0;\n"
                    "}\n")
        program = os.path.join(self.tmp.name, "abba")
        r = subprocess.run([RACECHECK, "cc", "-O1", source, "-o", program],
                           capture_output=True, text=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr)
        fake_bin = os.path.join(self.tmp.name, "fakebin")
        os.makedirs(fake_bin, exist_ok=True)
        with open(os.path.join(fake_bin, "dot"), "w") as f:
            # writes its arguments to the -o file, so the test sees the call
            f.write("#!/bin/sh\nfor a in \"$@\"; do case $a in -o*) out=${a#-o};; esac; done\n"
                    "echo \"$@\" > \"$out\"\n")
        os.chmod(os.path.join(fake_bin, "dot"), 0o755)
        env = dict(os.environ, PATH=fake_bin + os.pathsep + os.environ.get("PATH", ""))
        graph = os.path.join(self.tmp.name, "cycles.dot")
        r = subprocess.run([RACECHECK, "run", "--no-confirm", "--graph", graph, "--", program],
                           capture_output=True, text=True, timeout=120, cwd=self.tmp.name, env=env)
        self.assertEqual(r.returncode, 66, r.stderr)
        with open(graph) as f:
            dot = f.read()
        self.assertIn("digraph", dot)
        self.assertIn("mutex 'first'", dot)
        self.assertIn("mutex 'second'", dot)
        with open(os.path.join(self.tmp.name, "cycles.svg")) as f:
            self.assertIn("-Tsvg", f.read())

    def test_direct_run_renders_through_report(self):
        env = dict(os.environ, RACECHECK_OPTIONS="seed=1")
        r = subprocess.run([self.program], capture_output=True, text=True, timeout=120, env=env)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("WARNING: racecheck: data race on checking", r.stderr)
        self.assertIn("SUMMARY: racecheck:", r.stderr)

    POLITE_BACKOFF = """
#include <pthread.h>
#ifdef __RACECHECK__ /* set by racecheck cc, which also finds the header */
#include <racecheck/annotations.h>
#endif
#include <stdatomic.h>
static atomic_int started; /* both threads start together */
static pthread_mutex_t left = PTHREAD_MUTEX_INITIALIZER, right = PTHREAD_MUTEX_INITIALIZER;
static void *transfer(void *arg) {
  pthread_mutex_t *first = arg ? &left : &right, *second = arg ? &right : &left;
  while (!atomic_load(&started))
    ;
  for (int attempt = 0; attempt < 100000; attempt++) {
    pthread_mutex_lock(first);
    if (pthread_mutex_trylock(second) == 0) {
      pthread_mutex_unlock(second);
      pthread_mutex_unlock(first);
      return 0;
    }
    pthread_mutex_unlock(first);
#ifdef WITH_PROGRESS
    racecheck_progress(); /* e.g. the back-off moved an external queue on */
#endif
  }
  return 0;
}
int main(void) {
  pthread_t a, b;
  pthread_create(&a, 0, transfer, (void *)1);
  pthread_create(&b, 0, transfer, 0);
  atomic_store(&started, 1);
  pthread_join(a, 0);
  pthread_join(b, 0);
  return 0;
}
"""

    def test_racecheck_progress_restarts_livelock_detection(self):
        # Seed 3 is a lock-step schedule, where this polite back-off livelocks;
        # the same loop calling racecheck_progress() is not reported.
        plain = self.build("polite.c", self.POLITE_BACKOFF)
        r = self.run_racecheck("--seed", "3", "--", plain)
        self.assertEqual(r.returncode, 66, r.stderr)
        self.assertIn("WARNING: racecheck: livelock:", r.stderr)
        annotated = self.build("polite_progress.c", self.POLITE_BACKOFF,
                               flags=("-DWITH_PROGRESS",))
        r = self.run_racecheck("--seed", "3", "--", annotated)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertNotIn("livelock", r.stderr)


def main():
    global RACECHECK, DEMO
    RACECHECK = os.path.abspath(sys.argv[1])
    DEMO = os.path.abspath(sys.argv[2])
    unittest.main(argv=[sys.argv[0]], verbosity=2)


if __name__ == "__main__":
    main()
