// fork_server_client.cpp — starting a fork server, sending it one request
// per schedule and reading its replies (protocol: docs/fork-server.md).
#include "fork_server_client.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <sstream>

#include "racecheck/fork_server_protocol.h"
#include "stdin_tee.h"

namespace racecheck {
namespace {

// The descriptors the server sees its pipes on: high, so that the
// program's constructors open files on the same numbers as in a fresh
// process (the children close them before main).
constexpr int kServerRequestFd = 250;
constexpr int kServerResponseFd = 251;

bool write_all(int fd, const std::string &text) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += size_t(n);
  }
  return true;
}

std::string field(const std::string &path) {
  return path.empty() ? RC_FORK_SERVER_INHERITED : path;
}

}  // namespace

bool program_can_serve(const std::string &argv0) {
  std::string path = argv0;
  if (argv0.find('/') == std::string::npos) {
    path.clear();
    const char *env = std::getenv("PATH");
    std::istringstream dirs(env ? env : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
      std::string candidate = (dir.empty() ? "." : dir) + "/" + argv0;
      if (::access(candidate.c_str(), X_OK) == 0) {
        path = candidate;
        break;
      }
    }
  }
  int fd = path.empty() ? -1 : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  // The runtime's greeting (fork_server.c).
  const std::string marker = RC_FORK_SERVER_GREETING;
  std::string window;
  char buf[1 << 16];
  bool found = false;
  ssize_t n;
  while (!found && (n = ::read(fd, buf, sizeof buf)) > 0) {
    window.append(buf, size_t(n));
    found = window.find(marker) != std::string::npos;
    window.erase(0, window.size() - std::min(window.size(), marker.size() - 1));
  }
  ::close(fd);
  return found;
}

bool is_valid_request_path(const std::string &path) {
  return path != RC_FORK_SERVER_INHERITED && path.find_first_of("\t\n") == std::string::npos;
}

ForkServer::~ForkServer() { stop(); }

void ForkServer::stop() {
  if (request_fd_ >= 0) ::close(request_fd_);  // end of input: the server exits
  if (response_fd_ >= 0) ::close(response_fd_);
  request_fd_ = response_fd_ = -1;
  if (pid_ > 0) {
    int status;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    forward_signals_to(-pid_);
  }
  pid_ = -1;
}

bool ForkServer::start(ProgramLaunch launch, std::string *why) {
  int request[2], response[2];
  if (::pipe2(request, O_CLOEXEC) != 0) {
    *why = std::string("pipe: ") + std::strerror(errno);
    return false;
  }
  if (::pipe2(response, O_CLOEXEC) != 0) {
    *why = std::string("pipe: ") + std::strerror(errno);
    ::close(request[0]);
    ::close(request[1]);
    return false;
  }
  launch.inherited_fds = {{request[0], kServerRequestFd}, {response[1], kServerResponseFd}};
  launch.runtime_options +=
      ":fork_server=" + std::to_string(kServerRequestFd) + "," + std::to_string(kServerResponseFd);
  pid_ = start_program_only(launch);
  ::close(request[0]);
  ::close(response[1]);
  request_fd_ = request[1];
  response_fd_ = response[0];
  if (pid_ < 0) {
    *why = "the program could not be started";
    stop();
    return false;
  }
  forward_signals_to(pid_);
  // The server's first line: "racecheck-fork-server 1 ready", or
  // "... refused: why". Nothing at all: no racecheck runtime answered.
  std::string line;
  char c;
  ssize_t n;
  while ((n = ::read(response_fd_, &c, 1)) == 1 || (n < 0 && errno == EINTR))
    if (n == 1) {
      if (c == '\n') break;
      line += c;
    }
  std::string expected =
      RC_FORK_SERVER_GREETING " " + std::to_string(RC_FORK_SERVER_PROTOCOL_VERSION) + " ";
  const std::string refused = RC_FORK_SERVER_REFUSED;
  if (line == expected + RC_FORK_SERVER_READY) return true;
  if (line.rfind(expected + refused, 0) == 0)
    *why = line.substr(expected.size() + refused.size());
  else if (line.empty())
    *why = "the program ended without serving (not instrumented, or it failed before main)";
  else
    *why = "unexpected answer '" + line + "'";
  stop();
  return false;
}

bool ForkServer::send(const ScheduleRequest &request) {
  std::string line = RC_FORK_SERVER_RUN "\t" + field(stdin_for_launch(request.stdin_path)) + "\t" +
                     field(request.stdout_path) + "\t" + field(request.stderr_path) + "\t" +
                     request.options + "\n";
  if (request_fd_ >= 0 && write_all(request_fd_, line)) return true;
  std::cerr << "racecheck: error: the fork server stopped taking requests\n";
  return false;
}

std::optional<ScheduleExit> ForkServer::receive() {
  size_t newline;
  while ((newline = pending_.find('\n')) == std::string::npos) {
    char buf[512];
    ssize_t n = ::read(response_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::cerr << "racecheck: error: the fork server ended unexpectedly\n";
      return std::nullopt;
    }
    pending_.append(buf, size_t(n));
  }
  std::string line = pending_.substr(0, newline);
  pending_.erase(0, newline + 1);
  int status = 0, exit_status = 0, exit_signal = 0;
  unsigned written = 0, findings = 0, cycle = 0;
  unsigned long long steps = 0, switches = 0, fork_ns = 0, child_ns = 0;
  if (std::sscanf(line.c_str(), RC_FORK_SERVER_STATUS_FORMAT, &status, &written, &findings, &cycle,
                  &exit_status, &exit_signal, &steps, &switches, &fork_ns,
                  &child_ns) != RC_FORK_SERVER_STATUS_FIELDS) {
    std::cerr << "racecheck: error: the fork server answered '" << line << "'\n";
    return std::nullopt;
  }
  ScheduleSummary summary{written != 0, findings, cycle != 0, exit_status, exit_signal,
                          steps,        switches, fork_ns,    child_ns};
  ScheduleExit result;
  result.exit = exit_from_wait_status(status);
  result.summary = summary;
  return result;
}

}  // namespace racecheck
