// test_data.cpp — fixture helpers shared by the analyzer tests.
#include "test_data.h"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "record_reader.h"
#include "source_paths.h"

namespace racecheck::test {

std::string data_path(const std::string &name) {
  return std::string(RACECHECK_TEST_DATA_DIR) + "/" + name;
}

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

Record load_fixture(const std::string &name) { return read_record_file(data_path(name)); }

Record parse(const std::string &text) {
  std::istringstream in(text);
  return read_record(in, "<test>");
}

ScopedDisplayBase::ScopedDisplayBase(const std::string &directory) : previous_(display_base()) {
  set_display_base(directory);
}

ScopedDisplayBase::~ScopedDisplayBase() { set_display_base(previous_); }

}  // namespace racecheck::test
