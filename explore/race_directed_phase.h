// race_directed_phase.h — exploration's second phase (race_directed.h):
// every racy pair phase 1 found, reversed by the race-directed strategy for
// options.race_directed_schedules seeds from the first seed of the range.
#pragma once

#include <cstdint>

#include "exploration_result.h"
#include "finding_files.h"
#include "finding_merge.h"
#include "reference_run.h"
#include "runtime_settings.h"
#include "schedule_outcome.h"

namespace racecheck {

// Findings not seen in phase 1 join `merge` as phase-2 findings (their
// schedules and output kept by `files`); result.phase2_schedules counts the
// schedules. `settings`: what every schedule of the exploration shares.
// False when a run failed (after a message).
bool run_race_directed_phase(const RunContext &context, RuntimeSettings settings,
                             const ReferenceRun *reference, FindingFiles &files,
                             FindingMerge &merge, ExplorationResult &result);

}  // namespace racecheck
