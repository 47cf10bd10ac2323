// untrusted_input.cpp — see untrusted_input.h.
#include "untrusted_input.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include "racecheck/text_encoding.h"

namespace racecheck {
namespace {

// Length of the valid UTF-8 sequence starting at text[i] (not a C1 control),
// 0 when there is none.
size_t printable_utf8_length(std::string_view text, size_t i) {
  const auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char c = byte(i);
  size_t length = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
  if (length == 0 || i + length > text.size()) return 0;
  for (size_t k = 1; k < length; ++k)
    if ((byte(i + k) & 0xc0) != 0x80) return 0;
  if (length == 2 && c == 0xc2 && byte(i + 1) < 0xa0) return 0;   // C1 controls
  if (length == 3 && c == 0xe0 && byte(i + 1) < 0xa0) return 0;   // overlong
  if (length == 3 && c == 0xed && byte(i + 1) >= 0xa0) return 0;  // surrogates
  if (length == 4 && c == 0xf0 && byte(i + 1) < 0x90) return 0;   // overlong
  if (length == 4 && c == 0xf4 && byte(i + 1) >= 0x90) return 0;  // beyond U+10FFFF
  return length;
}

}  // namespace

LineRead read_bounded_line(std::istream &in, std::string &line, size_t max_line) {
  line.clear();
  std::streambuf *buf = in.rdbuf();
  for (;;) {
    int c = buf->sbumpc();
    if (c == std::char_traits<char>::eof()) {
      in.setstate(std::ios::eofbit);
      return line.empty() ? LineRead::End : LineRead::Line;
    }
    if (c == '\n') return LineRead::Line;
    if (line.size() >= max_line) return LineRead::TooLong;
    line.push_back(static_cast<char>(c));
  }
}

bool read_bounded_file(const std::string &path, size_t max_bytes, std::string &contents,
                       std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + terminal_safe(path) + ": " + std::strerror(errno);
    return false;
  }
  contents.clear();
  char chunk[1 << 16];
  while (in.read(chunk, sizeof chunk) || in.gcount() > 0) {
    contents.append(chunk, static_cast<size_t>(in.gcount()));
    if (contents.size() > max_bytes) {
      error = terminal_safe(path) + " is larger than " + std::to_string(max_bytes) + " bytes";
      return false;
    }
  }
  if (in.bad()) {
    error = "cannot read " + terminal_safe(path);
    return false;
  }
  return true;
}

std::string terminal_safe(std::string_view text, bool keep_layout) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c >= 0x20 && c < 0x7f) || (keep_layout && (c == '\n' || c == '\t'))) {
      out += static_cast<char>(c);
      ++i;
      continue;
    }
    if (size_t length = c >= 0x80 ? printable_utf8_length(text, i) : 0) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    char hex[2];
    rc_hex_pair(c, hex);
    out += "\\x";
    out.append(hex, 2);
    ++i;
  }
  return out;
}

}  // namespace racecheck
