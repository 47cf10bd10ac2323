// run_command.h — `racecheck run`: run an instrumented program under a chosen
// seed and strategy, then read its run record and report the findings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace racecheck {

struct RunOptions {
  std::optional<uint64_t> seed;
  std::optional<std::string> strategy;
  std::optional<uint64_t> preempt_budget;
  std::string json_path;    // "" none, "-" stdout
  std::string record_path;  // "" a temporary file (or racecheck-out/ with keep_record)
  bool keep_record = false;
  bool quiet = false;
  std::vector<std::string> command;  // program and its arguments
};

// Exit status: 66 with findings, else the program's own status (128+signal
// when it was killed), 2 when racecheck itself failed, 127 when the program
// could not be started.
int run_command(const RunOptions &options);

}  // namespace racecheck
