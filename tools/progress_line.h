// progress_line.h — the live progress line of `racecheck run --schedules`:
// on a terminal, one line on stderr rewritten in place (schedules done of
// total, schedules per second, distinct findings so far); nothing at all
// when stderr is not a terminal, so logs and CI output stay clean.
#pragma once

#include <chrono>
#include <cstdint>
#include <ostream>

namespace racecheck {

class ProgressLine {
 public:
  // Active when `terminal` (normally isatty(2)).
  ProgressLine(std::ostream &out, uint64_t total, bool terminal);
  // Redraws at most ~10 times a second, and always for the first and last.
  void update(uint64_t done, uint64_t findings);
  // Erases the line (before the report is printed).
  void clear();

 private:
  std::ostream &out_;
  uint64_t total_;
  bool active_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace racecheck
