// finding.h — the kinds of finding a run record can hold, and their names.
// Detection (the runtime) fills structured data; each report format has its
// own printer (text_report.h, json_report.h) over this one enum.
#pragma once

#include <optional>
#include <string_view>

namespace racecheck {

enum class FindingKind {
  DataRace,
  Deadlock,
  LockOrderCycle,
  Livelock,
  Starvation,
  Crash,
  Hang,
  // Found by exploration, comparing a schedule with the reference
  // schedule (explore/reference_run.h); the runtime never writes them.
  Failure,
  OutputMismatch,
  Misuse,  // a call the threads API forbids (unlock not held, destroy in use...)
};

// The record/JSON spelling: "data-race", "deadlock", "lock-order-cycle", ...
std::string_view finding_kind_name(FindingKind kind);
// Inverse of finding_kind_name; nullopt for an unknown spelling.
std::optional<FindingKind> parse_finding_kind(std::string_view name);

}  // namespace racecheck
