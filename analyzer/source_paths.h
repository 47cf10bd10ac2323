// source_paths.h — how reports spell a source file. The plugin records
// absolute paths (the debug info's file joined with its compilation
// directory); a report shows a file under the current working directory
// relative to it (`tools/demo/bank.c` when run from the project), and any
// other file by its full path.
#pragma once

#include <string>

namespace racecheck {

// `file` as a report prints it, relative to the display base directory when
// the file lies under it. Relative paths (older records, hand-written ones)
// are printed as recorded.
std::string display_path(const std::string &file);

// The directory paths are shown relative to; by default the process's
// current working directory, read once. Set it (e.g. in tests) to fix the
// output; an empty string turns the shortening off.
void set_display_base(const std::string &directory);

// The current base (the working directory unless set).
const std::string &display_base();

// `file` relative to `base` when it lies under it, else `file` unchanged.
// Purely lexical: both are taken as they are spelled, after dropping "."
// components and redundant separators.
std::string path_relative_to(const std::string &file, const std::string &base);

}  // namespace racecheck
