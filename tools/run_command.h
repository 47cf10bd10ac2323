// run_command.h — `racecheck run`: run an instrumented program under a chosen
// seed and strategy, then read its run record and report the findings; with
// --schedules/--seed-range, explore many schedules and merge the findings.
// Every finding comes with the schedule file that reproduces it
// (`racecheck replay FILE`).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace racecheck {

struct RunOptions {
  std::optional<uint64_t> seed;
  std::optional<std::string> strategy;  // random, pct, pct:D
  std::optional<uint64_t> preempt_budget;
  std::optional<uint64_t> pct_steps;
  std::string json_path;    // "" none, "-" stdout
  std::string record_path;  // "" a temporary file (or racecheck-out/ with keep_record)
  bool keep_record = false;
  bool quiet = false;
  std::string graph_path;  // "": none; write the lock-order cycles as DOT
  bool single_thread_inversions = false;
  std::string out_dir = "racecheck-out";  // where finding-N.schedule go
  // Exploration: seeds first_seed .. first_seed + schedules - 1.
  std::optional<uint64_t> schedules;
  std::optional<std::pair<uint64_t, uint64_t>> seed_range;  // inclusive
  bool stop_on_first = false;
  // Programs run at once while exploring; the report does not depend on it.
  uint64_t jobs = 1;
  // Exploring: start the program once per job as a fork server that forks
  // one child per schedule at main (docs/fork-server.md); off, or when the
  // program cannot be served, one exec per schedule. Same results.
  bool fork_server = true;
  // Exploring: print where the time went (per schedule) at the end.
  bool timing = false;
  // --schedules: keep each schedule's stdout/stderr in files and report a
  // schedule whose stdout differs from the first one's (off: output goes to
  // the terminal and only the exit status is compared).
  bool compare_output = true;
  // One run: try to confirm each potential deadlock (lock-order cycle) by
  // up to confirm_attempts directed schedules (deadlock_confirmation.h).
  bool confirm = true;
  uint64_t confirm_attempts = 10;
  // Shrink each finding's schedule to the fewest preemptions that still
  // reproduce it, by up to shrink_attempts guided runs (schedule_shrinker.h).
  bool shrink = true;
  uint64_t shrink_attempts = 50;
  // Exploration: schedules per racy pair in the race-directed second phase
  // (race_directed.h); 0 skips the phase.
  uint64_t race_directed_schedules = 2;
  // Spurious wake-ups of condition-variable and futex waits: "on", "off" or
  // "auto" (on for odd seeds, single run and exploration alike).
  std::string spurious_wakeups = "auto";
  std::vector<std::string> command;  // program and its arguments
};

// Exit status: 66 with findings, else the program's own status (128+signal
// when it was killed), 2 when racecheck itself failed, 127 when the program
// could not be started. Exploration: 66 with findings, else 0.
int run_command(const RunOptions &options);

struct ReplayOptions {
  std::string schedule_path;
  std::string json_path;  // "" none, "-" stdout
  bool quiet = false;
};

// `racecheck replay FILE`: starts the program named in the schedule with its
// recorded arguments under the replay strategy and prints the report. Exit
// status as for `run`; 2 when the schedule is rejected or diverges.
int replay_command(const ReplayOptions &options);

// Parses "A:B" (A <= B) for --seed-range; nullopt when malformed.
std::optional<std::pair<uint64_t, uint64_t>> parse_seed_range(const std::string &text);

}  // namespace racecheck
