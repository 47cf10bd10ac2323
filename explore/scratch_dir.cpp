// scratch_dir.cpp — see scratch_dir.h.
#include "scratch_dir.h"

#include <stdlib.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "runtime_options.h"

namespace racecheck {

ScratchDir::~ScratchDir() {
  if (!path_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
}

bool ScratchDir::create(bool in_memory) {
  const char *tmp = std::getenv("TMPDIR");
  std::string dir = (tmp && *tmp && is_valid_option_value(tmp)) ? tmp : "/tmp";
  if (in_memory && !(tmp && *tmp) && ::access("/dev/shm", W_OK | X_OK) == 0) dir = "/dev/shm";
  std::string pattern = dir + "/racecheck-run-XXXXXX";
  if (!::mkdtemp(pattern.data())) {
    std::cerr << "racecheck: error: cannot create a temporary directory in " << dir << ": "
              << std::strerror(errno) << "\n";
    return false;
  }
  path_ = pattern;
  return true;
}

}  // namespace racecheck
