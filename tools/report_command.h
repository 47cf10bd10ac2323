// report_command.h — `racecheck report`: render a run record as text and/or
// JSON. The runtime calls `racecheck report --text RECORD [--json FILE]` at
// exit when a program runs without `racecheck run`.
#pragma once

#include <string>

#include "record.h"

namespace racecheck {

// Exit statuses shared by `report` and `run`.
constexpr int kExitFindings = 66;
constexpr int kExitError = 2;

struct ReportOptions {
  std::string record;
  bool text = false;
  std::string json_path;    // "" for none, "-" for stdout
  std::string text_path;    // "" or "-": stdout
  bool quiet = false;
};

int report_command(const ReportOptions &options);

// Writes the JSON report to `path` ("-": stdout). Returns false after
// printing an error.
bool write_json_file(const Record &record, const std::string &path);

}  // namespace racecheck
