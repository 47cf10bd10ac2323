// scratch_dir.h — a private temporary directory for one racecheck command
// (records, schedule files, captured output), removed with its contents.
#pragma once

#include <string>

namespace racecheck {

class ScratchDir {
 public:
  ScratchDir() = default;
  ~ScratchDir();
  ScratchDir(const ScratchDir &) = delete;
  ScratchDir &operator=(const ScratchDir &) = delete;

  // `in_memory`: prefer /dev/shm (tmpfs) unless TMPDIR is set, for the
  // files rewritten by every schedule of an exploration: truncating them on
  // a disk file system costs milliseconds under load. False after a message.
  bool create(bool in_memory = false);
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace racecheck
