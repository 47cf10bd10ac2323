// finding.cpp — names of finding kinds (the spelling shared by record and JSON).
#include "finding.h"

#include <array>
#include <utility>

#include "racecheck/record_format.h"

namespace racecheck {
namespace {
// The spellings are racecheck/record_format.h's, which the runtime writes.
const std::array<std::pair<FindingKind, std::string_view>, RC_RECORD_FINDING_KIND_COUNT>
    kKindNames = {{
        {FindingKind::DataRace, rc_record_finding_kind_name(RC_RECORD_FINDING_DATA_RACE)},
        {FindingKind::Deadlock, rc_record_finding_kind_name(RC_RECORD_FINDING_DEADLOCK)},
        {FindingKind::LockOrderCycle,
         rc_record_finding_kind_name(RC_RECORD_FINDING_LOCK_ORDER_CYCLE)},
        {FindingKind::Livelock, rc_record_finding_kind_name(RC_RECORD_FINDING_LIVELOCK)},
        {FindingKind::Starvation, rc_record_finding_kind_name(RC_RECORD_FINDING_STARVATION)},
        {FindingKind::Crash, rc_record_finding_kind_name(RC_RECORD_FINDING_CRASH)},
        {FindingKind::Hang, rc_record_finding_kind_name(RC_RECORD_FINDING_HANG)},
        {FindingKind::Failure, rc_record_finding_kind_name(RC_RECORD_FINDING_FAILURE)},
        {FindingKind::OutputMismatch,
         rc_record_finding_kind_name(RC_RECORD_FINDING_OUTPUT_MISMATCH)},
        {FindingKind::Misuse, rc_record_finding_kind_name(RC_RECORD_FINDING_MISUSE)},
    }};
}  // namespace

std::string_view finding_kind_name(FindingKind kind) {
  for (const auto &[k, name] : kKindNames)
    if (k == kind) return name;
  return "unknown";
}

std::optional<FindingKind> parse_finding_kind(std::string_view name) {
  for (const auto &[k, n] : kKindNames)
    if (n == name) return k;
  return std::nullopt;
}

}  // namespace racecheck
