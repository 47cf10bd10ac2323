// shrink_phase.h — shrinking the schedules of findings (schedule_shrinker.h)
// by guided runs of the program: a single run's schedule must keep all its
// findings, an exploration's finding its own fingerprint.
#pragma once

#include <string>
#include <vector>

#include "exploration_result.h"
#include "reference_run.h"
#include "runtime_settings.h"
#include "schedule_outcome.h"
#include "schedule_shrinker.h"

namespace racecheck {

// Is shrinking on, and can `record`'s findings be shrunk?
bool shrinkable(const RunOptions &options, const Record &record);

// Shrinks `schedule` (the schedule of `record`'s run, made with `base`) by
// guided runs that must satisfy `reproduces`. On success `schedule` and
// `record` become the shrunk run's (its output, when `reference` is given,
// next to the schedule as .stdout/.stderr) and the note to print is returned.
std::string shrink_run_schedule(const RunContext &context, const RuntimeSettings &base,
                                const std::string &name, const ReferenceRun *reference,
                                const Reproduces &reproduces, std::string &schedule,
                                Record &record);

// Shrinks the schedule of each distinct finding of an exploration, in report
// order after all seeds ran (so nothing depends on --jobs): a candidate must
// show a finding with the same key, and the finding then reported (and its
// kept schedule and output) is the shrunk run's; `shrink_note` says so.
void shrink_explored_findings(const RunContext &context, RuntimeSettings base,
                              const ReferenceRun *reference,
                              std::vector<ExploredFinding> &findings);

}  // namespace racecheck
