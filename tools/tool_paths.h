// tool_paths.h — where the racecheck executable finds its companions: the
// compiler plugin and the runtime live in <bindir>/../lib, the public
// headers in <bindir>/../include, in the build tree
// (build/bin, build/lib) and in an install (prefix/bin, prefix/lib) alike.
#pragma once

#include <string>

namespace racecheck {

struct ToolPaths {
  std::string lib_dir;
  std::string plugin;        // <lib>/racecheck.so
  std::string runtime;       // <lib>/libracecheck_rt.a
  std::string runtime_syms;  // <lib>/racecheck_rt.syms (exported interceptors)
  std::string include_dir;   // <lib>/../include (racecheck/annotations.h)
};

// Paths relative to the running executable (/proc/self/exe).
ToolPaths find_tool_paths();

// The compiler to run: env RACECHECK_CLANG / RACECHECK_CLANGXX, else the one
// configured at build time.
std::string c_compiler();
std::string cxx_compiler();

}  // namespace racecheck
