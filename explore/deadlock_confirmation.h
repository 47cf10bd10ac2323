// deadlock_confirmation.h — confirming potential deadlocks (lock-order
// cycles) by directed schedules, after DeadlockFuzzer (Joshi, Park, Sen &
// Naik, PLDI'09): `racecheck run` re-runs the program under the runtime's
// "directed" strategy (runtime/src/sched/strategy_directed.c), which pauses each
// thread of the cycle right before its request until the others hold their
// locks. A directed run that ends in a deadlock of the cycle's threads at
// the cycle's requests confirms it, and its schedule file replays it.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "record.h"

namespace racecheck {

// The targets file the directed strategy reads (format in
// runtime/src/sched/directed_targets.h): one line per step of `cycle`, naming the
// thread, the request's position, the wanted and the held lock by their
// record identity, occurrence 0 (every matching request). nullopt when a
// name or file cannot be written in it (a tab or newline).
std::optional<std::string> directed_targets_text(const Record &record, const Finding &cycle);

// Does `deadlock` (a finding of `run`, a record of the same binary) have
// each step of `cycle` (a finding of `cycle_record`) waiting: the step's
// thread blocked at the step's request position?
bool deadlock_matches_cycle(const Record &cycle_record, const Finding &cycle, const Record &run,
                            const Finding &deadlock);

// One directed run: seed, targets file path, schedule output path; returns
// the run's record, or nullopt when it failed.
using DirectedRun = std::function<std::optional<Record>(
    uint64_t seed, const std::string &targets_path, const std::string &schedule_path)>;

struct ConfirmationSettings {
  uint64_t attempts = 10;  // directed runs per cycle (seeds 0 .. attempts-1)
  // Directed runs over all cycles of the record: a run with hundreds of
  // cycles stays bounded; cycles past it are left untried, with a note.
  uint64_t total_attempts = 100;
  std::string scratch_dir;  // for the targets and schedule files
  // Where a confirming schedule is kept: called with the scratch schedule
  // and the finding's 1-based number in report order; returns the kept
  // path, "" after an error.
  std::function<std::string(const std::string &schedule, size_t finding_number)> keep_schedule;
};

// Tries every unconfirmed lock-order cycle of `record`, in report order, and
// fills in each one's `confirmation` (and `confirmed`) until the total budget
// is spent; a note in record.notes says how many were left untried. Returns
// false when a run failed.
bool confirm_lock_order_cycles(Record &record, const ConfirmationSettings &settings,
                               const DirectedRun &run);

}  // namespace racecheck
