// html_timeline.cpp — a finding's events, its interleaving timeline and its
// lock-order graph for the HTML report (html_timeline.h), and the reading
// of a schedule file's decisions.
#include "html_timeline.h"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

#include "finding_description.h"
#include "finding_text.h"
#include "racecheck/schedule_format.h"
#include "racecheck/text_encoding.h"
#include "source_frames.h"
#include "untrusted_input.h"

namespace racecheck {
namespace {

TimelineEvent site_event(const Record &record, int tid, std::string label, int site, int stack) {
  TimelineEvent e;
  e.tid = tid;
  e.label = std::move(label);
  e.site = site;
  e.stack = stack;
  e.position = user_position(record, site, stack);
  return e;
}

std::string access_label(const Access &a) {
  return std::string(a.atomic ? "atomic " : "") + (a.write ? "write" : "read") + " (" +
         std::to_string(a.size) + (a.size == 1 ? " byte)" : " bytes)");
}

std::string waiter_label(const Waiter &w) {
  return w.object.empty() ? w.operation : w.operation + " " + w.object;
}

// %HH-decoding of a schedule file's bare token.
std::string decode_token(const std::string &token) {
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '%' && i + 2 < token.size() && rc_hex_value(token[i + 1]) >= 0 &&
        rc_hex_value(token[i + 2]) >= 0) {
      out += static_cast<char>(rc_hex_value(token[i + 1]) * 16 + rc_hex_value(token[i + 2]));
      i += 2;
    } else {
      out += token[i];
    }
  }
  return out;
}

// The threads drawn: every thread of the run up to max_lanes, and always
// those of the finding.
std::vector<int> lanes(const Record &record, const std::vector<TimelineEvent> &events,
                       const HtmlReportOptions &options, size_t &hidden) {
  std::set<int> all;
  for (uint64_t t = 0; t < record.meta.threads; ++t) all.insert(static_cast<int>(t));
  for (const auto &[tid, thread] : record.threads) all.insert(tid);
  for (const TimelineEvent &e : events)
    if (e.tid != kNoId) all.insert(e.tid);
  std::set<int> shown;
  for (const TimelineEvent &e : events)
    if (e.tid != kNoId) shown.insert(e.tid);
  for (int tid : all)
    if (shown.size() < options.max_lanes) shown.insert(tid);
  hidden = all.size() - shown.size();
  return {shown.begin(), shown.end()};
}

}  // namespace

bool read_schedule_steps(const std::string &path, std::vector<ScheduleStep> &steps,
                         std::string &error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open " + path;
    return false;
  }
  std::string line;
  bool in_decisions = false;
  LineRead read;
  while ((read = read_bounded_line(in, line)) == LineRead::Line) {
    if (line.empty() || line[0] == RC_SCHEDULE_COMMENT) continue;
    std::istringstream fields(line);
    std::string first;
    fields >> first;
    if (!in_decisions) {
      in_decisions = first == RC_SCHEDULE_KEY_DECISIONS;
      continue;
    }
    if (first == RC_SCHEDULE_KEY_SWITCHES || first == RC_SCHEDULE_END) return true;
    ScheduleStep step;
    std::string thread, site;
    fields >> thread >> step.operation >> site;
    if (!fields || thread.size() < 2 || thread[0] != RC_SCHEDULE_THREAD_PREFIX ||
        first.find_first_not_of("0123456789") != std::string::npos) {
      error = path + ": malformed decision line: " + line;
      return false;
    }
    step.step = std::stoull(first);
    step.tid = std::atoi(thread.c_str() + 1);
    step.site = decode_token(site);
    steps.push_back(std::move(step));
  }
  if (read == LineRead::TooLong) error = path + ": line too long";
  return read != LineRead::TooLong;
}

std::vector<TimelineEvent> finding_events(const Record &record, const Finding &finding) {
  std::vector<TimelineEvent> events;
  switch (finding.kind) {
    case FindingKind::DataRace:
      // The record lists the current (second) access first.
      for (auto a = finding.accesses.rbegin(); a != finding.accesses.rend(); ++a)
        events.push_back(site_event(record, a->tid, access_label(*a), a->site, a->stack));
      return events;
    case FindingKind::LockOrderCycle:
      // Each thread takes its first lock, then asks for the next one.
      for (const LockEdge &e : finding.cycle)
        events.push_back(site_event(record, e.tid, "acquire " + lock_text(record, e.held.lock),
                                    e.held.acquire_site, e.held.acquire_stack));
      for (const LockEdge &e : finding.cycle)
        events.push_back(
            site_event(record, e.tid, "request " + lock_text(record, e.lock), e.site, e.stack));
      return events;
    default: break;
  }
  for (size_t i = 0; i < finding.waiters.size(); ++i) {
    const Waiter &w = finding.waiters[i];
    events.push_back(site_event(record, w.tid, waiter_label(w), w.site, w.stack));
    if (finding.kind == FindingKind::Starvation) events.back().highlight = i == 0;
  }
  if (finding.fault && !finding.fault->frames.empty()) {
    TimelineEvent e;
    e.tid = finding.waiters.empty() ? kNoId : finding.waiters.front().tid;
    e.label = "faulting instruction";
    e.fault_frames = finding.fault->frames;
    const SourceFrame &f = e.fault_frames.front();
    e.position = f.line ? f.file + ":" + std::to_string(f.line) : f.file;
    events.insert(events.begin(), std::move(e));
  }
  return events;
}

void write_timeline(std::ostream &out, const Record &record, const Finding &finding,
                    const std::vector<TimelineEvent> &events, const std::string &id_prefix,
                    const HtmlReportOptions &options) {
  size_t hidden = 0;
  std::vector<int> tids = lanes(record, events, options, hidden);
  const std::vector<ScheduleStep> &all = options.schedule;
  // The decisions up to the finding where its step is known (a livelock's
  // cycle starts after steps_before_cycle), else up to the end of the run.
  size_t end = all.size();
  if (auto before = finding.count("steps_before_cycle"))
    while (end > 0 && all[end - 1].step > *before) --end;
  size_t begin = end > options.window ? end - options.window : 0;
  out << "<p class=\"note\">One lane per thread. ";
  if (!options.schedule_error.empty())
    out << "The schedule could not be read (" << html_escape(options.schedule_error) << "). ";
  else if (options.schedule_path.empty())
    out << "No schedule was given: only the finding's events are shown. ";
  else
    out << "Each column up to the finding is a scheduling point where the scheduler switched to "
           "the marked thread (the schedule's decisions; in between, that thread ran alone). ";
  out << "The highlighted events are the finding's, linked to their source lines.</p>\n";
  out << "<div class=\"timeline\"><table>\n<tr><th></th>";
  if (begin > 0) out << "<th class=\"col\">&hellip;</th>";
  for (size_t i = begin; i < end; ++i) out << "<th class=\"col\">" << all[i].step << "</th>";
  out << "<th class=\"col\"></th>";
  for (size_t i = 0; i < events.size(); ++i) out << "<th class=\"col\">" << "#" << i + 1 << "</th>";
  out << "</tr>\n";
  for (size_t row = 0; row < tids.size(); ++row) {
    const int tid = tids[row];
    out << "<tr class=\"lane\" data-tid=\"" << tid << "\"><th>" << thread_name(tid) << "</th>";
    if (begin > 0 && row == 0)
      out << "<td class=\"gap\" rowspan=\"" << tids.size() << "\">&hellip; " << begin
          << " earlier switches<br>(steps " << all.front().step << "&ndash;" << all[begin - 1].step
          << ")<br>not shown</td>";
    for (size_t i = begin; i < end; ++i) {
      if (all[i].tid != tid) {
        out << "<td></td>";
        continue;
      }
      out << "<td class=\"ev\" data-step=\"" << all[i].step << "\"><span title=\""
          << html_escape(all[i].operation + " at " + all[i].site) << "\">"
          << html_escape(all[i].operation) << "</span></td>";
    }
    if (row == 0) out << "<td class=\"gap\" rowspan=\"" << tids.size() << "\">the<br>finding:</td>";
    for (size_t i = 0; i < events.size(); ++i) {
      const TimelineEvent &e = events[i];
      if (e.tid != tid) {
        out << "<td></td>";
        continue;
      }
      out << "<td class=\"ev" << (e.highlight ? " hl" : "") << "\" data-loc=\""
          << html_escape(e.position) << "\"><a href=\"#" << id_prefix << i + 1
          << "\"><span title=\"" << html_escape(e.label + " at " + e.position) << "\">"
          << html_escape(e.label) << "<br>"
          << html_escape(e.position.substr(e.position.rfind('/') + 1)) << "</span></a></td>";
    }
    out << "</tr>\n";
  }
  out << "</table></div>\n";
  if (hidden > 0) out << "<p class=\"note\">" << hidden << " other threads are not drawn.</p>\n";
  if (!all.empty() && end < all.size())
    out << "<p class=\"note\">" << all.size() - end << " later switches not shown.</p>\n";
}

void write_cycle_graph(std::ostream &out, const Record &record, const Finding &finding) {
  // The locks in cycle order on a circle: edge i holds cycle[i].held.lock
  // and requests the next one.
  const size_t n = finding.cycle.size();
  const double cx = 410, cy = 190, radius = n == 1 ? 0 : 140;
  const double pi = 3.14159265358979323846;
  auto x = [&](size_t i) { return cx + radius * std::sin(2 * pi * double(i) / double(n)); };
  auto y = [&](size_t i) { return cy - radius * std::cos(2 * pi * double(i) / double(n)); };
  auto short_file = [](const std::string &position) {
    return position.substr(position.rfind('/') + 1);
  };
  std::vector<std::string> names;
  std::vector<double> widths;
  for (const LockEdge &e : finding.cycle) {
    std::string name = lock_identity(record, record.lock(e.held.lock));
    if (name.size() > 40) name = name.substr(0, 39) + "\u2026";
    widths.push_back(std::max(60.0, 7.0 * double(name.size()) + 16));
    names.push_back(std::move(name));
  }
  // How far from a node's centre along (ux, uy) its 28-high box ends.
  auto trim = [&](size_t i, double ux, double uy) {
    double tx = std::abs(ux) > 1e-6 ? widths[i] / 2 / std::abs(ux) : 1e9;
    double ty = std::abs(uy) > 1e-6 ? 14 / std::abs(uy) : 1e9;
    return std::min(tx, ty) + 3;
  };
  out << "<svg class=\"cycle\" xmlns=\"http://www.w3.org/2000/svg\" width=\"820\" height=\"390\" "
         "role=\"img\" aria-label=\"lock-order cycle\">\n<defs><marker id=\"arrow\" "
         "viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" "
         "orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#b31d28\"/></marker></defs>\n";
  for (size_t i = 0; i < n; ++i) {
    const LockEdge &e = finding.cycle[i];
    const size_t j = (i + 1) % n;
    double dx = x(j) - x(i), dy = y(j) - y(i), len = std::max(1.0, std::hypot(dx, dy));
    double ux = dx / len, uy = dy / len;
    // The label outside the circle, beside its edge's middle.
    double mx = (x(i) + x(j)) / 2, my = (y(i) + y(j)) / 2;
    double ox = mx - cx, oy = my - cy, olen = std::max(1.0, std::hypot(ox, oy));
    // Clear of the 28-high lock boxes when the edge runs sideways.
    const double push = 16 + 18 * std::abs(oy / olen);
    double lx = mx + ox / olen * push, ly = my + oy / olen * push + 4;
    const char *anchor = lx < cx - 5 ? "end" : lx > cx + 5 ? "start" : "middle";
    const double from = trim(i, ux, uy), to = trim(j, ux, uy);
    out << "<line class=\"edge\" data-tid=\"" << e.tid << "\" x1=\"" << x(i) + ux * from
        << "\" y1=\"" << y(i) + uy * from << "\" x2=\"" << x(j) - ux * to << "\" y2=\""
        << y(j) - uy * to
        << "\" stroke=\"#b31d28\" stroke-width=\"2\" marker-end=\"url(#arrow)\"/>\n"
        << "<text x=\"" << lx << "\" y=\"" << ly << "\" text-anchor=\"" << anchor
        << "\" fill=\"#b31d28\">" << thread_name(e.tid) << " requests at "
        << html_escape(short_file(user_position(record, e.site, e.stack))) << "</text>\n";
  }
  for (size_t i = 0; i < n; ++i)
    out << "<g class=\"lock\"><rect x=\"" << x(i) - widths[i] / 2 << "\" y=\"" << y(i) - 14
        << "\" width=\"" << widths[i] << "\" height=\"28\" rx=\"14\" fill=\"#f1f8ff\" "
        << "stroke=\"#0366d6\"/><text x=\"" << x(i) << "\" y=\"" << y(i) + 4
        << "\" text-anchor=\"middle\">" << html_escape(names[i]) << "</text></g>\n";
  out << "</svg>\n";
}

}  // namespace racecheck
