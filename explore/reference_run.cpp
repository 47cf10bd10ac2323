// reference_run.cpp — see reference_run.h.
#include "reference_run.h"

#include <fstream>
#include <sstream>
#include <vector>

namespace racecheck {
namespace {

std::vector<std::string> split_lines(const std::string &text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string excerpt(const std::string &line) {
  constexpr size_t kMax = 120;
  return line.size() <= kMax ? line : line.substr(0, kMax) + "...";
}

}  // namespace

std::string read_text_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

bool ended_normally(const Record &record) {
  if (record.meta.exit_signal != 0) return false;
  for (const Finding &f : record.findings)
    if (f.kind == FindingKind::Crash || f.kind == FindingKind::Hang ||
        f.kind == FindingKind::Deadlock ||
        f.kind == FindingKind::Livelock)  // the runtime ended these runs itself
      return false;
  return true;
}

Finding exit_status_failure(int64_t status, int64_t reference_status, uint64_t reference_seed) {
  Finding failure;
  failure.kind = FindingKind::Failure;
  failure.details.push_back("exit status " + std::to_string(status) +
                            " differs from the reference schedule's " +
                            std::to_string(reference_status));
  failure.details.push_back("reference: seed " + std::to_string(reference_seed));
  return failure;
}

std::optional<Finding> compare_output(const ExpectedOutput &expected, const std::string &output,
                                      uint64_t reference_seed) {
  if (output == expected.text) return std::nullopt;
  Finding mismatch;
  mismatch.kind = FindingKind::OutputMismatch;
  std::vector<std::string> mine = split_lines(output), theirs = split_lines(expected.text);
  size_t k = 0;
  while (k < mine.size() && k < theirs.size() && mine[k] == theirs[k]) ++k;
  mismatch.details.push_back("output differs from " + expected.source);
  mismatch.details.push_back("first difference at line " + std::to_string(k + 1) +
                             " (reference: seed " + std::to_string(reference_seed) + ")");
  mismatch.details.push_back("  expected: " +
                             (k < theirs.size() ? excerpt(theirs[k]) : "(end of output)"));
  mismatch.details.push_back("  this run: " +
                             (k < mine.size() ? excerpt(mine[k]) : "(end of output)"));
  return mismatch;
}

std::optional<Finding> compare_with_reference(const ReferenceRun &reference, const Record &record,
                                              const std::string &output) {
  if (record.meta.exit_status != reference.exit_status)
    return exit_status_failure(record.meta.exit_status, reference.exit_status, reference.seed);
  if (!reference.expected) return std::nullopt;
  return compare_output(*reference.expected, output, reference.seed);
}

}  // namespace racecheck
