// json_report.h — the machine-readable report (schema in docs/report-format.md,
// schema_version 1). Keys keep a fixed order so equal records give equal bytes.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>

#include "record.h"

namespace racecheck {

constexpr int kJsonSchemaVersion = 1;

nlohmann::ordered_json json_report(const Record &record);
void write_json_report(std::ostream &out, const Record &record);

}  // namespace racecheck
