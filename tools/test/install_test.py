#!/usr/bin/env python3
"""install_test.py — racecheck as an installed package, used by other build systems.

  * `cmake --install BUILD --prefix P` puts the CLI (and its racecheck-cc/-c++ links), the plugin,
    the runtime and its symbol list, the public headers and the CMake package in P; the prefix is
    then moved elsewhere, so everything below also proves the install relocatable.
  * A CMake project (build_integration/CMakeLists.txt) configured with clang and
    find_package(racecheck): racecheck_instrument + racecheck_add_test; its ctest fails the racy
    program, the race in a -fPIC shared library (linked, and loaded with dlopen) and passes the
    clean one.
  * The same project with -DCMAKE_C_COMPILER=P/bin/racecheck-cc (no racecheck_instrument).
  * An autotools project (configure.ac, Makefile.am; autoreconf at test time) with CC=racecheck-cc:
    configure's checks (compile, -E, -M dependency tracking, run, -fPIC -shared) pass, make builds,
    and `racecheck run` finds the library's race through the linked and the dlopen'ed program.
  * A program built natively outside racecheck run renders its report with the installed tool.

Usage: install_test.py BUILD_DIR CLANG   Exit status 0 on success, 1 on failure.
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

from tool_test_support import check, failures

HERE = os.path.dirname(os.path.abspath(__file__))
PROJECT = os.path.join(HERE, "build_integration")
RACE_LINE = "data race"


def run(command, cwd, env=None, timeout=600):
    result = subprocess.run(command, cwd=cwd, capture_output=True, timeout=timeout,
                            stdin=subprocess.DEVNULL, env=env, text=True)
    return result


def must(result, what):
    if result.returncode != 0:
        print(result.stdout[-4000:], result.stderr[-4000:], sep="\n")
        raise SystemExit(f"FAIL: {what} exited {result.returncode}")
    return result


def install(build_dir, tmp):
    stage = os.path.join(tmp, "stage")
    must(run(["cmake", "--install", build_dir, "--prefix", stage], tmp), "cmake --install")
    prefix = os.path.join(tmp, "moved", "prefix")
    os.makedirs(os.path.dirname(prefix))
    shutil.move(stage, prefix)
    for path in ["bin/racecheck", "bin/racecheck-cc", "bin/racecheck-c++", "lib/racecheck.so",
                 "lib/libracecheck_rt.a", "lib/racecheck_rt.syms",
                 "include/racecheck/interface.h", "include/racecheck/annotations.h",
                 "lib/cmake/racecheck/racecheckConfig.cmake",
                 "lib/cmake/racecheck/racecheckConfigVersion.cmake"]:
        check(os.path.exists(os.path.join(prefix, path)), f"installed {path}")
    check(os.path.islink(os.path.join(prefix, "bin/racecheck-cc")) and
          os.readlink(os.path.join(prefix, "bin/racecheck-cc")) == "racecheck",
          "racecheck-cc is a relative link to racecheck")
    config = open(os.path.join(prefix, "lib/cmake/racecheck/racecheckConfig.cmake")).read()
    check(stage not in config and build_dir not in config,
          "the CMake package names no install-time or build-tree path")
    return prefix


def race_in(output, source):
    """Whether the report's first line is a data race in `source`."""
    return any(line.startswith("WARNING: racecheck: " + RACE_LINE) and
               re.search(r"[(/ ]" + re.escape(source) + ":", line)
               for line in output.splitlines())


def ctest_one(build, env, name):
    """(passed, output) of the project's ctest test `name`."""
    result = run(["ctest", "-R", f"^{name}$", "--output-on-failure", "--timeout", "300"],
                 build, env)
    check("out of 1" in result.stdout, f"ctest ran the one test {name}")
    return result.returncode == 0, result.stdout + result.stderr


def cmake_project(prefix, tmp, name, compiler, extra):
    build = os.path.join(tmp, name)
    env = dict(os.environ, CMAKE_PREFIX_PATH=prefix)
    must(run(["cmake", "-S", PROJECT, "-B", build, f"-DCMAKE_C_COMPILER={compiler}",
              "-DCMAKE_BUILD_TYPE=Debug", *extra], tmp, env), f"{name}: cmake configure")
    must(run(["cmake", "--build", build], tmp, env), f"{name}: cmake --build")
    for test, racy_file in (("racy", "racy.c"), ("clean", None), ("linked", "worker.c"),
                            ("dlopened", "worker.c")):
        passed, output = ctest_one(build, env, test)
        if racy_file:
            check(not passed and race_in(output, racy_file),
                  f"{name}: ctest {test} fails on the data race in {racy_file}:\n{output}")
        else:
            check(passed and RACE_LINE not in output, f"{name}: ctest {test} passes:\n{output}")
    return build


def autotools_project(prefix, tmp):
    src = os.path.join(tmp, "autotools")
    shutil.copytree(PROJECT, src)
    env = dict(os.environ)
    must(run(["autoreconf", "-i"], src, env), "autoreconf -i")
    cc = os.path.join(prefix, "bin", "racecheck-cc")
    configured = must(run(["./configure", f"CC={cc}", "CFLAGS=-O2 -g"], src, env), "./configure")
    for probe in ["checking whether the C compiler works... yes",
                  "checking how to run the C preprocessor",
                  "checking dependency style of", "checking for pthread.h... yes",
                  "checking whether a single-threaded program runs cleanly... yes",
                  "builds a -fPIC -shared library... yes"]:
        check(probe in configured.stdout, f"configure: {probe!r}")
    check("gcc3" in configured.stdout, "configure: gcc3-style (-M) dependency tracking")
    must(run(["make"], src, env), "make")
    check(os.path.exists(os.path.join(src, ".deps", "linkmain.Po")) and
          "linkmain.c" in open(os.path.join(src, ".deps", "linkmain.Po")).read(),
          "make: the dependency file of linkmain.o lists its source")
    racecheck = os.path.join(prefix, "bin", "racecheck")
    for program in (["./linkmain"], ["./dlmain", "./libworker.so"]):
        result = run([racecheck, "run", "--schedules", "4", "--", *program], src, env)
        check(result.returncode == 66 and race_in(result.stderr, "worker.c"),
              f"autotools: {program[0]} finds the library's race (exit {result.returncode})")
    # Natively, outside `racecheck run`: the runtime renders its report at exit.
    native = run(["./linkmain"], src, env)
    check(native.returncode == 66 and race_in(native.stderr, "worker.c"),
          f"autotools: a native run reports the race (exit {native.returncode})")


def main():
    build_dir, clang = os.path.abspath(sys.argv[1]), sys.argv[2]
    for tool in ("autoreconf", "make"):
        if shutil.which(tool) is None:
            raise SystemExit(f"FAIL: {tool} is not installed (tools/bootstrap.sh installs it)")
    tmp = tempfile.mkdtemp(prefix="racecheck-install-")
    try:
        prefix = install(build_dir, tmp)
        version = run([os.path.join(prefix, "bin", "racecheck-cc"), "--version"], tmp)
        check(version.returncode == 0 and "clang version" in version.stdout,
              "racecheck-cc --version is clang's")
        cmake_project(prefix, tmp, "cmake-instrument", clang, [])
        cmake_project(prefix, tmp, "cmake-racecheck-cc",
                      os.path.join(prefix, "bin", "racecheck-cc"), ["-DUSE_RACECHECK_CC=ON"])
        autotools_project(prefix, tmp)
    finally:
        if not failures:
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            print("kept " + tmp)
    print(f"install_test: {len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
