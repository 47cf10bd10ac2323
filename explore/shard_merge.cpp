// shard_merge.cpp — see shard_merge.h. The text of each finding comes from
// its `report_text`, so no run record is needed.
#include "shard_merge.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <stdexcept>

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

// A field merging reads, checked to have the type it is read as: a get<>
// deep inside merging must not throw, and a fraction or a negative number
// read as a seed would be undefined or wrap.
using TypeCheck = bool (Json::*)() const noexcept;

const Json &require(const Json &object, const char *field, TypeCheck is, const char *what) {
  const Json &value = object.at(field);
  if (!(value.*is)()) throw std::invalid_argument(std::string(field) + " is not " + what);
  return value;
}

void allow(const Json &object, const char *field, TypeCheck is, const char *what) {
  if (object.contains(field)) require(object, field, is, what);
}

constexpr const char *kCount = "a non-negative integer";

uint64_t require_count(const Json &object, const char *field) {
  return require(object, field, &Json::is_number_unsigned, kCount).get<uint64_t>();
}

// Everything merge_key and take_finding read from a shard's finding.
void check_finding(const Json &f) {
  if (!f.is_object()) throw std::invalid_argument("a finding is not an object");
  require(f, "kind", &Json::is_string, "a string");
  require(f, "fingerprint", &Json::is_string, "a string");
  require_count(f, "seen_in");
  require_count(f, "first_seed");
  require(f, "report_text", &Json::is_string, "a string");
  allow(f, "phase", &Json::is_number_unsigned, kCount);
  if (f.contains("phase") && f["phase"].get<uint64_t>() > 2)
    throw std::invalid_argument("phase is not 1 or 2");
  for (const char *field : {"schedule", "stdout", "stderr", "race_target"})
    allow(f, field, &Json::is_string, "a string");
  allow(f, "details", &Json::is_array, "an array");
  if (f.contains("details"))
    for (const Json &detail : f["details"])
      if (!detail.is_string()) throw std::invalid_argument("details are not strings");
}

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
    shard.first_seed = require_count(exploration, "first_seed");
    shard.last_seed = require_count(exploration, "last_seed");
    shard.schedules = require_count(exploration, "schedules");
    require(exploration, "strategy", &Json::is_string, "a string");
    require(exploration, "stopped_early", &Json::is_boolean, "true or false");
    for (const Json &f : require(shard.json, "findings", &Json::is_array, "an array"))
      check_finding(f);
  } catch (const std::exception &e) {  // nlohmann::json::exception or a check above
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
