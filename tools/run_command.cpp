// run_command.cpp — the `run` verb: fork/exec with RACECHECK_OPTIONS set, wait,
// read the record the runtime wrote at exit, print the report.
#include "run_command.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "record_reader.h"
#include "report_command.h"
#include "runtime_options.h"
#include "text_report.h"

namespace racecheck {
namespace {

volatile sig_atomic_t g_child_pid = 0;

// Termination requests for racecheck go to the program, which then exits
// through the runtime and still writes its record.
void forward_signal(int sig) {
  if (g_child_pid > 0) ::kill(g_child_pid, sig);
}

std::string signal_text(int sig) {
  std::string text = std::to_string(sig);
  if (const char *abbrev = sigabbrev_np(sig)) text += std::string(" (SIG") + abbrev + ")";
  return text;
}

// Where the record goes, and whether it is removed afterwards.
class RecordLocation {
 public:
  ~RecordLocation() {
    if (!temp_dir_.empty()) {
      std::error_code ec;
      std::filesystem::remove_all(temp_dir_, ec);
    }
  }

  bool choose(const RunOptions &options) {
    namespace fs = std::filesystem;
    if (!options.record_path.empty()) {
      path_ = options.record_path;
    } else if (options.keep_record) {
      std::error_code ec;
      fs::create_directories("racecheck-out", ec);
      if (ec) {
        std::cerr << "racecheck: error: cannot create racecheck-out/: " << ec.message() << "\n";
        return false;
      }
      std::string base = fs::path(options.command[0]).filename().string();
      path_ = "racecheck-out/" + base + ".seed" + std::to_string(options.seed.value_or(0)) + ".record";
    } else {
      const char *tmp = std::getenv("TMPDIR");
      std::string dir = (tmp && *tmp && is_valid_option_value(tmp)) ? tmp : "/tmp";
      std::string pattern = dir + "/racecheck-run-XXXXXX";
      if (!::mkdtemp(pattern.data())) {
        std::cerr << "racecheck: error: cannot create a temporary directory in " << dir << ": "
                  << std::strerror(errno) << "\n";
        return false;
      }
      temp_dir_ = pattern;
      path_ = temp_dir_ + "/run.record";
    }
    if (!is_valid_option_value(path_)) {
      std::cerr << "racecheck: error: the record path '" << path_
                << "' must not contain ':' or blanks (they separate RACECHECK_OPTIONS)\n";
      return false;
    }
    // Never mistake an old record for this run's.
    std::error_code ec;
    std::filesystem::remove(path_, ec);
    return true;
  }

  const std::string &path() const { return path_; }
  bool is_temporary() const { return !temp_dir_.empty(); }

 private:
  std::string path_;
  std::string temp_dir_;
};

std::string build_options_string(const RunOptions &options, const std::string &record_path) {
  std::string text;
  if (const char *existing = std::getenv("RACECHECK_OPTIONS")) text = existing;
  // Later settings win, so ours come after the user's.
  auto add = [&](const std::string &name, const std::string &value) {
    if (!text.empty()) text += ':';
    text += name + "=" + value;
  };
  if (options.seed) add("seed", std::to_string(*options.seed));
  if (options.strategy) add("strategy", *options.strategy);
  if (options.preempt_budget) add("preempt_budget", std::to_string(*options.preempt_budget));
  add("record", record_path);
  add("report", "0");
  return text;
}

// Starts the program; returns its pid, or -1 after printing why it could not
// start (exec errors come back through a close-on-exec pipe).
pid_t start_program(const std::vector<std::string> &command) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    std::cerr << "racecheck: error: pipe: " << std::strerror(errno) << "\n";
    return -1;
  }
  std::vector<char *> argv;
  for (const std::string &s : command) argv.push_back(const_cast<char *>(s.c_str()));
  argv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  pid_t pid = ::fork();
  if (pid < 0) {
    std::cerr << "racecheck: error: fork: " << std::strerror(errno) << "\n";
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return -1;
  }
  if (pid == 0) {
    ::close(pipe_fds[0]);
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGQUIT, SIG_DFL);
    ::execvp(argv[0], argv.data());
    int err = errno;
    ssize_t ignored = ::write(pipe_fds[1], &err, sizeof err);
    (void)ignored;
    ::_exit(127);
  }
  ::close(pipe_fds[1]);
  int err = 0;
  ssize_t n;
  do n = ::read(pipe_fds[0], &err, sizeof err);
  while (n < 0 && errno == EINTR);
  ::close(pipe_fds[0]);
  if (n == sizeof err) {
    std::cerr << "racecheck: error: cannot run '" << command[0] << "': " << std::strerror(err) << "\n";
    int status;
    ::waitpid(pid, &status, 0);
    return -1;
  }
  return pid;
}

}  // namespace

int run_command(const RunOptions &options) {
  if (options.command.empty()) {
    std::cerr << "racecheck: error: no program to run (usage: racecheck run [options] -- PROGRAM ARGS...)\n";
    return kExitError;
  }
  if (options.strategy && !is_valid_option_value(*options.strategy)) {
    std::cerr << "racecheck: error: invalid strategy '" << *options.strategy << "'\n";
    return kExitError;
  }
  RecordLocation record;
  if (!record.choose(options)) return kExitError;
  std::string option_string = build_options_string(options, record.path());
  ::setenv("RACECHECK_OPTIONS", option_string.c_str(), 1);

  // Like system(3): the terminal's ^C/^\ reach the program (same process
  // group); racecheck waits for it to finish its record.
  struct sigaction ignore {}, forward {}, old_int {}, old_quit {}, old_term {}, old_hup {};
  ignore.sa_handler = SIG_IGN;
  forward.sa_handler = forward_signal;
  ::sigaction(SIGINT, &ignore, &old_int);
  ::sigaction(SIGQUIT, &ignore, &old_quit);
  ::sigaction(SIGTERM, &forward, &old_term);
  ::sigaction(SIGHUP, &forward, &old_hup);
  auto restore_signals = [&] {
    ::sigaction(SIGINT, &old_int, nullptr);
    ::sigaction(SIGQUIT, &old_quit, nullptr);
    ::sigaction(SIGTERM, &old_term, nullptr);
    ::sigaction(SIGHUP, &old_hup, nullptr);
  };

  pid_t pid = start_program(options.command);
  if (pid < 0) {
    restore_signals();
    return 127;
  }
  g_child_pid = pid;
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      std::cerr << "racecheck: error: waitpid: " << std::strerror(errno) << "\n";
      restore_signals();
      return kExitError;
    }
  }
  g_child_pid = 0;
  restore_signals();

  int program_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  struct stat st;
  if (::stat(record.path().c_str(), &st) != 0) {
    if (WIFSIGNALED(status))
      std::cerr << "racecheck: error: the program was killed by signal " << signal_text(WTERMSIG(status))
                << " before racecheck could write its run record\n";
    else if (program_status != 0)
      // The runtime refuses bad options and reports its own fatal errors
      // before any record exists; do not blame the build for those.
      std::cerr << "racecheck: error: no run record was written and the program exited with status "
                << program_status << ": either it is not instrumented with racecheck (build it with "
                   "`racecheck cc`/`racecheck c++`) or the racecheck runtime stopped it early (see "
                   "its messages above)\n";
    else
      std::cerr << "racecheck: error: the program is not instrumented with racecheck (no run record "
                   "was written); build it with `racecheck cc` or `racecheck c++`\n";
    return kExitError;
  }

  Record parsed;
  try {
    parsed = read_record_file(record.path());
  } catch (const RecordError &e) {
    std::cerr << "racecheck: error: " << e.what() << "\n";
    if (record.is_temporary()) std::cerr << "racecheck: (the program exited with status " << program_status << ")\n";
    return kExitError;
  }
  TextReportOptions text_options;
  text_options.quiet = options.quiet;
  write_text_report(std::cerr, parsed, text_options);
  if (!options.json_path.empty() && !write_json_file(parsed, options.json_path)) return kExitError;
  if (!record.is_temporary() && !options.quiet)
    std::cerr << "racecheck: run record: " << record.path() << "\n";
  bool findings = !parsed.findings.empty();

  // A forked child with findings writes its own record next to ours.
  std::string child_path = record.path() + ".child";
  if (::stat(child_path.c_str(), &st) == 0) {
    try {
      Record child = read_record_file(child_path);
      std::cerr << "racecheck: findings of a forked child process:\n";
      write_text_report(std::cerr, child, text_options);
      findings = findings || !child.findings.empty();
    } catch (const RecordError &e) {
      std::cerr << "racecheck: error: " << e.what() << "\n";
    }
  }
  return findings ? kExitFindings : program_status;
}

}  // namespace racecheck
