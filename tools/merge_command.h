// merge_command.h — `racecheck merge`: combine the JSON reports of
// explorations of adjacent seed ranges (CI shards) into the report one
// exploration of the whole range would have given.
#pragma once

#include <string>
#include <vector>

#include "report_files.h"

namespace racecheck {

struct MergeOptions {
  std::vector<std::string> shard_paths;  // JSON reports of `run --seed-range A:B --json FILE`
  std::string json_path;                 // "" none, "-" stdout
  ReportFiles files;                     // --sarif, --junit, --baseline
  std::string suppressions_path;         // "": none (suppressions.h)
  std::string html_path;                 // "": none; the findings' schedules replayed for it
};

// Prints the merged text report on stdout. Exit status: 66 with findings,
// 0 without, 2 when a shard cannot be read or the shards do not fit
// together (gaps or overlaps between seed ranges, different strategies).
int merge_command(const MergeOptions &options);

}  // namespace racecheck
