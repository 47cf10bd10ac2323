// report_command.h — `racecheck report`: render a run record as text and/or
// JSON. The runtime calls `racecheck report --text RECORD [--json FILE]` at
// exit when a program runs without `racecheck run`.
#pragma once

#include <memory>
#include <string>

#include "exit_status.h"
#include "record.h"
#include "report_files.h"
#include "suppressions.h"

namespace racecheck {

struct ReportOptions {
  std::string record;
  bool text = false;
  std::string json_path;  // "" for none, "-" for stdout
  std::string text_path;  // "" or "-": stdout
  bool quiet = false;
  std::string graph_path;  // "": none; write lock-order cycles as DOT
  bool single_thread_inversions = false;
  ReportFiles files;              // --sarif, --junit, --baseline
  std::string suppressions_path;  // "": none (suppressions.h)
  std::string html_path;          // "": none; the HTML report
  std::string schedule_path;      // the run's schedule, for the HTML timeline
};

int report_command(const ReportOptions &options);

// The analyses that run on a record after reading it (lock-order cycles),
// and the optional Graphviz file of the cycles ("" for none). Returns false
// after printing an error.
// Then the suppressions, if any, drop the findings they match.
bool analyze_record(Record &record, const std::string &graph_path, bool single_thread_inversions,
                    Suppressions *suppressions = nullptr);

// Reads the suppressions file at `path` into `out` ("" leaves it null).
// Returns false after printing the error (the file and line of a malformed
// rule).
bool load_suppressions(const std::string &path, std::shared_ptr<Suppressions> &out);

// The suppressions=FILE of RACECHECK_OPTIONS in racecheck's own environment,
// or "": `racecheck run` honours it like --suppressions.
std::string suppressions_from_environment();

// Writes the JSON report to `path` ("-": stdout). Returns false after
// printing an error.
bool write_json_file(const Record &record, const std::string &path);

// Writes the HTML report to `path`, its timeline from the schedule file
// `schedule` ("": none; one that cannot be read is named in the page).
// Returns false after printing an error.
bool write_html_file(const Record &record, const std::string &schedule, const std::string &path);

}  // namespace racecheck
