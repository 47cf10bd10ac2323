// finding_merge.h — merging the findings of many schedules by fingerprint
// (analyzer/fingerprint.h), the one rule `run --schedules` and `merge` share:
// a finding seen before only counts; a new one is kept with where it was
// first seen, in order of first appearance.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "exploration_result.h"
#include "record.h"

namespace racecheck {

// What a finding merges on: its fingerprint, except for a program failure
// found by comparing outcomes (reference_run.h: a `crash`, `failure` or
// `output-mismatch` without positions whose details after the first name
// seeds and lines), which merges on the fingerprint of its first detail.
std::string merge_key(const Record &record, const Finding &finding);
// The same key for a finding of an exploration's JSON report.
std::string merge_key(const nlohmann::ordered_json &finding);

class FindingMerge {
 public:
  // Merges into `findings` (and the keys it already holds).
  explicit FindingMerge(std::vector<ExploredFinding> &findings);

  // A sighting of the finding `key` in `seen_in` schedules of `phase`.
  // Returns the new entry (key, phase and seen_in set) for the caller to
  // fill, valid until the next add; nullptr when the key was known: its
  // count then grows, except that a phase-2 sighting counts only for a
  // finding phase 2 found (phase 1's counts stay phase 1's).
  ExploredFinding *add(const std::string &key, uint64_t seen_in, int phase);

 private:
  std::vector<ExploredFinding> &findings_;
  std::map<std::string, size_t> by_key_;
};

}  // namespace racecheck
