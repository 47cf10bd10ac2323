// finding_merge.cpp — see finding_merge.h.
#include "finding_merge.h"

#include "fingerprint.h"

namespace racecheck {
namespace {

using Json = nlohmann::ordered_json;

bool keyed_on_first_detail(FindingKind kind, bool has_positions, size_t details) {
  return (kind == FindingKind::Crash || kind == FindingKind::Failure ||
          kind == FindingKind::OutputMismatch) &&
         !has_positions && details >= 2;
}

// The fingerprint of a positionless finding of `kind` with only this detail.
std::string first_detail_key(FindingKind kind, const std::string &detail) {
  Finding key;
  key.kind = kind;
  key.details = {detail};
  return finding_fingerprint(Record{}, key);
}

bool json_empty(const Json &finding, const char *field) {
  return !finding.contains(field) || finding[field].empty();
}

}  // namespace

std::string merge_key(const Record &record, const Finding &finding) {
  bool positions = !finding.waiters.empty() || !finding.accesses.empty() || !finding.cycle.empty();
  if (keyed_on_first_detail(finding.kind, positions, finding.details.size()))
    return first_detail_key(finding.kind, finding.details[0]);
  return finding_fingerprint(record, finding);
}

std::string merge_key(const Json &finding) {
  bool positions = !json_empty(finding, "waiters") || !json_empty(finding, "accesses") ||
                   finding.contains("lock_order_cycle");
  size_t details = finding.contains("details") ? finding["details"].size() : 0;
  std::optional<FindingKind> kind = parse_finding_kind(finding["kind"].get<std::string>());
  if (kind && keyed_on_first_detail(*kind, positions, details))
    return first_detail_key(*kind, finding["details"][0].get<std::string>());
  return finding["fingerprint"].get<std::string>();
}

FindingMerge::FindingMerge(std::vector<ExploredFinding> &findings) : findings_(findings) {
  for (size_t i = 0; i < findings_.size(); ++i) by_key_.emplace(findings_[i].key, i);
}

ExploredFinding *FindingMerge::add(const std::string &key, uint64_t seen_in, int phase) {
  auto [it, inserted] = by_key_.emplace(key, findings_.size());
  if (!inserted) {
    ExploredFinding &known = findings_[it->second];
    if (phase != 2 || known.phase == 2) known.seen_in += seen_in;
    return nullptr;
  }
  ExploredFinding &entry = findings_.emplace_back();
  entry.key = key;
  entry.phase = phase;
  entry.seen_in = seen_in;
  return &entry;
}

}  // namespace racecheck
