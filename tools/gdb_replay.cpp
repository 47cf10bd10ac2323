// gdb_replay.cpp — `racecheck replay --gdb` / `--rr` (gdb_replay.h): writes
// a gdb script that breaks on __racecheck_debug_stop, runs the replay, and
// selects the innermost frame outside racecheck's runtime, then hands the
// terminal to gdb.
#include "gdb_replay.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include "finding.h"

namespace racecheck {
namespace {

// The runtime's own findings, in the order it added them (the analyzer adds
// lock-order cycles, exploration failures and output mismatches after).
bool found_by_runtime(FindingKind kind) {
  return kind != FindingKind::LockOrderCycle && kind != FindingKind::Failure &&
         kind != FindingKind::OutputMismatch;
}

// A Python string literal of bytes (gdb's Python 3 reads the script as UTF-8).
std::string python_literal(const std::string &text) {
  std::string out = "'";
  for (unsigned char c : text) {
    if (c == '\\' || c == '\'' || c < 0x20 || c >= 0x7f) {
      static const char hex[] = "0123456789abcdef";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "'";
}

// The frame selection: racecheck's runtime frames (its sources) and frames
// without line information (libc, the interceptors' trampolines) are
// skipped, so `frame` shows the user's line.
const char *kSelectUserFrame = R"(python
import gdb
def racecheck_select_user_frame(runtime_dir, what):
    frame = gdb.selected_frame()
    while frame is not None:
        sal = frame.find_sal()
        name = sal.symtab.fullname() if sal.symtab else ''
        if name and sal.line and not name.startswith(runtime_dir):
            frame.select()
            try:  # racecheck's name of the thread, from the runtime's thread-local
                tid = ' (racecheck T%d)' % int(gdb.parse_and_eval('rc_self->tid'))
            except gdb.error:
                tid = ''
            print('racecheck: stopped at %s: %s:%d in thread %d%s; the other threads are parked'
                  % (what, sal.symtab.filename, sal.line, gdb.selected_thread().num, tid))
            return
        frame = frame.older()
    print('racecheck: stopped at %s, but no frame of the program has line information' % what)
end
)";

bool write_script(const GdbReplay &replay, const std::string &what, const std::string &path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << "set pagination off\nset confirm off\n"
      // The runtime's own signals (the watchdog, parked threads' wake-ups)
      // are not what the user debugs.
      << "handle SIGUSR1 SIGUSR2 SIGALRM SIGVTALRM SIGPROF SIGCHLD SIGPIPE nostop noprint pass\n"
      << kSelectUserFrame << "break __racecheck_debug_stop\n"
      << "run";
  if (!replay.stdin_path.empty()) out << " < " << replay.stdin_path;
  out << "\npython racecheck_select_user_frame(" << python_literal(RACECHECK_RUNTIME_SOURCE_DIR)
      << ", " << python_literal(what) << ")\n";
  out.close();
  return bool(out);
}

// Runs argv and waits: its exit status (128 + signal when killed), -1 when
// it cannot be started. `stdin_path`/`stderr_path` ("": inherited) redirect
// its input and its error output.
int spawn_and_wait(std::vector<std::string> argv, const std::string &stdin_path = "",
                   const std::string &stderr_path = "") {
  std::vector<char *> args;
  for (std::string &a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (!stdin_path.empty())
    posix_spawn_file_actions_addopen(&actions, 0, stdin_path.c_str(), O_RDONLY, 0);
  if (!stderr_path.empty())
    posix_spawn_file_actions_addopen(&actions, 2, stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                     0600);
  pid_t pid = 0;
  const int spawned = posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) return -1;
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

// rr's own words on why it failed: its FATAL/ERROR lines, else its last
// non-empty line.
std::string rr_error(const std::string &stderr_path) {
  std::ifstream in(stderr_path, std::ios::binary);
  std::string line, fatal, last;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    last = line;
    if (line.find("FATAL") != std::string::npos || line.find("ERROR") != std::string::npos)
      fatal += (fatal.empty() ? "" : " / ") + line;
  }
  std::string why = fatal.empty() ? last : fatal;
  return why.empty() ? "rr printed nothing" : why;
}

}  // namespace

bool debug_stop_options(const Record &record, std::string &options, std::string &what) {
  uint64_t index = 0;
  for (const Finding &f : record.findings) {
    if (!found_by_runtime(f.kind)) continue;
    ++index;
    what = "the " + std::string(finding_kind_name(f.kind));
    switch (f.kind) {
      case FindingKind::Crash:
        options.clear();  // gdb stops at the fatal signal itself
        what += " (its faulting instruction)";
        return true;
      case FindingKind::Livelock:
        // The cycle's first step follows the steps before it.
        options =
            "debug_stop_step=" + std::to_string(f.count("steps_before_cycle").value_or(0) + 1);
        what += " (its cycle's first step)";
        return true;
      case FindingKind::DataRace: what += " (the second racing access)"; break;
      case FindingKind::Deadlock: what += " (the request that closes it)"; break;
      default: what += " (where it was found)"; break;
    }
    options = "debug_stop_finding=" + std::to_string(index);
    return true;
  }
  std::cerr << "racecheck: error: --gdb: the replay has no finding a debugger can stop at";
  if (record.count(FindingKind::LockOrderCycle) > 0)
    std::cerr << " (a lock-order cycle that did not deadlock in this run: replay the schedule "
                 "that confirmed it)";
  std::cerr << "\n";
  return false;
}

int run_under_gdb(const GdbReplay &replay, const std::string &what) {
  std::string script = replay.scratch + "/replay.gdb";
  if (!write_script(replay, what, script)) {
    std::cerr << "racecheck: error: cannot write " << script << "\n";
    return 2;
  }
  // gdb passes its environment on to the program it runs.
  setenv("RACECHECK_OPTIONS", replay.runtime_options.c_str(), 1);
  int status = 0;
  if (replay.rr) {
    std::vector<std::string> record = {"rr", "record", replay.program};
    record.insert(record.end(), replay.args.begin(), replay.args.end());
    status = spawn_and_wait(record, replay.stdin_path);
    if (status < 0) {
      std::cerr << "racecheck: error: --rr: cannot run rr (is it installed?)\n";
      return 2;
    }
    std::cerr << "racecheck: the replay is recorded; `rr replay` debugs it (break "
                 "__racecheck_debug_stop stops at "
              << what << "; `rr replay -a` shows the report again)\n";
    return status;
  }
  std::vector<std::string> gdb = {"gdb", "-q", "-x", script, "--args", replay.program};
  gdb.insert(gdb.end(), replay.args.begin(), replay.args.end());
  status = spawn_and_wait(gdb);
  if (status < 0) std::cerr << "racecheck: error: --gdb: cannot run gdb (is it installed?)\n";
  return status < 0 ? 2 : status;
}

bool rr_can_record(const std::string &scratch, std::string &why) {
  // rr's trace of the probe goes to the scratch directory, not the user's
  // trace directory.
  const char *old = std::getenv("_RR_TRACE_DIR");
  const std::string saved = old ? old : "";
  setenv("_RR_TRACE_DIR", (scratch + "/rr-probe").c_str(), 1);
  const std::string errors = scratch + "/rr-probe.stderr";
  const int status = spawn_and_wait({"rr", "record", "/bin/true"}, "/dev/null", errors);
  if (old)
    setenv("_RR_TRACE_DIR", saved.c_str(), 1);
  else
    unsetenv("_RR_TRACE_DIR");
  if (status < 0) {
    why = "rr is not installed (Debian: apt-get install rr)";
    return false;
  }
  if (status == 0) return true;
  why = "rr cannot record on this machine: `rr record /bin/true` failed (exit status " +
        std::to_string(status) + "): " + rr_error(errors) +
        " (rr needs hardware performance counters through perf_event_open: see "
        "https://github.com/rr-debugger/rr/wiki/Will-rr-work-on-my-system)";
  return false;
}

}  // namespace racecheck
