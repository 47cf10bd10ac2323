// record_reader_fuzzer.cpp — libFuzzer target for the analyzer's run-record
// reader (analyzer/record_reader.cpp). A record can come from a program that
// was killed mid-write, from another version, or from anyone's disk: it must
// be read or refused with a RecordError, never crash, hang or leak.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "record_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char *>(data), size));
  try {
    racecheck::Record record = racecheck::read_record(in, "fuzz.record");
    (void)record;
  } catch (const racecheck::RecordError &) {
    // a clean refusal
  }
  return 0;
}
