// race_directed.h — the race-directed second phase of `racecheck run
// --schedules`: the racy access pairs that phase 1 found
// become targets of the runtime's "race-directed" strategy
// (runtime/src/sched/strategy_race_directed.c), which pauses the thread at the
// access that came first until another thread has passed the other one, so
// each race also runs the other way round. Bugs that show only then
// (assertion failures, crashes, other output) become findings of phase 2.
//
// Rule (so results depend on nothing but the phase-1 seed range): the
// targets are the distinct pairs of phase 1's data-race findings, sorted by
// their targets-file text; each target runs `per_target` schedules with
// seeds first_seed .. first_seed + per_target - 1 of the phase-1 range,
// one after another whatever --jobs is.
#pragma once

#include <string>
#include <vector>

#include "record.h"

namespace racecheck {

struct RaceTarget {
  std::string line;         // "race_target DELAY_SITE DELAY_FN UNTIL_SITE UNTIL_FN"
  std::string description;  // "a.c:12 before b.c:30" (the reversed order)
};

// The target reversing a data race (`finding` of `record`): delay the
// earlier access (the "previous" one) until the current one has happened.
// False when the sites are unknown.
bool race_target_for(const Record &record, const Finding &finding, RaceTarget &out);

// Sorted by line, duplicates removed.
void sort_race_targets(std::vector<RaceTarget> &targets);

// A targets file (runtime option race_targets=PATH) with one target.
std::string race_targets_file_text(const RaceTarget &target);

}  // namespace racecheck
