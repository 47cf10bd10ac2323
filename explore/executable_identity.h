// executable_identity.h — the binary identity of an executable file on disk,
// computed the way the runtime computes its own (runtime/src/record/
// binary_identity.c): the ELF NT_GNU_BUILD_ID note of the program headers'
// PT_NOTE segments ("build-id:<hex>"), else FNV-1a of the file's bytes
// ("fnv1a64:<16 hex>"). `racecheck replay` compares it with the schedule's
// `binary` line before it starts anything the schedule names.
#pragma once

#include <optional>
#include <string>

namespace racecheck {

struct ExecutableFacts {
  std::string identity;                // "build-id:..." or "fnv1a64:..."
  bool has_racecheck_runtime = false;  // its dynamic symbols define __racecheck_init
};

// The facts, or nullopt with error set when the file cannot be opened, is
// not a regular file or is not an ELF executable for this machine. Reads are
// bounded by the file's size and fixed limits; nothing is mapped or run.
std::optional<ExecutableFacts> inspect_executable(const std::string &path, std::string &error);

}  // namespace racecheck
