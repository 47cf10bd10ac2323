// race_directed.cpp — see race_directed.h.
#include "race_directed.h"

#include <algorithm>

namespace racecheck {
namespace {

// %-encoding of blanks, '%' and non-printable bytes, as the runtime's
// schedule writer and reader use for bare tokens; "-" when empty.
std::string token(const std::string &text) {
  if (text.empty()) return "-";
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    if (c <= 0x20 || c >= 0x7f || c == '%') {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string site_token(const Site &site) {
  if (site.file.empty()) return "-";
  return token(site.file) + ":" + std::to_string(site.line) + ":" + std::to_string(site.column);
}

std::string short_site(const Site &site) {
  size_t slash = site.file.rfind('/');
  return (slash == std::string::npos ? site.file : site.file.substr(slash + 1)) + ":" +
         std::to_string(site.line);
}

}  // namespace

bool race_target_for(const Record &record, const Finding &finding, RaceTarget &out) {
  if (finding.kind != FindingKind::DataRace || finding.accesses.size() < 2) return false;
  const Access &current = finding.accesses[0], &previous = finding.accesses[1];
  if (current.site == kNoId || previous.site == kNoId) return false;
  const Site &first = record.site(previous.site), &second = record.site(current.site);
  if (first.file.empty() || second.file.empty()) return false;
  out.line = "race_target " + site_token(first) + " " + token(first.function) + " " +
             site_token(second) + " " + token(second.function);
  out.description = short_site(second) + " before " + short_site(first);
  return true;
}

void sort_race_targets(std::vector<RaceTarget> &targets) {
  std::sort(targets.begin(), targets.end(),
            [](const RaceTarget &a, const RaceTarget &b) { return a.line < b.line; });
  targets.erase(std::unique(targets.begin(), targets.end(),
                            [](const RaceTarget &a, const RaceTarget &b) { return a.line == b.line; }),
                targets.end());
}

std::string race_targets_file_text(const RaceTarget &target) {
  return "racecheck-race-targets 1\n" + target.line + "\nend\n";
}

}  // namespace racecheck
