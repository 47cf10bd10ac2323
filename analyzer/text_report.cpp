// text_report.cpp — renders a Record as the TSan-like text report.
#include "text_report.h"

#include <algorithm>
#include <cctype>
#include <csignal>
#include <cstring>
#include <sstream>
#include <string>

#include "finding_description.h"
#include "finding_text.h"
#include "source_frames.h"
#include "untrusted_input.h"

namespace racecheck {
namespace {

constexpr const char kSeparator[] = "==================";

class TextPrinter {
 public:
  TextPrinter(std::ostream &out, const Record &record) : out_(out), record_(record) {}

  void finding(const Finding &f) {
    out_ << kSeparator << "\n";
    out_ << "WARNING: racecheck: " << finding_message(record_, f) << "\n";
    if (!record_.meta.process.empty())
      out_ << "  in child process " << record_.meta.process << " ("
           << terminal_safe(record_.meta.program) << ")\n";
    // The first detail is already the message of non-race, non-deadlock kinds.
    size_t first_detail =
        (f.kind != FindingKind::DataRace && f.kind != FindingKind::Deadlock) ? 1 : 0;
    for (size_t i = first_detail; i < f.details.size(); ++i) indented_text(f.details[i]);
    for (const Access &a : f.accesses) access(a);
    if (f.kind == FindingKind::Livelock)
      livelock(f);
    else if (f.kind == FindingKind::Starvation)
      starvation(f);
    else if (f.kind == FindingKind::Misuse)
      misuse(f);
    else
      for (size_t i = 0; i < f.waiters.size(); ++i)
        waiter(f.waiters[i], f.kind, i == 0 && f.fault ? &*f.fault : nullptr);
    if (!f.cycle.empty()) lock_order_cycle(f);
    if (f.variable) location(*f.variable);
    for (int tid : involved_threads(f)) thread_creation(tid);
    out_ << kSeparator << "\n";
  }

  void summary() {
    const Meta &m = record_.meta;
    if (m.io_leaves > 0)
      out_ << "racecheck: note: threads left the scheduler " << m.io_leaves
           << " time(s) to wait for real I/O; determinism depends on that input\n";
    for (const std::string &note : record_.notes) out_ << "racecheck: note: " << note << "\n";
    if (m.exit_signal > 0) {
      out_ << "racecheck: note: the program was terminated by signal " << m.exit_signal;
      const char *abbrev = sigabbrev_np(static_cast<int>(m.exit_signal));
      if (abbrev) out_ << " (SIG" << abbrev << ")";
      out_ << "\n";
    }
    out_ << "SUMMARY: racecheck: " << record_.count(FindingKind::DataRace) << " data race(s), "
         << record_.count(FindingKind::Deadlock) << " deadlock(s)";
    const std::pair<FindingKind, const char *> others[] = {
        {FindingKind::LockOrderCycle, "lock-order cycle(s)"},
        {FindingKind::Livelock, "livelock(s)"},
        {FindingKind::Starvation, "starvation(s)"},
        {FindingKind::Crash, "crash(es)"},
        {FindingKind::Hang, "hang(s)"},
        {FindingKind::Failure, "failure(s)"},
        {FindingKind::OutputMismatch, "output mismatch(es)"},
        {FindingKind::Misuse, "misuse(s)"},
    };
    for (const auto &[kind, label] : others)
      if (size_t n = record_.count(kind)) out_ << ", " << n << " " << label;
    out_ << " (seed " << m.seed << ", strategy " << (m.strategy.empty() ? "unknown" : m.strategy)
         << ", " << m.scheduling_points << " scheduling points)\n";
  }

 private:
  void indented_text(const std::string &text) {
    size_t start = 0;
    for (;;) {
      size_t nl = text.find('\n', start);
      out_ << "  " << text.substr(start, nl == std::string::npos ? nl : nl - start) << "\n";
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }

  void stack(int site_id, int stack_id) {
    auto frames = source_stack(record_, site_id, stack_id);
    if (frames.empty()) {
      out_ << "    <no stack recorded>\n";
      return;
    }
    for (size_t i = 0; i < frames.size(); ++i) {
      out_ << "    #" << i << " " << frames[i].function << " " << format_position(frames[i]);
      if (frames[i].through_uninstrumented_code) out_ << " (through uninstrumented code)";
      out_ << "\n";
    }
  }

  // The trapping instruction, before the stack of the latest instrumented
  // site (which may lie in a caller).
  void fault_frames(const Fault &fault) {
    out_ << "    Trapped at " << fault.module << "+0x" << std::hex << fault.address << std::dec
         << (fault.frames.empty() ? " (no debug information)" : "") << ":\n";
    for (const SourceFrame &f : fault.frames)
      out_ << "      " << f.function << " " << format_position(f) << "\n";
    out_ << "    Latest instrumented position:\n";
  }

  void locks_held(int lockset_id) {
    out_ << "    Locks held: ";
    const Lockset *set = record_.lockset(lockset_id);
    if (!set || set->locks.empty()) {
      out_ << "none\n";
      return;
    }
    for (size_t i = 0; i < set->locks.size(); ++i)
      out_ << (i ? ", " : "") << held_lock_description(record_, set->locks[i]);
    out_ << "\n";
  }

  void access(const Access &a) {
    std::string kind = std::string(a.atomic ? "atomic " : "") + (a.write ? "write" : "read");
    std::string head = a.role == AccessRole::Previous ? "Previous " + kind : kind;
    head[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(head[0])));
    out_ << "\n  " << head << " of size " << a.size << " by thread " << thread_name(a.tid) << ":\n";
    stack(a.site, a.stack);
    locks_held(a.lockset);
  }

  void waiter(const Waiter &w, FindingKind kind, const Fault *fault) {
    if (kind == FindingKind::Crash) {
      // A failing thread is not blocked: name the signal and its last operation.
      out_ << "\n  Thread " << thread_name(w.tid) << " failed";
      if (!w.object.empty()) out_ << " with " << w.object;
      out_ << " (last scheduled operation: " << w.operation << "):\n";
      if (fault) fault_frames(*fault);
    } else if (waiter_state(w) == WaiterState::Runnable) {
      // It waits for nothing: it can run, and loops through scheduling points.
      out_ << "\n  Thread " << thread_name(w.tid) << " runnable";
      if (w.operation != "none") out_ << " (next operation: " << w.operation << ")";
      out_ << ":\n";
    } else if (waiter_state(w) == WaiterState::Running) {
      out_ << "\n  Thread " << thread_name(w.tid)
           << " running without reaching a scheduling point:\n";
    } else {
      out_ << "\n  Thread " << thread_name(w.tid) << " blocked in " << w.operation;
      if (!w.object.empty()) out_ << ", waiting for " << w.object;
      out_ << ":\n";
    }
    stack(w.site, w.stack);
    if (w.lockset) locks_held(*w.lockset);
  }

  // Named numbers of the evidence: the known ones in words, others as
  // name=value (a newer runtime may add some).
  void counts_line(const Finding &f) {
    if (f.counts.empty()) return;
    out_ << "\n  Counts:";
    for (size_t i = 0; i < f.counts.size(); ++i)
      out_ << (i ? ", " : " ") << f.counts[i].name << "=" << f.counts[i].value;
    out_ << "\n";
  }

  // Misuse: waiters[0] is the offending call, waiters[1] (if any) the
  // acquisition by the thread that holds the object.
  void misuse(const Finding &f) {
    for (size_t i = 0; i < f.waiters.size(); ++i) {
      const Waiter &w = f.waiters[i];
      if (i == 0)
        out_ << "\n  Call by thread " << thread_name(w.tid) << ":\n";
      else
        out_ << "\n  " << (w.object.empty() ? "The object" : w.object) << " acquired by thread "
             << thread_name(w.tid) << " at:\n";
      stack(w.site, w.stack);
      if (i == 0 && w.lockset) locks_held(*w.lockset);
    }
  }

  // Livelock: waiters are the operations of one period of the repeating
  // cycle, in order; shown per thread with position and locks, then the
  // stack of each thread's first operation in the cycle.
  void livelock(const Finding &f) {
    auto reps = f.count("repetitions");
    auto steps = f.count("cycle_steps");
    if (reps && steps) {
      out_ << "\n  A cycle of " << *steps << " scheduling step" << (*steps == 1 ? "" : "s")
           << " repeated " << *reps << " times without progress";
      if (auto before = f.count("steps_before_cycle"))
        out_ << " (it began after " << *before << " steps)";
      out_ << ".\n";
    }
    std::vector<int> tids;
    for (const Waiter &w : f.waiters)
      if (std::find(tids.begin(), tids.end(), w.tid) == tids.end()) tids.push_back(w.tid);
    for (int tid : tids) {
      out_ << "\n  Thread " << thread_name(tid) << " repeats:\n";
      const Waiter *first = nullptr;
      for (const Waiter &w : f.waiters) {
        if (w.tid != tid) continue;
        if (!first) first = &w;
        out_ << "    " << w.operation;
        if (!w.object.empty()) out_ << " on " << w.object;
        out_ << " at " << user_position(record_, w.site, w.stack) << "\n";
        if (w.lockset) {
          out_ << "  ";
          locks_held(*w.lockset);
        }
      }
      out_ << "  first repeating operation of " << thread_name(tid) << " at:\n";
      stack(first->site, first->stack);
    }
    bool known_only = true;
    for (const FindingCount &c : f.counts)
      if (c.name != "repetitions" && c.name != "cycle_steps" && c.name != "steps_before_cycle")
        known_only = false;
    if (!known_only || !reps || !steps) counts_line(f);
  }

  // Starvation: waiters[0] is the starving thread at its wait, the others
  // the threads that bypassed it; thread_stats is the resource's table.
  void starvation(const Finding &f) {
    if (f.waiters.empty()) {
      counts_line(f);
      return;
    }
    const Waiter &starved = f.waiters.front();
    out_ << "\n  Thread " << thread_name(starved.tid) << " starved in " << starved.operation;
    if (!starved.object.empty()) out_ << ", waiting for " << starved.object;
    out_ << ":\n";
    stack(starved.site, starved.stack);
    if (starved.lockset) locks_held(*starved.lockset);
    auto bypasses = f.count("bypasses");
    auto waited = f.count("waited_steps");
    auto threshold = f.count("threshold");
    if (bypasses) {
      out_ << "\n  Bypassed " << *bypasses << " time" << (*bypasses == 1 ? "" : "s");
      if (waited) out_ << " in one wait of " << *waited << " scheduling points";
      if (threshold) out_ << " (threshold " << *threshold << ")";
      out_ << ":\n";
    }
    for (size_t i = 1; i < f.waiters.size(); ++i) {
      const Waiter &w = f.waiters[i];
      const ThreadStat *st = thread_stat(f, w.tid);
      out_ << "\n  Thread " << thread_name(w.tid) << " acquired it";
      if (st) out_ << " " << st->bypasses << " time" << (st->bypasses == 1 ? "" : "s");
      out_ << " while " << thread_name(starved.tid) << " waited (" << w.operation
           << "), last at:\n";
      stack(w.site, w.stack);
    }
    if (!f.thread_stats.empty()) {
      out_ << "\n  Use of " << (starved.object.empty() ? "the resource" : starved.object)
           << " per thread (from its first contended request on):\n";
      std::string bypassed = "bypassed " + thread_name(starved.tid);
      size_t bw = std::max<size_t>(bypassed.size(), 8);
      out_ << "    thread  acquisitions  " << bypassed << "  longest wait (steps)\n";
      for (const ThreadStat &st : f.thread_stats) {
        std::string name = thread_name(st.tid);
        std::string acq = std::to_string(st.acquisitions);
        std::string byp = std::to_string(st.bypasses);
        out_ << "    " << name << std::string(name.size() < 6 ? 6 - name.size() : 0, ' ') << "  "
             << std::string(acq.size() < 12 ? 12 - acq.size() : 0, ' ') << acq << "  "
             << std::string(byp.size() < bw ? bw - byp.size() : 0, ' ') << byp << "  "
             << st.longest_wait_steps << "\n";
      }
    }
    bool known_only = true;
    for (const FindingCount &c : f.counts)
      if (c.name != "bypasses" && c.name != "waited_steps" && c.name != "threshold")
        known_only = false;
    if (!known_only || !bypasses) counts_line(f);
  }

  static const ThreadStat *thread_stat(const Finding &f, int tid) {
    for (const ThreadStat &st : f.thread_stats)
      if (st.tid == tid) return &st;
    return nullptr;
  }

  std::string lock_name(int lock_id) { return lock_identity(record_, record_.lock(lock_id)); }

  // The four Coffman conditions (Coffman, Elphick & Shoshani 1971), each as
  // this cycle meets it, then one lock order that breaks the cycle.
  void lock_order_cycle(const Finding &f) {
    const size_t k = f.cycle.size();
    out_ << "\n  Mutual exclusion: each of these locks is held by one thread at a time:\n";
    for (const LockEdge &e : f.cycle) {
      out_ << "    " << lock_name(e.held.lock);
      const Lock &lock = record_.lock(e.held.lock);
      if (!lock.name.empty() && lock.site != kNoId)
        out_ << ", first used at " << user_position(record_, lock.site, lock.stack);
      out_ << "\n";
    }
    out_ << "\n  Hold and wait:\n";
    for (const LockEdge &e : f.cycle) {
      out_ << "\n  Thread " << thread_name(e.tid) << " holds " << lock_name(e.held.lock)
           << (e.held.exclusive ? "" : " (read)") << ", acquired at:\n";
      stack(e.held.acquire_site, e.held.acquire_stack);
      out_ << "  and waits for " << lock_name(e.lock) << (e.exclusive ? "" : " (read)") << " at:\n";
      stack(e.site, e.stack);
      locks_held(e.held_lockset);
    }
    out_ << "\n  No preemption: a lock is released only by the thread holding it, and every wait "
            "above is unbounded (no trylock, no timeout).\n";
    out_ << "\n  Circular wait: ";
    for (size_t i = 0; i < k; ++i) {
      const LockEdge &e = f.cycle[i];
      const LockEdge &next = f.cycle[(i + 1) % k];
      out_ << (i ? ", " : "") << thread_name(e.tid) << " waits for " << thread_name(next.tid)
           << " (" << lock_name(e.lock) << ")";
    }
    out_ << ".\n";
    if (f.confirmed && !f.confirmation)
      out_ << "  This run really deadlocked on this cycle (see the deadlock report).\n";
    if (f.confirmation) confirmation(*f.confirmation);
    if (!f.suggested_order.empty() && f.violating_edge >= 0) {
      out_ << "\n  Suggested fix: acquire these locks in one global order: ";
      for (size_t i = 0; i < f.suggested_order.size(); ++i)
        out_ << (i ? " before " : "") << lock_name(f.suggested_order[i]);
      const LockEdge &bad = f.cycle[static_cast<size_t>(f.violating_edge)];
      out_ << ". Only thread " << thread_name(bad.tid) << " breaks it, by asking for "
           << lock_name(bad.lock) << " at " << user_position(record_, bad.site, bad.stack)
           << " while holding " << lock_name(bad.held.lock) << " (acquired at "
           << user_position(record_, bad.held.acquire_site, bad.held.acquire_stack) << ").\n";
    }
  }

  // What the directed schedules (racecheck run's confirmation) found.
  void confirmation(const Finding::DirectedConfirmation &c) {
    if (!c.schedule.empty())
      out_ << "\n  Confirmed: directed schedule " << c.attempts << " of at most " << c.budget
           << " (seed " << c.seed << ") paused each thread before its request above until the "
           << "others held their locks, and the run deadlocked.\n"
           << "  Reproduce it: racecheck replay " << c.schedule << "\n";
    else
      out_ << "\n  Not confirmed after " << c.attempts << " directed schedule"
           << (c.attempts == 1 ? "" : "s")
           << " (each pauses a thread before its request above until the others hold their "
              "locks, or until no other thread can run); it stays a potential deadlock.\n";
  }

  void location(const Variable &v) {
    out_ << "\n  Location: ";
    switch (v.kind) {
      case VariableKind::Global:
        out_ << "global '" << qualified_global_name(v) << "' of size " << v.size;
        if (v.field.empty() && v.offset != 0) out_ << " at offset " << v.offset;
        if (v.site != kNoId)
          out_ << (record_.site(v.site).line ? " declared at " : " declared in ")
               << short_position(record_, v.site);
        out_ << "\n";
        break;
      case VariableKind::Heap:
        out_ << "heap block of size " << v.size << " at offset " << v.offset
             << ", allocated by thread " << thread_name(v.tid) << " at:\n";
        stack(v.site, v.stack);
        if (v.freed) {
          out_ << "  and freed by thread " << thread_name(v.free_tid) << " at:\n";
          stack(v.free_site, v.free_stack);
        }
        break;
      case VariableKind::Stack: out_ << "stack of thread " << thread_name(v.tid) << "\n"; break;
      case VariableKind::Tls:
        out_ << "thread-local storage of thread " << thread_name(v.tid) << "\n";
        break;
      case VariableKind::Fd:
        out_ << fd_text(v);
        if (v.tid == kNoId) {
          out_ << ", opened where racecheck did not see it\n";
        } else {
          out_ << ", created by thread " << thread_name(v.tid) << " at:\n";
          stack(v.site, v.stack);
        }
        break;
      case VariableKind::Mapping:
        out_ << variable_short_name(v) << ", " << v.size << " bytes mapped by thread "
             << thread_name(v.tid) << " at:\n";
        stack(v.site, v.stack);
        break;
      case VariableKind::Unknown:
        out_ << "unknown (not a global, heap block, stack or thread-local storage racecheck "
                "knows)\n";
        break;
    }
  }

  void thread_creation(int tid) {
    const Thread *t = record_.thread(tid);
    if (!t || t->parent == kNoId) return;  // T0 is the main thread
    out_ << "\n  Thread " << thread_name(tid) << " created by " << thread_name(t->parent)
         << " at:\n";
    stack(t->create_site, t->create_stack);
  }

  std::ostream &out_;
  const Record &record_;
};

}  // namespace

void write_text_report(std::ostream &out, const Record &record, const TextReportOptions &options) {
  if (options.quiet && record.findings.empty()) return;
  // Names and paths are the record's bytes: escaped, so none can drive the
  // terminal the report is shown on.
  std::ostringstream text;
  TextPrinter printer(text, record);
  for (const Finding &f : record.findings) printer.finding(f);
  if (options.summary) printer.summary();
  out << terminal_safe(text.str(), /*keep_layout=*/true);
}

}  // namespace racecheck
