// exploration_html.h — the HTML report of an exploration or of merged shards
// (`run --schedules N --html`, `merge --html`): every finding drawn with the
// interleaving of its own schedule, one timeline per finding. A finding found
// by this process keeps the record of the run its schedule file reproduces
// (the shrunk run's when shrinking rewrote the file); a finding read from a
// shard's JSON report has no record, so its schedule file is replayed here.
// Replays are bounded: the first kMaxHtmlReplays findings, one run each,
// which the runtime's watchdog ends if the program stops progressing. A
// finding with no such run (no schedule, a schedule from another machine, a
// replay that did not show it) is shown as its text report, saying why.
#pragma once

#include <cstddef>
#include <string>

#include "exploration_result.h"
#include "schedule_runner.h"

namespace racecheck {

constexpr size_t kMaxHtmlReplays = 32;

// Writes the page to `path`; `program` names it where the findings' runs do
// not ("merged shards"). False after a message.
bool write_exploration_html(const ExplorationResult &result, const std::string &program,
                            ProgramRunner &runner, const std::string &path);

}  // namespace racecheck
