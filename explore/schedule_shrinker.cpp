// schedule_shrinker.cpp — see schedule_shrinker.h.
#include "schedule_shrinker.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "racecheck/schedule_format.h"
#include "schedule_file.h"

namespace racecheck {

ScheduleSwitches read_schedule_switches(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScheduleError("cannot open the schedule file " + path);
  ScheduleSwitches result;
  std::string line;
  int line_number = 0;
  auto fail = [&](const std::string &what) {
    return ScheduleError("malformed schedule file " + path + ", line " +
                         std::to_string(line_number) + ": " + what);
  };
  auto number = [&](const std::string &text) -> uint64_t {
    if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
      throw fail("'" + text + "' is not a number");
    return std::stoull(text);
  };
  bool has_preemptions = false;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.rfind(RC_SCHEDULE_KEY_PREEMPTIONS " ", 0) == 0) {
      result.preemptions = number(line.substr(sizeof RC_SCHEDULE_KEY_PREEMPTIONS));
      has_preemptions = true;
    } else if (line.rfind(RC_SCHEDULE_KEY_SWITCHES " ", 0) == 0) {
      uint64_t count = number(line.substr(sizeof RC_SCHEDULE_KEY_SWITCHES));
      while (count > 0 && std::getline(in, line)) {
        ++line_number;
        if (!line.empty() && line[0] == RC_SCHEDULE_COMMENT) continue;
        if (line.rfind(RC_GUIDE_PREEMPT " ", 0) == 0)
          result.preempts.push_back(line);
        else if (line.rfind(RC_GUIDE_HANDOFF " ", 0) == 0)
          result.handoffs.push_back(line);
        else
          throw fail("expected a 'preempt' or 'handoff' line, found '" + line + "'");
        --count;
      }
      if (count > 0) throw fail("the file ends inside the switches (truncated?)");
    }
  }
  if (!has_preemptions) result.preemptions = result.preempts.size();
  return result;
}

std::string guide_file_text(const std::vector<std::string> &handoffs,
                            const std::vector<std::string> &preempts) {
  std::string text = RC_GUIDE_HEADER "\n";
  for (const std::string &line : handoffs) text += line + "\n";
  for (const std::string &line : preempts) text += line + "\n";
  return text + RC_SCHEDULE_END "\n";
}

namespace {

// Runs candidates and remembers the best reproducing one.
class CandidateRunner {
 public:
  CandidateRunner(const ScheduleSwitches &original, const ShrinkSettings &settings,
                  const GuidedRun &run, const Reproduces &reproduces, ShrinkResult &result)
      : original_(original), settings_(settings), run_(run), reproduces_(reproduces),
        result_(result) {}

  bool exhausted() {
    if (failed_ || result_.attempts >= settings_.max_attempts) return true;
    if (settings_.step_budget > 0 && result_.steps >= settings_.step_budget)
      result_.out_of_steps = true;
    if (result_.out_of_steps) return true;
    if (settings_.time_budget_seconds > 0 && elapsed() >= settings_.time_budget_seconds)
      result_.out_of_time = true;
    return result_.out_of_time;
  }

  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - begin_).count();
  }

  // Does the finding still happen with only these preemptions?
  bool reproduces_with(const std::vector<std::string> &preempts) {
    if (exhausted()) return false;
    namespace fs = std::filesystem;
    const uint64_t attempt = ++result_.attempts;
    const std::string stem = settings_.scratch_dir + "/" + settings_.name;
    const std::string guide = stem + ".guide";
    {
      std::ofstream out(guide, std::ios::binary | std::ios::trunc);
      out << guide_file_text(original_.handoffs, preempts);
      if (!out) {
        failed_ = true;
        return false;
      }
    }
    const std::string schedule = stem + "-" + std::to_string(attempt) + ".schedule";
    std::optional<Record> record = run_(guide, schedule, result_.preemptions_before);
    if (!record) {
      failed_ = true;
      return false;
    }
    result_.steps += record->meta.scheduling_points;
    if (!reproduces_(*record)) {
      discard(schedule);
      return false;
    }
    uint64_t measured = 0;
    try {
      measured = read_schedule_switches(schedule).preemptions;
    } catch (const ScheduleError &) {
      discard(schedule);
      return false;
    }
    if (measured < result_.preemptions_after) {
      if (!result_.schedule.empty()) discard(result_.schedule);
      result_.preemptions_after = measured;
      result_.schedule = schedule;
      result_.record = std::move(record);
    } else {
      discard(schedule);
    }
    return true;
  }

 private:
  static void discard(const std::string &schedule) {
    std::error_code ec;
    for (const char *suffix : {"", ".stdout", ".stderr"})
      std::filesystem::remove(schedule + suffix, ec);
  }

  const ScheduleSwitches &original_;
  const ShrinkSettings &settings_;
  const GuidedRun &run_;
  const Reproduces &reproduces_;
  ShrinkResult &result_;
  bool failed_ = false;
  std::chrono::steady_clock::time_point begin_ = std::chrono::steady_clock::now();
};

// Most findings need no preemption at all: try that first; then ddmin.
void ddmin(const ScheduleSwitches &original, CandidateRunner &runner) {
  if (runner.reproduces_with({})) return;
  // ddmin: at granularity n, try each chunk alone, then each complement;
  // a chunk that reproduces restarts at n = 2, a complement coarsens to
  // n - 1; else refine until single preemptions. Context matters (dropping
  // one preemption moves where the next lands), so a lone chunk can
  // succeed where every complement fails.
  std::vector<std::string> kept = original.preempts;
  size_t n = 2;
  while (kept.size() >= 2 && !runner.exhausted()) {
    const size_t chunk = (kept.size() + n - 1) / n;
    std::vector<std::vector<std::string>> chunks, complements;
    for (size_t start = 0; start < kept.size(); start += chunk) {
      const size_t end = std::min(kept.size(), start + chunk);
      chunks.emplace_back(kept.begin() + start, kept.begin() + end);
      std::vector<std::string> complement(kept.begin(), kept.begin() + start);
      complement.insert(complement.end(), kept.begin() + end, kept.end());
      complements.push_back(std::move(complement));
    }
    bool reduced = false;
    for (size_t i = 0; i < chunks.size() && !reduced && !runner.exhausted(); ++i)
      if (runner.reproduces_with(chunks[i])) {
        kept = chunks[i];
        n = 2;
        reduced = true;
      }
    for (size_t i = 0;
         i < complements.size() && chunks.size() > 2 && !reduced && !runner.exhausted(); ++i)
      if (runner.reproduces_with(complements[i])) {
        kept = complements[i];
        n = std::max<size_t>(n - 1, 2);
        reduced = true;
      }
    if (reduced) continue;
    if (n >= kept.size()) break;
    n = std::min(n * 2, kept.size());
  }
}

}  // namespace

ShrinkResult shrink_schedule(const std::string &schedule_path, const ShrinkSettings &settings,
                             const GuidedRun &run, const Reproduces &reproduces) {
  ShrinkResult result;
  ScheduleSwitches original;
  try {
    original = read_schedule_switches(schedule_path);
  } catch (const ScheduleError &) {
    return result;  // an older file without switches: nothing to shrink
  }
  result.preemptions_before = result.preemptions_after = original.preemptions;
  if (original.preemptions == 0 || settings.max_attempts == 0) return result;
  CandidateRunner runner(original, settings, run, reproduces, result);
  ddmin(original, runner);
  result.seconds = runner.elapsed();
  return result;
}

std::string shrink_note(const ShrinkResult &result) {
  if (result.schedule.empty()) return "";
  return "schedule shrunk from " + std::to_string(result.preemptions_before) + " to " +
         std::to_string(result.preemptions_after) + " preemption(s)";
}

}  // namespace racecheck
