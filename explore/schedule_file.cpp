// schedule_file.cpp — reads the header of a schedule file for `racecheck
// replay` (the runtime reads the same file again and checks all of it).
#include "schedule_file.h"

#include <filesystem>
#include <fstream>

#include "racecheck/schedule_format.h"
#include "racecheck/text_encoding.h"
#include "untrusted_input.h"

namespace racecheck {
namespace {

uint64_t parse_number(const std::string &text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument("'" + text + "' is not a number");
  try {
    return std::stoull(text);
  } catch (const std::out_of_range &) {
    throw std::invalid_argument("'" + text + "' is too large");
  }
}

// The header holds the program's arguments, quoted: four times the
// kernel's argument limit (ARG_MAX is 2 MiB by default) and some room.
constexpr size_t kMaxScheduleHeader = size_t{16} << 20;

// The writer escapes every byte outside printable ASCII (quoted strings as
// \xHH, tokens as %HH), so a schedule holds nothing else but newlines.
// Checked over the whole file before anything runs: the runtime that reads
// the decisions quotes them in its messages, and a terminal escape must not
// reach the terminal through it. Rewinds in to the start.
void check_schedule_bytes(std::istream &in, const std::string &path) {
  char chunk[1 << 16];
  size_t line = 1;
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    for (std::streamsize i = 0; i < in.gcount(); ++i) {
      unsigned char c = static_cast<unsigned char>(chunk[i]);
      if (c == '\n') {
        ++line;
      } else if (c < 0x20 || c > 0x7e) {
        char hex[2];
        rc_hex_pair(c, hex);
        throw ScheduleError(
            "malformed schedule file " + terminal_safe(path) + ", line " + std::to_string(line) +
            ": byte \\x" + std::string(hex, 2) +
            " (a schedule file is printable ASCII; its writer escapes other bytes)");
      }
    }
  }
  in.clear();
  in.seekg(0);
}

}  // namespace

std::string quote_schedule_string(const std::string &value) {
  std::string out = "\"";
  for (unsigned char c : value) {
    char esc[RC_QUOTED_BYTE_MAX];
    out.append(esc, rc_quoted_encode_byte(c, esc));
  }
  return out + "\"";
}

std::string unquote_schedule_string(const std::string &quoted) {
  if (quoted.size() < 2 || quoted.front() != '"' || quoted.back() != '"')
    throw std::invalid_argument("expected a \"quoted\" string");
  const std::string body = quoted.substr(1, quoted.size() - 2);
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '"') throw std::invalid_argument("unescaped '\"' inside the string");
    if (c != '\\') {
      out += c;
      continue;
    }
    char next = i + 1 < body.size() ? body[i + 1] : '\0';
    if (next == '\\' || next == '"') {
      out += next;
      i += 1;
    } else if (next == 'x' && i + 3 < body.size() && rc_hex_value(body[i + 2]) >= 0 &&
               rc_hex_value(body[i + 3]) >= 0) {
      int value = rc_hex_value(body[i + 2]) * 16 + rc_hex_value(body[i + 3]);
      if (value == 0) throw std::invalid_argument("NUL byte in the string");
      out += static_cast<char>(value);
      i += 3;
    } else {
      throw std::invalid_argument("bad escape sequence in the string");
    }
  }
  return out;
}

ScheduleHeader read_schedule_header(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScheduleError("cannot open the schedule file " + terminal_safe(path));
  // A device or a pipe never ends (/dev/zero) and the runtime reads the file
  // again: only a regular file is a schedule.
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec))
    throw ScheduleError("the schedule file " + terminal_safe(path) + " is not a regular file");
  check_schedule_bytes(in, path);
  ScheduleHeader header;
  std::string line;
  int line_number = 0;
  size_t header_bytes = 0;
  auto fail = [&](const std::string &what) -> ScheduleError {
    return ScheduleError(terminal_safe("malformed schedule file " + path + ", line " +
                                       std::to_string(line_number) + ": " + what));
  };
  // key and value of the next non-comment line; false at the end
  auto next = [&](std::string &key, std::string &value) {
    for (LineRead read; (read = read_bounded_line(in, line)) != LineRead::End;) {
      ++line_number;
      header_bytes += line.size() + 1;
      if (read == LineRead::TooLong || header_bytes > kMaxScheduleHeader)
        throw fail("the header is longer than " + std::to_string(kMaxScheduleHeader) + " bytes");
      if (!line.empty() && line[0] == RC_SCHEDULE_COMMENT) continue;
      size_t space = line.find(' ');
      key = line.substr(0, space);
      value = space == std::string::npos ? "" : line.substr(space + 1);
      return true;
    }
    return false;
  };
  auto expect = [&](const char *wanted) {
    std::string key, value;
    if (!next(key, value))
      throw fail(std::string("the file ends before the '") + wanted + "' line (truncated?)");
    if (key != wanted) throw fail(std::string("expected '") + wanted + "', found '" + key + "'");
    return value;
  };
  try {
    std::string value = expect(RC_SCHEDULE_FORMAT_NAME);
    header.format_version = static_cast<int>(parse_number(value));
    if (header.format_version < RC_SCHEDULE_FORMAT_VERSION_OLDEST ||
        header.format_version > RC_SCHEDULE_FORMAT_VERSION)
      throw fail("format version " + value + " is not supported (this racecheck reads versions " +
                 std::to_string(RC_SCHEDULE_FORMAT_VERSION_OLDEST) + " to " +
                 std::to_string(RC_SCHEDULE_FORMAT_VERSION) + ")");
    header.tool_version = expect(RC_SCHEDULE_KEY_TOOL);
    header.binary = expect(RC_SCHEDULE_KEY_BINARY);
    header.program = unquote_schedule_string(expect(RC_SCHEDULE_KEY_PROGRAM));
    std::string key;
    for (;;) {
      if (!next(key, value)) throw fail("the file ends before the 'strategy' line (truncated?)");
      if (key != RC_SCHEDULE_KEY_ARG) break;
      header.argv.push_back(unquote_schedule_string(value));
    }
    if (key != RC_SCHEDULE_KEY_STRATEGY)
      throw fail("expected 'arg' or 'strategy', found '" + key + "'");
    header.strategy = unquote_schedule_string(value);
    header.seed = parse_number(expect(RC_SCHEDULE_KEY_SEED));
  } catch (const std::invalid_argument &e) {
    throw fail(e.what());
  }
  if (header.argv.empty()) header.argv.push_back(header.program);
  return header;
}

}  // namespace racecheck
