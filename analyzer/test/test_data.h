// test_data.h — access to the fixture records in analyzer/test/data.
#pragma once

#include <string>

#include "record.h"

namespace racecheck::test {

std::string data_path(const std::string &name);
std::string read_file(const std::string &path);
Record load_fixture(const std::string &name);  // e.g. "counter.record"
// Parses record text given inline (source name "<test>").
Record parse(const std::string &text);

// Shows source paths relative to `directory` (instead of the working
// directory) for the lifetime of the object, so reports are reproducible.
class ScopedDisplayBase {
 public:
  explicit ScopedDisplayBase(const std::string &directory);
  ~ScopedDisplayBase();
  ScopedDisplayBase(const ScopedDisplayBase &) = delete;
  ScopedDisplayBase &operator=(const ScopedDisplayBase &) = delete;

 private:
  std::string previous_;
};

}  // namespace racecheck::test
