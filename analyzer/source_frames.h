// source_frames.h — turns a record's (position, stack) pair into the list of
// source frames a report prints: #0 is the position itself, then the call site
// of each stack frame; inlined positions expand into one frame per inlining
// level (the inlined callee first, then the position it was inlined at).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "record.h"
#include "source_frame.h"

namespace racecheck {

// The frames of one site, following its inlined_at chain.
std::vector<SourceFrame> expand_site(const Record &record, int site_id);

// The full stack of an event at `site_id` (may be -1) with call stack
// `stack_id` (may be -1 or 0 for none).
std::vector<SourceFrame> source_stack(const Record &record, int site_id, int stack_id);

// "file:line:column", "file:line" when the column is unknown, "file (line
// unknown)" when the line is, and just "file" for a frame reached through
// uninstrumented code (the caller prints that).
std::string format_position(const SourceFrame &frame);
// "file:line" of a site (just "file" when the line is unknown), for one-line
// summaries.
std::string short_position(const Record &record, int site_id);

// "file:line" of the innermost frame of (site, stack) outside system headers
// and libraries (/usr/...), so `std::lock_guard` points at the user's line;
// the innermost frame when every frame is a system one.
std::string user_position(const Record &record, int site_id, int stack_id);

}  // namespace racecheck
