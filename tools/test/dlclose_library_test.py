#!/usr/bin/env python3
"""dlclose_library_test.py — a race found in a racecheck-built shared library survives the
library's dlclose (end to end with the real plugin and runtime). The program loads the library,
lets two threads race on its global, closes it (the library is really unloaded: its file is no
longer mapped), then does it all again with a new copy of the library, and exits. The run must not crash when it writes its record, the
program's output must be there, and the text and JSON reports must name the race's file, line
and function inside the library and its global, once (the second copy's race is the same pair of positions).

Usage: dlclose_library_test.py RACECHECK LIBRARY_SOURCE MAIN_SOURCE
"""

import json
import os
import re
import shutil
import sys
import tempfile

from tool_test_support import check, failures, run


def race_line(source):
    with open(source) as f:
        for number, text in enumerate(f, 1):
            if "RACE LINE" in text:
                return number
    raise SystemExit("no RACE LINE in " + source)


def check_build(tool, workdir, library_source, main_source, opt):
    library = os.path.join(workdir, "librace.so")
    program = os.path.join(workdir, "prog")
    for command in ([tool, "cc", "-g", opt, "-shared", "-fPIC", library_source, "-o", library],
                    [tool, "cc", "-g", opt, main_source, "-o", program, "-ldl"]):
        b = run(command, workdir)
        if b.returncode != 0:
            raise SystemExit(b.stderr.decode(errors="replace"))
    return program, library


def check_run(tool, workdir, program, library, line, opt):
    r = run([tool, "run", "--json", "out.json", "--", program, library], workdir)
    out, err = r.stdout.decode(errors="replace"), r.stderr.decode(errors="replace")
    check(r.returncode == 66, f"{opt}: exit {r.returncode}, want 66: {err[-2000:]}")
    check(re.search(r"round 1: counter [12], library unloaded", out) and
          re.search(r"round 2: counter [12], library unloaded", out),
          f"{opt}: the program's output, and a library really unloaded: {out!r}")
    check("internal check failed" not in err and "SIGSEGV" not in err,
          f"{opt}: the runtime did not crash: {err[-2000:]}")
    position = f"dlclose_race_lib.c:{line}"
    check(position in out + err, f"{opt}: the text report names {position}: {out + err!r}")
    try:
        with open(os.path.join(workdir, "out.json")) as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        check(False, f"{opt}: no JSON report: {e}")
        return
    races = [f for f in report["findings"] if f["kind"] == "data-race"]
    check(len(races) == 1, f"{opt}: one race, got {[f['kind'] for f in report['findings']]}")
    for finding in races:
        for access in finding["accesses"]:
            where = access["location"] or {}
            check(os.path.basename(where.get("file", "")) == "dlclose_race_lib.c" and
                  where.get("line") == line and where.get("function") == "bump",
                  f"{opt}: access at the library's line: {where}")
        check((finding.get("variable") or {}).get("name") == "library_counter",
              f"{opt}: the library's global is named: {finding.get('variable')}")


def main():
    if len(sys.argv) != 4:
        print(__doc__)
        return 2
    tool, library_source, main_source = (os.path.abspath(p) for p in sys.argv[1:])
    line = race_line(library_source)
    workdir = tempfile.mkdtemp(prefix="racecheck-dlclose-")
    try:
        for opt in ("-O0", "-O2"):
            program, library = check_build(tool, workdir, library_source, main_source, opt)
            check_run(tool, workdir, program, library, line, opt)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    if failures:
        print(f"{len(failures)} check(s) failed")
        return 1
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
