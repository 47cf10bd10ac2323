// record.h — in-memory model of a racecheck run record (docs/record-format.md).
// The reader (record_reader.h) guarantees every id stored here refers to an
// entry that exists (or is -1 for "none"), so printers can look ids up freely.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "finding.h"
#include "source_frame.h"

namespace racecheck {

constexpr int kNoId = -1;

// A source position. `function` is the linkage name (maybe mangled).
struct Site {
  int id = kNoId;
  std::string file;
  std::string function;
  uint32_t line = 0;
  uint32_t column = 0;
  int inlined_at = kNoId;  // site this position was inlined into, or -1
};

// One call-stack frame: the callee's own position and where it was called.
struct StackFrame {
  int function_site = kNoId;
  int call_site = kNoId;  // -1: called from uninstrumented code
};

// Innermost frame first. Stack 0 is the empty stack (it need not be written).
struct Stack {
  int id = kNoId;
  std::vector<StackFrame> frames;
};

struct Thread {
  int tid = kNoId;
  int parent = kNoId;        // -1 for T0
  int create_site = kNoId;   // pthread_create position
  int create_stack = kNoId;  // stack of the pthread_create call
};

struct Lock {
  int id = kNoId;
  std::string kind;  // mutex, recursive-mutex, rwlock, cond, sem, ...
  std::string name;  // global (and field) holding it, or empty
  int site = kNoId;  // initialisation or first use
  int stack = kNoId;
  int creator = kNoId;
  uint32_t ordinal = 0;  // per (site, creator)
};

struct HeldLock {
  int lock = kNoId;
  int acquire_site = kNoId;
  int acquire_stack = kNoId;
  bool exclusive = true;  // false: a read-held rwlock
};

// Lockset 0 is the empty set (it is not written).
struct Lockset {
  int id = kNoId;
  std::vector<HeldLock> locks;
};

enum class AccessRole { Current, Previous };

struct Access {
  AccessRole role = AccessRole::Current;
  int tid = kNoId;
  bool write = false;
  bool atomic = false;
  uint64_t size = 0;
  int site = kNoId;
  int stack = kNoId;
  int lockset = 0;
};

enum class VariableKind { Unknown, Global, Heap, Stack, Tls, Fd, Mapping };

struct Variable {
  VariableKind kind = VariableKind::Unknown;
  std::string name;     // global; mapping: the mapped file, empty for anonymous memory
  std::string field;    // global: dotted field path, empty for the whole variable
  uint64_t offset = 0;  // global/heap: offset of the access; mapping: in the file (or mapping)
  uint64_t size = 0;    // global/heap: size of the variable/block; mapping: its length
  int site = kNoId;     // global: declaration; heap: allocation; mapping: the mmap call
  int stack = kNoId;    // heap: allocation stack; mapping: the mmap call's
  int tid = kNoId;      // heap: allocating thread; stack/tls: owner; mapping: mapping thread
  // heap: the block had already been freed when the race was found
  bool freed = false;
  int free_tid = kNoId;    // heap, freed: freeing thread
  int free_site = kNoId;   // heap, freed: position of the free call
  int free_stack = kNoId;  // heap, freed: stack of the free call
  // fd: the descriptor and its kind ("pipe", "socket", ...); site, stack and
  // tid say where it was created (kNoId: not seen)
  int fd = -1;
  std::string fd_kind;
};

// A thread blocked in a deadlock/hang: what it waits for, where.
struct Waiter {
  int tid = kNoId;
  std::string operation;  // e.g. pthread_mutex_lock
  std::string object;     // description of the awaited object
  // The record's kind of that object: "" when it waits for nothing (a hang's
  // thread that can run), "scheduling-point" for one that runs without
  // reaching any; absent for records that do not say (format version 1).
  std::optional<std::string> object_kind;
  int site = kNoId;
  int stack = kNoId;
  std::optional<int> lockset;  // locks it holds, when the record says
};

// How a lock request may wait: forever, not at all (trylock), or until a
// deadline (timedlock).
enum class LockWait { Block, Try, Timed };

// `lock-edge`: thread `tid` asked for `lock` while holding `held.lock`.
struct LockEdge {
  int tid = kNoId;
  HeldLock held;     // the held lock, where it was acquired, its mode
  int lock = kNoId;  // the wanted lock
  int site = kNoId;  // where it was asked for
  int stack = kNoId;
  bool exclusive = true;  // false: asked for in read mode
  LockWait wait = LockWait::Block;
  int held_lockset = 0;  // every lock the thread held then
  int fork_join_clock = kNoId;
  int sync_order_clock = kNoId;  // kNoId: none recorded (counts as unordered)
};

// A lock-order cycle that was not reported as a potential deadlock because
// two of its requests are ordered by happens-before through synchronisation
// other than locks (a semaphore, condition variable, barrier, futex): thread
// `cycle[after]` reached its request only after `cycle[before]` had reached
// its own, so they never overlapped and, as observed, cannot deadlock.
struct OrderedLockCycle {
  std::vector<LockEdge> cycle;
  int before = 0, after = 0;  // indices into cycle
  int via = kNoId;            // the object whose acquisition last advanced `after`'s clock
};

// `fork-join-clock`: a vector clock advanced only by thread create/join;
// `sync-order-clock`: one advanced by create/join and every synchronisation
// but a lock's own (via: the object whose acquisition advanced it last).
struct ForkJoinClock {
  int id = kNoId;
  int via = kNoId;              // sync-order clocks only: a lock id, or kNoId
  std::vector<uint64_t> clock;  // by tid; missing entries are 0
  uint64_t at(int tid) const {
    return tid >= 0 && static_cast<size_t>(tid) < clock.size() ? clock[tid] : 0;
  }
};

// `thread-stat`: one thread's use of a starved resource.
struct ThreadStat {
  int tid = kNoId;
  uint64_t acquisitions = 0;        // times it acquired the resource
  uint64_t bypasses = 0;            // of those, while the starving thread waited
  uint64_t longest_wait_steps = 0;  // its own longest wait, in scheduling points
};

// `count`: a named number of a livelock/starvation finding's evidence.
struct FindingCount {
  std::string name;  // e.g. "bypasses", "waited_steps", "repetitions"
  uint64_t value = 0;
};

// `fault`: a crash's trapping instruction, with the frames llvm-symbolizer
// found for it (fault_symbolizer.h; empty when it could not).
struct Fault {
  uint64_t pc = 0;
  uint64_t module_base = 0;
  std::string module;
  uint64_t address = 0;  // in the module, as the symbolizer takes it
  std::vector<SourceFrame> frames;
};

struct Finding {
  FindingKind kind = FindingKind::DataRace;
  std::optional<Fault> fault;    // crash by a fatal signal
  std::vector<Access> accesses;  // data race: current first, then previous
  std::optional<Variable> variable;
  std::vector<Waiter> waiters;
  std::vector<std::string> details;
  // misuse: its case, a row of RC_RECORD_MISUSE_CASES ("unlock-not-held"...)
  std::string misuse_case;
  // livelock / starvation: named numbers in record order (names unique)
  std::vector<FindingCount> counts;
  // starvation: per-thread acquisitions, bypasses and longest wait
  std::vector<ThreadStat> thread_stats;
  // The value of the count `name`, if the finding has it.
  std::optional<uint64_t> count(std::string_view name) const {
    for (const FindingCount &c : counts)
      if (c.name == name) return c.value;
    return std::nullopt;
  }
  // lock-order cycle: edge i's thread holds cycle[i].held.lock and wants
  // cycle[i].lock, which is cycle[i+1].held.lock (cyclically)
  std::vector<LockEdge> cycle;
  // lock-order cycle: one global acquisition order (lock ids) that breaks it,
  // and the index in `cycle` of the edge that violates it
  std::vector<int> suggested_order;
  int violating_edge = kNoId;
  // lock-order cycle: this very run deadlocked on it (a `deadlock` finding
  // has every step's thread waiting at the step's request)
  bool confirmed = false;
  // lock-order cycle: the outcome of `racecheck run`'s directed schedules
  // (DeadlockFuzzer-style) that tried to drive a run into the cycle; unset
  // when none were tried (the run itself deadlocked, or --no-confirm).
  struct DirectedConfirmation {
    uint64_t attempts = 0;  // directed runs made (up to the one that deadlocked)
    uint64_t budget = 0;    // directed runs allowed
    uint64_t seed = 0;      // confirmed: the seed of the run that deadlocked
    std::string schedule;   // confirmed: its schedule file, for `racecheck replay`
  };
  std::optional<DirectedConfirmation> confirmation;
  int line = 0;  // record line of the `finding` entry (for diagnostics)
};

// Run facts from `meta` entries. Unknown keys are kept in `other`.
struct Meta {
  std::string program;
  uint64_t seed = 0;
  std::string strategy;
  int64_t exit_status = -1;
  int64_t exit_signal = 0;
  uint64_t threads = 0;
  uint64_t scheduling_points = 0;
  uint64_t switches = 0;
  uint64_t io_leaves = 0;
  uint64_t instrumented_modules = 0;
  uint64_t abi_version = 0;
  // "" for the program's own process, else a forked child's fork path: "1"
  // for the first fork, "1.2" for that child's second.
  std::string process;
  std::map<std::string, std::string> other;
};

struct Record {
  int format_version = 1;
  Meta meta;
  std::map<int, Site> sites;
  std::map<int, Stack> stacks;
  std::map<int, Thread> threads;
  std::map<int, Lock> locks;
  std::map<int, Lockset> locksets;
  std::vector<Finding> findings;
  std::map<int, ForkJoinClock> fork_join_clocks;
  std::map<int, ForkJoinClock> sync_order_clocks;
  std::vector<LockEdge> lock_edges;
  // Filled by the lock-order analysis: the first ordered cycles and how many.
  std::vector<OrderedLockCycle> ordered_lock_cycles;
  std::size_t ordered_lock_cycle_count = 0;
  // Remarks of the analyses run after reading (e.g. a search bound was hit).
  std::vector<std::string> notes;
  // Set when this is the run of a shrunk schedule: the meta of the run that
  // found the finding, whose statistics the JSON reports as the run's (the
  // shrunk run's apart).
  std::optional<Meta> found_by;

  // Lookups for ids the reader validated. Stack 0 / lockset 0 / -1 are empty.
  const Site &site(int id) const { return sites.at(id); }
  const Lock &lock(int id) const { return locks.at(id); }
  const Stack *stack(int id) const;
  const Lockset *lockset(int id) const;
  const Thread *thread(int tid) const;
  size_t count(FindingKind kind) const;
};

}  // namespace racecheck
