// lock_graph.h — lock-order cycle (potential deadlock) detection over the
// record's `lock-edge` entries, and the Graphviz rendering of found cycles.
//
// The lock graph has one vertex per lock and one edge per observed "held ->
// wanted" pair (the individual observations stay in a side table). Cycles are
// searched only inside strongly connected components, enumerated with Hawick
// & James' algorithm (boost::hawick_unique_circuits; a depth-bounded search
// when the thread count bounds cycle length below the component's size,
// since Boost 1.74's has no length bound), and kept only when one
// observation per edge can be chosen such that the cycle can really deadlock:
//   * the edges come from pairwise distinct threads (unless single-thread
//     inversions are asked for),
//   * no gate lock is held (exclusively) by every thread of the cycle,
//   * no two edges are ordered by thread creation/join alone (fork-join clock),
//   * no two requests are ordered by happens-before through synchronisation
//     other than locks (sync-order clock): every thread of a deadlock waits
//     at its request for good, so a request another one happened after
//     cannot be part of it. Such cycles are kept apart as "ordered", naming
//     the object (OrderedLockCycle), and are never confirmed,
//   * no link is a read request against a read hold of a reader-preferring
//     rwlock (readers do not wait for readers),
//   * no waiting request is a trylock or a timed lock (they give up).
// This is the "lock graph" approach of Havelund's GoodLock (SPIN'00) with the
// gate-lock and thread-segment refinements of Bensalem & Havelund (HVC'05).
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "record.h"

namespace racecheck {

struct LockOrderOptions {
  // Also report cycles whose edges come from one thread (an order inversion
  // that cannot deadlock by itself, but is fragile).
  bool single_thread = false;
  // Bounds of the search: elementary circuits visited per strongly connected
  // component, reported cycles, and observation combinations tried per cycle.
  // Hitting one adds a note to the result.
  std::size_t max_circuits_per_component = 100000;
  std::size_t max_findings = 1000;
  std::size_t max_combinations_per_cycle = 100000;
  // Edges walked by the depth-bounded circuit search (used instead of
  // Hawick's when the thread count bounds cycles below a component's size).
  std::size_t max_search_steps = 50000000;
};

struct LockOrderResult {
  std::vector<Finding> findings;   // kind LockOrderCycle
  std::vector<std::string> notes;  // bounds that were hit
  // Cycles ordered by other synchronisation: the first max_findings, and all.
  std::vector<OrderedLockCycle> ordered;
  std::size_t ordered_count = 0;
};

// "locks mutex 'a' -> mutex 'b': T2 asked at x.c:9 only after T1 had asked
// at x.c:20, ordered through sem 'gate' (created at x.c:5)".
std::string ordered_cycle_description(const Record &record, const OrderedLockCycle &cycle);

LockOrderResult find_lock_order_cycles(const Record &record, const LockOrderOptions &options = {});

// Appends the cycles to record.findings (marking those the run's own
// deadlock findings confirm), the ordered ones to record.ordered_lock_cycles
// (with a note) and the notes to record.notes.
void add_lock_order_findings(Record &record, const LockOrderOptions &options = {});

// The lock-order-cycle findings of `record` as one Graphviz digraph: a vertex
// per lock, an edge per hold-and-wait step labelled with thread and position.
void write_lock_cycles_dot(std::ostream &out, const Record &record);

}  // namespace racecheck
