// merge_command.cpp — `racecheck merge SHARD.json...`. Shards are put in seed
// order and their findings merged as `run --schedules` merges the findings
// of successive seeds: by fingerprint, in order of first appearance, with
// seen_in summed and the first seed, schedule and output files taken from
// the earliest shard that saw the finding. The text comes from each
// finding's `report_text`, so no run record is needed.
#include "merge_command.h"

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>

#include <nlohmann/json.hpp>

#include "finding.h"
#include "json_report.h"
#include "report_command.h"

namespace racecheck {
namespace {

using Json = nlohmann::ordered_json;

struct Shard {
  std::string path;
  Json json;
  uint64_t first_seed = 0, last_seed = 0, schedules = 0;
};

std::optional<Shard> read_shard(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "racecheck: error: cannot read " << path << "\n";
    return std::nullopt;
  }
  Shard shard;
  shard.path = path;
  try {
    shard.json = Json::parse(in);
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
    std::cerr << "racecheck: error: " << path
              << " is not the JSON report of a `racecheck run --schedules/--seed-range` "
                 "exploration: "
              << e.what() << "\n";
    return std::nullopt;
  }
  return shard;
}

// What run_command merges on: the fingerprint, except for a schedule whose
// output or exit status differed from the reference schedule's — that
// `crash` finding is keyed on its first detail only, as its other details
// name seeds and lines (run_command.cpp, outcome_fingerprint).
std::string merge_key(const Json &finding) {
  if (finding["kind"] == "crash" && finding.value("waiters", Json::array()).empty() &&
      finding.value("details", Json::array()).size() >= 2) {
    Json key = finding;
    for (const char *field : {"fingerprint", "details", "seen_in", "first_seed", "schedule",
                              "stdout", "stderr", "report_text"})
      key.erase(field);
    return "first-detail:" + finding["details"][0].get<std::string>() + ":" + key.dump();
  }
  return finding["fingerprint"].get<std::string>();
}

}  // namespace

int merge_command(const MergeOptions &options) {
  std::vector<Shard> shards;
  for (const std::string &path : options.shard_paths) {
    std::optional<Shard> shard = read_shard(path);
    if (!shard) return kExitError;
    shards.push_back(std::move(*shard));
  }
  std::sort(shards.begin(), shards.end(),
            [](const Shard &a, const Shard &b) { return a.first_seed < b.first_seed; });
  const std::string strategy = shards[0].json["exploration"]["strategy"];
  // A shard that stopped at its first finding ends the merged exploration
  // there, as one --stop-on-first run of the whole range would have.
  size_t used = shards.size();
  for (size_t i = 0; i < shards.size(); ++i) {
    if (shards[i].json["exploration"]["strategy"] != strategy) {
      std::cerr << "racecheck: error: " << shards[i].path << " explored with strategy "
                << shards[i].json["exploration"]["strategy"].get<std::string>() << ", "
                << shards[0].path << " with " << strategy << "\n";
      return kExitError;
    }
    if (i > 0 && i < used) {
      const Shard &prev = shards[i - 1];
      if (shards[i].first_seed != prev.json["exploration"]["last_seed"].get<uint64_t>() + 1 ||
          prev.schedules != prev.last_seed - prev.first_seed + 1) {
        std::cerr << "racecheck: error: the shards do not cover adjacent seed ranges: " << prev.path
                  << " ends at seed " << prev.last_seed << ", " << shards[i].path
                  << " starts at seed " << shards[i].first_seed << "\n";
        return kExitError;
      }
    }
    if (i < used && shards[i].json["exploration"]["stopped_early"].get<bool>()) used = i + 1;
  }
  for (size_t i = used; i < shards.size(); ++i)
    std::cerr << "racecheck: note: " << shards[i].path << " (seeds " << shards[i].first_seed << ".."
              << shards[i].last_seed << ") comes after a shard that stopped at its first finding; "
              << "its findings are not merged\n";

  std::vector<Json> merged;
  std::map<std::string, size_t> by_key;
  uint64_t runs = 0;
  for (size_t i = 0; i < used; ++i) {
    runs += shards[i].schedules;
    for (const Json &finding : shards[i].json["findings"]) {
      auto [it, inserted] = by_key.emplace(merge_key(finding), merged.size());
      if (inserted)
        merged.push_back(finding);
      else
        merged[it->second]["seen_in"] =
            merged[it->second]["seen_in"].get<uint64_t>() + finding["seen_in"].get<uint64_t>();
    }
  }
  const uint64_t first = shards[0].first_seed;
  const bool stopped_early = shards[used - 1].json["exploration"]["stopped_early"].get<bool>();

  // The text as `run --schedules` prints it.
  std::map<FindingKind, size_t> kinds;
  for (const Json &f : merged) {
    std::cout << f["report_text"].get<std::string>();
    std::cout << "racecheck: seen in " << f["seen_in"].get<uint64_t>() << " of " << runs
              << " schedules, first with seed " << f["first_seed"].get<uint64_t>() << "\n";
    if (f.contains("schedule"))
      std::cout << "replay: racecheck replay " << f["schedule"].get<std::string>() << "\n";
    if (f.contains("stdout") && f.contains("stderr"))
      std::cout << "output of that schedule: " << f["stdout"].get<std::string>() << ", "
                << f["stderr"].get<std::string>() << "\n";
    if (std::optional<FindingKind> kind = parse_finding_kind(f["kind"].get<std::string>()))
      kinds[*kind]++;
  }
  print_exploration_summary(std::cout, kinds, runs, first, strategy, stopped_early);

  if (!options.json_path.empty()) {
    Json json;
    json["tool"] = "racecheck";
    json["schema_version"] = kJsonSchemaVersion;
    json["exploration"] = {{"schedules", runs},
                           {"first_seed", first},
                           {"last_seed", first + runs - 1},
                           {"strategy", strategy},
                           {"stopped_early", stopped_early}};
    json["findings"] = merged;
    if (options.json_path == "-") {
      std::cout << json.dump(2) << "\n";
    } else {
      std::ofstream out(options.json_path, std::ios::binary | std::ios::trunc);
      if (out) out << json.dump(2) << "\n";
      out.close();
      if (!out) {
        std::cerr << "racecheck: error: cannot write the JSON report to " << options.json_path << "\n";
        return kExitError;
      }
    }
  }
  return merged.empty() ? 0 : kExitFindings;
}

}  // namespace racecheck
