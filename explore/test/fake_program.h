// fake_program.h — a stand-in for an instrumented program, so the engine's
// unit tests run without processes: it reads its RACECHECK_OPTIONS as the
// runtime does (later settings win) and writes the run record, schedule
// file and output the runtime would, with the findings the test chooses for
// those options. Every run's options are kept for the test to check.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "schedule_runner.h"

namespace racecheck::test {

using Options = std::map<std::string, std::string>;
Options parse_options(const std::string &text);

// A data race in fake.c between the `previous` and the `current` line.
struct FakeRace {
  uint32_t previous = 0, current = 0;
};

// What one run of the fake program does.
struct FakeBehaviour {
  std::vector<FakeRace> races;
  bool lock_cycle = false;  // T1 takes a then b, T2 b then a (lines 10/11, 20/21)
  bool deadlock = false;    // ... and both block there
  int exit_status = 0;
  std::string output;
  std::vector<std::string> preempts;  // the switches its schedule records
  uint64_t steps = 100;               // scheduling points its record names
};

class FakeProgram : public ProgramRunner {
 public:
  explicit FakeProgram(std::function<FakeBehaviour(const Options &)> behaviour)
      : behaviour_(std::move(behaviour)) {}

  ProgramExit run(const ProgramLaunch &launch) override;

  const std::vector<Options> &runs() const { return runs_; }
  // The seeds of the runs whose strategy option is `strategy` ("" : none given).
  std::vector<uint64_t> seeds(const std::string &strategy) const;
  // The text of the file each run's option `name` named, when it ran.
  std::vector<std::string> files(const std::string &name) const;

 private:
  std::function<FakeBehaviour(const Options &)> behaviour_;
  std::vector<Options> runs_;
  std::map<size_t, std::map<std::string, std::string>> file_texts_;
};

// The preempt lines of a guide file (strategy=guided), in order.
std::vector<std::string> guide_preempts(const Options &options);

// A scratch directory for one test, removed afterwards.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string &path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace racecheck::test
