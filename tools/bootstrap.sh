#!/usr/bin/env bash
# bootstrap.sh — the one entry point of a fresh checkout: installs missing Debian
# packages, configures and builds racecheck, then runs the demo or the test suite.
#   bash tools/bootstrap.sh demo   # instrument, run and report on tools/demo/bank.c
#   bash tools/bootstrap.sh test   # the whole test suite (ctest)
#   bash tools/bootstrap.sh build  # set up and build only
set -euo pipefail

verb=${1:-}
case "$verb" in demo|test|build) ;; *)
  echo "usage: bash tools/bootstrap.sh demo|test|build" >&2; exit 2 ;;
esac

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${RACECHECK_BUILD_DIR:-$root/build}
jobs=${RACECHECK_JOBS:-$(nproc)}

# Everything the build, the tests and the benchmarks use, by Debian package name.
packages=(clang-19 llvm-19-dev libclang-19-dev libclang-rt-19-dev llvm-19-tools
          libboost-graph-dev nlohmann-json3-dev libcli11-dev libgtest-dev libgmock-dev
          cmake ninja-build python3 binutils
          pmccabe clang-format-19  # layout.check's function sizes; the .clang-format files
          python3-jsonschema  # the SARIF test's schema validator
          autoconf automake make  # tools.install builds an autotools project with racecheck-cc
          python3-yaml  # tools.ci_recipes reads the YAML recipes of docs/ci.md
          gdb chromium)  # replay --gdb; the HTML report's test (headless)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "racecheck: installing missing packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -q
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q "${missing[@]}"
fi

if [ ! -f "$build/build.ninja" ]; then
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19
fi
cmake --build "$build" -j "$jobs"
# The SARIF 2.1.0 schema the SARIF test validates against, into the cache
# (the test is skipped, saying why, when it cannot be had).
bash "$root/tools/fetch_sarif_schema.sh" >/dev/null ||
  echo "racecheck: warning: could not fetch the SARIF schema (needs npm); tools.sarif will skip" >&2

case "$verb" in
  build) ;;
  demo)
    mkdir -p "$build/demo"
    "$build/bin/racecheck" cc -g -O1 "$root/tools/demo/bank.c" -o "$build/demo/bank"
    echo "racecheck: running the demo under racecheck (a data race is expected)"
    status=0
    "$build/bin/racecheck" run --seed 1 --json "$build/demo/bank.json" -- "$build/demo/bank" || status=$?
    if [ "$status" = 66 ]; then
      echo "racecheck: demo finished: findings reported (exit 66), JSON in $build/demo/bank.json"
    else
      echo "racecheck: demo expected findings (exit 66) but the run exited $status" >&2; exit 1
    fi ;;
  test)
    ctest --test-dir "$build" -j "$jobs" --output-on-failure ;;
esac
