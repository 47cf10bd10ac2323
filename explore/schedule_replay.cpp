// schedule_replay.cpp — see schedule_replay.h.
#include "schedule_replay.h"

#include <filesystem>

#include "executable_identity.h"
#include "finding_files.h"
#include "runtime_options.h"

namespace racecheck {
namespace {

namespace fs = std::filesystem;

// A schedule file names a command to run: before anything runs, the file it
// names must be the executable the schedule was recorded for, by the same
// identity the runtime checks (the runtime checks again when it starts, but
// a program without the runtime, /bin/sh say, never would: such a file is
// refused whatever identity the schedule claims).
bool program_matches_schedule(const std::string &schedule_path, const ScheduleHeader &header,
                              std::string &error) {
  std::optional<ExecutableFacts> facts = inspect_executable(header.program, error);
  if (facts && !facts->has_racecheck_runtime)
    error = "is not a program built with racecheck (it lacks the racecheck runtime)";
  if (!facts || !facts->has_racecheck_runtime) {
    error = "the schedule " + schedule_path + " names the program \"" + header.program +
            "\", which " + error +
            "; replay runs only the executable the schedule was recorded for";
    return false;
  }
  if (facts->identity != header.binary) {
    error = "the schedule " + schedule_path + " was recorded for another binary: it names " +
            header.binary + " (program \"" + header.program + "\"), but that file is " +
            facts->identity + "; nothing was run";
    return false;
  }
  return true;
}

}  // namespace

std::optional<ScheduleReplay> prepare_schedule_replay(const std::string &schedule_path,
                                                      const ScratchDir &scratch,
                                                      const std::string &name, std::string &error) {
  ScheduleReplay replay;
  try {
    replay.header = read_schedule_header(schedule_path);
  } catch (const ScheduleError &e) {
    error = e.what();
    return std::nullopt;
  }
  if (!program_matches_schedule(schedule_path, replay.header, error)) return std::nullopt;
  // The runtime reads the schedule itself; its path must fit in
  // RACECHECK_OPTIONS, else it reads a copy.
  std::error_code ec;
  std::string schedule = fs::absolute(schedule_path, ec).string();
  if (ec || !is_valid_option_value(schedule)) {
    schedule = scratch.path() + "/" + name + ".schedule";
    fs::copy_file(schedule_path, schedule, fs::copy_options::overwrite_existing, ec);
    if (ec) {
      error = "cannot copy " + schedule_path + ": " + ec.message();
      return std::nullopt;
    }
  }
  replay.settings.replay = schedule;
  replay.settings.record = scratch.path() + "/" + name + ".record";
  replay.launch.argv = replay.header.argv;
  replay.launch.executable = replay.header.program;
  replay.launch.runtime_options = build_options_string(replay.settings);
  // The input the finding's runs read, kept beside its schedule.
  const std::string input = replay_stdin_path(schedule_path);
  if (fs::is_regular_file(input, ec)) replay.launch.stdin_path = input;
  return replay;
}

}  // namespace racecheck
