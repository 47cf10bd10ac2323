// fault_symbolizer.cpp — see fault_symbolizer.h.
#include "fault_symbolizer.h"

#include <elf.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "demangle.h"
#include "source_paths.h"

extern char **environ;

namespace racecheck {

uint64_t module_address(const std::string &module, uint64_t pc, uint64_t base) {
  std::ifstream in(module, std::ios::binary);
  unsigned char ident[EI_NIDENT + 2] = {};
  if (in.read(reinterpret_cast<char *>(ident), sizeof ident) &&
      std::string(reinterpret_cast<char *>(ident), 4) == ELFMAG) {
    uint16_t type = uint16_t(ident[EI_NIDENT] | (ident[EI_NIDENT + 1] << 8));  // little endian
    if (type == ET_EXEC) return pc;
  }
  return pc - base;
}

std::vector<SourceFrame> parse_symbolizer_output(const std::string &text) {
  std::vector<SourceFrame> frames;
  std::istringstream in(text);
  std::string function, where;
  while (std::getline(in, function) && !function.empty() && std::getline(in, where)) {
    SourceFrame f;
    f.mangled = function;
    f.function = demangle(function);
    // FILE:LINE:COLUMN, the file possibly holding ':' itself.
    size_t col = where.rfind(':');
    size_t line = col == std::string::npos ? std::string::npos : where.rfind(':', col - 1);
    if (line != std::string::npos) {
      f.file = where.substr(0, line);
      f.line = uint32_t(std::strtoul(where.c_str() + line + 1, nullptr, 10));
      f.column = uint32_t(std::strtoul(where.c_str() + col + 1, nullptr, 10));
    }
    if (function == "??" || f.file == "??" || f.line == 0) continue;
    f.file = display_path(f.file);
    frames.push_back(std::move(f));
  }
  for (size_t i = 0; i + 1 < frames.size(); ++i) frames[i].inlined = true;
  return frames;
}

namespace {

// Runs `argv` and returns its standard output ("" when it cannot start).
std::string output_of(const std::vector<std::string> &args) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) return "";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char *> argv;
  for (const std::string &a : args) argv.push_back(const_cast<char *>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  std::string text;
  if (rc == 0) {
    char buf[4096];
    ssize_t n;
    while ((n = ::read(pipe_fds[0], buf, sizeof buf)) > 0) text.append(buf, size_t(n));
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
  }
  ::close(pipe_fds[0]);
  return text;
}

}  // namespace

std::vector<SourceFrame> symbolize_address(const std::string &module, uint64_t address) {
  std::vector<std::string> candidates;
  if (const char *chosen = std::getenv("RACECHECK_SYMBOLIZER"); chosen && *chosen)
    candidates.push_back(chosen);
  candidates.push_back("llvm-symbolizer-19");
  candidates.push_back("llvm-symbolizer");
  char hex[32];
  std::snprintf(hex, sizeof hex, "0x%llx", static_cast<unsigned long long>(address));
  for (const std::string &tool : candidates) {
    std::string text = output_of({tool, "--inlines", "--no-demangle", "--obj=" + module, hex});
    if (!text.empty()) return parse_symbolizer_output(text);
  }
  return {};
}

}  // namespace racecheck
