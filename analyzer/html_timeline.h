// html_timeline.h — the parts of the HTML report (html_report.h) that draw
// a finding: its events (the racing accesses, a deadlock's blocked requests,
// a cycle's acquisitions, a livelock's cycle, a starving thread's waits), the
// interleaving timeline with one lane per thread, and a lock-order cycle's
// graph as inline SVG.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "html_report.h"
#include "record.h"
#include "source_frame.h"

namespace racecheck {

// One event of a finding, highlighted in the timeline and linked to its
// source lines.
struct TimelineEvent {
  int tid = kNoId;
  std::string label;  // "write (8 bytes)", "pthread_mutex_lock mutex `a`"...
  int site = kNoId;
  int stack = kNoId;
  std::vector<SourceFrame> fault_frames;  // a crash's symbolized fault, else empty
  std::string position;                   // "file:line" of the user's frame
  bool highlight = true;                  // false: context (a starving thread's bypassers)
};

// The finding's events in the order they happened (as far as the record
// tells): the earlier racing access first, a cycle's acquisitions before its
// requests.
std::vector<TimelineEvent> finding_events(const Record &record, const Finding &finding);

// The timeline: a lane per thread, the schedule's last decisions as
// columns (the earlier ones summarised), then the finding's events,
// highlighted and linked to `#<id_prefix><n>` (n from 1).
void write_timeline(std::ostream &out, const Record &record, const Finding &finding,
                    const std::vector<TimelineEvent> &events, const std::string &id_prefix,
                    const HtmlReportOptions &options);

// A lock-order cycle as an SVG graph: the locks on a circle, an arrow per
// edge from the held lock to the requested one, labelled with its thread.
void write_cycle_graph(std::ostream &out, const Record &record, const Finding &finding);

}  // namespace racecheck
