// junit_report.cpp — see junit_report.h. The schema CI systems read is the
// Ant/Jenkins one: testsuites > testsuite > testcase [> failure].
#include "junit_report.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <vector>

#include "racecheck/record_format.h"

namespace racecheck {
namespace {

using Json = nlohmann::ordered_json;

constexpr const char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD

// The length of the valid UTF-8 sequence at text[i], 0 when invalid.
size_t utf8_length(const std::string &text, size_t i) {
  const unsigned char c = text[i];
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  uint32_t code = n == 1 ? c : c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    const unsigned char d = text[i + k];
    if ((d >> 6) != 2) return 0;
    code = (code << 6) | (d & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMin[n] || (code >= 0xD800 && code <= 0xDFFF) || code > 0x10FFFF) return 0;
  // XML 1.0 Char: no C0 controls but tab, newline, return; no U+FFFE/FFFF.
  if ((code < 0x20 && code != 9 && code != 10 && code != 13) || code == 0xFFFE || code == 0xFFFF)
    return 0;
  return n;
}

}  // namespace

std::string xml_escaped(const std::string &text) {
  std::string out;
  for (size_t i = 0; i < text.size();) {
    const size_t n = utf8_length(text, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    switch (text[i]) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      case '\r': out += "&#13;"; break;
      default: out.append(text, i, n);
    }
    i += n;
  }
  return out;
}

std::string junit_report(const nlohmann::ordered_json &report, const std::string &program) {
  // The findings of each kind, in report order.
  std::map<std::string, std::vector<const Json *>> by_kind;
  static const Json kNone = Json::array();
  const Json &all = report.contains("findings") ? report["findings"] : kNone;
  for (const Json &f : all)
    if (f.contains("kind") && f["kind"].is_string()) by_kind[f["kind"]].push_back(&f);
  // Every kind racecheck checks is a test case (passing ones included, so a
  // CI view shows what was checked), then any kind this racecheck does not
  // know (a newer shard's).
  std::vector<std::string> kinds;
  for (int k = 0; k < RC_RECORD_FINDING_KIND_COUNT; ++k)
    kinds.push_back(rc_record_finding_kind_name(static_cast<rc_record_finding_kind>(k)));
  for (const auto &[kind, findings] : by_kind)
    if (std::find(kinds.begin(), kinds.end(), kind) == kinds.end()) kinds.push_back(kind);

  size_t failures = 0;
  for (const std::string &kind : kinds) failures += by_kind.count(kind) ? 1 : 0;
  // The program by its file name: a CI view groups by class name, and dots
  // in "./prog" would read as packages.
  const std::string suite = xml_escaped("racecheck." + program.substr(program.rfind('/') + 1));
  std::string xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  xml += "<testsuites name=\"racecheck\" tests=\"" + std::to_string(kinds.size()) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\">\n";
  xml += "  <testsuite name=\"" + suite + "\" tests=\"" + std::to_string(kinds.size()) +
         "\" failures=\"" + std::to_string(failures) + "\" errors=\"0\" skipped=\"0\">\n";
  for (const std::string &kind : kinds) {
    xml += "    <testcase classname=\"" + suite + "\" name=\"" + xml_escaped(kind) + "\"";
    auto it = by_kind.find(kind);
    if (it == by_kind.end()) {
      xml += "/>\n";
      continue;
    }
    const std::vector<const Json *> &findings = it->second;
    std::string text;
    for (const Json *f : findings) {
      if (f->contains("report_text") && (*f)["report_text"].is_string())
        text += (*f)["report_text"].get<std::string>();
      else
        text += "WARNING: racecheck: " + f->value("message", std::string()) + "\n";
      if (f->contains("schedule") && (*f)["schedule"].is_string())
        text += "replay: racecheck replay " + (*f)["schedule"].get<std::string>() + "\n";
    }
    const std::string first = findings.front()->value("message", std::string());
    xml += ">\n      <failure type=\"" + xml_escaped(kind) + "\" message=\"" +
           std::to_string(findings.size()) + " finding" + (findings.size() == 1 ? "" : "s") + ": " +
           xml_escaped(first) + "\">" + xml_escaped(text) + "</failure>\n    </testcase>\n";
  }
  xml += "  </testsuite>\n</testsuites>\n";
  return xml;
}

}  // namespace racecheck
