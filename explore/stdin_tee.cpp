// stdin_tee.cpp — the copy of a live stdin made while the first run reads
// it (stdin_tee.h): a thread moves fd 0 to the FIFO and to the copy until
// the input ends or the first run closes its end.
#include "stdin_tee.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <mutex>
#include <thread>

namespace racecheck {
namespace {

struct Tee {
  std::string copy_path, fifo_path;
  std::thread thread;
  std::mutex mutex;               // guards claimed and the join
  bool claimed = false;           // a launch took the FIFO
  std::atomic<bool> stop{false};  // give up waiting for a reader
  bool truncated = false;
};
Tee *g_tee = nullptr;

bool write_all(int fd, const char *data, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(fd, data, size);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) {
      // The reader's end is full: wait for room, or for the reader to go.
      pollfd out{fd, POLLOUT, 0};
      if (::poll(&out, 1, -1) < 0 && errno != EINTR) return false;
      if (out.revents & (POLLERR | POLLHUP)) return false;
      continue;
    }
    if (n <= 0) return false;
    data += n;
    size -= size_t(n);
  }
  return true;
}

// Waits for the first run to open the FIFO (a non-blocking open fails with
// ENXIO until it has), so a launch that never opens it cannot hold the
// thread. -1 when asked to stop first.
int open_reader(Tee &tee) {
  for (;;) {
    int fd = ::open(tee.fifo_path.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0 || errno != ENXIO || tee.stop) return fd;
    ::usleep(2000);
  }
}

void copy_input(Tee &tee) {
  // A reader that goes away makes write fail with EPIPE, not kill racecheck.
  sigset_t pipe_signal;
  sigemptyset(&pipe_signal);
  sigaddset(&pipe_signal, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_signal, nullptr);
  int copy = ::open(tee.copy_path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  int live = open_reader(tee);
  size_t kept = 0;
  char buffer[65536];
  while (live >= 0 && copy >= 0) {
    // Wait for input, noticing meanwhile that the first run closed its end.
    pollfd fds[2] = {{0, POLLIN, 0}, {live, 0, 0}};
    int ready = ::poll(fds, 2, 100);
    if (ready < 0 && errno != EINTR) break;
    if (fds[1].revents & (POLLERR | POLLHUP)) break;
    if (ready <= 0) {
      if (tee.stop) break;  // every run ended; a reader racecheck did not start holds it
      continue;
    }
    ssize_t n = ::read(0, buffer, sizeof buffer);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) break;
    size_t keep = std::min(size_t(n), kMaxStdinCopyBytes - kept);
    if (keep < size_t(n)) tee.truncated = true;
    if (keep > 0 && ::write(copy, buffer, keep) != ssize_t(keep)) tee.truncated = true;
    kept += keep;
    if (!write_all(live, buffer, size_t(n))) break;
  }
  if (live >= 0) ::close(live);
  if (copy >= 0) ::close(copy);
}

}  // namespace

bool start_stdin_tee(const std::string &copy_path, const std::string &fifo_path) {
  int copy = ::open(copy_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (copy < 0 || ::mkfifo(fifo_path.c_str(), 0600) != 0) {
    std::cerr << "racecheck: error: cannot prepare the copy of the standard input: "
              << std::strerror(errno) << "\n";
    if (copy >= 0) ::close(copy);
    return false;
  }
  ::close(copy);
  g_tee = new Tee;
  g_tee->copy_path = copy_path;
  g_tee->fifo_path = fifo_path;
  return true;
}

// Waits for the first run's reading to end; the copy is then complete.
// Called with the mutex held.
static void wait_for_copy(Tee &tee) {
  if (!tee.thread.joinable()) return;
  tee.thread.join();
  if (tee.truncated)
    std::cerr << "racecheck: warning: the standard input is over 64 MiB; the runs after the "
                 "first read its first 64 MiB, then end of file\n";
}

std::string stdin_for_launch(const std::string &path) {
  if (!g_tee || path != g_tee->copy_path) return path;
  std::lock_guard<std::mutex> lock(g_tee->mutex);
  if (!g_tee->claimed) {
    g_tee->claimed = true;
    g_tee->thread = std::thread(copy_input, std::ref(*g_tee));
    return g_tee->fifo_path;
  }
  wait_for_copy(*g_tee);
  return path;
}

std::string complete_stdin_copy(const std::string &path) {
  if (!g_tee || path != g_tee->copy_path) return path;
  std::lock_guard<std::mutex> lock(g_tee->mutex);
  wait_for_copy(*g_tee);
  return path;
}

void finish_stdin_tee() {
  if (!g_tee) return;
  g_tee->stop = true;
  complete_stdin_copy(g_tee->copy_path);
  ::unlink(g_tee->fifo_path.c_str());
  delete g_tee;
  g_tee = nullptr;
}

}  // namespace racecheck
