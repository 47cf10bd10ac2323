# lit configuration for the racecheck plugin tests (instrument/test).
# Run through ctest (instrument/CMakeLists.txt passes the --param values), or
# by hand:
#   lit.py -v --param racecheck_plugin=build/lib/racecheck.so \
#     --param llvm_tools_dir=/usr/lib/llvm-19/bin instrument/test
import os

import lit.formats

config.name = "racecheck-instrument"
config.test_format = lit.formats.ShTest(execute_external=True)
config.suffixes = [".ll", ".c", ".cpp"]
config.excludes = ["Inputs", "lit.cfg.py"]
config.test_source_root = os.path.dirname(__file__)


def param(name, default=None):
    value = lit_config.params.get(name, default)
    if value is None:
        lit_config.fatal("missing --param %s=..." % name)
    return value


tools_dir = param("llvm_tools_dir", "/usr/lib/llvm-19/bin")
plugin = os.path.abspath(param("racecheck_plugin"))
config.test_exec_root = param(
    "exec_root", os.path.join(os.path.dirname(plugin), "..", "instrument-tests"))

# FileCheck, not, count, llvm-nm, opt and clang from the LLVM the plugin was
# built against come first on PATH.
config.environment["PATH"] = os.pathsep.join(
    [tools_dir, config.environment.get("PATH", os.environ.get("PATH", ""))])
config.environment["LC_ALL"] = "C"

config.substitutions.append(("%plugin", plugin))
config.substitutions.append(("%opt", os.path.join(tools_dir, "opt")))
config.substitutions.append(
    ("%clangxx", param("clangxx", os.path.join(tools_dir, "clang++"))))
config.substitutions.append(
    ("%clang", param("clang", os.path.join(tools_dir, "clang"))))
# opt with the plugin loaded and only our pass in the pipeline.
config.substitutions.append(
    ("%racecheck-opt",
     "%s -load-pass-plugin=%s -passes=racecheck -S" %
     (os.path.join(tools_dir, "opt"), plugin)))
