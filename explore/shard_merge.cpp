// shard_merge.cpp — see shard_merge.h. The text of each finding comes from
// its `report_text`, so no run record is needed.
#include "shard_merge.h"

#include <algorithm>
#include <fstream>
#include <iostream>

#include "finding_merge.h"
#include "untrusted_input.h"

namespace racecheck {
namespace {

using Json = nlohmann::ordered_json;

struct Shard {
  std::string path;
  Json json;
  uint64_t first_seed = 0, last_seed = 0, schedules = 0;
};

// Bounds for a shard given to `merge`: a report of thousands of findings
// stays far below both; a file that does not (/dev/zero, an endless pipe,
// "[[[[...") ends with an error instead of exhausting memory or the stack.
constexpr size_t kMaxShardBytes = size_t{256} << 20;
constexpr int kMaxShardDepth = 64;

struct TooDeep {};

std::optional<Shard> read_shard(const std::string &path) {
  std::string text, error;
  if (!read_bounded_file(path, kMaxShardBytes, text, error)) {
    std::cerr << "racecheck: error: " << error << "\n";
    return std::nullopt;
  }
  Shard shard;
  shard.path = path;
  try {
    shard.json = Json::parse(text, [](int depth, Json::parse_event_t, Json &) {
      if (depth > kMaxShardDepth) throw TooDeep{};
      return true;
    });
    const Json &exploration = shard.json.at("exploration");
    shard.first_seed = exploration.at("first_seed").get<uint64_t>();
    shard.last_seed = exploration.at("last_seed").get<uint64_t>();
    shard.schedules = exploration.at("schedules").get<uint64_t>();
    exploration.at("strategy").get<std::string>();
    exploration.at("stopped_early").get<bool>();
    for (const Json &f : shard.json.at("findings")) {
      f.at("kind").get<std::string>();
      f.at("fingerprint").get<std::string>();
      f.at("seen_in").get<uint64_t>();
      f.at("first_seed").get<uint64_t>();
      f.at("report_text").get<std::string>();
    }
  } catch (const nlohmann::json::exception &e) {
    std::cerr << "racecheck: error: " << terminal_safe(path)
              << " is not the JSON report of a `racecheck run --schedules/--seed-range` "
                 "exploration: "
              << terminal_safe(e.what()) << "\n";
    return std::nullopt;
  } catch (const TooDeep &) {
    std::cerr << "racecheck: error: " << terminal_safe(path) << " nests deeper than "
              << kMaxShardDepth << " levels: not a racecheck report\n";
    return std::nullopt;
  }
  return shard;
}

// How many shards (in seed order) the merged exploration uses: all, or up
// to one that stopped at its first finding. nullopt after a message when
// they do not fit together.
std::optional<size_t> shards_used(const std::vector<Shard> &shards) {
  const std::string strategy = shards[0].json["exploration"]["strategy"];
  size_t used = shards.size();
  for (size_t i = 0; i < shards.size(); ++i) {
    if (shards[i].json["exploration"]["strategy"] != strategy) {
      std::cerr << terminal_safe("racecheck: error: " + shards[i].path +
                                 " explored with strategy " +
                                 shards[i].json["exploration"]["strategy"].get<std::string>() +
                                 ", " + shards[0].path + " with " + strategy)
                << "\n";
      return std::nullopt;
    }
    if (i > 0 && i < used) {
      const Shard &prev = shards[i - 1];
      if (shards[i].first_seed != prev.json["exploration"]["last_seed"].get<uint64_t>() + 1 ||
          prev.schedules != prev.last_seed - prev.first_seed + 1) {
        std::cerr << "racecheck: error: the shards do not cover adjacent seed ranges: " << prev.path
                  << " ends at seed " << prev.last_seed << ", " << shards[i].path
                  << " starts at seed " << shards[i].first_seed << "\n";
        return std::nullopt;
      }
    }
    if (i < used && shards[i].json["exploration"]["stopped_early"].get<bool>()) used = i + 1;
  }
  for (size_t i = used; i < shards.size(); ++i)
    std::cerr << "racecheck: note: " << shards[i].path << " (seeds " << shards[i].first_seed << ".."
              << shards[i].last_seed << ") comes after a shard that stopped at its first finding; "
              << "its findings are not merged\n";
  return used;
}

// A shard's finding as the exploration that wrote it knew it.
void take_finding(const Json &f, ExploredFinding &entry) {
  entry.phase = f.value("phase", 1);
  entry.first_seed = f["first_seed"].get<uint64_t>();
  entry.schedule = f.value("schedule", "");
  entry.stdout_path = f.value("stdout", "");
  entry.stderr_path = f.value("stderr", "");
  entry.race_target = f.value("race_target", "");
  entry.report = f;
  entry.report_text = f["report_text"].get<std::string>();
}

}  // namespace

std::optional<ExplorationResult> merge_shards(const std::vector<std::string> &paths) {
  std::vector<Shard> shards;
  for (const std::string &path : paths) {
    std::optional<Shard> shard = read_shard(path);
    if (!shard) return std::nullopt;
    shards.push_back(std::move(*shard));
  }
  std::sort(shards.begin(), shards.end(),
            [](const Shard &a, const Shard &b) { return a.first_seed < b.first_seed; });
  std::optional<size_t> used = shards_used(shards);
  if (!used) return std::nullopt;
  ExplorationResult result;
  result.first_seed = shards[0].first_seed;
  result.strategy = shards[0].json["exploration"]["strategy"];
  result.stopped_early = shards[*used - 1].json["exploration"]["stopped_early"].get<bool>();
  FindingMerge merge(result.findings);
  for (size_t i = 0; i < *used; ++i) {
    result.schedules += shards[i].schedules;
    // A shard's counts add up whatever phase found the finding.
    for (const Json &f : shards[i].json["findings"])
      if (ExploredFinding *entry = merge.add(merge_key(f), f["seen_in"].get<uint64_t>(), 1))
        take_finding(f, *entry);
  }
  return result;
}

}  // namespace racecheck
