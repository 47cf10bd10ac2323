// run_options.h — what `racecheck run` asks the engine for: which program,
// under which seed(s) and strategy, and which of the engine's phases
// (exploration, race-directed second phase, shrinking, confirmation) to run.
// How the results are shown (text, JSON) is the command line's business.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace racecheck {

class Suppressions;

// The largest seed: the runtime and the record carry seeds as signed 64-bit
// values.
constexpr uint64_t kMaxSeed = uint64_t{INT64_MAX};

struct RunOptions {
  std::optional<uint64_t> seed;
  std::optional<std::string> strategy;  // random, pct, pct:D
  std::optional<uint64_t> preempt_budget;
  std::optional<uint64_t> pct_steps;
  std::string record_path;  // "" a temporary file (or racecheck-out/ with keep_record)
  bool keep_record = false;
  bool single_thread_inversions = false;
  // --suppressions: findings it matches are dropped from every schedule's
  // record before they count (suppressions.h); null for none.
  std::shared_ptr<Suppressions> suppressions;
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
  // --schedules: keep each schedule's stdout/stderr in files, kept beside
  // each finding's schedule (off: output goes to the terminal).
  bool compare_output = true;
  // --schedules: report a schedule whose stdout differs from the reference
  // schedule's (check_output) or from the file's (expect_output_path) as an
  // `output-mismatch`. Off by default: output may legitimately vary.
  bool check_output = false;
  std::string expect_output_path;
  // The finding kinds that make the exit status 66 and stop --stop-on-first
  // (their record/JSON names); empty: every kind but `output-mismatch`.
  std::vector<std::string> fail_on;
  // One run: try to confirm each potential deadlock (lock-order cycle) by
  // up to confirm_attempts directed schedules (deadlock_confirmation.h).
  bool confirm = true;
  uint64_t confirm_attempts = 10;
  uint64_t confirm_total = 100;  // directed schedules over all cycles of the run
  // Shrink each finding's schedule to the fewest preemptions that still
  // reproduce it, by up to shrink_attempts guided runs (schedule_shrinker.h).
  bool shrink = true;
  uint64_t shrink_attempts = 50;
  // Wall-clock limit on shrinking one finding's schedule, in seconds; 0:
  // shrink_time_budget of the finding run. A safety net beside the step
  // budget, which alone keeps results the same under any load.
  double shrink_time_limit = 0;
  // Exploration: schedules per racy pair in the race-directed second phase
  // (race_directed.h); 0 skips the phase.
  uint64_t race_directed_schedules = 2;
  // Spurious wake-ups of condition-variable and futex waits: "on", "off" or
  // "auto" (on for odd seeds, single run and exploration alike).
  std::string spurious_wakeups = "auto";
  // Shared plain accesses as scheduling points (runtime option
  // access_points): "on", "off" or "auto" (on when exploring, off in a
  // single run).
  std::string access_points = "auto";
  // A copy of racecheck's stdin (taken once when it is not a terminal) that
  // every run reads from its start; "" leaves the terminal shared.
  std::string stdin_path;
  std::vector<std::string> command;  // program and its arguments
};

}  // namespace racecheck
