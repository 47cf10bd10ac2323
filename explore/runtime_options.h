// runtime_options.h — the RACECHECK_OPTIONS the runtime understands, taken
// from runtime/include/racecheck/options.inc (the one list of options), for `run --help` and
// to build the option string `racecheck run` hands to the program.
#pragma once

#include <string>
#include <vector>

namespace racecheck {

struct RuntimeOption {
  std::string type;  // u64, bool, str
  std::string name;
  std::string default_value;  // as the user would write it
  std::string description;
};

const std::vector<RuntimeOption> &runtime_options();

// Help text: one option per paragraph.
std::string runtime_options_help();

// The separators of RACECHECK_OPTIONS (':' and blanks) cannot appear in a value.
bool is_valid_option_value(const std::string &value);

}  // namespace racecheck
