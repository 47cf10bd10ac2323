// source_paths.cpp — shortening of recorded absolute source paths for reports.
#include "source_paths.h"

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <system_error>

namespace racecheck {
namespace {

namespace fs = std::filesystem;

// The working directory as the user sees it: $PWD keeps the symlinked
// spelling a shell shows (and clang records, as it also prefers $PWD), but
// only when it really names the working directory.
std::string working_directory() {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return "";
  if (const char *pwd = std::getenv("PWD"); pwd && fs::path(pwd).is_absolute()) {
    std::error_code same_ec;
    if (fs::equivalent(pwd, cwd, same_ec) && !same_ec) return pwd;
  }
  return cwd.string();
}

std::optional<std::string> &base_override() {
  static std::optional<std::string> base;
  return base;
}

}  // namespace

std::string path_relative_to(const std::string &file, const std::string &base) {
  fs::path f(file);
  fs::path b(base);
  if (base.empty() || !f.is_absolute() || !b.is_absolute()) return file;
  f = f.lexically_normal();
  b = b.lexically_normal();
  // Compare component by component so /src/app does not match /src/application.
  auto fi = f.begin();
  for (auto bi = b.begin(); bi != b.end(); ++bi) {
    if (bi->empty()) continue;  // trailing separator of "/a/b/"
    if (fi == f.end() || *fi != *bi) return file;
    ++fi;
  }
  fs::path relative;
  for (; fi != f.end(); ++fi) relative /= *fi;
  return relative.empty() ? file : relative.string();
}

void set_display_base(const std::string &directory) { base_override() = directory; }

const std::string &display_base() {
  std::optional<std::string> &base = base_override();
  if (!base) base = working_directory();
  return *base;
}

std::string display_path(const std::string &file) { return path_relative_to(file, display_base()); }

}  // namespace racecheck
