// progress_line.cpp — see progress_line.h.
#include "progress_line.h"

#include <cstdio>

namespace racecheck {

ProgressLine::ProgressLine(std::ostream &out, uint64_t total, bool terminal)
    : out_(out), total_(total), active_(terminal), start_(std::chrono::steady_clock::now()) {}

void ProgressLine::update(uint64_t done, uint64_t findings) {
  if (!active_) return;
  auto now = std::chrono::steady_clock::now();
  if (shown_ && done != total_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  shown_ = true;
  double seconds = std::chrono::duration<double>(now - start_).count();
  char rate[32];
  if (done > 0 && seconds > 0)
    std::snprintf(rate, sizeof rate, "%.0f schedules/s", double(done) / seconds);
  else
    std::snprintf(rate, sizeof rate, "- schedules/s");
  out_ << "\rracecheck: " << done << "/" << total_ << " schedules, " << rate << ", " << findings
       << " distinct finding(s)\033[K" << std::flush;
}

void ProgressLine::clear() {
  if (active_ && shown_) out_ << "\r\033[K" << std::flush;
  shown_ = false;
}

}  // namespace racecheck
