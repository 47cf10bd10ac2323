// merge_command.cpp — `racecheck merge SHARD.json...`: the shards merged as
// one exploration of their whole seed range (explore/shard_merge.h), its text
// report on stdout and, with --json, its JSON report.
#include "merge_command.h"

#include <algorithm>
#include <iostream>
#include <memory>

#include "exit_status.h"
#include "exploration_json.h"
#include "exploration_text.h"
#include "report_command.h"
#include "shard_merge.h"

namespace racecheck {

int merge_command(const MergeOptions &options) {
  std::shared_ptr<Suppressions> suppressions;
  if (!load_suppressions(options.suppressions_path, suppressions)) return kExitError;
  std::optional<ExplorationResult> result = merge_shards(options.shard_paths);
  if (!result) return kExitError;
  // Shards carry JSON, not records: rules match the reports' frames.
  if (suppressions)
    result->findings.erase(std::remove_if(result->findings.begin(), result->findings.end(),
                                          [&](const ExploredFinding &f) {
                                            return suppressions->suppress_report(f.report);
                                          }),
                           result->findings.end());
  // The text as `run --schedules` prints it.
  print_explored_findings(std::cout, *result);
  print_exploration_summary(std::cout, *result);
  if (suppressions) suppressions->write_counts(std::cout);
  if (!options.json_path.empty() && !write_json_value(exploration_json(*result), options.json_path))
    return kExitError;
  return result->findings.empty() ? 0 : kExitFindings;
}

}  // namespace racecheck
