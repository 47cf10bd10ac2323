// finding.cpp — names of finding kinds (the spelling shared by record and JSON).
#include "finding.h"

#include <array>
#include <utility>

namespace racecheck {
namespace {
constexpr std::array<std::pair<FindingKind, std::string_view>, 7> kKindNames = {{
    {FindingKind::DataRace, "data-race"},
    {FindingKind::Deadlock, "deadlock"},
    {FindingKind::LockOrderCycle, "lock-order-cycle"},
    {FindingKind::Livelock, "livelock"},
    {FindingKind::Starvation, "starvation"},
    {FindingKind::Crash, "crash"},
    {FindingKind::Hang, "hang"},
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
