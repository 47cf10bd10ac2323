// lock_graph.cpp — the lock graph (Boost.Graph), its cycle search and the
// filters that keep only cycles that can deadlock (see lock_graph.h).
#include "lock_graph.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/graphviz.hpp>
#include <boost/graph/hawick_circuits.hpp>
#include <boost/graph/strong_components.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <utility>

#include "finding_description.h"
#include "source_frames.h"

namespace racecheck {
namespace {

using LockGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
using Vertex = LockGraph::vertex_descriptor;
using LockPair = std::pair<int, int>;  // (held lock, wanted lock)

// Thrown by the circuit visitor to stop Hawick's enumeration early.
struct StopEnumeration {};

bool is_reader_preferring_rwlock(const Record &record, int lock_id) {
  // glibc's default rwlock: a reader never waits for another reader.
  return record.lock(lock_id).kind == "rwlock";
}

class CycleSearch {
 public:
  CycleSearch(const Record &record, const LockOrderOptions &options, LockOrderResult &result)
      : record_(record), options_(options), result_(result) {}

  void run() {
    collect_observations();
    LockGraph graph(locks_.size());
    for (const auto &[pair, observations] : observations_) {
      (void)observations;
      boost::add_edge(vertex_of_.at(pair.first), vertex_of_.at(pair.second), graph);
    }
    std::vector<std::size_t> component(boost::num_vertices(graph));
    std::size_t n_components = boost::strong_components(
        graph, boost::make_iterator_property_map(component.begin(),
                                                 boost::get(boost::vertex_index, graph)));
    std::vector<std::vector<Vertex>> members(n_components);
    for (Vertex v = 0; v < boost::num_vertices(graph); ++v) members[component[v]].push_back(v);
    std::vector<std::vector<LockPair>> pairs(n_components);
    for (const auto &[pair, observations] : observations_) {
      (void)observations;
      std::size_t c = component[vertex_of_.at(pair.first)];
      if (c == component[vertex_of_.at(pair.second)]) pairs[c].push_back(pair);
    }
    // Components in order of their smallest lock, so reports are stable.
    std::vector<std::size_t> order(n_components);
    for (std::size_t c = 0; c < n_components; ++c) order[c] = c;
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      return members[a].front() < members[b].front();
    });
    for (std::size_t c : order) {
      if (members[c].size() < 2) continue;  // self-loops are not recorded
      if (result_.findings.size() >= options_.max_findings) break;
      search_component(members[c], pairs[c]);
    }
  }

 private:
  // The observations that can wait: a trylock or a timed lock gives up, so
  // it is never the waiting side of a deadlock.
  void collect_observations() {
    std::set<int> locks;
    for (std::size_t i = 0; i < record_.lock_edges.size(); ++i) {
      const LockEdge &e = record_.lock_edges[i];
      ++total_count_[{e.held.lock, e.lock}];
      if (e.wait != LockWait::Block || e.held.lock == e.lock) continue;
      // Observations that agree in every fact the filters look at are
      // interchangeable; keep the first of each kind.
      auto key = std::make_tuple(e.tid, e.fork_join_clock, e.sync_order_clock, e.held_lockset,
                                 e.held.exclusive, e.exclusive);
      auto &seen = seen_[{e.held.lock, e.lock}];
      if (!seen.insert(key).second) continue;
      observations_[{e.held.lock, e.lock}].push_back(i);
      locks.insert(e.held.lock);
      locks.insert(e.lock);
    }
    locks_.assign(locks.begin(), locks.end());
    for (std::size_t v = 0; v < locks_.size(); ++v) vertex_of_[locks_[v]] = v;
  }

  struct CircuitVisitor {
    CycleSearch *search;
    const std::vector<Vertex> *global;  // component vertex -> lock graph vertex
    std::size_t max_length;
    std::size_t *visited;
    template <typename Path, typename Graph> void cycle(const Path &path, const Graph &) {
      if (++*visited > search->options_.max_circuits_per_component) throw StopEnumeration{};
      if (path.size() > max_length) return;  // more edges than threads to hold them
      std::vector<int> locks;
      for (auto v : path) locks.push_back(search->locks_[(*global)[v]]);
      search->check_cycle(locks);
      if (search->result_.findings.size() >= search->options_.max_findings) throw StopEnumeration{};
    }
  };

  // `vertices` ascending; `pairs` the lock pairs inside the component.
  void search_component(const std::vector<Vertex> &vertices, const std::vector<LockPair> &pairs) {
    std::map<Vertex, Vertex> local;
    for (Vertex v : vertices) local.emplace(v, local.size());
    LockGraph sub(vertices.size());
    std::set<int> threads;
    for (const LockPair &pair : pairs) {
      boost::add_edge(local.at(vertex_of_.at(pair.first)), local.at(vertex_of_.at(pair.second)),
                      sub);
      for (std::size_t i : observations_.at(pair)) threads.insert(record_.lock_edges[i].tid);
    }
    // A cycle that can deadlock needs one thread per edge.
    std::size_t max_length = options_.single_thread ? vertices.size() : threads.size();
    std::size_t visited = 0;
    CircuitVisitor visitor{this, &vertices, max_length, &visited};
    try {
      // Boost 1.74's Hawick search has no length bound: when the bound is
      // tighter than the component, a depth-bounded search avoids walking
      // circuits that cannot be deadlocks (a ring of 100,000 locks taken by
      // two threads has one circuit, 100,000 long).
      if (max_length >= vertices.size())
        boost::hawick_unique_circuits(sub, visitor);
      else
        bounded_circuits(sub, max_length, visitor);
    } catch (const StopEnumeration &) {
      if (steps_ > options_.max_search_steps)
        result_.notes.push_back("lock-order analysis: stopped after " +
                                std::to_string(options_.max_search_steps) +
                                " search steps in a group of " + std::to_string(vertices.size()) +
                                " locks; more lock-order cycles may exist");
      else if (visited > options_.max_circuits_per_component)
        result_.notes.push_back("lock-order analysis: stopped after " +
                                std::to_string(options_.max_circuits_per_component) +
                                " cycles in a group of " + std::to_string(vertices.size()) +
                                " locks; more lock-order cycles may exist");
      else
        result_.notes.push_back("lock-order analysis: stopped after " +
                                std::to_string(options_.max_findings) + " reported cycles");
    }
  }

  // Every elementary circuit of at most `max_length` edges, once: from its
  // smallest vertex, through larger ones only (as Hawick and Johnson do).
  void bounded_circuits(const LockGraph &g, std::size_t max_length, CircuitVisitor &visitor) {
    std::vector<Vertex> path;
    std::vector<char> on_path(boost::num_vertices(g), 0);
    for (Vertex start = 0; start < boost::num_vertices(g); ++start) {
      path.assign(1, start);
      on_path[start] = 1;
      extend(g, start, max_length, visitor, path, on_path);
      on_path[start] = 0;
    }
  }

  void extend(const LockGraph &g, Vertex start, std::size_t max_length, CircuitVisitor &visitor,
              std::vector<Vertex> &path, std::vector<char> &on_path) {
    for (auto [it, end] = boost::out_edges(path.back(), g); it != end; ++it) {
      if (++steps_ > options_.max_search_steps) throw StopEnumeration{};
      Vertex next = boost::target(*it, g);
      if (next == start) {
        visitor.cycle(path, g);
      } else if (next > start && !on_path[next] && path.size() < max_length) {
        path.push_back(next);
        on_path[next] = 1;
        extend(g, start, max_length, visitor, path, on_path);
        on_path[next] = 0;
        path.pop_back();
      }
    }
  }

  // ---- choosing one observation per edge ----

  bool ordered_by_fork_join(const LockEdge &a, const LockEdge &b) const {
    const ForkJoinClock &ca = record_.fork_join_clocks.at(a.fork_join_clock);
    const ForkJoinClock &cb = record_.fork_join_clocks.at(b.fork_join_clock);
    return ca.at(a.tid) <= cb.at(a.tid) || cb.at(b.tid) <= ca.at(b.tid);
  }

  // a's request happened before b's through other synchronisation: b's
  // thread knew a's epoch at (or after) a's request when it asked.
  bool request_before(const LockEdge &a, const LockEdge &b) const {
    if (a.sync_order_clock == kNoId || b.sync_order_clock == kNoId) return false;
    const ForkJoinClock &ca = record_.sync_order_clocks.at(a.sync_order_clock);
    const ForkJoinClock &cb = record_.sync_order_clocks.at(b.sync_order_clock);
    return ca.at(a.tid) <= cb.at(a.tid);
  }

  // `waiter` asks for the lock `holder` holds: no wait when both are readers
  // of a reader-preferring rwlock.
  bool readers_pass(const LockEdge &waiter, const LockEdge &holder) const {
    return !waiter.exclusive && !holder.held.exclusive &&
           is_reader_preferring_rwlock(record_, waiter.lock);
  }

  bool compatible(const LockEdge &a, const LockEdge &b) const {
    if (a.tid == b.tid) return options_.single_thread;
    if (ordered_by_fork_join(a, b)) return false;
    return !strict_ || !(request_before(a, b) || request_before(b, a));
  }

  // Locks every chosen thread holds exclusively: a common gate serialises the
  // cycle's critical sections, so it cannot deadlock.
  bool has_common_gate() const {
    std::set<int> gates;
    for (std::size_t i = 0; i < chosen_.size(); ++i) {
      std::set<int> exclusive;
      if (const Lockset *set = record_.lockset(chosen_[i]->held_lockset))
        for (const HeldLock &h : set->locks)
          if (h.exclusive) exclusive.insert(h.lock);
      if (i == 0) {
        gates = std::move(exclusive);
      } else {
        std::set<int> both;
        std::set_intersection(gates.begin(), gates.end(), exclusive.begin(), exclusive.end(),
                              std::inserter(both, both.begin()));
        gates = std::move(both);
      }
      if (gates.empty()) return false;
    }
    return !gates.empty();
  }

  bool choose(std::size_t i, const std::vector<const std::vector<std::size_t> *> &candidates) {
    if (i == candidates.size())
      return !readers_pass(*chosen_.back(), *chosen_.front()) && !has_common_gate();
    for (std::size_t index : *candidates[i]) {
      if (++combinations_ > options_.max_combinations_per_cycle) return false;
      const LockEdge &e = record_.lock_edges[index];
      if (i > 0 && readers_pass(*chosen_[i - 1], e)) continue;
      bool ok = true;
      for (std::size_t j = 0; j < i && ok; ++j) ok = compatible(*chosen_[j], e);
      if (!ok) continue;
      chosen_[i] = &e;
      if (choose(i + 1, candidates)) return true;
    }
    return false;
  }

  void check_cycle(const std::vector<int> &locks) {
    std::vector<const std::vector<std::size_t> *> candidates;
    for (std::size_t i = 0; i < locks.size(); ++i)
      candidates.push_back(&observations_.at({locks[i], locks[(i + 1) % locks.size()]}));
    chosen_.assign(locks.size(), nullptr);
    combinations_ = 0;
    strict_ = true;
    bool found = choose(0, candidates);
    if (!found && combinations_ <= options_.max_combinations_per_cycle) {
      // No unordered choice: is it a cycle only other synchronisation orders?
      strict_ = false;
      combinations_ = 0;
      if (choose(0, candidates)) {
        if (keep_ordered()) return;
        found = true;  // nothing ordered after all: a potential deadlock
      }
    }
    if (combinations_ > options_.max_combinations_per_cycle && !budget_noted_) {
      budget_noted_ = true;
      result_.notes.push_back("lock-order analysis: gave up on a cycle over " +
                              std::to_string(locks.size()) + " locks after " +
                              std::to_string(options_.max_combinations_per_cycle) +
                              " combinations of observations; it may be a real cycle");
    }
    if (!found) return;
    Finding f;
    f.kind = FindingKind::LockOrderCycle;
    for (const LockEdge *e : chosen_) f.cycle.push_back(*e);
    suggest_order(f);
    result_.findings.push_back(std::move(f));
  }

  // Keeps the chosen cycle apart when two of its requests are ordered; false
  // when none are (the strict search ran out of budget), so it is reported.
  bool keep_ordered() {
    for (std::size_t i = 0; i < chosen_.size(); ++i)
      for (std::size_t j = 0; j < chosen_.size(); ++j) {
        if (i == j || !request_before(*chosen_[i], *chosen_[j])) continue;
        if (result_.ordered.size() < options_.max_findings) {
          OrderedLockCycle o;
          for (const LockEdge *e : chosen_) o.cycle.push_back(*e);
          o.before = static_cast<int>(i);
          o.after = static_cast<int>(j);
          o.via = record_.sync_order_clocks.at(chosen_[j]->sync_order_clock).via;
          result_.ordered.push_back(std::move(o));
        }
        ++result_.ordered_count;
        return true;
      }
    return false;
  }

  // One global order that breaks the cycle: follow the cycle, starting after
  // the edge observed least often (the odd one out is the cheapest to change).
  void suggest_order(Finding &f) const {
    std::size_t k = f.cycle.size(), worst = 0, worst_count = SIZE_MAX;
    for (std::size_t i = 0; i < k; ++i) {
      std::size_t count = total_count_.at({f.cycle[i].held.lock, f.cycle[i].lock});
      if (count < worst_count) {
        worst_count = count;
        worst = i;
      }
    }
    f.violating_edge = static_cast<int>(worst);
    for (std::size_t step = 1; step <= k; ++step)
      f.suggested_order.push_back(f.cycle[(worst + step) % k].held.lock);
  }

  const Record &record_;
  const LockOrderOptions &options_;
  LockOrderResult &result_;
  std::vector<int> locks_;  // vertex -> lock id, ascending
  std::map<int, Vertex> vertex_of_;
  std::map<LockPair, std::vector<std::size_t>> observations_;
  std::map<LockPair, std::set<std::tuple<int, int, int, int, bool, bool>>> seen_;
  std::map<LockPair, std::size_t> total_count_;
  std::vector<const LockEdge *> chosen_;
  std::size_t combinations_ = 0;
  bool strict_ = true;     // false: only fork/join orders rule a choice out
  std::size_t steps_ = 0;  // of bounded_circuits, over all components
  bool budget_noted_ = false;
};

struct DotVertex {
  std::string label;
};
struct DotEdge {
  std::string label;
};
using DotGraph =
    boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, DotVertex, DotEdge>;

}  // namespace

LockOrderResult find_lock_order_cycles(const Record &record, const LockOrderOptions &options) {
  LockOrderResult result;
  CycleSearch(record, options, result).run();
  return result;
}

std::string ordered_cycle_description(const Record &record, const OrderedLockCycle &cycle) {
  std::string text = "locks ";
  for (const LockEdge &e : cycle.cycle)
    text += lock_identity(record, record.lock(e.held.lock)) + " -> ";
  text += lock_identity(record, record.lock(cycle.cycle.front().held.lock));
  const LockEdge &before = cycle.cycle.at(cycle.before), &after = cycle.cycle.at(cycle.after);
  text += ": " + thread_name(after.tid) + " asked at " +
          user_position(record, after.site, after.stack) + " only after " +
          thread_name(before.tid) + " had asked at " +
          user_position(record, before.site, before.stack) + ", ordered through ";
  text += cycle.via == kNoId ? std::string("thread creation/join and other synchronisation")
                             : lock_identity(record, record.lock(cycle.via));
  return text;
}

// A deadlock of the run in which every step's thread waits at its request.
bool confirmed_by_deadlock(const Record &record, const Finding &cycle) {
  for (const Finding &d : record.findings) {
    if (d.kind != FindingKind::Deadlock) continue;
    bool all = true;
    for (const LockEdge &e : cycle.cycle) {
      bool waits = false;
      for (const Waiter &w : d.waiters) waits = waits || (w.tid == e.tid && w.site == e.site);
      all = all && waits;
    }
    if (all) return true;
  }
  return false;
}

void add_lock_order_findings(Record &record, const LockOrderOptions &options) {
  LockOrderResult result = find_lock_order_cycles(record, options);
  for (Finding &f : result.findings) f.confirmed = confirmed_by_deadlock(record, f);
  for (Finding &f : result.findings) record.findings.push_back(std::move(f));
  for (std::string &n : result.notes) record.notes.push_back(std::move(n));
  if (result.ordered_count > 0) {
    record.notes.push_back(
        "lock-order analysis: " + std::to_string(result.ordered_count) +
        " lock-order cycle(s) are ordered by happens-before through other synchronisation, "
        "so they cannot deadlock as observed and are not reported as potential deadlocks; "
        "first: " +
        ordered_cycle_description(record, result.ordered.front()));
  }
  record.ordered_lock_cycles = std::move(result.ordered);
  record.ordered_lock_cycle_count = result.ordered_count;
}

void write_lock_cycles_dot(std::ostream &out, const Record &record) {
  DotGraph graph;
  std::map<int, DotGraph::vertex_descriptor> vertex_of;
  auto vertex = [&](int lock_id) {
    auto it = vertex_of.find(lock_id);
    if (it != vertex_of.end()) return it->second;
    auto v = boost::add_vertex(DotVertex{lock_identity(record, record.lock(lock_id))}, graph);
    vertex_of.emplace(lock_id, v);
    return v;
  };
  int number = 0;
  for (const Finding &f : record.findings) {
    if (f.kind != FindingKind::LockOrderCycle) continue;
    ++number;
    for (const LockEdge &e : f.cycle) {
      std::string label = "cycle " + std::to_string(number) + ": " + thread_name(e.tid) +
                          " holds (" +
                          user_position(record, e.held.acquire_site, e.held.acquire_stack) +
                          ") and waits (" + user_position(record, e.site, e.stack) + ")";
      boost::add_edge(vertex(e.held.lock), vertex(e.lock), DotEdge{label}, graph);
    }
  }
  boost::write_graphviz(out, graph, boost::make_label_writer(boost::get(&DotVertex::label, graph)),
                        boost::make_label_writer(boost::get(&DotEdge::label, graph)));
}

}  // namespace racecheck
