// race_directed.cpp — see race_directed.h.
#include "race_directed.h"

#include <algorithm>

#include "racecheck/schedule_format.h"
#include "racecheck/text_encoding.h"

namespace racecheck {
namespace {

// A bare token, %-encoded as the runtime's schedule writer and reader do
// (racecheck/text_encoding.h); "-" when empty.
std::string token(const std::string &text) {
  if (text.empty()) return RC_SCHEDULE_NONE;
  std::string out;
  for (unsigned char c : text) {
    char esc[RC_TOKEN_BYTE_MAX];
    out.append(esc, rc_token_encode_byte(c, esc));
  }
  return out;
}

std::string site_token(const Site &site) {
  if (site.file.empty()) return RC_SCHEDULE_NONE;
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
  out.line = RC_SCHEDULE_KEY_RACE_TARGET " " + site_token(first) + " " + token(first.function) +
             " " + site_token(second) + " " + token(second.function);
  out.description = short_site(second) + " before " + short_site(first);
  return true;
}

void sort_race_targets(std::vector<RaceTarget> &targets) {
  std::sort(targets.begin(), targets.end(),
            [](const RaceTarget &a, const RaceTarget &b) { return a.line < b.line; });
  targets.erase(
      std::unique(targets.begin(), targets.end(),
                  [](const RaceTarget &a, const RaceTarget &b) { return a.line == b.line; }),
      targets.end());
}

std::string race_targets_file_text(const RaceTarget &target) {
  return RC_RACE_TARGETS_HEADER "\n" + target.line + "\n" RC_SCHEDULE_END "\n";
}

}  // namespace racecheck
