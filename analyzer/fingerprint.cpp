// fingerprint.cpp — FNV-1a over a canonical, order-independent description.
#include "fingerprint.h"

#include "source_paths.h"

#include <algorithm>
#include <cstdio>
#include <vector>

namespace racecheck {
namespace {

// Field and part separators: control characters that do not occur in source
// paths or symbol names, so distinct inputs give distinct canonical strings.
constexpr char kSep = '\x1f';

std::string site_key(const Record &record, int site_id) {
  if (site_id == kNoId) return "?";
  const Site &s = record.site(site_id);
  // The file as shown (relative to the working directory when under it), so
  // the same bug in two checkouts of a project has the same fingerprint.
  return display_path(s.file) + kSep + std::to_string(s.line) + kSep + std::to_string(s.column) +
         kSep + s.function;
}

std::string variable_key(const Record &record, const Variable &v) {
  switch (v.kind) {
    case VariableKind::Global: return "global" + std::string(1, kSep) + v.name + kSep + v.field;
    case VariableKind::Heap:
      return "heap" + std::string(1, kSep) + site_key(record, v.site) + kSep +
             std::to_string(v.offset);
    case VariableKind::Stack: return "stack";
    case VariableKind::Tls: return "tls";
    case VariableKind::Fd:
      return "fd" + std::string(1, kSep) + v.fd_kind + kSep + site_key(record, v.site);
    case VariableKind::Mapping:  // the file and offset, or where anonymous memory was mapped
      return "mapping" + std::string(1, kSep) +
             (v.name.empty() ? site_key(record, v.site) : display_path(v.name)) + kSep +
             std::to_string(v.offset);
    case VariableKind::Unknown: break;
  }
  return "unknown";
}

}  // namespace

uint64_t fnv1a64(std::string_view data, uint64_t hash) {
  return rc_fnv1a64(hash, data.data(), data.size());
}

std::string finding_fingerprint(const Record &record, const Finding &finding) {
  std::vector<std::string> parts;
  for (const Access &a : finding.accesses)
    parts.push_back(std::string(a.write ? "w" : "r") + kSep + site_key(record, a.site));
  // A starvation is its starving thread's wait (resource and position); who
  // bypassed it, and where, varies between schedules of the same bug.
  size_t n_waiters = finding.kind == FindingKind::Starvation && !finding.waiters.empty()
                         ? 1
                         : finding.waiters.size();
  for (size_t i = 0; i < n_waiters; ++i) {
    const Waiter &w = finding.waiters[i];
    parts.push_back(w.operation + kSep + site_key(record, w.site) +
                    (finding.kind == FindingKind::Starvation ? kSep + w.object : std::string()));
  }
  // A misuse is its case at the offending call (waiters[0]); the holder's
  // acquisition (waiters[1]) is context that varies with the schedule.
  if (finding.kind == FindingKind::Misuse && !finding.waiters.empty()) {
    parts.resize(parts.size() - n_waiters + 1);
    parts.back() += kSep + finding.misuse_case;
  }
  // A lock-order cycle: each step's hold and wait positions (rotation-free).
  for (const LockEdge &e : finding.cycle)
    parts.push_back("hold" + std::string(1, kSep) + site_key(record, e.held.acquire_site) + kSep +
                    "wait" + kSep + site_key(record, e.site));
  std::sort(parts.begin(), parts.end());

  std::string canonical(finding_kind_name(finding.kind));
  for (const std::string &p : parts) canonical += std::string(1, '\x1e') + p;
  // The same code found racing in a forked child is that child's finding.
  if (!record.meta.process.empty()) canonical += "\x1eprocess " + record.meta.process;
  if (finding.variable)
    canonical += std::string(1, '\x1e') + variable_key(record, *finding.variable);
  // Findings without positions (a crash outside instrumented code) are told
  // apart by their text.
  if (parts.empty())
    for (const std::string &d : finding.details) canonical += std::string(1, '\x1e') + d;

  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(fnv1a64(canonical)));
  return hex;
}

}  // namespace racecheck
