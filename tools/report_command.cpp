// report_command.cpp — the `report` verb.
#include "report_command.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string_view>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include "html_report.h"
#include "json_report.h"
#include "lock_graph.h"
#include "record_reader.h"
#include "text_report.h"

namespace racecheck {

bool write_json_file(const Record &record, const std::string &path) {
  if (path == "-") {
    write_json_report(std::cout, record);
    return bool(std::cout);
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    std::cerr << "racecheck: error: cannot write the JSON report to " << path << ": "
              << std::strerror(errno) << "\n";
    return false;
  }
  write_json_report(out, record);
  out.close();
  if (!out) {
    std::cerr << "racecheck: error: cannot write the JSON report to " << path << "\n";
    return false;
  }
  return true;
}

bool write_html_file(const Record &record, const std::string &schedule, const std::string &path) {
  HtmlReportOptions options;
  options.schedule_path = schedule;
  if (!schedule.empty()) read_schedule_steps(schedule, options.schedule, options.schedule_error);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) write_html_report(out, record, options);
  out.close();
  if (!out) {
    std::cerr << "racecheck: error: cannot write the HTML report to " << path << ": "
              << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

namespace {

// Graphviz is optional: when `dot` is on PATH, the cycles are also rendered
// as FILE.svg beside FILE.dot (a failure to render is a warning only).
void render_svg_if_dot_installed(const std::string &dot_path) {
  std::string svg_path = dot_path;
  if (svg_path.size() > 4 && svg_path.compare(svg_path.size() - 4, 4, ".dot") == 0)
    svg_path.resize(svg_path.size() - 4);
  svg_path += ".svg";
  std::string output_flag = "-o" + svg_path;
  std::string format = "-Tsvg";
  std::string program = "dot";
  char *argv[] = {program.data(), format.data(), output_flag.data(),
                  const_cast<char *>(dot_path.c_str()), nullptr};
  pid_t pid = 0;
  if (posix_spawnp(&pid, "dot", nullptr, nullptr, argv, environ) != 0)
    return;  // no Graphviz: the DOT file is what was asked for
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    std::cerr << "racecheck: warning: dot could not render " << dot_path << " as SVG\n";
}

}  // namespace

bool load_suppressions(const std::string &path, std::shared_ptr<Suppressions> &out) {
  if (path.empty()) return true;
  try {
    out = std::make_shared<Suppressions>(Suppressions::read_file(path));
  } catch (const SuppressionError &e) {
    std::cerr << "racecheck: error: " << e.what() << "\n";
    return false;
  }
  return true;
}

std::string suppressions_from_environment() {
  const char *options = std::getenv("RACECHECK_OPTIONS");
  if (!options) return "";
  std::string path;
  std::string_view text(options);
  while (!text.empty()) {
    size_t end = text.find_first_of(": \t\n");
    std::string_view item = text.substr(0, end);
    if (item.rfind("suppressions=", 0) == 0) path = std::string(item.substr(13));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return path;
}

bool analyze_record(Record &record, const std::string &graph_path, bool single_thread_inversions,
                    Suppressions *suppressions) {
  LockOrderOptions lock_order;
  lock_order.single_thread = single_thread_inversions;
  add_lock_order_findings(record, lock_order);
  if (suppressions) suppressions->apply(record);
  if (graph_path.empty()) return true;
  std::ofstream out(graph_path, std::ios::binary | std::ios::trunc);
  if (out) write_lock_cycles_dot(out, record);
  out.close();
  if (!out) {
    std::cerr << "racecheck: error: cannot write the lock graph to " << graph_path << ": "
              << std::strerror(errno) << "\n";
    return false;
  }
  render_svg_if_dot_installed(graph_path);
  return true;
}

int report_command(const ReportOptions &options) {
  ReportFiles files = options.files;
  if (!load_baseline(files)) return kExitError;
  Record record;
  try {
    record = read_record_file(options.record);
  } catch (const RecordError &e) {
    std::cerr << "racecheck: error: " << e.what() << "\n";
    return kExitError;
  }
  std::shared_ptr<Suppressions> suppressions;
  if (!load_suppressions(options.suppressions_path, suppressions)) return kExitError;
  if (!analyze_record(record, options.graph_path, options.single_thread_inversions,
                      suppressions.get()))
    return kExitError;
  // Text unless only files were asked for.
  bool text = options.text || (options.json_path.empty() && !files.any());
  if (text) {
    TextReportOptions text_options;
    text_options.quiet = options.quiet;
    if (options.text_path.empty() || options.text_path == "-") {
      write_text_report(std::cout, record, text_options);
      std::cout.flush();
    } else {
      std::ofstream out(options.text_path, std::ios::binary | std::ios::trunc);
      if (!out) {
        std::cerr << "racecheck: error: cannot write the report to " << options.text_path << ": "
                  << std::strerror(errno) << "\n";
        return kExitError;
      }
      write_text_report(out, record, text_options);
    }
  }
  if (!options.json_path.empty() && !write_json_file(record, options.json_path)) return kExitError;
  if (suppressions) suppressions->write_counts(text ? std::cout : std::cerr);
  if (!options.html_path.empty() &&
      !write_html_file(record, options.schedule_path, options.html_path))
    return kExitError;
  if (files.any() || !files.baseline_path.empty()) {
    nlohmann::ordered_json json = json_report(record);
    add_report_texts(json["findings"], record, 0);
    if (!write_report_files(json, record.meta.program, files)) return kExitError;
    return has_new_failing_finding(json, failing_on_every_kind(), files, std::cerr) ? kExitFindings
                                                                                    : 0;
  }
  return record.findings.empty() ? 0 : kExitFindings;
}

}  // namespace racecheck
