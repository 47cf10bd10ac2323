// runtime_settings.h — what racecheck sets in RACECHECK_OPTIONS for one run
// of the program, and the option string built from it (the user's own
// RACECHECK_OPTIONS first, ours after them, record and report last).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "run_options.h"

namespace racecheck {

struct RuntimeSettings {
  std::optional<uint64_t> seed;
  std::optional<std::string> strategy;  // as the user wrote it: random, pct, pct:D
  std::optional<uint64_t> preempt_budget;
  std::optional<uint64_t> pct_steps;
  std::string replay;
  std::string schedule_out;
  std::string directed_targets;
  std::string guide;              // strategy=guided: its guide file
  std::string guided_base;        // strategy=guided: the shrunk run's strategy
  std::string race_targets;       // strategy=race-directed: its targets
  bool spurious_wakeups = false;  // spurious_wakeups_for(options, seed)
  bool access_points = false;     // access_points_for(options, exploring)
  std::optional<uint64_t> max_steps;
  std::optional<uint64_t> shrunk_from;  // schedule header: preemptions before
  std::string record;
};

// "pct:D" is the CLI's spelling; ':' separates RACECHECK_OPTIONS, so the
// runtime takes strategy=pct and pct_depth=D; "pb:N"/"db:N" (bound N, 2 when
// omitted) become strategy=pb-N/db-N. Returns false when invalid.
bool strategy_options(const std::string &strategy,
                      std::vector<std::pair<std::string, std::string>> &out);

std::string build_options_string(const RuntimeSettings &settings);

// --spurious-wakeups: on, off, or auto — on for odd seeds, the same rule
// for a single run and for every schedule of an exploration (and its
// shrinking and race-directed runs), so `run --seed X` repeats seed X.
bool spurious_wakeups_for(const RunOptions &options, uint64_t seed);

// --access-points: on, off, or auto — on for every run of an exploration
// (its schedules, race-directed and shrinking runs), off in a single run.
bool access_points_for(const RunOptions &options, bool exploring);

}  // namespace racecheck
