// schedule_replay.h — one replay of a schedule file (`racecheck replay`, and
// the HTML report of an exploration, which replays each finding's schedule
// to draw its interleaving): the program the schedule names, checked to be
// the executable it was recorded for, started with its recorded arguments
// and the input kept beside the schedule, under the replay strategy.
#pragma once

#include <optional>
#include <string>

#include "program_runner.h"
#include "runtime_settings.h"
#include "schedule_file.h"
#include "scratch_dir.h"

namespace racecheck {

struct ScheduleReplay {
  ScheduleHeader header;
  RuntimeSettings settings;  // replay and record set
  ProgramLaunch launch;      // the replay's launch, its input included
};

// Reads the schedule's header, checks its program and prepares the launch
// (files in `scratch`, as `name`.record). nullopt with `error` (a sentence,
// without "racecheck: error:") when the schedule cannot be replayed here.
std::optional<ScheduleReplay> prepare_schedule_replay(const std::string &schedule_path,
                                                      const ScratchDir &scratch,
                                                      const std::string &name, std::string &error);

}  // namespace racecheck
