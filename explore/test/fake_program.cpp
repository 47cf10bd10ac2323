// fake_program.cpp — see fake_program.h.
#include "fake_program.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace racecheck::test {
namespace {

std::string read_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string value(const Options &options, const std::string &name) {
  auto it = options.find(name);
  return it == options.end() ? "" : it->second;
}

// The lock-order cycle's locks, edges and clocks (threads 1 and 2 run
// concurrently by their fork-join clocks).
const char kLockCycle[] = "lock\t0\tmutex\ta\t-1\t0\t0\t0\n"
                          "lock\t1\tmutex\tb\t-1\t0\t0\t0\n"
                          "lockset\t1\t0:0:0:w\n"
                          "lockset\t2\t1:2:0:w\n"
                          "fork-join-clock\t0\t1\t1\t0\n"
                          "fork-join-clock\t1\t1\t0\t1\n"
                          "lock-edge\t1\t0\t0\t0\tw\t1\t1\t0\tw\tblock\t1\t0\n"
                          "lock-edge\t2\t1\t2\t0\tw\t0\t3\t0\tw\tblock\t2\t1\n";

std::string record_text(const Options &options, const FakeBehaviour &b) {
  std::ostringstream out;
  std::string strategy = value(options, "strategy");
  out << "racecheck-record\t1\nmeta\tprogram\t./fake\nmeta\tseed\t" << value(options, "seed")
      << "\nmeta\tstrategy\t" << (strategy.empty() ? "random" : strategy) << "\nmeta\texit_status\t"
      << (b.deadlock ? -1 : b.exit_status)
      << "\nmeta\texit_signal\t0\nmeta\tthreads\t3\nmeta\tscheduling_points\t" << b.steps
      << "\nmeta\tswitches\t10\nmeta\tio_leaves\t0\n";
  // Sites 0-3: the lock cycle's requests; then two per race.
  out << "site\t0\tfake.c\tab\t10\t3\t-1\nsite\t1\tfake.c\tab\t11\t3\t-1\n"
         "site\t2\tfake.c\tba\t20\t3\t-1\nsite\t3\tfake.c\tba\t21\t3\t-1\n";
  for (size_t i = 0; i < b.races.size(); ++i)
    out << "site\t" << 4 + 2 * i << "\tfake.c\tf\t" << b.races[i].previous << "\t1\t-1\n"
        << "site\t" << 5 + 2 * i << "\tfake.c\tg\t" << b.races[i].current << "\t1\t-1\n";
  out << "thread\t0\t-1\t-1\t0\nthread\t1\t0\t-1\t0\nthread\t2\t0\t-1\t0\n";
  if (b.lock_cycle || b.deadlock) out << kLockCycle;
  for (size_t i = 0; i < b.races.size(); ++i)
    out << "finding\tdata-race\naccess\tcurrent\t2\twrite\t0\t4\t" << 5 + 2 * i
        << "\t0\t0\naccess\tprevious\t1\twrite\t0\t4\t" << 4 + 2 * i << "\t0\t0\nend\n";
  if (b.deadlock)
    out << "finding\tdeadlock\nwaiter\t1\tpthread_mutex_lock\tmutex 'b'\t1\t0\t1\n"
           "waiter\t2\tpthread_mutex_lock\tmutex 'a'\t3\t0\t2\nend\n";
  out << "end-record\n";
  return out.str();
}

std::string schedule_text(const FakeBehaviour &b) {
  std::ostringstream out;
  out << "racecheck-schedule 1\npreemptions " << b.preempts.size() << "\nswitches "
      << b.preempts.size() << "\n";
  for (const std::string &line : b.preempts) out << line << "\n";
  out << "end\n";
  return out.str();
}

}  // namespace

Options parse_options(const std::string &text) {
  Options options{{"seed", "0"}};  // the runtime's default
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ':');) {
    size_t eq = item.find('=');
    if (eq != std::string::npos) options[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return options;
}

ProgramExit FakeProgram::run(const ProgramLaunch &launch) {
  Options options = parse_options(launch.runtime_options);
  runs_.push_back(options);
  for (const char *name : {"race_targets", "directed_targets", "guide"})
    if (!value(options, name).empty())
      file_texts_[runs_.size() - 1][name] = read_file(value(options, name));
  FakeBehaviour b = behaviour_(options);
  if (!value(options, "schedule_out").empty())
    write_file(options["schedule_out"], schedule_text(b));
  if (!launch.stdout_path.empty()) write_file(launch.stdout_path, b.output);
  if (!launch.stderr_path.empty()) write_file(launch.stderr_path, "");
  write_file(options["record"], record_text(options, b));
  ProgramExit exit;
  exit.started = true;
  exit.status = b.exit_status;
  return exit;
}

std::vector<uint64_t> FakeProgram::seeds(const std::string &strategy) const {
  std::vector<uint64_t> seeds;
  for (const Options &options : runs_)
    if (value(options, "strategy") == strategy)
      seeds.push_back(std::stoull(value(options, "seed")));
  return seeds;
}

std::vector<std::string> FakeProgram::files(const std::string &name) const {
  std::vector<std::string> texts;
  for (const auto &[index, files] : file_texts_)
    if (files.count(name)) texts.push_back(files.at(name));
  return texts;
}

std::vector<std::string> guide_preempts(const Options &options) {
  std::vector<std::string> preempts;
  std::istringstream in(read_file(value(options, "guide")));
  for (std::string line; std::getline(in, line);)
    if (line.rfind("preempt ", 0) == 0) preempts.push_back(line);
  return preempts;
}

TempDir::TempDir() {
  std::string pattern = std::filesystem::temp_directory_path().string() + "/explore-test-XXXXXX";
  if (::mkdtemp(pattern.data())) path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

}  // namespace racecheck::test
