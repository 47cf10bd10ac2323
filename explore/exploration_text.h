// exploration_text.h — the text report of an exploration: each distinct
// finding's block, where it was seen and how to replay it, then the SUMMARY
// line (`run --schedules` on stderr, `merge` on stdout).
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

#include "exploration_result.h"
#include "finding.h"

namespace racecheck {

// Every finding's block, in report order.
void print_explored_findings(std::ostream &out, const ExplorationResult &result);

// The SUMMARY line that closes an exploration: finding counts per kind over
// `result.schedules` schedules from its first seed.
void print_exploration_summary(std::ostream &out, const ExplorationResult &result);

// "replay: racecheck replay FILE"; `note` (the shrinking result) follows
// as a shell comment, so the line still pastes as a command.
void print_replay_line(std::ostream &out, const std::string &schedule,
                       const std::string &note = "");

}  // namespace racecheck
