// source_frame.h — one source position of a report's stack (a function,
// file, line and column), shared by the record (a crash's symbolized fault)
// and source_frames.h, which builds them from record sites.
#pragma once

#include <cstdint>
#include <string>

namespace racecheck {

struct SourceFrame {
  std::string function;  // demangled
  std::string mangled;   // linkage name as recorded
  std::string file;      // as reports show it (see source_paths.h)
  uint32_t line = 0;     // 0: unknown (no line info, or see below)
  uint32_t column = 0;   // 0: unknown
  bool inlined = false;  // this frame was inlined into the next one
  // The call site is unknown: the function was called from (or the stack
  // passed through) uninstrumented code. Its line is 0 then.
  bool through_uninstrumented_code = false;
};

}  // namespace racecheck
