#!/usr/bin/env python3
"""fork_server_test.py — the runtime's fork server (docs/fork-server.md) against one process per
schedule, with the real plugin and runtime.

  * Per schedule: for each TESTCASE (a race, a deadlock, a crash and a hang) and seeds 0..5, a child
    forked by the fork server must leave byte-identical files to a fresh process run with the same
    options: the run record, the schedule file, stdout and stderr, and the same exit status. The
    server is driven directly through its control pipes, as racecheck does.
  * Exploration: `racecheck run --schedules 6` with the fork server (default) and with
    --no-fork-server give the same exit status, report text, JSON and racecheck-out/ files; also
    with a regular file on stdin, which every schedule reads from its start.
  * Fallback: a program whose constructor starts a thread cannot be served; racecheck says so once
    and runs one process per schedule, with the same results as --no-fork-server.
  * A request may not change an option that took effect before main (preempt_budget): the child
    stops with status 2 and names it.

Usage: fork_server_test.py RACECHECK TESTCASE...   Exit status 0 on success, 1 on failure.
"""

import os
import shutil
import subprocess
import sys
import tempfile

TIMEOUT = 120
SEEDS = range(6)
REQUEST_FD, RESPONSE_FD = 250, 251
BASE_OPTIONS = "report=0:max_steps=20000"


class CheckFailure(Exception):
    pass


def compile_testcase(racecheck, source, workdir):
    binary = os.path.join(workdir, os.path.splitext(os.path.basename(source))[0])
    verb = "c++" if source.endswith(".cpp") else "cc"
    subprocess.run([racecheck, verb, "-g", "-O1", source, "-o", binary], check=True,
                   timeout=TIMEOUT)
    return binary


def read(path):
    with open(path, "rb") as f:
        return f.read()


def schedule_options(workdir, mode, seed):
    stem = os.path.join(workdir, f"{mode}{seed}")
    return stem, f"seed={seed}:record={stem}.record:schedule_out={stem}.schedule"


def outcome(stem, status):
    return {"status": status, "record": read(stem + ".record"), "schedule": read(stem + ".schedule"),
            "stdout": read(stem + ".stdout"), "stderr": read(stem + ".stderr")}


def exec_schedule(binary, workdir, seed):
    stem, options = schedule_options(workdir, "exec", seed)
    env = dict(os.environ, RACECHECK_OPTIONS=BASE_OPTIONS + ":" + options)
    with open(stem + ".stdout", "wb") as out, open(stem + ".stderr", "wb") as err:
        proc = subprocess.run([binary], env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                              cwd=workdir, timeout=TIMEOUT)
    return outcome(stem, proc.returncode)


class ServerClient:
    """The fork server protocol, as explore/fork_server_client.cpp speaks it."""

    def __init__(self, binary, workdir, options=BASE_OPTIONS):
        req_r, self.req_w = os.pipe()
        self.resp_r, resp_w = os.pipe()
        env = dict(os.environ, RACECHECK_OPTIONS=f"{options}:fork_server={REQUEST_FD},{RESPONSE_FD}")

        # The server's ends on the descriptors its option names (inheritable copies here,
        # closed again once it started).
        os.dup2(req_r, REQUEST_FD)
        os.dup2(resp_w, RESPONSE_FD)
        self.proc = subprocess.Popen([binary], env=env, stdin=subprocess.DEVNULL, cwd=workdir,
                                     pass_fds=(REQUEST_FD, RESPONSE_FD))
        for fd in (req_r, resp_w, REQUEST_FD, RESPONSE_FD):
            os.close(fd)
        self.responses = os.fdopen(self.resp_r, "r")
        self.hello = self.responses.readline().strip()

    def run(self, fields, options):
        os.write(self.req_w, ("run\t" + "\t".join(fields) + "\t" + options + "\n").encode())
        reply = self.responses.readline().split()
        if not reply or reply[0] != "status":
            raise CheckFailure(f"fork server reply {reply!r}")
        return int(reply[1]), reply

    def close(self):
        os.close(self.req_w)
        self.proc.wait(timeout=TIMEOUT)
        self.responses.close()


def wait_status_to_returncode(status):
    if os.WIFSIGNALED(status):
        return -os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


def check_schedules(binary, workdir):
    server = ServerClient(binary, workdir)
    if server.hello != "racecheck-fork-server 1 ready":
        raise CheckFailure(f"{binary}: server said {server.hello!r}")
    for seed in SEEDS:
        expected = exec_schedule(binary, workdir, seed)
        stem, options = schedule_options(workdir, "served", seed)
        status, reply = server.run(["/dev/null", stem + ".stdout", stem + ".stderr"], options)
        got = outcome(stem, wait_status_to_returncode(status))
        for key in expected:
            if expected[key] != got[key]:
                raise CheckFailure(f"{os.path.basename(binary)} seed {seed}: {key} differs\n"
                                   f"--- exec:\n{expected[key]!r}\n--- fork server:\n{got[key]!r}")
        if reply[2] != "1":
            raise CheckFailure(f"seed {seed}: the summary says no record was written: {reply}")
    server.close()
    if server.proc.returncode != 0:
        raise CheckFailure(f"the server exited with {server.proc.returncode}")


def explore(racecheck, binary, workdir, extra, stdin=None):
    out_dir = os.path.join(workdir, "racecheck-out")
    shutil.rmtree(out_dir, ignore_errors=True)
    json_path = os.path.join(workdir, "report.json")
    if os.path.exists(json_path):
        os.remove(json_path)
    with open(stdin, "rb") if stdin else open(os.devnull, "rb") as input_file:
        proc = subprocess.run([racecheck, "run", "--schedules", "6", *extra, "--json", "report.json",
                               binary], capture_output=True, cwd=workdir, timeout=TIMEOUT,
                              stdin=input_file, env=dict(os.environ, RACECHECK_OPTIONS="max_steps=20000"))
    files = {name: read(os.path.join(out_dir, name))
             for name in (sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else [])}
    return {"status": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
            "json": read(json_path) if os.path.exists(json_path) else b"", "files": files}


def compare_explorations(label, served, executed, ignore_note=False):
    if ignore_note:
        note = b"racecheck: note: no fork server (a constructor created a thread before main); " \
               b"running one process per schedule\n"
        if served["stderr"].count(note) != 1:
            raise CheckFailure(f"{label}: the fallback note is not printed once:\n"
                               f"{served['stderr'].decode(errors='replace')}")
        served = dict(served, stderr=served["stderr"].replace(note, b""))
    for key in executed:
        if served[key] != executed[key]:
            raise CheckFailure(f"{label}: {key} differs\n--- fork server:\n{served[key]!r}\n"
                               f"--- --no-fork-server:\n{executed[key]!r}")


CONSTRUCTOR_THREAD = r"""
#include <pthread.h>
#include <stdio.h>
static int counter;
static void *bump(void *unused) { (void)unused; counter++; return NULL; }
__attribute__((constructor)) static void start_early(void) {
  pthread_t t;
  pthread_create(&t, NULL, bump, NULL);
  pthread_join(t, NULL);
}
static void *racer(void *unused) { (void)unused; counter++; return NULL; }
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, racer, NULL);
  counter++;
  pthread_join(t, NULL);
  printf("%d\n", counter);
  return 0;
}
"""

PRINTS_ENVIRONMENT = r"""
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
static void *nothing(void *unused) { return unused; }
int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, nothing, NULL);
  pthread_join(t, NULL);
  printf("RACECHECK_OPTIONS=%s\n", getenv("RACECHECK_OPTIONS"));
  return 0;
}
"""

READS_STDIN = r"""
#include <pthread.h>
#include <stdio.h>
static long total;
static pthread_mutex_t total_lock = PTHREAD_MUTEX_INITIALIZER;
static void add_locked(long value) {
  pthread_mutex_lock(&total_lock);
  total += value;
  pthread_mutex_unlock(&total_lock);
}
static void *add(void *arg) { add_locked((long)arg); return NULL; }
int main(void) {
  long value = 0;
  if (scanf("%ld", &value) != 1) return 3;
  pthread_t t;
  pthread_create(&t, NULL, add, (void *)value);
  add_locked(value);
  pthread_join(t, NULL);
  printf("%ld\n", total);
  return 0;
}
"""


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    racecheck, testcases = os.path.abspath(sys.argv[1]), sys.argv[2:]
    failures = 0
    with tempfile.TemporaryDirectory(prefix="racecheck-fork-server-") as workdir:
        for source in testcases:
            name = os.path.basename(source)
            try:
                binary = compile_testcase(racecheck, os.path.abspath(source), workdir)
                check_schedules(binary, workdir)
                compare_explorations(name, explore(racecheck, binary, workdir, []),
                                     explore(racecheck, binary, workdir, ["--no-fork-server"]))
                print(f"ok   {name}")
            except (CheckFailure, subprocess.SubprocessError, OSError) as e:
                failures += 1
                print(f"FAIL {name}: {e}")

        extra_sources = {"constructor_thread.c": CONSTRUCTOR_THREAD, "reads_stdin.c": READS_STDIN,
                         "prints_environment.c": PRINTS_ENVIRONMENT}
        binaries = {}
        for file_name, text in extra_sources.items():
            path = os.path.join(workdir, file_name)
            with open(path, "w") as f:
                f.write(text)
            binaries[file_name] = compile_testcase(racecheck, path, workdir)

        checks = []

        def fallback():
            binary = binaries["constructor_thread.c"]
            server = ServerClient(binary, workdir)
            if not server.hello.startswith("racecheck-fork-server 1 refused: a constructor created"):
                raise CheckFailure(f"the server did not refuse: {server.hello!r}")
            server.close()
            compare_explorations("constructor thread", explore(racecheck, binary, workdir, []),
                                 explore(racecheck, binary, workdir, ["--no-fork-server"]),
                                 ignore_note=True)
        checks.append(("fallback when a constructor starts a thread", fallback))

        def stdin_file():
            binary = binaries["reads_stdin.c"]
            input_path = os.path.join(workdir, "input.txt")
            with open(input_path, "w") as f:
                f.write("21\n")
            served = explore(racecheck, binary, workdir, [], stdin=input_path)
            executed = explore(racecheck, binary, workdir, ["--no-fork-server"], stdin=input_path)
            compare_explorations("stdin file", served, executed)
            if served["status"] != 0 or b"WARNING" in served["stderr"]:
                raise CheckFailure("a schedule did not read the input from its start:\n"
                                   + served["stderr"].decode(errors="replace"))
        checks.append(("a regular file on stdin reaches every schedule", stdin_file))

        def startup_option():
            binary = binaries["reads_stdin.c"]
            server = ServerClient(binary, workdir)
            stem = os.path.join(workdir, "budget")
            status, _ = server.run(["/dev/null", stem + ".stdout", stem + ".stderr"],
                                   "seed=1:preempt_budget=7:record=" + stem + ".record")
            server.close()
            message = read(stem + ".stderr")
            if wait_status_to_returncode(status) != 2 or b"preempt_budget" not in message:
                raise CheckFailure(f"status {status}, stderr {message!r}")
            if os.path.exists(stem + ".record"):
                raise CheckFailure("a refused request wrote a record")
        checks.append(("a request cannot change preempt_budget", startup_option))

        def environment():
            # The same options and files both ways: the program (and whatever it starts) sees
            # the RACECHECK_OPTIONS a fresh process gets, without the server's fork_server.
            binary = binaries["prints_environment.c"]
            stem, options = schedule_options(workdir, "environment", 3)
            env = dict(os.environ, RACECHECK_OPTIONS=BASE_OPTIONS + ":" + options)
            fresh = subprocess.run([binary], env=env, capture_output=True, timeout=TIMEOUT,
                                   stdin=subprocess.DEVNULL).stdout
            server = ServerClient(binary, workdir)
            server.run(["/dev/null", stem + ".stdout", stem + ".stderr"], options)
            server.close()
            served = read(stem + ".stdout")
            if served != fresh or b"fork_server" in served:
                raise CheckFailure(f"fresh process: {fresh!r}, fork server child: {served!r}")
        checks.append(("a child's environment is a fresh process's", environment))

        for label, check in checks:
            try:
                check()
                print(f"ok   {label}")
            except (CheckFailure, subprocess.SubprocessError, OSError) as e:
                failures += 1
                print(f"FAIL {label}: {e}")
    if failures:
        print(f"{failures} check(s) failed")
        return 1
    print("all fork server checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
