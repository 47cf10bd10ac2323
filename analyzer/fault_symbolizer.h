// fault_symbolizer.h — the source frames of a crash's trapping instruction:
// the runtime records its address and module (record entry `fault`), and
// llvm-symbolizer reads the module's debug information (function, file,
// line, column, inlined frames innermost first). The analyzer stays free of
// a DWARF library; without llvm-symbolizer, or without debug information,
// the frames are empty and reports show the address alone.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "source_frame.h"

namespace racecheck {

// The address llvm-symbolizer takes for `pc` in `module` loaded at `base`:
// pc - base for a position-independent module (shared object, PIE), pc
// itself for a fixed-address executable (ELF type ET_EXEC).
uint64_t module_address(const std::string &module, uint64_t pc, uint64_t base);

// Frames of `address` in `module`, innermost first; empty when unknown.
// The symbolizer is $RACECHECK_SYMBOLIZER, else llvm-symbolizer-19 or
// llvm-symbolizer on PATH.
std::vector<SourceFrame> symbolize_address(const std::string &module, uint64_t address);

// Parses llvm-symbolizer's output for one address ("FUNCTION\nFILE:LINE:COL\n"
// per frame, innermost first, a blank line after the last).
std::vector<SourceFrame> parse_symbolizer_output(const std::string &text);

}  // namespace racecheck
