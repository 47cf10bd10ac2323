// exploration_json.cpp — see exploration_json.h.
#include "exploration_json.h"

#include <fstream>
#include <iostream>

#include "json_report.h"

namespace racecheck {
namespace {

using Json = nlohmann::ordered_json;

// The finding's own object with the exploration's fields set (in place
// when the object already has them, as a merged shard's findings do).
Json finding_json(const ExploredFinding &f) {
  Json j = f.report;
  // The finding's block of the text report, so that `racecheck merge`
  // prints the same text without the record.
  j["report_text"] = f.report_text;
  j["seen_in"] = f.seen_in;
  j["first_seed"] = f.first_seed;
  if (f.phase == 2) {
    j["phase"] = 2;
    j["race_target"] = f.race_target;
  }
  if (!f.schedule.empty()) j["schedule"] = f.schedule;
  if (!f.stdout_path.empty()) j["stdout"] = f.stdout_path;
  if (!f.stderr_path.empty()) j["stderr"] = f.stderr_path;
  return j;
}

}  // namespace

Json exploration_json(const ExplorationResult &result) {
  Json json;
  json["tool"] = "racecheck";
  json["schema_version"] = kJsonSchemaVersion;
  json["exploration"] = {{"schedules", result.schedules},
                         {"first_seed", result.first_seed},
                         {"last_seed", result.first_seed + result.schedules - 1},
                         {"strategy", result.strategy},
                         {"stopped_early", result.stopped_early}};
  // Stopped by ^C/SIGTERM: the findings are those of the schedules done.
  if (result.interrupted_by) json["exploration"]["interrupted_by_signal"] = result.interrupted_by;
  Json findings = Json::array();
  for (const ExploredFinding &f : result.findings) findings.push_back(finding_json(f));
  json["findings"] = std::move(findings);
  return json;
}

bool write_json_value(const Json &json, const std::string &path) {
  if (path == "-") {
    std::cout << json_text(json) << "\n";
    return bool(std::cout);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << json_text(json) << "\n";
  out.close();
  if (!out) {
    std::cerr << "racecheck: error: cannot write the JSON report to " << path << "\n";
    return false;
  }
  return true;
}

}  // namespace racecheck
