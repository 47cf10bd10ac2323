// report_command.h — `racecheck report`: render a run record as text and/or
// JSON. The runtime calls `racecheck report --text RECORD [--json FILE]` at
// exit when a program runs without `racecheck run`.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <string>

#include "finding.h"
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
  std::string graph_path;   // "": none; write lock-order cycles as DOT
  bool single_thread_inversions = false;
};

int report_command(const ReportOptions &options);

// The analyses that run on a record after reading it (lock-order cycles),
// and the optional Graphviz file of the cycles ("" for none). Returns false
// after printing an error.
bool analyze_record(Record &record, const std::string &graph_path, bool single_thread_inversions);

// The SUMMARY line that closes an exploration (`run --schedules`, `merge`):
// finding counts per kind over `runs` schedules from seed `first`.
void print_exploration_summary(std::ostream &out, const std::map<FindingKind, size_t> &kinds,
                               uint64_t runs, uint64_t first, const std::string &strategy,
                               bool stopped_early);

// Writes the JSON report to `path` ("-": stdout). Returns false after
// printing an error.
bool write_json_file(const Record &record, const std::string &path);

}  // namespace racecheck
