// shard_merge.h — combining the JSON reports of explorations of adjacent
// seed ranges (CI shards, `racecheck run --seed-range A:B --json FILE`) into
// the result one exploration of the whole range would have given: shards in
// seed order, findings merged as exploration merges them (finding_merge.h),
// with seen_in summed and the first seed, schedule and output files taken
// from the earliest shard that saw the finding.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "exploration_result.h"

namespace racecheck {

// nullopt after a message when a shard cannot be read or the shards do not
// fit together (gaps or overlaps between seed ranges, different strategies).
// A shard that stopped at its first finding ends the merged exploration.
std::optional<ExplorationResult> merge_shards(const std::vector<std::string> &paths);

}  // namespace racecheck
