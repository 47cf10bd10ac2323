// compile_command.h — `racecheck cc` / `racecheck c++`: clang with the
// racecheck plugin, and the runtime when the command links. Usable as CC/CXX:
// the user's arguments pass through unchanged; racecheck only adds flags.
#pragma once

#include <string>
#include <vector>

#include "tool_paths.h"

namespace racecheck {

enum class SourceLanguage { C, Cxx };

// What the user's arguments ask clang to do, as far as racecheck cares.
struct CompileMode {
  bool query = false;             // --version, -dumpmachine, -print-*: pass through untouched
  bool preprocess = false;        // -E, -M, -MM: no code generated
  bool compiles = false;          // some input is a source file
  bool links = false;             // no -c/-S/-E/-M/-MM/-fsyntax-only
  bool shared = false;            // -shared or -r: the executable brings the runtime
  bool has_debug_option = false;  // some -g* option (the user chose)
};

CompileMode classify_compile_arguments(const std::vector<std::string> &args);

// The full command line (argv[0] is the compiler). Throws std::runtime_error
// naming the missing file when the plugin or the runtime is not there.
std::vector<std::string> build_compile_command(SourceLanguage language,
                                               const std::vector<std::string> &args,
                                               const ToolPaths &paths);

// Replaces the process with the compiler; returns only on failure (status).
int exec_compile_command(SourceLanguage language, const std::vector<std::string> &args);

}  // namespace racecheck
