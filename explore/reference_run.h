// reference_run.h — program failures across the schedules of an
// exploration. The first schedule that ends normally is the reference; a
// later one that ends normally (no crash, hang, deadlock or livelock
// finding) with another exit status is a `failure` finding (the program's
// own self-check said no). Output is compared only when the user asks
// (--check-output: with the reference schedule's; --expect-output FILE:
// with the file's), as an `output-mismatch` finding: real programs print
// interleaving-dependent output (counters, completion order). Each finding's
// first detail names the difference without schedule-specific numbers, so
// the same failure merges across schedules (finding_merge.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "record.h"

namespace racecheck {

// The stdout every schedule must print, when the user asked for a check.
struct ExpectedOutput {
  std::string text;
  std::string source;  // "the reference schedule's", "the expected output in F"
};

struct ReferenceRun {
  uint64_t seed = 0;
  int64_t exit_status = 0;
  std::string output;
  std::optional<ExpectedOutput> expected;  // nullopt: output is not checked
};

// Did the run end by itself (not stopped by the runtime or a signal)?
bool ended_normally(const Record &record);

// The failure `record` (with stdout `output`) shows against the reference:
// its exit status, and its expected output when checked; nullopt when it
// behaved the same.
std::optional<Finding> compare_with_reference(const ReferenceRun &reference, const Record &record,
                                              const std::string &output);

// An `output-mismatch` finding when `output` is not `expected`.
std::optional<Finding> compare_output(const ExpectedOutput &expected, const std::string &output,
                                      uint64_t reference_seed);

// A `failure` finding for a run that exited with `status` where the
// reference (`reference_seed`) exited with `reference_status`.
Finding exit_status_failure(int64_t status, int64_t reference_status, uint64_t reference_seed);

// The whole file ("" when it cannot be read).
std::string read_text_file(const std::string &path);

}  // namespace racecheck
