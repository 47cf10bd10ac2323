// text_encoding_test.cpp — the encodings runtime and command share
// (racecheck/text_encoding.h): FNV-1a's published values, decimal digits at
// the edges of uint64_t, and which bytes tokens and quoted strings escape.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "racecheck/text_encoding.h"

namespace racecheck {
namespace {

std::string Decimal(uint64_t v) {
  char buf[RC_DECIMAL_U64_MAX];
  return std::string(buf, rc_decimal_u64(buf, v));
}

std::string Token(const std::string &text) {
  std::string out;
  for (unsigned char c : text) {
    char esc[RC_TOKEN_BYTE_MAX];
    out.append(esc, rc_token_encode_byte(c, esc));
  }
  return out;
}

std::string Quoted(const std::string &text) {
  std::string out;
  for (unsigned char c : text) {
    char esc[RC_QUOTED_BYTE_MAX];
    out.append(esc, rc_quoted_encode_byte(c, esc));
  }
  return out;
}

TEST(TextEncoding, Fnv1a64MatchesThePublishedValues) {
  EXPECT_EQ(rc_fnv1a64(RC_FNV1A64_OFFSET_BASIS, "", 0), 0xcbf29ce484222325ull);
  EXPECT_EQ(rc_fnv1a64(RC_FNV1A64_OFFSET_BASIS, "a", 1), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(rc_fnv1a64(RC_FNV1A64_OFFSET_BASIS, "foobar", 6), 0x85944171f73967e8ull);
  // Continuing a hash equals hashing the concatenation.
  EXPECT_EQ(rc_fnv1a64(rc_fnv1a64(RC_FNV1A64_OFFSET_BASIS, "foo", 3), "bar", 3),
            0x85944171f73967e8ull);
}

TEST(TextEncoding, DecimalDigits) {
  EXPECT_EQ(Decimal(0), "0");
  EXPECT_EQ(Decimal(7), "7");
  EXPECT_EQ(Decimal(1000), "1000");
  EXPECT_EQ(Decimal(UINT64_MAX), "18446744073709551615");
}

TEST(TextEncoding, TokensEscapeBlanksPercentAndNonPrintableBytes) {
  EXPECT_EQ(Token("src/a.c"), "src/a.c");
  EXPECT_EQ(Token("my file%.c"), "my%20file%25.c");
  EXPECT_EQ(Token("\t\n\x7f\xc3\xa9"), "%09%0a%7f%c3%a9");
}

TEST(TextEncoding, QuotedStringsEscapeQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(Quoted("a b%"), "a b%");
  EXPECT_EQ(Quoted("say \"hi\"\\"), "say \\\"hi\\\"\\\\");
  EXPECT_EQ(Quoted("\n\x1f\xff"), "\\x0a\\x1f\\xff");
}

}  // namespace
}  // namespace racecheck
