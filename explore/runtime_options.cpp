// runtime_options.cpp — the options.inc X-macro expanded into a table.
#include "runtime_options.h"

#include <sstream>

namespace racecheck {
namespace {

// Stringified defaults keep their C spelling: strip the quotes of strings.
std::string default_text(const char *type, const char *spelled) {
  std::string text = spelled;
  if (std::string(type) == "str" && text.size() >= 2 && text.front() == '"')
    text = text.substr(1, text.size() - 2);
  return text;
}

}  // namespace

const std::vector<RuntimeOption> &runtime_options() {
  static const std::vector<RuntimeOption> options = {
#define RC_FLAG(type, name, default_value, description)                                            \
  {#type, #name, default_text(#type, #default_value), description},
#include "racecheck/options.inc"
#undef RC_FLAG
  };
  return options;
}

std::string runtime_options_help() {
  std::ostringstream out;
  out << "Runtime options (RACECHECK_OPTIONS=\"name=value:name=value\"; `racecheck run` sets\n"
         "seed, strategy, preempt_budget, pct_depth, pct_steps, schedule_out, replay, record and "
         "report\n"
         "from its own flags and keeps the rest):\n";
  for (const RuntimeOption &o : runtime_options()) {
    out << "  " << o.name << "=" << (o.default_value.empty() ? "\"\"" : o.default_value) << "  ("
        << o.type << ")\n      " << o.description << "\n";
  }
  return out.str();
}

bool is_valid_option_value(const std::string &value) {
  return value.find_first_of(": \t\n") == std::string::npos;
}

}  // namespace racecheck
