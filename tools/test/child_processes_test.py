#!/usr/bin/env python3
"""child_processes_test.py — an instrumented program the program under test starts is checked
with it, end to end with the real plugin and runtime. Checks, for a child started with
system(), posix_spawn and fork+execv:
  * parent and child both race: one report holds both races (the child's named as child
    process 1 with its program), racecheck exits 66 once, and the parent sees the child's own
    exit status (7), not racecheck's 66;
  * the child is clean: the report holds the parent's race alone;
  * an exploration (--schedules) merges the child's race too;
  * an uninstrumented child (env, through system() and posix_spawn) sees no RACECHECK_*
    variable.

Usage: child_processes_test.py RACECHECK
"""

import json
import os
import subprocess
import sys
import tempfile

from tool_test_support import check, failures

CHILD = r"""
#include <pthread.h>
#include <string.h>

long child_counter;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int locked;

static void *bump(void *arg) {
  (void)arg;
  if (locked) pthread_mutex_lock(&lock);
  child_counter++;
  if (locked) pthread_mutex_unlock(&lock);
  return NULL;
}

int main(int argc, char **argv) {
  locked = argc > 1 && strcmp(argv[1], "clean") == 0;
  pthread_t a, b;
  pthread_create(&a, NULL, bump, NULL);
  pthread_create(&b, NULL, bump, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  return 7;
}
"""

PARENT = r"""
#include <pthread.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;
long parent_counter;

static void *bump(void *arg) {
  (void)arg;
  parent_counter++;
  return NULL;
}

int main(int argc, char **argv) {
  if (argc < 4) return 2;
  const char *how = argv[1], *child = argv[2], *mode = argv[3];
  pthread_t a, b;
  pthread_create(&a, NULL, bump, NULL);
  pthread_create(&b, NULL, bump, NULL);
  pthread_join(a, NULL);
  pthread_join(b, NULL);
  fflush(stdout);
  char *args[] = {(char *)child, (char *)mode, NULL};
  int status = -1;
  pid_t pid;
  if (strcmp(how, "system") == 0) {
    char command[4096];
    snprintf(command, sizeof command, "'%s' %s", child, mode);
    status = system(command);
  } else if (strcmp(how, "spawn") == 0) {
    if (posix_spawn(&pid, child, NULL, NULL, args, environ) == 0) waitpid(pid, &status, 0);
  } else if (strcmp(how, "forkexec") == 0) {
    pid = fork();
    if (pid == 0) {
      execv(child, args);
      _exit(127);
    }
    waitpid(pid, &status, 0);
  }
  printf("child exit %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  return 0;
}
"""

def build(tool, workdir, name, source):
    path = os.path.join(workdir, name + ".c")
    with open(path, "w") as f:
        f.write(source)
    binary = os.path.join(workdir, name)
    subprocess.run([tool, "cc", "-g", "-O1", "-pthread", path, "-o", binary], check=True,
                   timeout=120)
    return binary


def run(tool, workdir, args, json_name, extra=()):
    r = subprocess.run([tool, "run", *extra, "--json", json_name, "--", *args], cwd=workdir,
                       capture_output=True, stdin=subprocess.DEVNULL, timeout=120)
    races = []
    path = os.path.join(workdir, json_name)
    if os.path.exists(path):
        with open(path) as f:
            races = [(x["message"], x.get("process")) for x in json.load(f)["findings"]
                     if x["kind"] == "data-race"]
    return r, r.stderr.decode(errors="replace"), races


def started_child(tool, workdir, parent, child, how):
    r, err, races = run(tool, workdir, [parent, how, child, "race"], how + ".json")
    check(r.returncode == 66, f"{how}: exit status {r.returncode}: {err}")
    check(b"child exit 7" in r.stdout, f"{how}: the parent saw {r.stdout!r}")
    check(sorted(p or 0 for m, p in races) == [0, 1], f"{how}: the JSON races {races}")
    check(any("parent_counter" in m and p is None for m, p in races),
          f"{how}: the parent's race is not in the JSON: {races}")
    check(any("child_counter" in m and p == 1 for m, p in races),
          f"{how}: the child's race is not in the JSON as process 1: {races}")
    check(err.count("data race on child_counter") == 1,
          f"{how}: the child's race is printed {err.count('data race on child_counter')} times")
    check(err.count("data race on parent_counter") == 1,
          f"{how}: the parent's race is printed {err.count('data race on parent_counter')} times")
    check(f"child process 1 ({child})" in err, f"{how}: the child is not named: {err}")

    r, err, races = run(tool, workdir, [parent, how, child, "clean"], how + "-clean.json")
    check(r.returncode == 66, f"{how} clean: exit status {r.returncode}: {err}")
    check(b"child exit 7" in r.stdout, f"{how} clean: the parent saw {r.stdout!r}")
    check(len(races) == 1 and "parent_counter" in races[0][0],
          f"{how} clean: the JSON races {races}")


def explored(tool, workdir, parent, child):
    r, err, races = run(tool, workdir, [parent, "forkexec", child, "race"], "explored.json",
                        ["--schedules", "4", "--no-shrink"])
    check(r.returncode == 66, f"explore: exit status {r.returncode}: {err}")
    check(any("child_counter" in m and p == 1 for m, p in races),
          f"explore: the child's race is not merged: {races}")
    check(any("parent_counter" in m and p is None for m, p in races),
          f"explore: the parent's race is not merged: {races}")


def uninstrumented(tool, workdir, parent):
    env = subprocess.run(["sh", "-c", "command -v env"], capture_output=True, text=True)
    path = env.stdout.strip() or "/usr/bin/env"
    for how in ("system", "spawn"):
        r, err, _ = run(tool, workdir, [parent, how, path, "-0"], "env.json")
        check(r.returncode == 66, f"env {how}: exit status {r.returncode}: {err}")
        check(b"child exit 0" in r.stdout, f"env {how}: the parent saw {r.stdout!r}")
        check(b"PATH=" in r.stdout, f"env {how}: env printed no environment: {r.stdout!r}")
        check(b"RACECHECK_" not in r.stdout, f"env {how}: the child sees {r.stdout!r}")


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    tool = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="racecheck-children-") as workdir:
        child = build(tool, workdir, "child", CHILD)
        parent = build(tool, workdir, "parent", PARENT)
        for how in ("system", "spawn", "forkexec"):
            started_child(tool, workdir, parent, child, how)
        explored(tool, workdir, parent, child)
        uninstrumented(tool, workdir, parent)
    if failures:
        sys.exit(f"{len(failures)} failure(s)")
    print("ok")


if __name__ == "__main__":
    main()
