#!/usr/bin/env python3
"""fork_server_speed_test.py — what makes a fork-served schedule cheaper must not be visible to the
program (docs/fork-server.md, "What a served child costs"), with the real plugin and runtime.

  * CPU pinning: a served child's threads really run pinned to one CPU (the kernel mask of its
    first created thread has one CPU, with one server and with each of two, whose children use
    different CPUs; the program's own sched_setaffinity was only remembered), yet the program
    sees the mask racecheck had:
    sched_getaffinity / pthread_getaffinity_np of its threads, a mask it sets (remembered, and
    refused when empty, as by the kernel), the mask a new thread inherits, and the mask of a
    process it starts (system) are the same with and without the fork server. A fresh single
    run is pinned the same way (option pin_cpu). With fork_server_pin=0 the child is not
    pinned, as a fresh run with pin_cpu=0.
  * The server is its children's watchdog: a thread spinning in uninstrumented code is reported
    as a hang with the same report, record, exit status and files as one process per schedule
    (whose watchdog is a thread), also after the program called pthread_cancel (from then on the
    child runs the watchdog thread itself); and a served child has no watchdog thread while it is
    single-threaded (it starts one at its first pthread_create: only a thread in the process can
    take the run token from a thread blocked in the kernel).

Usage: fork_server_speed_test.py RACECHECK   Exit status 0 on success, 1 on failure.
"""

import os
import shutil
import subprocess
import sys
import tempfile

TIMEOUT = 120

AFFINITY = r"""
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void print_mask(const char *label, const cpu_set_t *mask) {
  printf("%s:", label);
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
    if (CPU_ISSET(cpu, mask)) printf(" %d", cpu);
  printf("\n");
}

/* The kernel's view (not through sched_getaffinity) on stderr, "real: LIST", when the test asks
 * (AFFINITY_REAL set): it differs with and without the fork server. */
static void print_real_mask(void) {
  if (!getenv("AFFINITY_REAL")) return;
  char buf[4096];
  int fd = open("/proc/thread-self/status", O_RDONLY);
  ssize_t n = fd < 0 ? -1 : read(fd, buf, sizeof buf - 1);
  if (fd >= 0) close(fd);
  buf[n > 0 ? n : 0] = 0;
  char *line = strstr(buf, "Cpus_allowed_list:");
  if (!line) return;
  line += strlen("Cpus_allowed_list:");
  line[strcspn(line, "\n")] = 0;
  fprintf(stderr, "real:%s\n", line);
}

static void *new_thread(void *unused) {
  print_real_mask(); /* a single-threaded served child is not pinned yet */
  cpu_set_t mask;
  sched_getaffinity(0, sizeof mask, &mask);
  print_mask("new thread, sched_getaffinity", &mask);
  pthread_getaffinity_np(pthread_self(), sizeof mask, &mask);
  print_mask("new thread, pthread_getaffinity_np", &mask);
  return unused;
}

int main(void) {
  cpu_set_t mask;
  sched_getaffinity(0, sizeof mask, &mask);
  print_mask("main, sched_getaffinity", &mask);
  pthread_getaffinity_np(pthread_self(), sizeof mask, &mask);
  print_mask("main, pthread_getaffinity_np", &mask);
  sched_getaffinity(getpid(), sizeof mask, &mask);
  print_mask("main, by process id", &mask);

  int last = -1;
  for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
    if (CPU_ISSET(cpu, &mask)) last = cpu;
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(last, &one);
  printf("set to the last CPU: %d\n", sched_setaffinity(0, sizeof one, &one));
  sched_getaffinity(0, sizeof mask, &mask);
  print_mask("main after set", &mask);

  pthread_t t;
  pthread_create(&t, NULL, new_thread, NULL);
  pthread_join(t, NULL);

  cpu_set_t none;
  CPU_ZERO(&none);
  int ret = sched_setaffinity(0, sizeof none, &none);
  printf("set to no CPU: %d %s\n", ret, ret != 0 && errno == EINVAL ? "EINVAL" : "?");
  printf("pthread_setaffinity_np to no CPU: %s\n",
         pthread_setaffinity_np(pthread_self(), sizeof none, &none) == EINVAL ? "EINVAL" : "?");
  fflush(stdout);
  return system("grep Cpus_allowed_list: /proc/self/status | sed 's/^/started process /'");
}
"""

SPIN = r"""
#include <pthread.h>
#include <stdio.h>
static void *spin(void *unused) {
  for (;;) __asm__ volatile("pause"); /* no instrumented event: never a scheduling point */
  return unused;
}
int main(void) {
#ifdef CANCEL_FIRST
  int old;
  pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
  pthread_cancel(pthread_self()); /* stays pending: cancellation is disabled */
#endif
  pthread_t t;
  pthread_create(&t, NULL, spin, NULL);
  pthread_join(t, NULL);
  puts("not reached");
  return 0;
}
"""

COUNTS_TASKS = r"""
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
/* Counted while both threads live (a joined thread's task may linger for a moment). */
static void *count_tasks(void *unused) {
  int tasks = 0;
  DIR *dir = opendir("/proc/self/task");
  for (struct dirent *e; dir && (e = readdir(dir));)
    tasks += e->d_name[0] != '.';
  if (dir) closedir(dir);
  fprintf(stderr, "tasks: %d\n", tasks);
  return unused;
}
int main(void) {
  count_tasks(NULL);
  pthread_t t;
  pthread_create(&t, NULL, count_tasks, NULL);
  pthread_join(t, NULL);
  return 0;
}
"""


class CheckFailure(Exception):
    pass


def read(path):
    with open(path, "rb") as f:
        return f.read()


def compile_source(racecheck, workdir, name, text, defines=()):
    source = os.path.join(workdir, name + ".c")
    with open(source, "w") as f:
        f.write(text)
    binary = os.path.join(workdir, name)
    subprocess.run([racecheck, "cc", "-g", "-O1", *defines, source, "-o", binary], check=True,
                   timeout=TIMEOUT)
    return binary


def explore(racecheck, binary, workdir, extra, options, schedules=4):
    """`racecheck run --schedules N`: exit status, report, and the files racecheck-out/ keeps."""
    out_dir = os.path.join(workdir, "racecheck-out")
    shutil.rmtree(out_dir, ignore_errors=True)
    proc = subprocess.run([racecheck, "run", "--schedules", str(schedules), *extra, binary],
                          capture_output=True, cwd=workdir, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL,
                          env=dict(os.environ, RACECHECK_OPTIONS=options))
    files = {name: read(os.path.join(out_dir, name))
             for name in (sorted(os.listdir(out_dir)) if os.path.isdir(out_dir) else [])}
    return {"status": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr,
            "files": files}


def run_served(binary, workdir, options, slot_options="", seed=0):
    """One schedule through a fork server driven directly (as racecheck does): (stdout, stderr,
    wait status)."""
    req_r, req_w = os.pipe()
    resp_r, resp_w = os.pipe()
    os.dup2(req_r, 250)
    os.dup2(resp_w, 251)
    env = dict(os.environ, RACECHECK_OPTIONS=f"{options}{slot_options}:fork_server=250,251",
               AFFINITY_REAL="1")
    proc = subprocess.Popen([binary], env=env, stdin=subprocess.DEVNULL, cwd=workdir,
                            pass_fds=(250, 251))
    for fd in (req_r, resp_w, 250, 251):
        os.close(fd)
    responses = os.fdopen(resp_r, "r")
    hello = responses.readline().strip()
    if hello != "racecheck-fork-server 1 ready":
        raise CheckFailure(f"server said {hello!r}")
    stem = os.path.join(workdir, f"served{seed}")
    os.write(req_w, f"run\t/dev/null\t{stem}.stdout\t{stem}.stderr\tseed={seed}\n".encode())
    reply = responses.readline().split()
    os.close(req_w)
    proc.wait(timeout=TIMEOUT)
    responses.close()
    if not reply or reply[0] != "status":
        raise CheckFailure(f"fork server reply {reply!r}")
    return read(stem + ".stdout"), read(stem + ".stderr"), int(reply[1])


def run_fresh(binary, workdir, options, seed=0):
    env = dict(os.environ, RACECHECK_OPTIONS=f"{options}:seed={seed}", AFFINITY_REAL="1")
    proc = subprocess.run([binary], env=env, capture_output=True, timeout=TIMEOUT,
                          stdin=subprocess.DEVNULL, cwd=workdir)
    return proc.stdout, proc.stderr, proc.returncode


def real_cpus(stderr):
    """The CPUs of the "real:" line (a Cpus_allowed_list such as "0-1" or "3")."""
    for line in stderr.decode().splitlines():
        if line.startswith("real:"):
            cpus = set()
            for part in line[len("real:"):].strip().split(","):
                low, _, high = part.partition("-")
                cpus.update(range(int(low), int(high or low) + 1))
            return cpus
    raise CheckFailure(f"no real: line in {stderr!r}")


def check_affinity(racecheck, workdir):
    binary = compile_source(racecheck, workdir, "affinity", AFFINITY)
    allowed = os.sched_getaffinity(0)
    options = "report=0"
    fresh_out, fresh_err, fresh_status = run_fresh(binary, workdir, options)
    expected_mask = "main, sched_getaffinity: " + " ".join(str(c) for c in sorted(allowed))
    if expected_mask.encode() not in fresh_out:
        raise CheckFailure(f"a fresh process does not see {expected_mask!r}:\n{fresh_out!r}")
    pinned_to = []
    # A single server (no slot: the child pins itself), then the servers of two --jobs slots.
    for slot in (0, 1, 2):
        out, err, status = run_served(binary, workdir, options, f":fork_server_slot={slot}")
        if out != fresh_out or os.waitstatus_to_exitcode(status) != fresh_status:
            raise CheckFailure(f"slot {slot}: the program saw another mask than a fresh process:\n"
                               f"--- fresh:\n{fresh_out.decode()}\n--- served:\n{out.decode()}")
        cpus = real_cpus(err)
        if len(allowed) > 1 and len(cpus) != 1:
            raise CheckFailure(f"slot {slot}: the served child is not pinned (CPUs {cpus})")
        pinned_to.append(cpus)
    if len(allowed) > 1 and pinned_to[1] == pinned_to[2]:
        raise CheckFailure(f"slots 1 and 2 are pinned to the same CPU {pinned_to[1]}")
    # A fresh single run pins itself too (option pin_cpu), unseen by the program.
    if len(allowed) > 1 and len(real_cpus(fresh_err)) != 1:
        raise CheckFailure(f"a fresh run is not pinned (CPUs {real_cpus(fresh_err)})")
    # Unpinned, the program's sched_setaffinity is applied for real, as in a fresh process
    # run with pin_cpu=0.
    unpinned_out, unpinned_err, _ = run_fresh(binary, workdir, options + ":pin_cpu=0")
    out, err, _ = run_served(binary, workdir, options + ":fork_server_pin=0")
    if out != unpinned_out or out != fresh_out or real_cpus(err) != real_cpus(unpinned_err):
        raise CheckFailure(f"fork_server_pin=0: real CPUs {real_cpus(err)}, expected "
                           f"{real_cpus(unpinned_err)}")
    # Through racecheck run, with two servers: the same report and files as without them.
    for jobs in ("1", "2"):
        served = explore(racecheck, binary, workdir, ["--jobs", jobs], "")
        executed = explore(racecheck, binary, workdir, ["--jobs", jobs, "--no-fork-server"], "")
        if served != executed:
            raise CheckFailure(f"--jobs {jobs}: racecheck run differs with the fork server:\n"
                               f"{served!r}\n{executed!r}")


def check_watchdog(racecheck, workdir):
    options = "watchdog_seconds=1"
    for name, defines in (("spin", []), ("spin_after_cancel", ["-DCANCEL_FIRST"])):
        binary = compile_source(racecheck, workdir, name, SPIN, defines)
        served = explore(racecheck, binary, workdir, [], options, schedules=2)
        executed = explore(racecheck, binary, workdir, ["--no-fork-server"], options, schedules=2)
        if served != executed:
            raise CheckFailure(f"{name}: the hang differs with the fork server:\n"
                               f"--- fork server:\n{served!r}\n--- one process per schedule:\n"
                               f"{executed!r}")
        if (served["status"] != 66 or
                b"without reaching a scheduling point" not in served["stderr"]):
            raise CheckFailure(f"{name}: no hang reported:\n{served['stderr'].decode()}")
    binary = compile_source(racecheck, workdir, "counts_tasks", COUNTS_TASKS)
    _, fresh_err, _ = run_fresh(binary, workdir, "report=0")
    _, served_err, _ = run_served(binary, workdir, "report=0")
    # Main alone, then main and the counting thread; a fresh process has its watchdog thread from
    # main on, a served child from its first pthread_create.
    if fresh_err != b"tasks: 2\ntasks: 3\n" or served_err != b"tasks: 1\ntasks: 3\n":
        raise CheckFailure(f"tasks: fresh process {fresh_err!r}, served child {served_err!r}")


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    racecheck = os.path.abspath(sys.argv[1])
    failures = 0
    with tempfile.TemporaryDirectory(prefix="racecheck-fork-server-speed-") as workdir:
        for label, check in (("CPU pinning is invisible to the program", check_affinity),
                             ("the server is its children's watchdog", check_watchdog)):
            try:
                check(racecheck, workdir)
                print(f"ok   {label}")
            except (CheckFailure, subprocess.SubprocessError, OSError) as e:
                failures += 1
                print(f"FAIL {label}: {e}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
