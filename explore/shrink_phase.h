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

// Shrinking's candidates may run this many scheduling points in all: 20
// times the run that found the finding, at least 1,000,000 (short runs are
// bounded by the attempt count instead). Points, not seconds: the same
// exploration must shrink to the same schedule on a loaded machine.
uint64_t shrink_step_budget(uint64_t found_steps);
// The wall-clock safety net beside it (candidates slowed by real I/O, or by
// work between scheduling points): 20 times the finding run, at least 60 s
// (--shrink-time-limit sets it).
double shrink_time_budget(double found_seconds);

// Shrinks `schedule` (the schedule of `record`'s run, made with `base`, which
// took `found_seconds`) by guided runs that must satisfy `reproduces`, within
// shrink_step_budget and shrink_time_budget. The best candidate is then replayed once from its
// schedule file; only when the replay satisfies `reproduces` too do
// `schedule` and `record` become the shrunk run's (its output, when
// `reference` is given, next to the schedule as .stdout/.stderr; the finding
// run's meta kept as record.found_by) and the note to print is returned.
// Each phase prints one line to stderr, saying what `what` is.
std::string shrink_run_schedule(const RunContext &context, const RuntimeSettings &base,
                                const std::string &name, const std::string &what,
                                double found_seconds, const ReferenceRun *reference,
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
