// fingerprint.h — a stable identity for a finding, to deduplicate and track
// findings across runs, seeds and machines. It hashes only source facts (kind,
// the positions involved, the variable's name), never seeds, ids or thread
// numbers, and sorts the positions so the order of the two accesses (which
// depends on the interleaving) does not matter.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "racecheck/text_encoding.h"
#include "record.h"

namespace racecheck {

// 64-bit FNV-1a (Fowler, Noll, Vo): the runtime's, racecheck/text_encoding.h.
uint64_t fnv1a64(std::string_view data, uint64_t hash = RC_FNV1A64_OFFSET_BASIS);

// 16 lowercase hex digits.
std::string finding_fingerprint(const Record &record, const Finding &finding);

}  // namespace racecheck
