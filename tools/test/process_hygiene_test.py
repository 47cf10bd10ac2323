#!/usr/bin/env python3
"""process_hygiene_test.py — the program's processes and limits stay its own under racecheck,
end to end with the real plugin and runtime. Checks:
  * a forked child that only calls exit(0) after its parent's race exits 0 for its parent, and
    the parent's race is reported once (the child's record holds only the child's findings);
  * a program that lowers RLIMIT_AS to 512 MiB (its own budget) can still create threads under
    racecheck, and reads back the limit it set; its race is reported;
  * SIGTERM to a single `racecheck run` whose program races, then spins forever: racecheck
    reports the race (JSON too) within seconds, exits 66 and starts no shrinking run that
    would spin as long;
  * RACECHECK_OPTIONS is the runtime's: the program does not see it, nor does an instrumented
    copy of itself it starts with system(), which is checked with it through the runtime's
    private channel (its race joins the parent's report as child process 1, not written over
    the parent's record and lost) and ends with its own exit status.

Usage: process_hygiene_test.py RACECHECK
"""

import json
import os
import signal
import subprocess
import sys
import tempfile
import time

FORK = r"""
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

long counter;

static void *bump(void *arg) {
  (void)arg;
  counter++;
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, bump, NULL);
  pthread_create(&b, NULL, bump, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  fflush(stdout);
  pid_t child = fork();
  if (child == 0) exit(0);
  int status = -1;
  waitpid(child, &status, 0);
  printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
"""

RLIMIT = r"""
#include <pthread.h>
#include <stdio.h>
#include <sys/resource.h>

long counter;

static void *bump(void *arg) {
  (void)arg;
  counter++;
  return NULL;
}

int main(void) {
  struct rlimit limit = {512ul << 20, 512ul << 20};
  if (setrlimit(RLIMIT_AS, &limit) != 0) perror("setrlimit");
  struct rlimit read_back;
  getrlimit(RLIMIT_AS, &read_back);
  printf("limit %lu MiB\n", (unsigned long)(read_back.rlim_cur >> 20));
  pthread_t t[4];
  int failed = 0;
  for (int i = 0; i < 4; i++) failed += pthread_create(&t[i], NULL, bump, NULL) != 0;
  printf("threads failed %d\n", failed);
  for (int i = 0; i < 4 - failed; i++) pthread_join(t[i], NULL);
  return 0;
}
"""

SPIN = r"""
#include <pthread.h>
#include <stdio.h>

long counter;
volatile long spins;

static void *bump(void *arg) {
  (void)arg;
  counter++;
  return NULL;
}

int main(void) {
  pthread_t a, b;
  pthread_create(&a, NULL, bump, NULL);
  pthread_create(&b, NULL, bump, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  printf("ready\n");
  fflush(stdout);
  for (;;) spins++;
}
"""

SYSTEM = r"""
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

long parent_counter, child_counter;

static void *bump_parent(void *arg) { (void)arg; parent_counter++; return NULL; }
static void *bump_child(void *arg) { (void)arg; child_counter++; return NULL; }

int main(int argc, char **argv) {
  int child = argc > 1 && strcmp(argv[1], "child") == 0;
  pthread_t a, b;
  pthread_create(&a, NULL, child ? bump_child : bump_parent, NULL);
  pthread_create(&b, NULL, child ? bump_child : bump_parent, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  if (child) return 0;
  printf("options visible: %s\n", getenv("RACECHECK_OPTIONS") ? "yes" : "no");
  fflush(stdout);
  char command[4096];
  snprintf(command, sizeof command, "%s child", argv[0]);
  int status = system(command);
  printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
"""

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL: " + message)
    return condition


def build(tool, workdir, name, source):
    path = os.path.join(workdir, name + ".c")
    with open(path, "w") as f:
        f.write(source)
    binary = os.path.join(workdir, name)
    subprocess.run([tool, "cc", "-g", "-O1", "-pthread", path, "-o", binary], check=True,
                   timeout=120)
    return binary


def races(json_path):
    if not check(os.path.exists(json_path), f"no JSON report {os.path.basename(json_path)}"):
        return []
    with open(json_path) as f:
        return [f for f in json.load(f)["findings"] if f["kind"] == "data-race"]


def run(tool, workdir, binary, json_name):
    return subprocess.run([tool, "run", "--json", json_name, "--", binary], cwd=workdir,
                          capture_output=True, stdin=subprocess.DEVNULL, timeout=120)


def fork_child(tool, workdir):
    binary = build(tool, workdir, "fork_exit", FORK)
    r = run(tool, workdir, binary, "fork.json")
    err = r.stderr.decode(errors="replace")
    check(r.returncode == 66, f"fork: exit status {r.returncode}: {err}")
    check(b"child exit 0" in r.stdout, f"fork: the parent saw {r.stdout!r}")
    check(err.count("data race on counter") == 1,
          f"fork: the race is printed {err.count('data race on counter')} times")
    check(len(races(os.path.join(workdir, "fork.json"))) == 1, "fork: not one race in the JSON")


def address_limit(tool, workdir):
    binary = build(tool, workdir, "rlimit_as", RLIMIT)
    native = subprocess.run([binary], capture_output=True, timeout=30)
    check(b"threads failed 0" in native.stdout, f"rlimit: natively {native.stdout!r}")
    r = run(tool, workdir, binary, "rlimit.json")
    err = r.stderr.decode(errors="replace")
    check(r.returncode == 66, f"rlimit: exit status {r.returncode}: {err}")
    check(b"threads failed 0" in r.stdout, f"rlimit: the program printed {r.stdout!r}")
    check(b"limit 512 MiB" in r.stdout, f"rlimit: the limit read back: {r.stdout!r}")
    if r.returncode == 66:
        check(len(races(os.path.join(workdir, "rlimit.json"))) == 1, "rlimit: no race in JSON")


def terminated_spin(tool, workdir):
    binary = build(tool, workdir, "spin", SPIN)
    cli = subprocess.Popen([tool, "run", "--json", "spin.json", "--", binary], cwd=workdir,
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    check(cli.stdout.readline() == b"ready\n", "spin: the program did not start")
    time.sleep(0.5)
    start = time.monotonic()
    cli.send_signal(signal.SIGTERM)
    try:
        _, err = cli.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        cli.kill()
        _, err = cli.communicate()
        check(False, "spin: racecheck still ran 30 s after SIGTERM")
        return
    took = time.monotonic() - start
    check(took < 10, f"spin: racecheck took {took:.1f} s to end after SIGTERM")
    check(cli.returncode == 66, f"spin: exit status {cli.returncode}: "
          f"{err.decode(errors='replace')}")
    check(len(races(os.path.join(workdir, "spin.json"))) == 1, "spin: no race in the JSON")


def hidden_options(tool, workdir):
    binary = build(tool, workdir, "starts_itself", SYSTEM)
    r = run(tool, workdir, binary, "system.json")
    err = r.stderr.decode(errors="replace")
    check(r.returncode == 66, f"system: exit status {r.returncode}: {err}")
    check(b"options visible: no" in r.stdout, f"system: the program saw {r.stdout!r}")
    check("data race on child_counter" in err, f"system: the child's race was lost: {err}")
    check(b"child exit 0" in r.stdout, f"system: the parent saw {r.stdout!r}")
    found = sorted((f["message"], f.get("process", 0))
                   for f in races(os.path.join(workdir, "system.json")))
    check(len(found) == 2 and "child_counter" in found[0][0] and found[0][1] == 1 and
          "parent_counter" in found[1][0] and found[1][1] == 0, f"system: the JSON holds {found}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tool = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="racecheck-hygiene-") as workdir:
        fork_child(tool, workdir)
        address_limit(tool, workdir)
        terminated_spin(tool, workdir)
        hidden_options(tool, workdir)
    if failures:
        sys.exit(f"{len(failures)} failure(s)")
    print("ok")


if __name__ == "__main__":
    main()
