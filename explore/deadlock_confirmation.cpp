// deadlock_confirmation.cpp — see deadlock_confirmation.h.
#include "deadlock_confirmation.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "racecheck/schedule_format.h"

namespace racecheck {
namespace {

bool writable_field(const std::string &text) {
  return text.find_first_of("\t\n") == std::string::npos;
}

// NAME FILE LINE CREATOR ORDINAL, as directed_targets.h names a lock.
std::optional<std::string> lock_key(const Record &record, int lock_id) {
  const Lock &lock = record.lock(lock_id);
  std::string file;
  uint32_t line = 0;
  if (lock.site != kNoId) {
    file = record.site(lock.site).file;
    line = record.site(lock.site).line;
  }
  if (!writable_field(lock.name) || !writable_field(file)) return std::nullopt;
  return lock.name + "\t" + file + "\t" + std::to_string(line) + "\t" +
         std::to_string(lock.creator < 0 ? 0 : lock.creator) + "\t" + std::to_string(lock.ordinal);
}

bool same_position(const Record &a, int site_a, const Record &b, int site_b) {
  if (site_a == kNoId || site_b == kNoId) return false;
  const Site &x = a.site(site_a), &y = b.site(site_b);
  return x.file == y.file && x.line == y.line && x.column == y.column;
}

}  // namespace

std::optional<std::string> directed_targets_text(const Record &record, const Finding &cycle) {
  std::ostringstream out;
  out << RC_DIRECTED_TARGETS_COMMENT "\n";
  for (const LockEdge &e : cycle.cycle) {
    if (e.site == kNoId) return std::nullopt;
    const Site &site = record.site(e.site);
    auto wanted = lock_key(record, e.lock), held = lock_key(record, e.held.lock);
    if (!wanted || !held || !writable_field(site.file)) return std::nullopt;
    out << RC_DIRECTED_TARGET_KEYWORD "\t" << e.tid << "\t" << site.file << "\t" << site.line
        << "\t" << *wanted << "\t" << *held << "\t0\n";
  }
  return out.str();
}

bool deadlock_matches_cycle(const Record &cycle_record, const Finding &cycle, const Record &run,
                            const Finding &deadlock) {
  if (deadlock.kind != FindingKind::Deadlock || cycle.cycle.empty()) return false;
  for (const LockEdge &e : cycle.cycle) {
    bool waits = false;
    for (const Waiter &w : deadlock.waiters)
      waits = waits || (w.tid == e.tid && same_position(cycle_record, e.site, run, w.site));
    if (!waits) return false;
  }
  return true;
}

bool confirm_lock_order_cycles(Record &record, const ConfirmationSettings &settings,
                               const DirectedRun &run) {
  namespace fs = std::filesystem;
  uint64_t runs = 0;  // over all cycles
  size_t untried = 0;
  for (size_t index = 0; index < record.findings.size(); ++index) {
    Finding &cycle = record.findings[index];
    if (cycle.kind != FindingKind::LockOrderCycle || cycle.confirmed || cycle.cycle.empty())
      continue;
    std::optional<std::string> targets = directed_targets_text(record, cycle);
    if (!targets) continue;  // cannot name it to the runtime: leave it potential
    if (runs >= settings.total_attempts) {
      ++untried;
      continue;
    }
    const std::string targets_path = settings.scratch_dir + "/directed.targets";
    const std::string schedule_path = settings.scratch_dir + "/directed.schedule";
    {
      std::ofstream out(targets_path, std::ios::binary | std::ios::trunc);
      out << *targets;
      if (!out) return false;
    }
    Finding::DirectedConfirmation outcome;
    outcome.budget = std::min(settings.attempts, settings.total_attempts - runs);
    for (uint64_t seed = 0; seed < outcome.budget; ++seed) {
      std::error_code ec;
      fs::remove(schedule_path, ec);
      std::optional<Record> result = run(seed, targets_path, schedule_path);
      if (!result) return false;
      ++outcome.attempts;
      ++runs;
      bool deadlocked = false;
      for (const Finding &f : result->findings)
        deadlocked = deadlocked || deadlock_matches_cycle(record, cycle, *result, f);
      if (!deadlocked) continue;
      outcome.seed = seed;
      outcome.schedule = settings.keep_schedule(schedule_path, index + 1);
      if (outcome.schedule.empty()) return false;
      cycle.confirmed = true;
      break;
    }
    cycle.confirmation = outcome;
  }
  if (untried > 0)
    record.notes.push_back("deadlock confirmation: stopped after " + std::to_string(runs) +
                           " directed runs in total (--confirm-total); " + std::to_string(untried) +
                           " potential deadlock(s) were not tried and stay potential");
  return true;
}

}  // namespace racecheck
