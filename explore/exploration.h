// exploration.h — exploring the schedules of a seed range (`racecheck run
// --schedules/--seed-range`). Phase 1 runs the seeds in batches of up to
// --jobs programs at once and merges their findings by fingerprint in seed
// order, so the result does not depend on --jobs; the first schedule that
// ends normally is the reference the others' exit status and output are
// compared with (reference_run.h). Phase 2 reverses every race phase 1 saw
// (race_directed_phase.h); then each finding's schedule is shrunk
// (shrink_phase.h). The result goes to the writers (exploration_json.h,
// exploration_text.h); every finding's schedule file is kept in --out.
#pragma once

#include <cstdint>

#include "exploration_result.h"
#include "run_options.h"
#include "schedule_runner.h"

namespace racecheck {

struct SeedRange {
  uint64_t first = 0, last = 0;  // inclusive
};

// What the exploration tells its user while phase 1 runs (the command
// line's progress line). This one tells nothing.
class ExplorationProgress {
 public:
  virtual ~ExplorationProgress() = default;
  virtual void update(uint64_t /*schedules_done*/, uint64_t /*distinct_findings*/) {}
  // Before a message or the report.
  virtual void clear() {}
};

// Returns 0 with `result` filled, or the exit status to stop with (after a
// message).
int explore(const RunOptions &options, SeedRange seeds, ProgramRunner &runner,
            ExplorationProgress &progress, ExplorationResult &result);

}  // namespace racecheck
