// stdin_tee.h — racecheck's piped stdin, copied as the first run reads it:
// the first run reads the live input through a FIFO while racecheck keeps
// a copy, and every later run (schedules, shrinking, confirmation, replay)
// reads that copy from its start. Nothing is read before a program runs, so
// an input that never ends (`yes |`, an open CI stdin) cannot hang racecheck.
#pragma once

#include <string>

namespace racecheck {

// The most of a live input racecheck keeps: beyond it the first run still
// reads the rest of the live input, later runs read these bytes then end of
// file, and racecheck says so once.
constexpr size_t kMaxStdinCopyBytes = size_t{64} << 20;

// Starts copying fd 0 into `copy_path` for the first launch reading it; the
// launch reads `fifo_path` instead. False after a message.
bool start_stdin_tee(const std::string &copy_path, const std::string &fifo_path);

// The file a launch configured to read `path` opens: the live FIFO for the
// first launch reading the copy; for every later one the copy, once the
// first run has stopped reading (it ended, or the input did).
std::string stdin_for_launch(const std::string &path);

// `path`, once the copy it names is complete (the first run's reading ended).
std::string complete_stdin_copy(const std::string &path);

// Ends the copy (waiting for the first run's reading to end, or stopping at
// once when no run took the live input) and releases the FIFO.
void finish_stdin_tee();

}  // namespace racecheck
