#!/usr/bin/env python3
"""scale_memory_test.py — racecheck's memory stays bounded on programs of a large scale (end to
end with the real plugin and runtime; memory, not time, is asserted):
  * 10,000 short threads (bench/programs_scale/many_threads.c): finished threads' clocks are
    dropped once joined, so peak memory stays far below what clocks as long as the number of
    threads would take (~720 MiB);
  * a 4 GiB malloc touched once per MiB (big_malloc.c): only what is touched gets shadow (the
    allocation's write and the free's check cover the block's ends), not GiBs;
  * a 256 MiB file mapping read by one thread (mmap_file.c): one shadow line per 512 bytes read,
    so peak memory stays near the mapping's own size (it was 2.1x).
Each run must also end with status 0 and no finding.

Usage: scale_memory_test.py RACECHECK MANY_THREADS_C BIG_MALLOC_C MMAP_FILE_C
"""

import os
import subprocess
import sys
import tempfile

MIB = 1024 * 1024


def peak_run(tool, args, workdir):
    """Runs `racecheck run` on args; returns (exit status, peak RSS of it and its children, MiB)."""
    proc = subprocess.Popen([tool, "run", "-q", "--no-confirm", "--"] + args, cwd=workdir,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    proc.stderr.read()
    return os.waitstatus_to_exitcode(status), usage.ru_maxrss / 1024


def build(tool, source, workdir):
    program = os.path.join(workdir, os.path.splitext(os.path.basename(source))[0])
    subprocess.run([tool, "cc", "-O2", "-pthread", source, "-o", program], check=True,
                   cwd=workdir, capture_output=True)
    return program


def main():
    tool, many_threads, big_malloc, mmap_file = sys.argv[1:5]
    failures = []
    with tempfile.TemporaryDirectory(prefix="racecheck-scale-") as workdir:
        data = os.path.join(workdir, "data.bin")
        with open(data, "wb") as f:
            chunk = bytes(range(256)) * 4096
            for _ in range(256):
                f.write(chunk)
        cases = [
            ("10,000 short threads", [build(tool, many_threads, workdir), "10000"], 300),
            ("4 GiB malloc touched per MiB", [build(tool, big_malloc, workdir), "4"], 300),
            ("256 MiB file mapping read once", [build(tool, mmap_file, workdir), data],
             256 * 1.5 + 64),
        ]
        for name, args, limit in cases:
            status, peak = peak_run(tool, args, workdir)
            print(f"{name}: exit {status}, peak {peak:.0f} MiB (limit {limit:.0f})")
            if status != 0:
                failures.append(f"{name}: exit status {status}, want 0")
            if peak > limit:
                failures.append(f"{name}: peak memory {peak:.0f} MiB, want <= {limit:.0f}")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
