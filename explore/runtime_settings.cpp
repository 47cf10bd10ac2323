// runtime_settings.cpp — see runtime_settings.h.
#include "runtime_settings.h"

#include <cstdlib>
#include <regex>

#include "runtime_options.h"

namespace racecheck {

bool strategy_options(const std::string &strategy,
                      std::vector<std::pair<std::string, std::string>> &out) {
  static const std::regex kPct("pct(:([1-9][0-9]{0,5}))?");
  std::smatch m;
  if (std::regex_match(strategy, m, kPct)) {
    out.emplace_back("strategy", "pct");
    if (m[2].matched) out.emplace_back("pct_depth", m[2].str());
    return true;
  }
  // The bounded searches carry their bound in the runtime's strategy name
  // (pb-N, db-N), which schedule headers record and replays re-create.
  static const std::regex kBounded("(pb|db)(:([1-9]|1[0-6]))?");
  if (std::regex_match(strategy, m, kBounded)) {
    out.emplace_back("strategy", m[1].str() + "-" + (m[3].matched ? m[3].str() : "2"));
    return true;
  }
  if (strategy.empty() || !is_valid_option_value(strategy)) return false;
  out.emplace_back("strategy", strategy);
  return true;
}

std::string build_options_string(const RuntimeSettings &settings) {
  std::string text;
  if (const char *existing = std::getenv("RACECHECK_OPTIONS")) text = existing;
  // Later settings win, so ours come after the user's; record and report
  // last.
  auto add = [&](const std::string &name, const std::string &value) {
    if (!text.empty()) text += ':';
    text += name + "=" + value;
  };
  if (settings.seed) add("seed", std::to_string(*settings.seed));
  if (settings.strategy) {
    std::vector<std::pair<std::string, std::string>> pairs;
    strategy_options(*settings.strategy, pairs);
    for (const auto &[name, value] : pairs) add(name, value);
  }
  if (settings.preempt_budget) add("preempt_budget", std::to_string(*settings.preempt_budget));
  if (settings.pct_steps) add("pct_steps", std::to_string(*settings.pct_steps));
  if (!settings.replay.empty()) add("replay", settings.replay);
  if (!settings.schedule_out.empty()) add("schedule_out", settings.schedule_out);
  if (!settings.directed_targets.empty()) add("directed_targets", settings.directed_targets);
  if (!settings.guide.empty()) add("guide", settings.guide);
  if (!settings.guided_base.empty()) add("guided_base", settings.guided_base);
  if (!settings.race_targets.empty()) add("race_targets", settings.race_targets);
  if (settings.spurious_wakeups) add("spurious_wakeups", "1");
  if (settings.access_points) add("access_points", "1");
  if (settings.max_steps) add("max_steps", std::to_string(*settings.max_steps));
  if (settings.shrunk_from) add("shrunk_from", std::to_string(*settings.shrunk_from));
  add("record", settings.record);
  add("report", "0");
  return text;
}

bool spurious_wakeups_for(const RunOptions &options, uint64_t seed) {
  if (options.spurious_wakeups == "on") return true;
  if (options.spurious_wakeups == "off") return false;
  return seed % 2 == 1;
}

bool access_points_for(const RunOptions &options, bool exploring) {
  if (options.access_points == "on") return true;
  if (options.access_points == "off") return false;
  return exploring;
}

}  // namespace racecheck
