// phases_test.cpp — the engine's phases with a fake program: the seed
// batches of phase 1, --stop-on-first, the race-directed phase 2, the
// reference run, and the confirmation of potential deadlocks.
#include <cmath>
#include <gtest/gtest.h>
#include <map>

#include <filesystem>

#include "exploration.h"
#include "fake_program.h"
#include "single_run.h"

namespace racecheck::test {
namespace {

using Seeds = std::vector<uint64_t>;

RunOptions options_in(const TempDir &dir) {
  RunOptions options;
  options.command = {"./fake"};
  options.out_dir = dir.path() + "/out";
  options.shrink = false;
  return options;
}

FakeBehaviour race_at(const Options &options, uint64_t race_seed) {
  FakeBehaviour b;
  if (options.count("strategy") == 0 && std::stoull(options.at("seed")) == race_seed)
    b.races.push_back({10, 20});
  return b;
}

int explore_with(FakeProgram &program, const RunOptions &options, SeedRange seeds,
                 ExplorationResult &result) {
  ExplorationProgress progress;
  return explore(options, seeds, program, progress, result);
}

TEST(Phases, SeedBatchesRunEverySeedWithTheStrategy) {
  TempDir dir;
  RunOptions options = options_in(dir);
  options.strategy = "pct:3";
  options.pct_steps = 50;
  options.jobs = 3;
  FakeProgram program([](const Options &) { return FakeBehaviour{}; });
  ExplorationResult result;
  ASSERT_EQ(explore_with(program, options, {5, 8}, result), 0);
  EXPECT_EQ(program.seeds("pct"), (Seeds{5, 6, 7, 8}));
  EXPECT_EQ(program.runs().size(), 4u);
  for (const Options &run : program.runs()) {
    EXPECT_EQ(run.at("pct_depth"), "3");
    EXPECT_EQ(run.at("pct_steps"), "50");
    // Spurious wake-ups on odd seeds (--spurious-wakeups auto).
    EXPECT_EQ(run.count("spurious_wakeups"), std::stoull(run.at("seed")) % 2);
  }
  EXPECT_EQ(result.schedules, 4u);
  EXPECT_EQ(result.strategy, "pct:3");
  EXPECT_TRUE(result.findings.empty());
}

TEST(Phases, PctWithoutStepsMeasuresThemFirst) {
  TempDir dir;
  RunOptions options = options_in(dir);
  options.strategy = "pct";
  FakeProgram program([](const Options &) { return FakeBehaviour{}; });
  ExplorationResult result;
  ASSERT_EQ(explore_with(program, options, {1, 2}, result), 0);
  ASSERT_EQ(program.runs().size(), 3u);
  EXPECT_EQ(program.runs()[0].at("strategy"), "pct");  // the PCT estimate run, seed 0
  EXPECT_EQ(program.runs()[0].at("seed"), "0");
  EXPECT_EQ(program.runs()[1].at("pct_steps"), "100");  // the fake's scheduling points
  ASSERT_TRUE(result.pct.has_value());
  EXPECT_EQ(result.pct->threads, 3u);
  EXPECT_EQ(result.pct->schedules_counted(), 2u);
  // 1 - (1 - 1/(3 * 100^2))^2
  EXPECT_NEAR(result.pct->confidence(), 1 - std::pow(1 - 1.0 / 30000, 2), 1e-12);
}

// k is refreshed every 64 schedules to the most steps seen so far, the same
// whatever --jobs is; schedules whose k fell short of the longest run do
// not count towards the bound.
TEST(Phases, PctRefreshesStepsFromItsOwnSchedules) {
  for (uint64_t jobs : {1u, 3u}) {
    TempDir dir;
    RunOptions options = options_in(dir);
    options.strategy = "pct:2";
    options.jobs = jobs;
    FakeProgram program([](const Options &o) {
      FakeBehaviour b;
      if (o.count("seed") && o.at("seed") == "70")
        b.steps = 500;
      else if (o.count("seed") && std::stoull(o.at("seed")) >= 10)
        b.steps = 150;
      return b;
    });
    ExplorationResult result;
    ASSERT_EQ(explore_with(program, options, {0, 139}, result), 0);
    ASSERT_EQ(program.runs().size(), 141u);  // the estimate run first
    std::map<uint64_t, std::string> k;
    for (size_t i = 1; i < program.runs().size(); ++i)
      k[std::stoull(program.runs()[i].at("seed"))] = program.runs()[i].at("pct_steps");
    EXPECT_EQ(k[0], "100");
    EXPECT_EQ(k[63], "100");
    EXPECT_EQ(k[64], "150");
    EXPECT_EQ(k[127], "150");
    EXPECT_EQ(k[128], "500");
    ASSERT_TRUE(result.pct.has_value());
    EXPECT_EQ(result.pct->steps, 500u);
    EXPECT_EQ(result.pct->schedules_counted(), 12u);  // seeds 128..139
  }
}

TEST(Phases, StopOnFirstEndsAfterTheFirstScheduleWithFindings) {
  TempDir dir;
  RunOptions options = options_in(dir);
  options.stop_on_first = true;
  options.race_directed_schedules = 0;
  FakeProgram program([](const Options &o) { return race_at(o, 3); });
  ExplorationResult result;
  ASSERT_EQ(explore_with(program, options, {0, 9}, result), 0);
  EXPECT_EQ(program.seeds(""), (Seeds{0, 1, 2, 3}));
  EXPECT_EQ(result.schedules, 4u);
  EXPECT_TRUE(result.stopped_early);
  ASSERT_EQ(result.findings.size(), 1u);
}

TEST(Phases, StopOnFirstDropsTheRestOfTheBatchUnseen) {
  TempDir dir;
  RunOptions options = options_in(dir);
  options.stop_on_first = true;
  options.jobs = 2;
  options.race_directed_schedules = 0;
  FakeProgram program([](const Options &o) { return race_at(o, 2); });
  ExplorationResult result;
  ASSERT_EQ(explore_with(program, options, {0, 9}, result), 0);
  EXPECT_EQ(program.seeds(""), (Seeds{0, 1, 2, 3}));  // seed 3 shared the batch
  EXPECT_EQ(result.schedules, 3u);
  EXPECT_TRUE(result.stopped_early);
}

TEST(Phases, RaceDirectedPhaseRunsOnlyWhenPhaseOneSawRaces) {
  TempDir dir;
  RunOptions options = options_in(dir);
  FakeProgram clean([](const Options &) { return FakeBehaviour{}; });
  ExplorationResult result;
  ASSERT_EQ(explore_with(clean, options, {0, 3}, result), 0);
  EXPECT_TRUE(clean.seeds("race-directed").empty());
  EXPECT_EQ(clean.runs().size(), 4u);
}

TEST(Phases, RaceDirectedPhaseReversesEachRaceAndKeepsWhatOnlyItFinds) {
  TempDir dir;
  RunOptions options = options_in(dir);
  FakeProgram program([](const Options &o) {
    FakeBehaviour b = race_at(o, 5);
    if (o.count("strategy") && o.at("strategy") == "race-directed") b.races = {{10, 20}, {30, 40}};
    return b;
  });
  ExplorationResult result;
  ASSERT_EQ(explore_with(program, options, {4, 7}, result), 0);
  EXPECT_EQ(program.seeds(""), (Seeds{4, 5, 6, 7}));
  EXPECT_EQ(program.seeds("race-directed"), (Seeds{4, 5}));  // from the range's first seed
  ASSERT_EQ(program.files("race_targets").size(), 2u);
  EXPECT_NE(program.files("race_targets")[0].find("race_target fake.c:10:1 f fake.c:20:1 g"),
            std::string::npos);
  EXPECT_EQ(result.phase2_schedules, 2u);
  ASSERT_EQ(result.findings.size(), 2u);
  EXPECT_EQ(result.findings[0].phase, 1);
  EXPECT_EQ(result.findings[0].seen_in, 1u);  // phase 2's sightings count for phase 2 only
  EXPECT_EQ(result.findings[1].phase, 2);
  EXPECT_EQ(result.findings[1].seen_in, 2u);
  EXPECT_EQ(result.findings[1].first_seed, 4u);
  EXPECT_EQ(result.findings[1].race_target, "fake.c:20 before fake.c:10");
}

TEST(Phases, OtherOutputIsAnOutputMismatchOnlyWhenChecked) {
  TempDir dir;
  RunOptions options = options_in(dir);
  FakeProgram program([](const Options &o) {
    FakeBehaviour b;
    b.output = std::stoull(o.at("seed")) == 2 ? "total 9\n" : "total 10\n";
    return b;
  });
  ExplorationResult unchecked;
  ASSERT_EQ(explore_with(program, options, {0, 3}, unchecked), 0);
  EXPECT_TRUE(unchecked.findings.empty());  // output may vary by schedule
  options.check_output = true;
  ExplorationResult result;
  ASSERT_EQ(explore_with(program, options, {0, 3}, result), 0);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].first_seed, 2u);
  EXPECT_EQ(result.findings[0].report["kind"], "output-mismatch");
  EXPECT_EQ(result.findings[0].report["details"][0],
            "output differs from the reference schedule's");
  EXPECT_EQ(result.findings[0].stdout_path, dir.path() + "/out/finding-1.stdout");
  EXPECT_FALSE(fails_on(options, FindingKind::OutputMismatch));
  options.fail_on = {"output-mismatch"};
  EXPECT_TRUE(fails_on(options, FindingKind::OutputMismatch));
  EXPECT_FALSE(fails_on(options, FindingKind::DataRace));
}

TEST(Phases, AnotherExitStatusIsAFailureAndAFailingReferenceIsReplaced) {
  TempDir dir;
  RunOptions options = options_in(dir);
  FakeProgram program([](const Options &o) {
    FakeBehaviour b;
    uint64_t seed = std::stoull(o.at("seed"));
    b.exit_status = seed == 0 || seed == 1 || seed == 4 ? 1 : 0;
    return b;
  });
  ExplorationResult result;
  ASSERT_EQ(explore_with(program, options, {0, 5}, result), 0);
  ASSERT_EQ(result.findings.size(), 1u);
  EXPECT_EQ(result.findings[0].report["kind"], "failure");
  EXPECT_EQ(result.findings[0].report["details"][0],
            "exit status 1 differs from the reference schedule's 0");
  // seeds 0 and 1 before seed 2 showed 0 is the program's success, then 4
  EXPECT_EQ(result.findings[0].first_seed, 0u);
  EXPECT_EQ(result.findings[0].seen_in, 3u);
}

TEST(Phases, DirectedSchedulesConfirmAPotentialDeadlock) {
  TempDir dir;
  RunOptions options = options_in(dir);
  FakeProgram program([](const Options &o) {
    FakeBehaviour b;
    bool directed = o.count("strategy") && o.at("strategy") == "directed";
    b.lock_cycle = !directed;
    b.deadlock = directed && o.at("seed") == "2";
    return b;
  });
  SingleRun single(options, program);
  ASSERT_EQ(single.run(), 0);
  analyze_schedule_record(single.outcome().record, false);
  ASSERT_EQ(single.outcome().record.findings.size(), 1u);
  ASSERT_TRUE(single.shrink_and_confirm());
  const Finding &cycle = single.outcome().record.findings[0];
  EXPECT_EQ(cycle.kind, FindingKind::LockOrderCycle);
  EXPECT_TRUE(cycle.confirmed);
  ASSERT_TRUE(cycle.confirmation);
  EXPECT_EQ(cycle.confirmation->attempts, 3u);
  EXPECT_EQ(cycle.confirmation->seed, 2u);
  EXPECT_EQ(cycle.confirmation->schedule, dir.path() + "/out/finding-1-deadlock.schedule");
  EXPECT_TRUE(std::filesystem::exists(cycle.confirmation->schedule));
  EXPECT_EQ(program.seeds("directed"), (Seeds{0, 1, 2}));
  ASSERT_FALSE(program.files("directed_targets").empty());
  EXPECT_NE(program.files("directed_targets")[0].find("target\t1\tfake.c\t11\t"),
            std::string::npos);
}

TEST(Phases, AnUnconfirmedCycleUsesEveryAttempt) {
  TempDir dir;
  RunOptions options = options_in(dir);
  options.confirm_attempts = 4;
  FakeProgram program([](const Options &o) {
    FakeBehaviour b;
    b.lock_cycle = !(o.count("strategy") && o.at("strategy") == "directed");
    return b;
  });
  SingleRun single(options, program);
  ASSERT_EQ(single.run(), 0);
  analyze_schedule_record(single.outcome().record, false);
  ASSERT_TRUE(single.shrink_and_confirm());
  const Finding &cycle = single.outcome().record.findings.at(0);
  EXPECT_FALSE(cycle.confirmed);
  EXPECT_EQ(cycle.confirmation->attempts, 4u);
  EXPECT_EQ(program.seeds("directed"), (Seeds{0, 1, 2, 3}));
}

// The total bound over all cycles cuts a cycle's attempts short, and a
// cycle past it is not tried at all, with a note.
TEST(Phases, ConfirmationStopsAtTheTotalBound) {
  for (uint64_t total : {2u, 0u}) {
    TempDir dir;
    RunOptions options = options_in(dir);
    options.confirm_attempts = 4;
    options.confirm_total = total;
    FakeProgram program([](const Options &o) {
      FakeBehaviour b;
      b.lock_cycle = !(o.count("strategy") && o.at("strategy") == "directed");
      return b;
    });
    SingleRun single(options, program);
    ASSERT_EQ(single.run(), 0);
    analyze_schedule_record(single.outcome().record, false);
    ASSERT_TRUE(single.shrink_and_confirm());
    const Record &record = single.outcome().record;
    const Finding &cycle = record.findings.at(0);
    EXPECT_FALSE(cycle.confirmed);
    if (total == 2) {
      ASSERT_TRUE(cycle.confirmation);
      EXPECT_EQ(cycle.confirmation->attempts, 2u);
      EXPECT_EQ(cycle.confirmation->budget, 2u);
      EXPECT_EQ(program.seeds("directed"), (Seeds{0, 1}));
    } else {
      EXPECT_FALSE(cycle.confirmation);
      EXPECT_TRUE(program.seeds("directed").empty());
      ASSERT_FALSE(record.notes.empty());
      EXPECT_NE(record.notes.back().find("1 potential deadlock(s) were not tried"),
                std::string::npos);
    }
  }
}

}  // namespace
}  // namespace racecheck::test
