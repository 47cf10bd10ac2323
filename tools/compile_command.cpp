// compile_command.cpp — builds and execs the instrumenting compiler command.
#include "compile_command.h"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <stdexcept>
#include <sys/stat.h>

namespace racecheck {
namespace {

bool starts_with(const std::string &s, const char *prefix) { return s.rfind(prefix, 0) == 0; }

bool ends_with(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_source_file(const std::string &arg) {
  static const char *const kExtensions[] = {".c",  ".cc", ".cpp", ".cxx", ".c++", ".C",
                                            ".cp", ".i",  ".ii",  ".m",   ".mm"};
  for (const char *ext : kExtensions)
    if (ends_with(arg, ext)) return true;
  return false;
}

// Options whose value is the next argument (so it is not an input file).
bool takes_separate_value(const std::string &arg) {
  static const char *const kOptions[] = {"-o",
                                         "-x",
                                         "-I",
                                         "-L",
                                         "-D",
                                         "-U",
                                         "-include",
                                         "-imacros",
                                         "-isystem",
                                         "-iquote",
                                         "-idirafter",
                                         "-isysroot",
                                         "--sysroot",
                                         "-MF",
                                         "-MT",
                                         "-MQ",
                                         "-Xlinker",
                                         "-Xclang",
                                         "-Xassembler",
                                         "-Xpreprocessor",
                                         "-target",
                                         "-arch",
                                         "-T",
                                         "-u",
                                         "-z",
                                         "-l",
                                         "-e",
                                         "-mllvm",
                                         "-Xarch_host",
                                         "-Xarch_device",
                                         "-iprefix",
                                         "-iwithprefix",
                                         "-iwithprefixbefore",
                                         "-isystem-after",
                                         "-cxx-isystem",
                                         "-working-directory",
                                         "-serialize-diagnostics"};
  for (const char *o : kOptions)
    if (arg == o) return true;
  return false;
}

bool file_exists(const std::string &path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

void require(const std::string &path, const char *what) {
  if (!file_exists(path))
    throw std::runtime_error(std::string("the racecheck ") + what + " is missing: " + path +
                             " (build racecheck completely, or reinstall it)");
}

}  // namespace

CompileMode classify_compile_arguments(const std::vector<std::string> &args) {
  CompileMode mode;
  bool stops_before_link = false;
  if (args.empty()) mode.query = true;
  if (args.size() == 1 && (args[0] == "-v" || args[0] == "--verbose")) mode.query = true;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &a = args[i];
    if (a == "--version" || a == "--help" || a == "-help" || starts_with(a, "-dump") ||
        starts_with(a, "-print-") || starts_with(a, "--print-")) {
      mode.query = true;
    } else if (a == "-E" || a == "-M" || a == "-MM") {
      mode.preprocess = true;
      stops_before_link = true;
    } else if (a == "-c" || a == "-S" || a == "-fsyntax-only") {
      stops_before_link = true;
    } else if (a == "-shared" || a == "-r") {
      mode.shared = true;
    } else if (a == "-x" && i + 1 < args.size()) {
      // An explicit language makes every later input a source file.
      if (args[i + 1] != "none") mode.compiles = true;
      ++i;
    } else if (starts_with(a, "-x") && a.size() > 2) {
      if (a != "-xnone") mode.compiles = true;
    } else if (starts_with(a, "-g") && !starts_with(a, "-gz") && a != "-gsplit-dwarf" &&
               a != "-gcolumn-info" && a != "-gno-column-info") {
      mode.has_debug_option = true;
    } else if (takes_separate_value(a)) {
      ++i;
    } else if (starts_with(a, "@")) {
      // A response file may hold sources; assume it does.
      mode.compiles = true;
    } else if (a == "-" || (!starts_with(a, "-") && is_source_file(a))) {
      mode.compiles = true;
    }
  }
  mode.links = !stops_before_link && !mode.query;
  return mode;
}

std::vector<std::string> build_compile_command(SourceLanguage language,
                                               const std::vector<std::string> &args,
                                               const ToolPaths &paths) {
  std::vector<std::string> cmd;
  cmd.push_back(language == SourceLanguage::C ? c_compiler() : cxx_compiler());
  CompileMode mode = classify_compile_arguments(args);
  if (mode.query) {
    cmd.insert(cmd.end(), args.begin(), args.end());
    return cmd;
  }
  // Sources see <racecheck/annotations.h> (after the user's own -I paths: it
  // is a system directory) and can guard its calls with __RACECHECK__, as
  // code guards TSan annotations with __SANITIZE_THREAD__.
  const bool sees_sources = mode.compiles || mode.preprocess;
  if (sees_sources) {
    cmd.push_back("-isystem");
    cmd.push_back(paths.include_dir);
    cmd.push_back("-D__RACECHECK__=1");
  }
  if (mode.preprocess) {
    cmd.insert(cmd.end(), args.begin(), args.end());
    return cmd;
  }
  if (mode.compiles) {
    require(paths.plugin, "compiler plugin");
    // -fplugin loads the frontend part, -fpass-plugin the IR pass.
    cmd.push_back("-fplugin=" + paths.plugin);
    cmd.push_back("-fpass-plugin=" + paths.plugin);
    // Reports need line numbers, and variable and field names come from the
    // debug types of globals; an explicit -g* of the user wins.
    if (!mode.has_debug_option) cmd.push_back("-g");
    // Clang reads -fsanitize-ignorelist only for its own sanitizers; the
    // plugin reads the same lists (fun:, src:, [thread]), as TSan users
    // expect of their build flags.
    for (const std::string &a : args)
      for (const char *flag : {"-fsanitize-ignorelist=", "-fsanitize-blacklist="})
        if (starts_with(a, flag)) {
          cmd.push_back("-mllvm");
          cmd.push_back("-racecheck-ignorelist=" + a.substr(std::strlen(flag)));
        }
  }
  cmd.insert(cmd.end(), args.begin(), args.end());
  if (mode.links && !mode.shared) {
    require(paths.runtime, "runtime");
    require(paths.runtime_syms, "runtime symbol list");
    // The whole archive: the interceptors must be linked even though nothing
    // references them; the dynamic list exports them so they override libc
    // for every module.
    cmd.push_back("-Wl,--whole-archive");
    cmd.push_back(paths.runtime);
    cmd.push_back("-Wl,--no-whole-archive");
    cmd.push_back("-Wl,--dynamic-list=" + paths.runtime_syms);
    cmd.push_back("-lpthread");
    cmd.push_back("-ldl");
  }
  return cmd;
}

int exec_compile_command(SourceLanguage language, const std::vector<std::string> &args) {
  std::vector<std::string> cmd;
  try {
    cmd = build_compile_command(language, args, find_tool_paths());
  } catch (const std::exception &e) {
    std::cerr << "racecheck: error: " << e.what() << "\n";
    return 2;
  }
  std::vector<char *> argv;
  for (std::string &s : cmd) argv.push_back(s.data());
  argv.push_back(nullptr);
  ::execv(argv[0], argv.data());
  std::cerr << "racecheck: error: cannot run the compiler '" << cmd[0]
            << "': " << std::strerror(errno)
            << " (set RACECHECK_CLANG / RACECHECK_CLANGXX to override)\n";
  return 127;
}

}  // namespace racecheck
