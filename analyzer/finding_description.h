// finding_description.h — the wording shared by the text and JSON reports:
// a finding's one-line message, what was raced on, how a held lock reads.
#pragma once

#include <string>
#include <vector>

#include "record.h"
#include "source_frames.h"

namespace racecheck {

// "T2"; "T?" for -1.
std::string thread_name(int tid);

// "data race", "deadlock", "lock-order cycle", ...
std::string finding_title(FindingKind kind);

// The report's first line without the "WARNING: racecheck: " prefix, e.g.
// "data race on counter (counter.c:9 vs counter.c:9)".
std::string finding_message(const Record &record, const Finding &finding);

// Short name of the raced-on memory: "checking.balance", "checking+48" (no
// field path known, access at offset 48), "heap block of
// size 40 at offset 8", "stack of T1", "thread-local storage of T1".
std::string variable_short_name(const Variable &variable);
// variable_short_name plus, for a freed heap block, who freed it and where:
// "heap block of size 40 at offset 8, freed by thread T0 at a.c:26".
std::string variable_description(const Record &record, const Variable &variable);

// A global's name with its field path: "checking.balance", "items[3].count".
std::string qualified_global_name(const Variable &variable);

// "mutex 'm'", or for an unnamed lock "mutex created at a.c:20 by T1".
std::string lock_identity(const Record &record, const Lock &lock);

// "mutex 'm' (acquired at file:line)", "rwlock 'r' (read, acquired at ...)";
// the position is the acquisition's innermost frame outside system headers.
std::string held_lock_description(const Record &record, const HeldLock &held);

// The threads a finding involves, in order of first mention (accesses,
// waiters, heap allocation), without duplicates.
std::vector<int> involved_threads(const Finding &finding);

}  // namespace racecheck
