/* text_encoding.h — the small encodings the runtime (C) and the tools (C++)
 * share for the files they exchange, written once: the 64-bit FNV-1a hash
 * (binary identities, site hashes of switch lines, finding fingerprints),
 * unsigned decimal digits, the %-encoding of bare tokens and the \-escapes
 * of "quoted" strings in schedule, guide and race-target files
 * (docs/schedule-format.md).
 *
 * Header-only and valid C11 and C++: every function is static inline and
 * calls nothing from libc, so the runtime can use it at exit, from a
 * fatal-signal handler and before the program's constructors. */
#ifndef RACECHECK_TEXT_ENCODING_H
#define RACECHECK_TEXT_ENCODING_H

#include <stddef.h>
#include <stdint.h>

/* ---- 64-bit FNV-1a (Fowler, Noll, Vo) ---- */
#define RC_FNV1A64_OFFSET_BASIS 0xcbf29ce484222325ull
#define RC_FNV1A64_PRIME 0x100000001b3ull

/* Continues `hash` (start from RC_FNV1A64_OFFSET_BASIS) over n bytes. */
static inline uint64_t rc_fnv1a64(uint64_t hash, const void *data, size_t n) {
  const unsigned char *p = (const unsigned char *)data;
  for (size_t i = 0; i < n; i++) {
    hash ^= p[i];
    hash *= RC_FNV1A64_PRIME;
  }
  return hash;
}

/* ---- decimal ---- */
/* Room for any uint64_t in decimal (18446744073709551615). */
#define RC_DECIMAL_U64_MAX 20

/* Writes v in decimal into buf (at least RC_DECIMAL_U64_MAX bytes, no NUL
 * added); returns the number of digits. */
static inline size_t rc_decimal_u64(char *buf, uint64_t v) {
  char reversed[RC_DECIMAL_U64_MAX];
  size_t n = 0;
  do {
    reversed[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  for (size_t i = 0; i < n; i++)
    buf[i] = reversed[n - 1 - i];
  return n;
}

/* ---- hexadecimal digits ---- */
static inline char rc_hex_digit(unsigned value) {
  return "0123456789abcdef"[value & 15];
}

/* The value of a hex digit (either case), -1 for any other character. */
static inline int rc_hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Writes byte c as two hex digits into out. */
static inline void rc_hex_pair(unsigned char c, char *out) {
  out[0] = rc_hex_digit(c >> 4);
  out[1] = rc_hex_digit(c);
}

/* ---- bare tokens: %-encoding ----
 * Blanks, '%' and bytes outside printable ASCII become %HH (lowercase), so a
 * token never contains the space that separates words on a line. */
#define RC_TOKEN_BYTE_MAX 3

/* Writes the encoding of byte c into out (RC_TOKEN_BYTE_MAX bytes at least);
 * returns its length. */
static inline size_t rc_token_encode_byte(unsigned char c, char *out) {
  if (c <= 0x20 || c >= 0x7f || c == '%') {
    out[0] = '%';
    rc_hex_pair(c, out + 1);
    return 3;
  }
  out[0] = (char)c;
  return 1;
}

/* ---- "quoted" strings: \\ \" and \xHH ----
 * For values that may hold any byte but NUL (command-line arguments), on one
 * line between double quotes. */
#define RC_QUOTED_BYTE_MAX 4

/* Writes the encoding of byte c inside the quotes into out
 * (RC_QUOTED_BYTE_MAX bytes at least); returns its length. */
static inline size_t rc_quoted_encode_byte(unsigned char c, char *out) {
  if (c == '\\' || c == '"') {
    out[0] = '\\';
    out[1] = (char)c;
    return 2;
  }
  if (c < 0x20 || c >= 0x7f) {
    out[0] = '\\';
    out[1] = 'x';
    rc_hex_pair(c, out + 2);
    return 4;
  }
  out[0] = (char)c;
  return 1;
}

#endif /* RACECHECK_TEXT_ENCODING_H */
