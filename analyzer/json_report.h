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

// The JSON text of value, indented by 2. Strings in a record are bytes (a
// path or program name may be Latin-1), JSON text is UTF-8: a string that is
// not valid UTF-8 is written with each invalid byte replaced by U+FFFD, and a
// member "KEY" holding one gets a sibling "KEY_bytes" with its exact bytes
// as lowercase hex (docs/report-format.md, "Bytes that are not UTF-8").
std::string json_text(const nlohmann::ordered_json &value);

}  // namespace racecheck
