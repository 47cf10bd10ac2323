// exploration_json.h — the JSON report of an exploration (schema in
// docs/report-format.md): the envelope, then each finding's JSON object
// with what the exploration knows about it (counts, first seed, schedule,
// output, phase). One writer per format sits beside this one.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "exploration_result.h"

namespace racecheck {

nlohmann::ordered_json exploration_json(const ExplorationResult &result);

// Writes `json` to `path` ("-": stdout). False after a message.
bool write_json_value(const nlohmann::ordered_json &json, const std::string &path);

}  // namespace racecheck
