// text_report.h — the human report, laid out like ThreadSanitizer's: one
// block per finding with a stable greppable first line
//   WARNING: racecheck: data race on <variable> (<file>:<line> vs <file>:<line>)
// then both accesses with full stacks and held locks, the location of the
// raced-on memory, how the threads involved were created; and a final
//   SUMMARY: racecheck: N data race(s), M deadlock(s) (seed S, strategy X, P scheduling points)
#pragma once

#include <ostream>

#include "record.h"

namespace racecheck {

struct TextReportOptions {
  // Print nothing at all for a record without findings.
  bool quiet = false;
  // Print the final SUMMARY (and run notes); off when findings of several
  // runs are printed one by one (`racecheck run --schedules`).
  bool summary = true;
};

void write_text_report(std::ostream &out, const Record &record,
                       const TextReportOptions &options = {});

}  // namespace racecheck
