// run_command.h — `racecheck run`: run an instrumented program under a chosen
// seed and strategy, then read its run record and report the findings; with
// --schedules/--seed-range, explore many schedules and merge the findings
// (explore/exploration.h). Every finding comes with the schedule file that
// reproduces it (`racecheck replay FILE`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "report_files.h"
#include "run_options.h"

namespace racecheck {

struct RunCommandOptions {
  RunOptions run;         // what to run (explore/run_options.h)
  std::string json_path;  // "" none, "-" stdout
  bool quiet = false;
  std::string graph_path;  // "": none; write the lock-order cycles as DOT
  ReportFiles files;       // --sarif, --junit, --baseline
  std::string html_path;   // "": none; the HTML report
};

// Exit status: 66 with findings, else the program's own status (128+signal
// when it was killed), 2 when racecheck itself failed, 127 when the program
// could not be started. Exploration: 66 with findings, else 0.
int run_command(const RunCommandOptions &options);

struct ReplayOptions {
  std::string schedule_path;
  std::string json_path;  // "" none, "-" stdout
  bool quiet = false;
  ReportFiles files;              // --sarif, --junit, --baseline
  std::string suppressions_path;  // "": none (suppressions.h)
  std::string html_path;          // "" none
  bool gdb = false;               // then replay again under gdb, stopped at the finding
  bool rr = false;                // then record the replay with rr
};

// `racecheck replay FILE`: starts the program named in the schedule with its
// recorded arguments under the replay strategy and prints the report. Exit
// status as for `run`; 2 when the schedule is rejected or diverges.
int replay_command(const ReplayOptions &options);

// Parses "A:B" (A <= B) for --seed-range; nullopt when malformed.
std::optional<std::pair<uint64_t, uint64_t>> parse_seed_range(const std::string &text);

}  // namespace racecheck
