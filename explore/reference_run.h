// reference_run.h — program failures across the schedules of an
// exploration. The first schedule that ends normally is the reference; a
// later one that ends normally (no crash, hang, deadlock or livelock
// finding) with another exit status or other stdout is a `crash` finding
// whose first detail names the difference without schedule-specific
// numbers, so the same failure merges across schedules (finding_merge.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "record.h"

namespace racecheck {

struct ReferenceRun {
  uint64_t seed = 0;
  int64_t exit_status = 0;
  std::string output;
};

// Did the run end by itself (not stopped by the runtime or a signal)?
bool ended_normally(const Record &record);

// The failure `record` (with stdout `output`) shows against the reference,
// nullopt when it behaved the same.
std::optional<Finding> compare_with_reference(const ReferenceRun &reference, const Record &record,
                                              const std::string &output);

// The whole file ("" when it cannot be read).
std::string read_text_file(const std::string &path);

}  // namespace racecheck
