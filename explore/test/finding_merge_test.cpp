// finding_merge_test.cpp — merging findings by fingerprint: across the seeds
// of one exploration, across the phases, and across the JSON reports of
// shards (explore/finding_merge.h, explore/shard_merge.h).
#include <gtest/gtest.h>

#include <fstream>

#include "exploration.h"
#include "exploration_json.h"
#include "fake_program.h"
#include "finding_merge.h"
#include "json_report.h"
#include "reference_run.h"
#include "shard_merge.h"

namespace racecheck::test {
namespace {

RunOptions quiet_options(const TempDir &dir) {
  RunOptions options;
  options.command = {"./fake"};
  options.out_dir = dir.path() + "/out";
  options.shrink = false;
  options.race_directed_schedules = 0;
  return options;
}

// Race A (lines 1/2) at seeds 1 and 4, race B (3/4) at seed 4, race C (5/6) at seed 5.
FakeBehaviour three_races(const Options &options) {
  FakeBehaviour b;
  uint64_t seed = std::stoull(options.at("seed"));
  if (seed == 1 || seed == 4) b.races.push_back({1, 2});
  if (seed == 4) b.races.push_back({3, 4});
  if (seed == 5) b.races.push_back({5, 6});
  return b;
}

ExplorationResult explore_seeds(const RunOptions &options, uint64_t first, uint64_t last) {
  FakeProgram program(three_races);
  ExplorationProgress progress;
  ExplorationResult result;
  EXPECT_EQ(explore(options, {first, last}, program, progress, result), 0);
  return result;
}

TEST(FindingMerge, SameFindingFromTwoSeedsMergesAndDistinctOnesStayApart) {
  TempDir dir;
  ExplorationResult result = explore_seeds(quiet_options(dir), 0, 5);
  EXPECT_EQ(result.schedules, 6u);
  ASSERT_EQ(result.findings.size(), 3u);
  EXPECT_EQ(result.findings[0].first_seed, 1u);
  EXPECT_EQ(result.findings[0].seen_in, 2u);
  EXPECT_EQ(result.findings[1].first_seed, 4u);
  EXPECT_EQ(result.findings[1].seen_in, 1u);
  EXPECT_EQ(result.findings[2].first_seed, 5u);
  EXPECT_NE(result.findings[0].key, result.findings[1].key);
  // The first sighting's schedule is kept, numbered in report order.
  EXPECT_EQ(result.findings[0].schedule, dir.path() + "/out/finding-1.schedule");
  EXPECT_EQ(result.findings[2].schedule, dir.path() + "/out/finding-3.schedule");
  EXPECT_EQ(result.findings[0].report["kind"], "data-race");
}

TEST(FindingMerge, ShardsMergeToTheWholeRange) {
  TempDir dir;
  RunOptions options = quiet_options(dir);
  nlohmann::ordered_json whole = exploration_json(explore_seeds(options, 0, 5));
  std::vector<std::string> shards;
  for (auto [first, last] : {std::pair<uint64_t, uint64_t>{3, 5}, {0, 2}}) {
    shards.push_back(dir.path() + "/shard" + std::to_string(first) + ".json");
    options.out_dir = dir.path() + "/out" + std::to_string(first);
    ASSERT_TRUE(
        write_json_value(exploration_json(explore_seeds(options, first, last)), shards.back()));
  }
  std::optional<ExplorationResult> merged = merge_shards(shards);
  ASSERT_TRUE(merged);
  nlohmann::ordered_json json = exploration_json(*merged);
  // Each shard keeps its files in its own directory; everything else is the whole's.
  for (auto *report : {&whole, &json})
    for (auto &f : (*report)["findings"])
      for (const char *field : {"schedule", "stdout", "stderr"}) f.erase(field);
  EXPECT_EQ(json.dump(2), whole.dump(2));
  EXPECT_EQ(json["findings"][0]["seen_in"], 2);
}

TEST(FindingMerge, ShardsWithAGapAreRefused) {
  TempDir dir;
  RunOptions options = quiet_options(dir);
  std::vector<std::string> shards = {dir.path() + "/a.json", dir.path() + "/b.json"};
  ASSERT_TRUE(write_json_value(exploration_json(explore_seeds(options, 0, 1)), shards[0]));
  ASSERT_TRUE(write_json_value(exploration_json(explore_seeds(options, 3, 5)), shards[1]));
  EXPECT_FALSE(merge_shards(shards));
}

TEST(FindingMerge, OutputFailuresMergeOnTheirFirstDetailInRecordsAndJson) {
  Record record;
  record.meta.exit_status = 1;
  ReferenceRun reference{3, 0, ""};
  Finding a = *compare_with_reference(reference, record, "");
  reference.seed = 8;  // another shard's reference: other details
  Finding b = *compare_with_reference(reference, record, "");
  ASSERT_NE(a.details, b.details);
  EXPECT_EQ(merge_key(record, a), merge_key(record, b));
  Record with_a = record;
  with_a.findings = {a};
  EXPECT_EQ(merge_key(json_report(with_a)["findings"][0]), merge_key(record, a));
  // Another exit status is another failure.
  record.meta.exit_status = 2;
  EXPECT_NE(merge_key(record, *compare_with_reference(reference, record, "")),
            merge_key(record, a));
}

TEST(FindingMerge, PhaseTwoSightingsCountOnlyForPhaseTwoFindings) {
  std::vector<ExploredFinding> findings;
  FindingMerge merge(findings);
  ASSERT_TRUE(merge.add("a", 1, 1));
  EXPECT_FALSE(merge.add("a", 1, 1));
  EXPECT_FALSE(merge.add("a", 1, 2));  // phase 1's count stays phase 1's
  ASSERT_TRUE(merge.add("b", 1, 2));
  EXPECT_FALSE(merge.add("b", 1, 2));
  EXPECT_FALSE(merge.add("b", 3, 1));
  ASSERT_EQ(findings.size(), 2u);
  EXPECT_EQ(findings[0].seen_in, 2u);
  EXPECT_EQ(findings[1].seen_in, 5u);
  EXPECT_EQ(findings[1].phase, 2);
}

}  // namespace
}  // namespace racecheck::test
