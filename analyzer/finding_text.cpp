// finding_text.cpp — composes a finding's English from the runtime's
// structured fields (racecheck/record_format.h: RC_RECORD_CAUSES,
// RC_RECORD_WAIT_OBJECTS); see finding_text.h.
#include "finding_text.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <string.h>

#include "racecheck/record_format.h"
#include "source_frames.h"

namespace racecheck {
namespace {

// The sizes of the runtime's buffers that held this text before records
// carried data: a longer text was cut to one byte less.
constexpr size_t kDetailBytes = 256;
constexpr size_t kObjectBytes = 96;
constexpr size_t kThreadListBytes = 96;
constexpr size_t kOperationListBytes = 160;

std::string clamp(std::string text, size_t buffer_bytes) {
  if (text.size() >= buffer_bytes) text.resize(buffer_bytes - 1);
  return text;
}

template <typename T> T number(const std::string &text, const char *what) {
  T value{};
  auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || ptr != text.data() + text.size() || text.empty())
    throw FindingTextError("invalid " + std::string(what) + " '" + text + "'");
  return value;
}

std::string tid_text(const std::string &field) {
  return "T" + std::to_string(number<uint32_t>(field, "thread id"));
}

const Site *find_site(const Record &record, int id) {
  auto it = record.sites.find(id);
  return it == record.sites.end() ? nullptr : &it->second;
}

std::string signal_name(int signal) {
  const char *abbrev = sigabbrev_np(signal);
  return std::string("SIG") + (abbrev ? abbrev : "?");
}

// The name of an x86_64 system call (the runtime records numbers only):
// the calls a thread can wait in, and a few common others.
std::string syscall_name(uint64_t number) {
  static const struct {
    uint64_t number;
    const char *name;
  } kNames[] = {{0, "read"},
                {1, "write"},
                {7, "poll"},
                {16, "ioctl"},
                {17, "pread64"},
                {18, "pwrite64"},
                {19, "readv"},
                {20, "writev"},
                {23, "select"},
                {34, "pause"},
                {35, "nanosleep"},
                {42, "connect"},
                {43, "accept"},
                {44, "sendto"},
                {45, "recvfrom"},
                {46, "sendmsg"},
                {47, "recvmsg"},
                {60, "exit"},
                {61, "wait4"},
                {72, "fcntl"},
                {73, "flock"},
                {74, "fsync"},
                {101, "ptrace"},
                {128, "rt_sigtimedwait"},
                {130, "rt_sigsuspend"},
                {202, "futex"},
                {230, "clock_nanosleep"},
                {232, "epoll_wait"},
                {247, "waitid"},
                {270, "pselect6"},
                {271, "ppoll"},
                {281, "epoll_pwait"},
                {288, "accept4"},
                {295, "preadv"},
                {296, "pwritev"},
                {299, "recvmmsg"},
                {307, "sendmmsg"},
                {441, "epoll_pwait2"},
                {449, "futex_waitv"}};
  for (const auto &row : kNames)
    if (row.number == number) return row.name;
  return "system call " + std::to_string(number);
}

std::string kernel_wait_text(const std::vector<std::string> &cause) {
  return "no thread made progress for " +
         std::to_string(number<uint64_t>(cause[1], "milliseconds")) +
         " ms: every thread is blocked in the kernel or waits for one that is";
}

// The text before the cause's fields, by deadlock HEADLINE.
std::string deadlock_headline(const std::string &headline) {
  if (headline == rc_record_deadlock_headline_name(RC_RECORD_HEADLINE_NO_PROGRESS))
    return "no thread can make progress:";
  if (headline == rc_record_deadlock_headline_name(RC_RECORD_HEADLINE_RELOCK))
    return "a thread locks a non-recursive lock it already holds:";
  if (headline == rc_record_deadlock_headline_name(RC_RECORD_HEADLINE_ONCE_SELF))
    return "a pthread_once initialiser waits for itself:";
  if (headline == rc_record_deadlock_headline_name(RC_RECORD_HEADLINE_GUARD_SELF))
    return "a static variable's initialiser needs itself:";
  throw FindingTextError("unknown deadlock headline '" + headline + "'");
}

// " T1 waits for mutex `b` held by T2 while holding mutex `a`;" for each
// waiter, from TID:HOLDER:HELD_LOCK:HELD_COUNT.
std::string deadlock_text(const Record &record, const Finding &finding,
                          const std::vector<std::string> &cause) {
  std::string text = deadlock_headline(cause[1]);
  if (cause.size() - 2 != finding.waiters.size())
    throw FindingTextError("`cause deadlock` needs one wait per waiter");
  for (size_t i = 2; i < cause.size(); ++i) {
    std::vector<std::string> part;
    for (size_t start = 0;;) {
      size_t colon = cause[i].find(':', start);
      part.push_back(cause[i].substr(start, colon - start));
      if (colon == std::string::npos) break;
      start = colon + 1;
    }
    if (part.size() != 4) throw FindingTextError("invalid deadlock wait '" + cause[i] + "'");
    const Waiter &w = finding.waiters[i - 2];
    if (number<int>(part[0], "thread id") != w.tid)
      throw FindingTextError("deadlock wait '" + cause[i] + "' is not its waiter's");
    text += " " + tid_text(part[0]) + " waits for " + w.object;
    if (part[1] != "-1") text += " held by " + tid_text(part[1]);
    uint32_t held = number<uint32_t>(part[3], "held lock count");
    if (held) {
      text += " while holding " +
              clamp(lock_text(record, number<int>(part[2], "lock id")), kObjectBytes);
      if (held > 1) text += " and more";
    }
    text += ";";
  }
  return text;
}

std::string max_steps_text(const Record &record, const std::vector<std::string> &cause) {
  std::string text = "the run did not end within max_steps=" +
                     std::to_string(number<uint64_t>(cause[1], "max_steps")) + " scheduling points";
  if (cause.size() == 2) return text;
  const Site *site = find_site(record, number<int>(cause[3], "site id"));
  std::string file = site && !site->file.empty() ? site->file : "?";
  file = file.substr(file.rfind('/') == std::string::npos ? 0 : file.rfind('/') + 1);
  return text + "; busiest site in the last " +
         std::to_string(number<uint64_t>(cause[2], "window")) + " points: " + file + ":" +
         std::to_string(site ? site->line : 0) + " (" +
         std::to_string(number<uint32_t>(cause[4], "count")) + " times)";
}

// "T1 and T2 repeat a 6-step cycle (mutex lock, mutex trylock) without
// progress, 50 times": the first 16 threads of the cycle in tid order, its
// operations in first-seen order.
std::string livelock_text(const Finding &finding, const std::vector<std::string> &cause) {
  std::vector<int> tids;
  std::vector<std::string> operations;
  for (const Waiter &w : finding.waiters) {
    if (tids.size() < 16 && std::find(tids.begin(), tids.end(), w.tid) == tids.end())
      tids.push_back(w.tid);
    if (std::find(operations.begin(), operations.end(), w.operation) == operations.end())
      operations.push_back(w.operation);
  }
  std::sort(tids.begin(), tids.end());
  std::string who, ops;
  for (size_t i = 0; i < tids.size(); ++i)
    who += std::string(i == 0                 ? ""
                       : i + 1 == tids.size() ? " and "
                                              : ", ") +
           "T" + std::to_string(tids[i]);
  for (const std::string &op : operations) ops += std::string(ops.empty() ? "" : ", ") + op;
  return clamp(who, kThreadListBytes) + " repeat a " +
         std::to_string(number<uint64_t>(cause[1], "cycle steps")) + "-step cycle (" +
         clamp(ops, kOperationListBytes) + ") without progress, " +
         std::to_string(number<uint64_t>(cause[2], "repetitions")) + " times";
}

// "T1 spins at a.c:12 on values no other thread can change (every other
// thread is blocked or finished): a 1-step cycle repeated 64 times" from
// TID SITE CYCLE_STEPS REPETITIONS.
std::string spin_text(const Record &record, const std::vector<std::string> &cause) {
  const Site *site = find_site(record, number<int>(cause[2], "site id"));
  std::string file = site && !site->file.empty() ? site->file : "?";
  file = file.substr(file.rfind('/') == std::string::npos ? 0 : file.rfind('/') + 1);
  std::string where = tid_text(cause[1]) + " spins at " + file + ":" +
                      std::to_string(site ? site->line : 0) + " on values ";
  std::string cycle =
      "a " + std::to_string(number<uint64_t>(cause[3], "cycle steps")) + "-step cycle repeated " +
      std::to_string(number<uint64_t>(cause[4], "repetitions")) + " times without progress";
  if (cause.size() < 6)
    return where +
           "no other thread can change (every other thread is blocked or finished): " + cycle;
  // It then waited for a signal whose handler could have changed them; the
  // cycle comes last, so that a clamped text keeps the wait.
  std::string signals;
  for (size_t i = 6; i < cause.size(); ++i)
    signals += (i > 6 ? ", " : "") + signal_name(number<int>(cause[i], "signal number"));
  return where + "only a handler of a signal from outside could still change (" + signals +
         "), and none came in " +
         std::to_string(number<uint64_t>(cause[5], "waited milliseconds")) + " ms: " + cycle;
}

std::string starvation_text(const Finding &finding, const std::vector<std::string> &cause) {
  uint64_t bypasses = number<uint64_t>(cause[2], "bypasses");
  std::string resource = finding.waiters.empty() ? "" : finding.waiters[0].object;
  return tid_text(cause[1]) + " was bypassed " + std::to_string(bypasses) + " time" +
         (bypasses == 1 ? "" : "s") + " while waiting for " + resource + " (" +
         std::to_string(number<uint64_t>(cause[3], "waited steps")) +
         " scheduling points, threshold " +
         std::to_string(number<uint64_t>(cause[4], "threshold")) + ")";
}

// "T1 unlocks mutex `m`, which T2 holds" from CASE TID LOCK HOLDER OTHER_LOCK.
std::string misuse_text(const Record &record, const Finding &finding,
                        const std::vector<std::string> &cause) {
  const std::string &misuse = cause[1];
  auto is = [&](rc_record_misuse_case row) { return misuse == rc_record_misuse_case_name(row); };
  std::string who = tid_text(cause[2]);
  std::string object = lock_text(record, number<int>(cause[3], "lock id"));
  // An object racecheck has no identity for: the call's variable, if named,
  // as the kind the call works on (an unlock's lock, an init's barrier).
  if (cause[3] == "-1" && !finding.waiters.empty() && !finding.waiters[0].object.empty()) {
    object = finding.waiters[0].object;
    const std::string &op = finding.waiters[0].operation;
    std::string kind = op.rfind("mutex", 0) == 0 || is(RC_RECORD_MISUSE_WAIT_NOT_HELD) ? "mutex"
                       : op.rfind("rwlock", 0) == 0                                    ? "rwlock"
                       : is(RC_RECORD_MISUSE_BARRIER_ZERO)                             ? "barrier"
                                                                                       : "";
    if (!kind.empty() && object.rfind("object ", 0) == 0) object = kind + object.substr(6);
  }
  std::string other = lock_text(record, number<int>(cause[5], "lock id"));
  std::string holder = cause[4] == "-1" ? "" : tid_text(cause[4]);
  std::string held_by = holder.empty() ? "another thread holds" : holder + " holds";
  if (is(RC_RECORD_MISUSE_UNLOCK_NOT_HELD))
    return who + " unlocks " + object + ", which no thread holds";
  if (is(RC_RECORD_MISUSE_UNLOCK_OTHER))
    return who + " unlocks " + object + ", which " + held_by + " (only the owner may unlock it)";
  if (is(RC_RECORD_MISUSE_DESTROY_HELD))
    return who + " destroys " + object + " while " + held_by + " it";
  if (is(RC_RECORD_MISUSE_DESTROY_WAITED))
    return who + " destroys " + object + " while threads wait on it";
  if (is(RC_RECORD_MISUSE_WAIT_NOT_HELD))
    return who + " waits on " + other + " with " + object + ", which it does not hold" +
           (holder.empty() ? "" : " (" + holder + " holds it)");
  if (is(RC_RECORD_MISUSE_WAIT_TWO_MUTEXES))
    return who + " waits on " + object + " with another mutex than " + other +
           ", which other threads wait on it with";
  if (is(RC_RECORD_MISUSE_EXIT_HOLDING)) return who + " ends while holding " + object;
  if (is(RC_RECORD_MISUSE_REINIT_IN_USE))
    return who + " initialises " + object + " again while " +
           (holder.empty() ? "it is in use" : held_by + " it");
  if (is(RC_RECORD_MISUSE_SEM_OVERFLOW)) return who + " posts " + object + " beyond SEM_VALUE_MAX";
  if (is(RC_RECORD_MISUSE_BARRIER_ZERO))
    return who + " initialises " + object + " with a count of 0";
  throw FindingTextError("unknown misuse case '" + misuse + "'");
}

std::string signal_text(const std::vector<std::string> &cause) {
  int signal = number<int>(cause[2], "signal number");
  const char *description = sigdescr_np(signal);
  return "thread " + tid_text(cause[1]) + " received " + signal_name(signal) + " (" +
         (description ? description : "signal") + ")";
}

std::string composed_cause(const Record &record, const Finding &finding,
                           const std::vector<std::string> &cause) {
  const std::string &kind = cause[0];
  auto is = [&](rc_record_cause row) { return kind == rc_record_cause_name(row); };
  if (is(RC_RECORD_CAUSE_DEADLOCK)) return deadlock_text(record, finding, cause);
  if (is(RC_RECORD_CAUSE_MAX_STEPS)) return max_steps_text(record, cause);
  if (is(RC_RECORD_CAUSE_WATCHDOG))
    return "thread " + tid_text(cause[1]) + " ran " +
           std::to_string(number<uint64_t>(cause[2], "seconds")) +
           " s without reaching a scheduling point: spinning in uninstrumented code? mark the wait "
           "with racecheck_spin_wait()";
  if (is(RC_RECORD_CAUSE_KERNEL_WAIT)) return kernel_wait_text(cause);
  if (is(RC_RECORD_CAUSE_LIVELOCK)) return livelock_text(finding, cause);
  if (is(RC_RECORD_CAUSE_STARVATION)) return starvation_text(finding, cause);
  if (is(RC_RECORD_CAUSE_TERMINATED))
    return "thread " + tid_text(cause[1]) + " was terminated by " + cause[3] + " (" +
           signal_name(number<int>(cause[2], "signal number")) + ")";
  if (is(RC_RECORD_CAUSE_STACK_OVERFLOW))
    return "thread " + tid_text(cause[1]) + " received SIGSEGV (stack overflow)";
  if (is(RC_RECORD_CAUSE_SIGNAL)) return signal_text(cause);
  if (is(RC_RECORD_CAUSE_MISUSE)) return misuse_text(record, finding, cause);
  if (is(RC_RECORD_CAUSE_SPIN)) return spin_text(record, cause);
  throw FindingTextError("unknown cause '" + kind + "'");
}

}  // namespace

std::string lock_text(const Record &record, int lock) {
  auto it = record.locks.find(lock);
  if (it == record.locks.end() ||
      (it->second.name.empty() && it->second.site == kNoId && it->second.creator == kNoId))
    return "an unknown object";
  const Lock &l = it->second;
  if (!l.name.empty()) return l.kind + " `" + l.name + "`";
  const Site *site = find_site(record, l.site);
  if (site && !site->file.empty()) {
    // The user's line (not the libstdc++ header that constructed it), and,
    // should the text be clamped, the path's end and the line survive.
    std::string head = l.kind + " created at ";
    std::string position = user_position(record, l.site, l.stack);
    size_t room = kObjectBytes - 1 - std::min(head.size(), kObjectBytes / 2);
    if (position.size() > room) position = "..." + position.substr(position.size() - (room - 3));
    return head + position;
  }
  return l.kind + " #" + std::to_string(l.ordinal) + " of T" + std::to_string(l.creator);
}

WaiterState waiter_state(const Waiter &waiter) {
  if (!waiter.object_kind) return WaiterState::Blocked;
  if (*waiter.object_kind == rc_record_wait_object_name(RC_RECORD_WAIT_NONE))
    return WaiterState::Runnable;
  if (*waiter.object_kind == rc_record_wait_object_name(RC_RECORD_WAIT_SCHEDULING_POINT))
    return WaiterState::Running;
  return WaiterState::Blocked;
}

const char *waiter_state_name(WaiterState state) {
  switch (state) {
    case WaiterState::Runnable: return "runnable";
    case WaiterState::Running: return "running";
    case WaiterState::Blocked: break;
  }
  return "blocked";
}

std::string wait_object_text(const Record &record, const std::string &operation,
                             const std::string &object) {
  size_t colon = object.find(':');
  std::string kind = object.substr(0, colon);
  bool has_value = colon != std::string::npos;
  std::string value = has_value ? object.substr(colon + 1) : "";
  auto is = [&](rc_record_wait_object row) { return kind == rc_record_wait_object_name(row); };
  auto named = [&](const std::string &prefix, const std::string &unnamed) {
    return has_value ? prefix + "`" + value + "`" : unnamed;
  };
  std::string text;
  if (is(RC_RECORD_WAIT_NONE) && !has_value)
    text = "";
  else if (is(RC_RECORD_WAIT_LOCK))
    text = lock_text(record, number<int>(value, "lock id"));
  else if (is(RC_RECORD_WAIT_THREAD))
    text = "thread " + tid_text(value);
  else if (is(RC_RECORD_WAIT_OPERATION))
    text = operation + (has_value ? " on " + value : "");
  else if (is(RC_RECORD_WAIT_OBJECT))
    text = named("object ", "object");
  else if (is(RC_RECORD_WAIT_FUTEX))
    text = named("futex word ", "futex word");
  else if (is(RC_RECORD_WAIT_ATOMIC))
    text = named("atomic ", "atomic object");
  else if (is(RC_RECORD_WAIT_SPIN))
    text = named("spin lock on atomic ", "spin lock on an unnamed atomic");
  else if (is(RC_RECORD_WAIT_IO))
    text = "real I/O";
  else if (is(RC_RECORD_WAIT_SCHEDULING_POINT))
    text = "a scheduling point";
  else if (is(RC_RECORD_WAIT_SIGNAL))
    text = signal_name(number<int>(value, "signal number"));
  else if (is(RC_RECORD_WAIT_SYSCALL))
    text = syscall_name(number<uint64_t>(value, "system call number")) + " to return";
  else
    throw FindingTextError("unknown wait object '" + object + "'");
  return clamp(text, kObjectBytes);
}

std::string fd_text(const Variable &variable) {
  std::string text = "file descriptor " + std::to_string(variable.fd);
  if (variable.fd_kind == rc_record_fd_kind_name(RC_RECORD_FD_EPOLL))
    return text + " (epoll instance)";
  if (variable.fd_kind.empty() || variable.fd_kind == rc_record_fd_kind_name(RC_RECORD_FD_UNKNOWN))
    return text;
  return text + " (" + variable.fd_kind + ")";
}

std::string cause_text(const Record &record, const Finding &finding,
                       const std::vector<std::string> &cause) {
  if (cause.empty()) throw FindingTextError("empty cause");
  return clamp(composed_cause(record, finding, cause), kDetailBytes);
}

}  // namespace racecheck
