// schedule_file.h — the header of a schedule file (docs/schedule-format.md),
// as `racecheck replay` needs it: which program to start again and with
// which arguments. The decisions themselves are read and checked by the
// runtime (runtime/src/record/schedule_reader.c), which replays them.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace racecheck {

struct ScheduleHeader {
  int format_version = 0;
  std::string tool_version;
  std::string binary;             // identity of the executable
  std::string program;            // absolute path of the executable
  std::vector<std::string> argv;  // argv[0] included, byte-exact
  std::string strategy;
  uint64_t seed = 0;
};

class ScheduleError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Throws ScheduleError naming the file and line.
ScheduleHeader read_schedule_header(const std::string &path);

// The quoted-string escaping of the format: \\ \" and \xHH (the runtime's
// writer uses the same rules). unquote throws std::invalid_argument.
std::string quote_schedule_string(const std::string &value);
std::string unquote_schedule_string(const std::string &quoted);

}  // namespace racecheck
