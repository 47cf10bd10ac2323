// shrink_test.cpp — shrinking a finding's schedule with a fake program whose
// race needs only some of the recorded preemptions: the kept schedule ends
// with exactly those (explore/schedule_shrinker.h, explore/shrink_phase.h).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>
#include <thread>

#include "exploration.h"
#include "fake_program.h"
#include "reference_run.h"
#include "schedule_shrinker.h"
#include "shrink_phase.h"

namespace racecheck::test {
namespace {

std::vector<std::string> six_preempts() {
  std::vector<std::string> preempts;
  for (int i = 1; i <= 6; ++i)
    preempts.push_back("preempt T1 mutex_lock fake.c:" + std::to_string(i) + ":1 1 T2");
  return preempts;
}

// The race shows when the schedule keeps preemptions 2 and 5.
FakeBehaviour needs_two_and_five(const Options &options) {
  FakeBehaviour b;
  bool guided = options.count("strategy") && options.at("strategy") == "guided";
  b.preempts = guided ? guide_preempts(options) : six_preempts();
  auto has = [&](int i) {
    return std::count(b.preempts.begin(), b.preempts.end(), six_preempts()[i - 1]) > 0;
  };
  if (has(2) && has(5)) b.races.push_back({10, 20});
  return b;
}

RunOptions shrinking_options(const TempDir &dir) {
  RunOptions options;
  options.command = {"./fake"};
  options.out_dir = dir.path() + "/out";
  options.race_directed_schedules = 0;
  return options;
}

TEST(Shrink, AFindingsScheduleShrinksToThePreemptionsItNeeds) {
  TempDir dir;
  FakeProgram program(needs_two_and_five);
  ExplorationProgress progress;
  ExplorationResult result;
  ASSERT_EQ(explore(shrinking_options(dir), {0, 0}, program, progress, result), 0);
  ASSERT_EQ(result.findings.size(), 1u);
  const ExploredFinding &f = result.findings[0];
  EXPECT_EQ(f.shrink_note, "schedule shrunk from 6 to 2 preemption(s)");
  ScheduleSwitches kept = read_schedule_switches(f.schedule);
  EXPECT_EQ(kept.preempts, (std::vector<std::string>{six_preempts()[1], six_preempts()[4]}));
  // The finding reported is the shrunk run's, the one its schedule replays to.
  EXPECT_EQ(f.first_record.meta.strategy, "guided");
  EXPECT_LE(program.seeds("guided").size(), 50u);
  EXPECT_EQ(program.seeds("guided"), std::vector<uint64_t>(program.seeds("guided").size(), 0));
}

TEST(Shrink, NoShrinkKeepsTheScheduleAsFound) {
  TempDir dir;
  RunOptions options = shrinking_options(dir);
  options.shrink = false;
  FakeProgram program(needs_two_and_five);
  ExplorationProgress progress;
  ExplorationResult result;
  ASSERT_EQ(explore(options, {0, 0}, program, progress, result), 0);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].shrink_note, "");
  EXPECT_EQ(read_schedule_switches(result.findings[0].schedule).preempts, six_preempts());
  EXPECT_TRUE(program.seeds("guided").empty());
}

TEST(Shrink, TheShrinkerStopsAtItsAttemptBudget) {
  TempDir dir;
  std::string original = dir.path() + "/original.schedule";
  {
    std::ofstream out(original);
    out << "racecheck-schedule 1\npreemptions 6\nswitches 6\n";
    for (const std::string &line : six_preempts()) out << line << "\n";
  }
  ShrinkSettings settings;
  settings.max_attempts = 3;
  settings.scratch_dir = dir.path();
  uint64_t runs = 0;
  GuidedRun never = [&](const std::string &, const std::string &, uint64_t) {
    ++runs;
    return std::optional<Record>(Record{});
  };
  ShrinkResult result =
      shrink_schedule(original, settings, never, [](const Record &) { return false; });
  EXPECT_EQ(runs, 3u);
  EXPECT_EQ(result.attempts, 3u);
  EXPECT_TRUE(result.schedule.empty());
  EXPECT_EQ(shrink_note(result), "");
}

// A shrunk schedule that does not replay to the finding is not kept: the
// schedule and report stay as found.
TEST(Shrink, AShrunkScheduleThatDoesNotReplayIsNotKept) {
  TempDir dir;
  FakeProgram program([](const Options &options) {
    if (options.count("replay")) return FakeBehaviour{};  // the replay departs: no race
    return needs_two_and_five(options);
  });
  ExplorationProgress progress;
  ExplorationResult result;
  ASSERT_EQ(explore(shrinking_options(dir), {0, 0}, program, progress, result), 0);
  ASSERT_EQ(result.findings.size(), 1u);
  const ExploredFinding &f = result.findings[0];
  EXPECT_EQ(f.shrink_note, "");
  EXPECT_EQ(read_schedule_switches(f.schedule).preempts, six_preempts());
  EXPECT_NE(f.first_record.meta.strategy, "guided");
  EXPECT_FALSE(program.seeds("guided").empty());
}

// The time budget stops the search: no candidate starts after it.
TEST(Shrink, TheShrinkerStopsAtItsTimeBudget) {
  TempDir dir;
  std::string original = dir.path() + "/original.schedule";
  {
    std::ofstream out(original);
    out << "racecheck-schedule 1\npreemptions 6\nswitches 6\n";
    for (const std::string &line : six_preempts()) out << line << "\n";
  }
  ShrinkSettings settings;
  settings.max_attempts = 1000;
  settings.time_budget_seconds = 0.05;
  settings.scratch_dir = dir.path();
  uint64_t runs = 0;
  GuidedRun slow = [&](const std::string &, const std::string &, uint64_t) {
    ++runs;
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    return std::optional<Record>(Record{});
  };
  ShrinkResult result =
      shrink_schedule(original, settings, slow, [](const Record &) { return false; });
  EXPECT_TRUE(result.out_of_time);
  EXPECT_GE(runs, 1u);
  EXPECT_LE(runs, 3u);  // 30 ms each against 50 ms; ddmin alone would make more
  EXPECT_EQ(shrink_time_budget(0.01), 60.0);
  EXPECT_EQ(shrink_time_budget(4.5), 90.0);
}

// The step budget stops the search after the same candidates whatever their
// wall time: the points the candidates ran, not the seconds, count.
TEST(Shrink, TheShrinkerStopsAtItsStepBudget) {
  TempDir dir;
  std::string original = dir.path() + "/original.schedule";
  {
    std::ofstream out(original);
    out << "racecheck-schedule 1\npreemptions 6\nswitches 6\n";
    for (const std::string &line : six_preempts()) out << line << "\n";
  }
  ShrinkSettings settings;
  settings.max_attempts = 1000;
  settings.step_budget = 2500;
  settings.scratch_dir = dir.path();
  uint64_t runs = 0;
  GuidedRun thousand_points = [&](const std::string &, const std::string &, uint64_t) {
    ++runs;
    Record record;
    record.meta.scheduling_points = 1000;
    return std::optional<Record>(record);
  };
  ShrinkResult result =
      shrink_schedule(original, settings, thousand_points, [](const Record &) { return false; });
  EXPECT_TRUE(result.out_of_steps);
  EXPECT_FALSE(result.out_of_time);
  EXPECT_EQ(runs, 3u);  // 1000, 2000, 3000 >= 2500: the fourth never starts
  EXPECT_EQ(result.steps, 3000u);
  EXPECT_EQ(shrink_step_budget(10), 1000000u);
  EXPECT_EQ(shrink_step_budget(200000), 4000000u);
}

}  // namespace
}  // namespace racecheck::test
