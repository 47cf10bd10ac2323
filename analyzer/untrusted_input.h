// untrusted_input.h — reading and echoing what a user hands racecheck (records,
// schedule files, JSON shards): lines and files are read with a bound, so
// /dev/zero or an endless pipe ends with an error instead of exhausting memory,
// and text taken from such files is made safe to print on a terminal.
#pragma once

#include <istream>
#include <string>
#include <string_view>

namespace racecheck {

// The longest line racecheck reads from a record or schedule file. The
// longest legitimate ones (a stack, a vector clock of thousands of threads, a
// program argument) stay far below it.
constexpr size_t kMaxInputLine = size_t{16} << 20;

enum class LineRead { Line, End, TooLong };

// Reads the next line (without its '\n') into line, reading at most max_line
// + 1 bytes: End when the stream has nothing left, TooLong when the line does
// not end within max_line bytes.
LineRead read_bounded_line(std::istream &in, std::string &line, size_t max_line = kMaxInputLine);

// Reads the whole file at path, at most max_bytes: false with error set
// ("cannot open ...", "... is larger than N bytes") otherwise.
bool read_bounded_file(const std::string &path, size_t max_bytes, std::string &contents,
                       std::string &error);

// text with everything a terminal could act on escaped as \xHH: C0 controls
// (except '\n' and '\t' when keep_layout), DEL, C1 controls and bytes that
// are not valid UTF-8. Valid UTF-8 (non-ASCII names) stays readable.
std::string terminal_safe(std::string_view text, bool keep_layout = false);

}  // namespace racecheck
