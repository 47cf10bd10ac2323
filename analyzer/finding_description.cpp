// finding_description.cpp — report wording shared by all output formats.
#include "finding_description.h"

#include <algorithm>
#include <set>

#include "finding_text.h"
#include "source_frames.h"

namespace racecheck {

std::string thread_name(int tid) { return tid < 0 ? "T?" : "T" + std::to_string(tid); }

std::string finding_title(FindingKind kind) {
  switch (kind) {
    case FindingKind::DataRace: return "data race";
    case FindingKind::Deadlock: return "deadlock";
    case FindingKind::LockOrderCycle: return "lock-order cycle";
    case FindingKind::Livelock: return "livelock";
    case FindingKind::Starvation: return "starvation";
    case FindingKind::Crash: return "crash";
    case FindingKind::Hang: return "hang";
    case FindingKind::Failure: return "failure";
    case FindingKind::OutputMismatch: return "output mismatch";
    case FindingKind::Misuse: return "misuse";
  }
  return "finding";
}

std::string qualified_global_name(const Variable &variable) {
  if (variable.field.empty()) return variable.name;
  if (variable.field.front() == '[') return variable.name + variable.field;
  return variable.name + "." + variable.field;
}

std::string variable_short_name(const Variable &variable) {
  switch (variable.kind) {
    case VariableKind::Global:
      // Without a field path the offset tells which part of the variable.
      if (variable.field.empty() && variable.offset != 0)
        return variable.name + "+" + std::to_string(variable.offset);
      return qualified_global_name(variable);
    case VariableKind::Heap:
      return "heap block of size " + std::to_string(variable.size) + " at offset " +
             std::to_string(variable.offset);
    case VariableKind::Stack: return "stack of " + thread_name(variable.tid);
    case VariableKind::Tls: return "thread-local storage of " + thread_name(variable.tid);
    case VariableKind::Fd: return fd_text(variable);
    case VariableKind::Mapping:
      if (variable.name.empty())
        return "anonymous mapping of size " + std::to_string(variable.size) + " at offset " +
               std::to_string(variable.offset);
      return "mapping of " + variable.name + " at file offset " + std::to_string(variable.offset);
    case VariableKind::Unknown: break;
  }
  return "unknown memory";
}

std::string variable_description(const Record &record, const Variable &variable) {
  std::string text = variable_short_name(variable);
  if (variable.kind == VariableKind::Heap && variable.freed) {
    text += ", freed by thread " + thread_name(variable.free_tid);
    if (variable.free_site != kNoId) text += " at " + short_position(record, variable.free_site);
  }
  return text;
}

std::string finding_message(const Record &record, const Finding &finding) {
  std::string title = finding_title(finding.kind);
  switch (finding.kind) {
    case FindingKind::DataRace: {
      std::string what =
          finding.variable ? variable_description(record, *finding.variable) : "unknown memory";
      std::string text = title + " on " + what;
      // The user's lines: a race inside a libc or STL header's inline code
      // (a fortified memcpy's __memcpy_chk call, std::vector) is the
      // caller's, as the stack below shows.
      if (finding.accesses.size() == 2) {
        const Access &a = finding.accesses[0], &b = finding.accesses[1];
        text += " (" + user_position(record, a.site, a.stack) + " vs " +
                user_position(record, b.site, b.stack) + ")";
      }
      return text;
    }
    case FindingKind::Deadlock: {
      std::set<int> blocked;
      for (const Waiter &w : finding.waiters) blocked.insert(w.tid);
      return title + " (" + std::to_string(blocked.size()) +
             (blocked.size() == 1 ? " thread" : " threads") + " blocked)";
    }
    case FindingKind::LockOrderCycle:
      if (finding.cycle.empty()) break;
      {
        std::set<int> threads;
        for (const LockEdge &e : finding.cycle) threads.insert(e.tid);
        std::string text = (finding.confirmed ? "deadlock (confirmed): " : "potential deadlock: ") +
                           title + " over " + std::to_string(finding.cycle.size()) + " locks in " +
                           std::to_string(threads.size()) +
                           (threads.size() == 1 ? " thread (" : " threads (");
        for (const LockEdge &e : finding.cycle)
          text += lock_identity(record, record.lock(e.held.lock)) + " -> ";
        return text + lock_identity(record, record.lock(finding.cycle.front().held.lock)) + ")";
      }
    default: break;
  }
  if (!finding.details.empty()) return title + ": " + finding.details.front();
  return title;
}

std::string lock_identity(const Record &record, const Lock &lock) {
  if (!lock.name.empty()) return lock.kind + " '" + lock.name + "'";
  std::string text = lock.kind;
  if (lock.site != kNoId) text += " created at " + user_position(record, lock.site, lock.stack);
  if (lock.creator != kNoId) text += " by " + thread_name(lock.creator);
  // Several locks from one site and thread are told apart by their ordinal.
  if (lock.ordinal > 0) text += " (instance " + std::to_string(lock.ordinal + 1) + ")";
  return text;
}

std::string held_lock_description(const Record &record, const HeldLock &held) {
  std::string text = lock_identity(record, record.lock(held.lock)) + " (";
  if (!held.exclusive) text += "read, ";
  // The user's line, not the std::mutex internals that made the call.
  text += "acquired at " + user_position(record, held.acquire_site, held.acquire_stack) + ")";
  return text;
}

std::vector<int> involved_threads(const Finding &finding) {
  std::vector<int> tids;
  auto add = [&](int tid) {
    if (tid != kNoId && std::find(tids.begin(), tids.end(), tid) == tids.end()) tids.push_back(tid);
  };
  for (const Access &a : finding.accesses) add(a.tid);
  for (const Waiter &w : finding.waiters) add(w.tid);
  for (const LockEdge &e : finding.cycle) add(e.tid);
  if (finding.variable && finding.variable->kind == VariableKind::Fd) add(finding.variable->tid);
  if (finding.variable && finding.variable->kind == VariableKind::Heap) {
    add(finding.variable->tid);
    if (finding.variable->freed) add(finding.variable->free_tid);
  }
  return tids;
}

}  // namespace racecheck
