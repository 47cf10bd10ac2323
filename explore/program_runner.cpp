// program_runner.cpp — fork/exec of the instrumented program with its
// RACECHECK_OPTIONS, exec errors reported through a close-on-exec pipe, and
// signal handling like system(3) while waiting.
#include "program_runner.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>

#include "stdin_tee.h"

namespace racecheck {
namespace {

// The running programs (`run --jobs J` starts up to J at once); 0 : a free
// slot. Read by the signal handler, so a fixed array of sig_atomic_t.
constexpr size_t kMaxChildren = kMaxParallelPrograms;
volatile sig_atomic_t g_child_pids[kMaxChildren] = {};
// Fork servers (forward_signals_to); they pass the signal to their child.
volatile sig_atomic_t g_server_pids[kMaxChildren] = {};

// The first termination request racecheck received while it ran programs
// (termination_signal()); 0 : none.
volatile sig_atomic_t g_termination_signal = 0;

// Termination requests for racecheck go to the programs, which then exit
// through the runtime and still write their records. The terminal's ^C
// reaches the programs by itself (same process group) and is not sent
// twice: a program with its own handler would count two. Fork servers
// ignore ^C (their child gets it): a ^C sent to racecheck alone asks them
// with SIGTERM.
void forward_signal(int sig, siginfo_t *info, void *) {
  if (g_termination_signal == 0) g_termination_signal = sig;
  if (sig == SIGINT && info && info->si_code > 0) return;  // from the kernel: the terminal
  for (size_t i = 0; i < kMaxChildren; ++i) {
    if (g_child_pids[i] > 0) ::kill(g_child_pids[i], sig);
    if (g_server_pids[i] > 0) ::kill(g_server_pids[i], sig == SIGINT ? SIGTERM : sig);
  }
}

// Returns the pid, or -1 after printing why the program could not start.
pid_t start_program(const ProgramLaunch &launch) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) {
    std::cerr << "racecheck: error: pipe: " << std::strerror(errno) << "\n";
    return -1;
  }
  std::vector<char *> argv;
  for (const std::string &s : launch.argv) argv.push_back(const_cast<char *>(s.c_str()));
  argv.push_back(nullptr);
  std::cout.flush();
  std::cerr.flush();
  const std::string stdin_path = stdin_for_launch(launch.stdin_path);
  const pid_t parent = ::getpid();
  pid_t pid = ::fork();
  if (pid < 0) {
    std::cerr << "racecheck: error: fork: " << std::strerror(errno) << "\n";
    ::close(pipe_fds[0]);
    ::close(pipe_fds[1]);
    return -1;
  }
  if (pid == 0) {
    ::close(pipe_fds[0]);
    // The program does not outlive racecheck: killed with it, it would run
    // on unseen and unreported.
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (::getppid() != parent) ::_exit(127);  // racecheck died before prctl
    ::signal(SIGINT, SIG_DFL);
    ::signal(SIGQUIT, SIG_DFL);
    ::signal(SIGPIPE, SIG_DFL);
    ::setenv("RACECHECK_OPTIONS", launch.runtime_options.c_str(), 1);
    if (launch.detached_io) {
      int null_fd = ::open("/dev/null", O_RDWR);
      if (null_fd >= 0) {
        ::dup2(null_fd, 0);
        ::dup2(null_fd, 1);
        ::dup2(null_fd, 2);
        if (null_fd > 2) ::close(null_fd);
      }
    }
    auto redirect = [](const std::string &path, int target) {
      if (path.empty()) return;
      int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
      if (fd >= 0) {
        ::dup2(fd, target);  // the duplicate does not inherit O_CLOEXEC
        ::close(fd);
      }
    };
    redirect(launch.stdout_path, 1);
    redirect(launch.stderr_path, 2);
    if (!stdin_path.empty()) {
      int fd = ::open(stdin_path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd >= 0) {
        ::dup2(fd, 0);
        ::close(fd);
      }
    }
    for (const auto &[from, to] : launch.inherited_fds) ::dup2(from, to);  // without O_CLOEXEC
    if (launch.executable.empty())
      ::execvp(argv[0], argv.data());
    else
      ::execv(launch.executable.c_str(), argv.data());
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
    const std::string &name = launch.executable.empty() ? launch.argv[0] : launch.executable;
    std::cerr << "racecheck: error: cannot run '" << name << "': " << std::strerror(err) << "\n";
    int status;
    ::waitpid(pid, &status, 0);
    return -1;
  }
  return pid;
}

// The dispositions replaced while racecheck waits for programs.
struct SavedSignals {
  struct sigaction int_action, quit_action, term_action, hup_action, pipe_action;
};

// ^\ ignored (it reaches the programs); ^C, SIGTERM and SIGHUP noted and
// forwarded (the terminal's ^C reaches them anyway; a forwarded duplicate
// is harmless, the runtime blocks it while it writes the record). SIGPIPE
// ignored: a fork server that ended is an error to report, not a death.
void forward_termination(SavedSignals &saved) {
  struct sigaction ignore{}, forward{};
  ignore.sa_handler = SIG_IGN;
  forward.sa_sigaction = forward_signal;
  forward.sa_flags = SA_SIGINFO;
  ::sigaction(SIGINT, &forward, &saved.int_action);
  ::sigaction(SIGQUIT, &ignore, &saved.quit_action);
  ::sigaction(SIGTERM, &forward, &saved.term_action);
  ::sigaction(SIGHUP, &forward, &saved.hup_action);
  ::sigaction(SIGPIPE, &ignore, &saved.pipe_action);
}

void restore_signals(const SavedSignals &saved) {
  ::sigaction(SIGINT, &saved.int_action, nullptr);
  ::sigaction(SIGQUIT, &saved.quit_action, nullptr);
  ::sigaction(SIGTERM, &saved.term_action, nullptr);
  ::sigaction(SIGHUP, &saved.hup_action, nullptr);
  ::sigaction(SIGPIPE, &saved.pipe_action, nullptr);
}

// SignalForwardingScope's: scopes nest (an exploration holds one for its
// whole length, its fork servers another); the outermost restores.
SavedSignals g_scope_saved;
int g_scope_depth = 0;

}  // namespace

int start_program_only(const ProgramLaunch &launch) { return start_program(launch); }

SignalForwardingScope::SignalForwardingScope() {
  if (g_scope_depth++ == 0) forward_termination(g_scope_saved);
}

SignalForwardingScope::~SignalForwardingScope() {
  if (--g_scope_depth == 0) restore_signals(g_scope_saved);
}

int termination_signal() { return g_termination_signal; }

void forward_signals_to(int pid) {
  for (size_t i = 0; i < kMaxChildren; ++i) {
    if (pid > 0 && g_server_pids[i] == 0) {
      g_server_pids[i] = pid;
      return;
    }
    if (pid < 0 && g_server_pids[i] == -pid) {
      g_server_pids[i] = 0;
      return;
    }
  }
}

ProgramExit exit_from_wait_status(int status) {
  ProgramExit result;
  result.started = true;
  if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    result.status = 128 + result.signal;
  } else {
    result.status = WEXITSTATUS(status);
  }
  return result;
}

std::string signal_text(int sig) {
  std::string text = std::to_string(sig);
  if (const char *abbrev = sigabbrev_np(sig)) text += std::string(" (SIG") + abbrev + ")";
  return text;
}

ProgramExit launch_and_wait(const ProgramLaunch &launch) {
  return launch_all_and_wait({launch})[0];
}

std::vector<ProgramExit> launch_all_and_wait(const std::vector<ProgramLaunch> &launches) {
  std::vector<ProgramExit> results(launches.size());
  if (launches.size() > kMaxChildren) {
    std::cerr << "racecheck: error: at most " << kMaxChildren << " programs run at once\n";
    for (ProgramExit &r : results) r.status = 2;
    return results;
  }
  SavedSignals saved;
  forward_termination(saved);
  std::vector<pid_t> pids(launches.size(), -1);
  for (size_t i = 0; i < launches.size(); ++i) {
    pids[i] = start_program(launches[i]);
    if (pids[i] < 0)
      results[i].status = 127;
    else
      g_child_pids[i] = pids[i];
  }
  // Each program is waited for by its own pid, so the results do not depend
  // on the order in which they end.
  for (size_t i = 0; i < launches.size(); ++i) {
    if (pids[i] < 0) continue;
    int status = 0;
    bool waited = true;
    while (::waitpid(pids[i], &status, 0) < 0) {
      if (errno != EINTR) {
        std::cerr << "racecheck: error: waitpid: " << std::strerror(errno) << "\n";
        waited = false;
        break;
      }
    }
    g_child_pids[i] = 0;
    if (!waited) {
      results[i].status = 2;
      continue;
    }
    results[i] = exit_from_wait_status(status);
  }
  restore_signals(saved);
  return results;
}

}  // namespace racecheck
