// finding_files.h — the files `racecheck run` keeps for its findings in the
// output directory (racecheck-out/ or --out): finding-N.schedule, numbered
// in report order, and the captured output of a finding's schedule. The
// first file kept removes the finding-N/output-N/reference files of an
// earlier run, so none is mistaken for this run's.
//
// The directory is never reached through a symbolic link racecheck did not
// make: an existing output directory that is a link is refused, the
// directories racecheck creates are opened without following links, and
// every file is removed and created through the directory's descriptor
// without following links, so a planted link cannot make racecheck delete or
// overwrite a file elsewhere.
#pragma once

#include <string>

namespace racecheck {

// For a file someone else writes into the output directory (the runtime
// writes a kept record): creates dir as FindingFiles does (never through a
// link) and removes any entry `name` in it (a planted link included, never
// its target). false after a message.
bool prepare_output_file(const std::string &dir, const std::string &name);

// Where the input a schedule's runs read is kept: finding-N.stdin beside
// finding-N.schedule (any other name gets ".stdin" added).
std::string replay_stdin_path(const std::string &schedule);

class FindingFiles {
 public:
  // `stdin_copy`: the input every run read ("" none); each schedule file
  // kept gets a copy beside it (finding-N.stdin) for `replay` to feed.
  explicit FindingFiles(std::string dir, std::string stdin_copy = "")
      : dir_(std::move(dir)), stdin_copy_(std::move(stdin_copy)) {}
  ~FindingFiles();
  FindingFiles(const FindingFiles &) = delete;
  FindingFiles &operator=(const FindingFiles &) = delete;

  // Copies a schedule file in as the next finding-N.schedule. Returns the
  // new file's path, or "" after a message.
  std::string save(const std::string &schedule);

  // Copies a schedule file in under the given name
  // (finding-N-deadlock.schedule), with the input beside it. Returns the new file's path, or ""
  // after a message.
  std::string keep(const std::string &from, const std::string &name);

  // Copies one run's captured output into the directory as <stem>.stdout
  // and <stem>.stderr (next to the schedule file of the same stem).
  // Returns the common path prefix of the two files, or "" when not written.
  std::string keep_output(const std::string &stem, const std::string &out, const std::string &err);

 private:
  // Creates the directory and removes the previous run's files, once.
  bool prepare();
  // Copies the file at from to a new file `name` of the directory (an old
  // one removed first); false after a message.
  bool copy_in(const std::string &from, const std::string &name);
  // copy_in of a schedule file, and of the input beside it.
  bool copy_schedule_in(const std::string &from, const std::string &name);

  std::string dir_;
  std::string stdin_copy_;
  int dir_fd_ = -1;
  int next_ = 1;
  bool prepared_ = false;
  bool failed_ = false;
};

}  // namespace racecheck
