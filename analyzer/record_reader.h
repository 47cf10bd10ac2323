// record_reader.h — parses a run record (docs/record-format.md) into the model
// of record.h, validating it: header and version, field counts, numbers, id
// references (each must point to an entry written earlier), finding structure,
// and the closing `end-record` that tells a complete record from a cut one.
#pragma once

#include <istream>
#include <stdexcept>
#include <string>

#include "racecheck/record_format.h"
#include "record.h"

namespace racecheck {

// The format version this reader understands (the header's major number):
// the one of racecheck/record_format.h, which the runtime writes.
constexpr int kRecordFormatVersion = RC_RECORD_FORMAT_VERSION;

// A malformed or unreadable record. what() is "<source>:<line>: <message>"
// (or "<source>: <message>" when no line applies).
class RecordError : public std::runtime_error {
 public:
  RecordError(const std::string &source, int line, const std::string &message);
  int line() const { return line_; }
  const std::string &message() const { return message_; }

 private:
  int line_;
  std::string message_;
};

// The message of a record that lacks `end-record`.
extern const char kTruncatedRecordMessage[];

Record read_record(std::istream &in, const std::string &source_name);
Record read_record_file(const std::string &path);

}  // namespace racecheck
