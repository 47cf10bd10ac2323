// html_report.cpp — the HTML page (html_report.h): the run's facts, the
// summary table, and per finding its message, timeline, cycle graph and the
// source lines of each of its locations, read from disk now.
#include "html_report.h"

#include <algorithm>
#include <fstream>

#include "finding_description.h"
#include "html_timeline.h"
#include "source_frames.h"
#include "source_paths.h"
#include "untrusted_input.h"

namespace racecheck {

std::string html_escape(const std::string &text) {
  std::string safe = terminal_safe(text, /*keep_layout=*/true);
  std::string out;
  out.reserve(safe.size());
  for (char c : safe) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

const char *kStyle = R"(<style>
body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5em;color:#1b1f23;background:#fff}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:2em}
h3{font-size:1.05em}code,pre,.mono{font-family:ui-monospace,"DejaVu Sans Mono",monospace;font-size:12.5px}
table.facts td{padding:0 1em 0 0}table.summary{border-collapse:collapse}
table.summary td,table.summary th{border:1px solid #ccc;padding:.25em .6em;text-align:left}
.kind{font-weight:600;color:#b31d28}
.timeline{overflow-x:auto;border:1px solid #ddd;padding:.3em;margin:.5em 0}
.timeline table{border-collapse:collapse}.timeline th{text-align:right;padding-right:.6em;white-space:nowrap}
.timeline th.col{text-align:center;font-weight:normal;color:#666;font-size:11px;padding:0 2px}
.timeline td{border-left:1px dotted #ddd;padding:1px 2px;min-width:1.5em;vertical-align:middle}
tr.lane:nth-child(even){background:#fafbfc}
.ev{font-size:11px;white-space:nowrap}.ev span{display:inline-block;background:#dbe9f9;border-radius:3px;padding:1px 4px}
.ev.hl span{background:#ffd33d;border:2px solid #b31d28;font-weight:600}
.ev a{color:inherit;text-decoration:none}.gap{color:#666;font-style:italic;font-size:11px;white-space:nowrap}
.loc{border:1px solid #ddd;margin:.6em 0;border-radius:4px}.loc h4{margin:0;padding:.3em .6em;background:#f6f8fa;font-size:13px}
.loc pre{margin:0;padding:.3em .6em;overflow-x:auto}.loc pre mark{background:#fff5b1;display:block}
.loc ol{margin:.2em 0 .4em 0;font-size:12px}.missing{color:#b31d28;padding:.3em .6em}
.note{color:#586069}svg text{font:12px sans-serif}
</style>
)";

// The innermost frame of a location outside system headers (as the text
// report's one-line positions), or the innermost one.
SourceFrame user_frame(const std::vector<SourceFrame> &frames) {
  for (const SourceFrame &f : frames)
    if (!f.through_uninstrumented_code && f.file.rfind("/usr/", 0) != 0) return f;
  return frames.empty() ? SourceFrame{} : frames.front();
}

// Reports print paths relative to the display base; the file is read back
// from there.
std::string readable_path(const std::string &file) {
  if (file.empty() || file.front() == '/' || display_base().empty()) return file;
  return display_base() + "/" + file;
}

void write_snippet(std::ostream &out, const SourceFrame &frame, int context) {
  if (frame.file.empty() || frame.line == 0) {
    out << "<div class=\"missing\">source line unknown</div>\n";
    return;
  }
  std::ifstream in(readable_path(frame.file), std::ios::binary);
  if (!in) {
    out << "<div class=\"missing\">source not available: " << html_escape(frame.file)
        << " cannot be read</div>\n";
    return;
  }
  const uint32_t first = frame.line > uint32_t(context) ? frame.line - context : 1;
  const uint32_t last = frame.line + context;
  std::string line, text;
  uint32_t number = 0;
  bool found = false;
  while (number < last && read_bounded_line(in, line, 1 << 16) == LineRead::Line) {
    if (++number < first) continue;
    std::string shown = std::to_string(number);
    shown.insert(0, 5 - std::min<size_t>(5, shown.size()), ' ');
    shown += "  " + html_escape(line);
    if (number == frame.line) {
      text += "<mark>" + shown + "</mark>";
      found = true;
    } else {
      text += shown + "\n";
    }
  }
  if (!found) {
    out << "<div class=\"missing\">source not available: " << html_escape(frame.file)
        << " has no line " << frame.line << " (changed since the run?)</div>\n";
    return;
  }
  out << "<pre>" << text << "</pre>\n";
}

void write_location(std::ostream &out, const Record &record, const TimelineEvent &event,
                    const std::string &id, const HtmlReportOptions &options) {
  std::vector<SourceFrame> frames = event.fault_frames.empty()
                                        ? source_stack(record, event.site, event.stack)
                                        : event.fault_frames;
  SourceFrame frame = user_frame(frames);
  out << "<div class=\"loc\" id=\"" << id << "\" data-tid=\"" << event.tid << "\" data-loc=\""
      << html_escape(event.position) << "\"><h4>" << html_escape(thread_name(event.tid)) << ": "
      << html_escape(event.label) << " at <span class=\"mono\">" << html_escape(event.position)
      << "</span>";
  if (!frame.function.empty()) out << " in <code>" << html_escape(frame.function) << "</code>";
  out << "</h4>\n";
  write_snippet(out, frame, options.context_lines);
  if (frames.size() > 1) {
    out << "<ol start=\"0\" class=\"mono\">";
    for (const SourceFrame &f : frames)
      out << "<li>" << html_escape(f.function) << " "
          << html_escape(f.through_uninstrumented_code ? "(through uninstrumented code)"
                                                       : format_position(f))
          << "</li>";
    out << "</ol>\n";
  }
  out << "</div>\n";
}

void write_facts(std::ostream &out, const Record &record) {
  const Meta &m = record.meta;
  out << "<table class=\"facts\">"
      << "<tr><td>program</td><td class=\"mono\">" << html_escape(m.program) << "</td></tr>"
      << "<tr><td>strategy, seed</td><td>" << html_escape(m.strategy) << ", " << m.seed
      << "</td></tr><tr><td>threads</td><td>" << m.threads << "</td></tr>"
      << "<tr><td>scheduling points, switches</td><td>" << m.scheduling_points << ", " << m.switches
      << "</td></tr><tr><td>exit</td><td>"
      << (m.exit_signal       ? "signal " + std::to_string(m.exit_signal)
          : m.exit_status < 0 ? std::string("ended by racecheck at the finding")
                              : "status " + std::to_string(m.exit_status))
      << "</td></tr></table>\n";
}

// One row of the summary table.
struct SummaryRow {
  std::string kind;     // its title ("data race")
  std::string message;  // the finding's first line
  std::string threads;  // "T1, T2"
  std::string found;    // where it was seen ("" : no such column)
};

void write_summary(std::ostream &out, const std::vector<SummaryRow> &rows) {
  out << "<h2>Summary</h2>\n";
  if (rows.empty()) {
    out << "<p id=\"no-findings\">No findings.</p>\n";
    return;
  }
  const bool found = std::any_of(rows.begin(), rows.end(),
                                 [](const SummaryRow &row) { return !row.found.empty(); });
  out << "<table class=\"summary\"><tr><th>#</th><th>kind</th><th>finding</th><th>threads</th>"
      << (found ? "<th>found</th>" : "") << "</tr>\n";
  for (size_t i = 0; i < rows.size(); ++i) {
    out << "<tr class=\"finding-row\"><td><a href=\"#finding-" << i + 1 << "\">" << i + 1
        << "</a></td><td class=\"kind\">" << html_escape(rows[i].kind) << "</td><td>"
        << html_escape(rows[i].message) << "</td><td>" << html_escape(rows[i].threads) << "</td>";
    if (found) out << "<td>" << html_escape(rows[i].found) << "</td>";
    out << "</tr>\n";
  }
  out << "</table>\n";
}

SummaryRow summary_row(const Record &record, const Finding &f) {
  std::string threads;
  for (int tid : involved_threads(f)) threads += (threads.empty() ? "" : ", ") + thread_name(tid);
  return {finding_title(f.kind), finding_message(record, f), threads, ""};
}

// A finding's section, numbered `number` (its id "finding-N", its events'
// "fN-eK").
void write_finding(std::ostream &out, const Record &record, const Finding &f, size_t number,
                   const HtmlReportOptions &options, const std::string &provenance = "") {
  const std::string prefix = "f" + std::to_string(number) + "-e";
  out << "<section class=\"finding\" id=\"finding-" << number << "\" data-kind=\""
      << html_escape(std::string(finding_kind_name(f.kind))) << "\">\n<h2>" << number << ". "
      << html_escape(finding_message(record, f)) << "</h2>\n";
  if (!provenance.empty()) out << "<p class=\"note\">" << html_escape(provenance) << "</p>\n";
  for (const std::string &d : f.details) out << "<p>" << html_escape(d) << "</p>\n";
  std::vector<TimelineEvent> events = finding_events(record, f);
  out << "<h3>Interleaving</h3>\n";
  write_timeline(out, record, f, events, prefix, options);
  if (f.kind == FindingKind::LockOrderCycle && !f.cycle.empty()) {
    out << "<h3>Lock-order cycle</h3>\n";
    write_cycle_graph(out, record, f);
  }
  out << "<h3>Locations</h3>\n";
  if (events.empty()) out << "<p class=\"note\">This finding names no source location.</p>\n";
  for (size_t i = 0; i < events.size(); ++i)
    write_location(out, record, events[i], prefix + std::to_string(i + 1), options);
  out << "</section>\n";
}

// A finding no run could be had for: its text report, and why there is no
// timeline.
void write_text_finding(std::ostream &out, const HtmlRunFinding &f, size_t number) {
  out << "<section class=\"finding\" id=\"finding-" << number << "\" data-kind=\""
      << html_escape(f.kind) << "\">\n<h2>" << number << ". " << html_escape(f.message)
      << "</h2>\n";
  if (!f.provenance.empty()) out << "<p class=\"note\">" << html_escape(f.provenance) << "</p>\n";
  out << "<p class=\"missing no-timeline\">No interleaving: " << html_escape(f.missing)
      << "</p>\n<pre class=\"report\">" << html_escape(f.report_text) << "</pre>\n</section>\n";
}

void write_head(std::ostream &out, const std::string &program) {
  out << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width\">\n<title>racecheck: "
      << html_escape(program) << "</title>\n"
      << kStyle << "</head><body>\n<h1>racecheck report</h1>\n";
}

}  // namespace

void write_html_report(std::ostream &out, const Record &record, const HtmlReportOptions &options) {
  write_head(out, record.meta.program);
  write_facts(out, record);
  std::vector<SummaryRow> rows;
  for (const Finding &f : record.findings) rows.push_back(summary_row(record, f));
  write_summary(out, rows);
  for (size_t i = 0; i < record.findings.size(); ++i)
    write_finding(out, record, record.findings[i], i + 1, options);
  for (const std::string &note : record.notes)
    out << "<p class=\"note\">note: " << html_escape(note) << "</p>\n";
  out << "</body></html>\n";
}

void write_runs_html_report(std::ostream &out, const std::string &program,
                            const std::vector<std::pair<std::string, std::string>> &facts,
                            const std::vector<HtmlRunFinding> &findings) {
  write_head(out, program);
  out << "<table class=\"facts\">";
  for (const auto &[label, value] : facts)
    out << "<tr><td>" << html_escape(label) << "</td><td>" << html_escape(value) << "</td></tr>";
  out << "</table>\n";
  std::vector<SummaryRow> rows;
  for (const HtmlRunFinding &f : findings) {
    rows.push_back(f.record ? summary_row(*f.record, f.record->findings.front())
                            : SummaryRow{f.kind, f.message, "", ""});
    rows.back().found = f.provenance;
  }
  write_summary(out, rows);
  for (size_t i = 0; i < findings.size(); ++i) {
    const HtmlRunFinding &f = findings[i];
    if (f.record)
      write_finding(out, *f.record, f.record->findings.front(), i + 1, f.options, f.provenance);
    else
      write_text_finding(out, f, i + 1);
  }
  out << "</body></html>\n";
}

}  // namespace racecheck
