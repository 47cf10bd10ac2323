// merge_command.cpp — `racecheck merge SHARD.json...`: the shards merged as
// one exploration of their whole seed range (explore/shard_merge.h), its text
// report on stdout and, with --json, its JSON report. The shards' JSON does
// not name the program: JUnit test cases of a merge are "racecheck.merged-shards".
#include "merge_command.h"

#include <algorithm>
#include <iostream>
#include <memory>

#include "exit_status.h"
#include "exploration_html.h"
#include "exploration_json.h"
#include "exploration_text.h"
#include "report_command.h"
#include "shard_merge.h"

namespace racecheck {

int merge_command(const MergeOptions &options) {
  ReportFiles files = options.files;
  if (!load_baseline(files)) return kExitError;
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
  const nlohmann::ordered_json json = exploration_json(*result);
  if (!options.json_path.empty() && !write_json_value(json, options.json_path)) return kExitError;
  if (!write_report_files(json, "merged-shards", files)) return kExitError;
  ProcessRunner runner;
  if (!options.html_path.empty() &&
      !write_exploration_html(*result, "merged shards", runner, options.html_path))
    return kExitError;
  if (!files.baseline_path.empty()) {
    return has_new_failing_finding(json, failing_on_every_kind(), files, std::cerr) ? kExitFindings
                                                                                    : 0;
  }
  return result->findings.empty() ? 0 : kExitFindings;
}

}  // namespace racecheck
