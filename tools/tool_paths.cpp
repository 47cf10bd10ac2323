// tool_paths.cpp — locating the plugin, the runtime and clang.
#include "tool_paths.h"

#include <cstdlib>
#include <filesystem>

namespace racecheck {

ToolPaths find_tool_paths() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  fs::path lib = ec ? fs::path("lib") : (exe.parent_path() / ".." / "lib").lexically_normal();
  ToolPaths paths;
  paths.lib_dir = lib.string();
  paths.plugin = (lib / "racecheck.so").string();
  paths.runtime = (lib / "libracecheck_rt.a").string();
  paths.runtime_syms = (lib / "racecheck_rt.syms").string();
  paths.include_dir = (lib / ".." / "include").lexically_normal().string();
  return paths;
}

static std::string from_env(const char *name, const char *fallback) {
  const char *value = std::getenv(name);
  return value && *value ? value : fallback;
}

std::string c_compiler() { return from_env("RACECHECK_CLANG", RACECHECK_DEFAULT_CLANG); }
std::string cxx_compiler() { return from_env("RACECHECK_CLANGXX", RACECHECK_DEFAULT_CLANGXX); }

}  // namespace racecheck
