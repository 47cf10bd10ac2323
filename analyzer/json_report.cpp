// json_report.cpp — renders a Record as JSON (docs/report-format.md).
#include "json_report.h"

#include "lock_graph.h"

#include "finding_description.h"
#include "finding_text.h"
#include "fingerprint.h"
#include "source_frames.h"
#include "version.h"

namespace racecheck {
namespace {

using Json = nlohmann::ordered_json;

Json location_json(const SourceFrame &f) {
  Json j;
  j["file"] = f.file;
  j["line"] = f.line;
  j["column"] = f.column;
  j["function"] = f.function;
  if (f.mangled != f.function) j["mangled"] = f.mangled;
  if (f.through_uninstrumented_code) j["through_uninstrumented_code"] = true;
  return j;
}

// A site as one location (its innermost position; inlining shows in stacks).
Json site_json(const Record &record, int site_id) {
  if (site_id == kNoId) return nullptr;
  return location_json(expand_site(record, site_id).front());
}

Json stack_json(const Record &record, int site_id, int stack_id) {
  Json frames = Json::array();
  for (const SourceFrame &f : source_stack(record, site_id, stack_id)) {
    Json j = location_json(f);
    if (f.inlined) j["inlined"] = true;
    frames.push_back(std::move(j));
  }
  return frames;
}

Json locks_json(const Record &record, int lockset_id) {
  Json locks = Json::array();
  const Lockset *set = record.lockset(lockset_id);
  if (!set) return locks;
  for (const HeldLock &h : set->locks) {
    const Lock &lock = record.lock(h.lock);
    Json j;
    j["name"] = lock.name;
    j["kind"] = lock.kind;
    j["mode"] = h.exclusive ? "write" : "read";
    j["description"] = lock_identity(record, lock);
    j["acquired_at"] = site_json(record, h.acquire_site);
    j["acquisition_stack"] = stack_json(record, h.acquire_site, h.acquire_stack);
    j["created_at"] = site_json(record, lock.site);
    locks.push_back(std::move(j));
  }
  return locks;
}

const char *variable_kind_name(VariableKind kind) {
  switch (kind) {
    case VariableKind::Global: return "global";
    case VariableKind::Heap: return "heap";
    case VariableKind::Stack: return "stack";
    case VariableKind::Tls: return "tls";
    case VariableKind::Fd: return "fd";
    case VariableKind::Mapping: return "mapping";
    case VariableKind::Unknown: break;
  }
  return "unknown";
}

Json variable_json(const Record &record, const Variable &v) {
  Json j;
  j["kind"] = variable_kind_name(v.kind);
  j["description"] = variable_description(record, v);
  switch (v.kind) {
    case VariableKind::Global:
      j["name"] = qualified_global_name(v);
      j["variable"] = v.name;
      j["field"] = v.field;
      j["offset"] = v.offset;
      j["size"] = v.size;
      j["declared_at"] = site_json(record, v.site);
      break;
    case VariableKind::Heap:
      j["offset"] = v.offset;
      j["size"] = v.size;
      j["allocated_at"] = site_json(record, v.site);
      j["allocated_by"] = v.tid == kNoId ? Json(nullptr) : Json(thread_name(v.tid));
      j["allocation_stack"] = stack_json(record, v.site, v.stack);
      j["freed"] = v.freed;
      if (v.freed) {
        j["freed_at"] = site_json(record, v.free_site);
        j["freed_by"] = v.free_tid == kNoId ? Json(nullptr) : Json(thread_name(v.free_tid));
        j["free_stack"] = stack_json(record, v.free_site, v.free_stack);
      }
      break;
    case VariableKind::Stack:
    case VariableKind::Tls: j["thread"] = thread_name(v.tid); break;
    case VariableKind::Fd:
      j["fd"] = v.fd;
      j["fd_kind"] = v.fd_kind;
      j["created_by"] = v.tid == kNoId ? Json(nullptr) : Json(thread_name(v.tid));
      j["created_at"] = site_json(record, v.site);
      j["creation_stack"] = stack_json(record, v.site, v.stack);
      break;
    case VariableKind::Mapping:
      j["file"] = v.name.empty() ? Json(nullptr) : Json(v.name);  // null: anonymous
      j["offset"] = v.offset;
      j["size"] = v.size;
      j["mapped_at"] = site_json(record, v.site);
      j["mapped_by"] = v.tid == kNoId ? Json(nullptr) : Json(thread_name(v.tid));
      j["mapping_stack"] = stack_json(record, v.site, v.stack);
      break;
    case VariableKind::Unknown: break;
  }
  return j;
}

Json access_json(const Record &record, const Access &a) {
  Json j;
  j["role"] = a.role == AccessRole::Current ? "current" : "previous";
  j["thread"] = thread_name(a.tid);
  j["access"] = a.write ? "write" : "read";
  j["size"] = a.size;
  j["atomic"] = a.atomic;
  j["location"] = site_json(record, a.site);
  j["stack"] = stack_json(record, a.site, a.stack);
  j["locks_held"] = locks_json(record, a.lockset);
  return j;
}

Json waiter_json(const Record &record, const Waiter &w) {
  Json j;
  j["thread"] = thread_name(w.tid);
  j["operation"] = w.operation;
  j["object"] = w.object;
  j["state"] = waiter_state_name(waiter_state(w));
  j["location"] = site_json(record, w.site);
  j["stack"] = stack_json(record, w.site, w.stack);
  j["locks_held"] = w.lockset ? locks_json(record, *w.lockset) : Json(nullptr);
  return j;
}

Json thread_json(const Record &record, int tid) {
  Json j;
  j["thread"] = thread_name(tid);
  const Thread *t = record.thread(tid);
  if (!t || t->parent == kNoId) {
    j["created_by"] = nullptr;
    j["created_at"] = nullptr;
    j["stack"] = Json::array();
    return j;
  }
  j["created_by"] = thread_name(t->parent);
  j["created_at"] = site_json(record, t->create_site);
  j["stack"] = stack_json(record, t->create_site, t->create_stack);
  return j;
}

Json lock_json(const Record &record, int lock_id) {
  const Lock &lock = record.lock(lock_id);
  Json j;
  j["name"] = lock.name;
  j["kind"] = lock.kind;
  j["description"] = lock_identity(record, lock);
  j["created_at"] = site_json(record, lock.site);
  return j;
}

const char *lock_wait_name(LockWait wait) {
  switch (wait) {
    case LockWait::Block: return "block";
    case LockWait::Try: return "try";
    case LockWait::Timed: return "timed";
  }
  return "block";
}

// The cycle in the four Coffman conditions, like the text report.
Json lock_order_cycle_json(const Record &record, const Finding &f) {
  Json j;
  Json exclusion = Json::array();
  for (const LockEdge &e : f.cycle) exclusion.push_back(lock_json(record, e.held.lock));
  j["mutual_exclusion"] = std::move(exclusion);
  Json hold_and_wait = Json::array();
  for (const LockEdge &e : f.cycle) {
    Json step;
    step["thread"] = thread_name(e.tid);
    Json holds = lock_json(record, e.held.lock);
    holds["mode"] = e.held.exclusive ? "write" : "read";
    holds["acquired_at"] = site_json(record, e.held.acquire_site);
    holds["acquisition_stack"] = stack_json(record, e.held.acquire_site, e.held.acquire_stack);
    step["holds"] = std::move(holds);
    Json wants = lock_json(record, e.lock);
    wants["mode"] = e.exclusive ? "write" : "read";
    wants["wait"] = lock_wait_name(e.wait);
    wants["location"] = site_json(record, e.site);
    wants["stack"] = stack_json(record, e.site, e.stack);
    step["wants"] = std::move(wants);
    step["locks_held"] = locks_json(record, e.held_lockset);
    hold_and_wait.push_back(std::move(step));
  }
  j["hold_and_wait"] = std::move(hold_and_wait);
  j["no_preemption"] =
      "a lock is released only by the thread holding it, and every wait is unbounded (no "
      "trylock, no timeout)";
  Json circular = Json::array();
  for (size_t i = 0; i < f.cycle.size(); ++i) {
    const LockEdge &next = f.cycle[(i + 1) % f.cycle.size()];
    circular.push_back({{"thread", thread_name(f.cycle[i].tid)},
                        {"waits_for", thread_name(next.tid)},
                        {"lock", lock_identity(record, record.lock(f.cycle[i].lock))}});
  }
  j["circular_wait"] = std::move(circular);
  Json order = Json::array();
  for (int lock_id : f.suggested_order)
    order.push_back(lock_identity(record, record.lock(lock_id)));
  j["suggested_order"] = std::move(order);
  j["violating_step"] = f.violating_edge;
  j["confirmed"] = f.confirmed;
  if (f.confirmation) {
    const Finding::DirectedConfirmation &c = *f.confirmation;
    Json confirmation;
    confirmation["schedule"] = c.schedule.empty() ? Json(nullptr) : Json(c.schedule);
    confirmation["attempts"] = c.attempts;
    confirmation["budget"] = c.budget;
    if (!c.schedule.empty())
      confirmation["seed"] = c.seed;
    else
      confirmation["note"] = "not confirmed after " + std::to_string(c.attempts) +
                             " directed schedule" + (c.attempts == 1 ? "" : "s");
    j["confirmation"] = std::move(confirmation);
  }
  return j;
}

Json finding_json(const Record &record, const Finding &f) {
  Json j;
  j["kind"] = finding_kind_name(f.kind);
  j["fingerprint"] = finding_fingerprint(record, f);
  j["message"] = finding_message(record, f);
  // Found in a forked child: its fork order (a number), or for a
  // grandchild its fork path ("1.2").
  if (!record.meta.process.empty()) {
    const std::string &p = record.meta.process;
    if (p.find('.') == std::string::npos)
      j["process"] = std::stoull(p);
    else
      j["process"] = p;
  }
  if (f.variable) j["variable"] = variable_json(record, *f.variable);
  Json accesses = Json::array();
  for (const Access &a : f.accesses) accesses.push_back(access_json(record, a));
  j["accesses"] = std::move(accesses);
  Json waiters = Json::array();
  for (const Waiter &w : f.waiters) waiters.push_back(waiter_json(record, w));
  // A crash's trapping instruction belongs to the failing thread's entry.
  if (f.fault && !waiters.empty()) {
    const Fault &fault = *f.fault;
    Json frames = Json::array();
    for (const SourceFrame &frame : fault.frames) frames.push_back(location_json(frame));
    waiters[0]["fault"] = {
        {"module", fault.module}, {"address", fault.address}, {"frames", std::move(frames)}};
  }
  j["waiters"] = std::move(waiters);
  j["details"] = f.details;
  if (!f.misuse_case.empty()) j["misuse"] = f.misuse_case;
  // Livelock / starvation evidence (always present for those kinds).
  if (f.kind == FindingKind::Livelock || f.kind == FindingKind::Starvation || !f.counts.empty() ||
      !f.thread_stats.empty()) {
    Json counts = Json::object();
    for (const FindingCount &c : f.counts) counts[c.name] = c.value;
    j["counts"] = std::move(counts);
    Json stats = Json::array();
    for (const ThreadStat &st : f.thread_stats)
      stats.push_back({{"thread", thread_name(st.tid)},
                       {"acquisitions", st.acquisitions},
                       {"bypasses", st.bypasses},
                       {"longest_wait_steps", st.longest_wait_steps}});
    j["thread_stats"] = std::move(stats);
  }
  if (!f.cycle.empty()) j["lock_order_cycle"] = lock_order_cycle_json(record, f);
  Json threads = Json::array();
  for (int tid : involved_threads(f)) threads.push_back(thread_json(record, tid));
  j["threads"] = std::move(threads);
  return j;
}

// Lock-order cycles that other synchronisation orders (not findings).
Json ordered_cycles_json(const Record &record) {
  Json j;
  j["count"] = record.ordered_lock_cycle_count;
  Json cycles = Json::array();
  for (const OrderedLockCycle &c : record.ordered_lock_cycles) {
    Json locks = Json::array();
    for (const LockEdge &e : c.cycle) locks.push_back(lock_json(record, e.held.lock));
    auto request = [&](const LockEdge &e) {
      return Json{{"thread", thread_name(e.tid)},
                  {"lock", lock_identity(record, record.lock(e.lock))},
                  {"at", user_position(record, e.site, e.stack)}};
    };
    Json ordering;
    ordering["before"] = request(c.cycle.at(c.before));
    ordering["after"] = request(c.cycle.at(c.after));
    ordering["through"] = c.via == kNoId ? Json() : lock_json(record, c.via);
    cycles.push_back({{"locks", std::move(locks)},
                      {"ordering", std::move(ordering)},
                      {"description", ordered_cycle_description(record, c)}});
  }
  j["cycles"] = std::move(cycles);
  return j;
}

}  // namespace

nlohmann::ordered_json json_report(const Record &record) {
  const Meta &m = record.meta;
  Json j;
  j["tool"] = "racecheck";
  j["schema_version"] = kJsonSchemaVersion;
  j["version"] = kRacecheckVersion;
  j["program"] = m.program;
  j["seed"] = m.seed;
  j["strategy"] = m.strategy;
  j["exit_status"] = m.exit_status;
  j["exit_signal"] = m.exit_signal;
  auto stats = [](const Meta &run) {
    return Json{{"threads", run.threads},
                {"scheduling_points", run.scheduling_points},
                {"switches", run.switches},
                {"io_leaves", run.io_leaves}};
  };
  // A shrunk schedule's run: the statistics are the finding run's.
  j["stats"] = stats(record.found_by ? *record.found_by : m);
  if (record.found_by) j["shrunk_run_stats"] = stats(m);
  Json findings = Json::array();
  for (const Finding &f : record.findings) findings.push_back(finding_json(record, f));
  j["findings"] = std::move(findings);
  if (record.ordered_lock_cycle_count > 0) j["ordered_lock_cycles"] = ordered_cycles_json(record);
  if (!record.notes.empty()) j["notes"] = record.notes;
  return j;
}

void write_json_report(std::ostream &out, const Record &record) {
  out << json_text(json_report(record)) << "\n";
}

namespace {

bool is_valid_utf8(const std::string &text) {
  try {
    (void)Json(text).dump();
    return true;
  } catch (const nlohmann::json::type_error &) {
    return false;
  }
}

std::string hex_bytes(const std::string &text) {
  std::string hex;
  for (unsigned char c : text) {
    hex += "0123456789abcdef"[c >> 4];
    hex += "0123456789abcdef"[c & 15];
  }
  return hex;
}

// text with each byte that is not part of valid UTF-8 replaced by U+FFFD.
std::string replaced_utf8(const std::string &text) {
  if (is_valid_utf8(text)) return text;
  return Json::parse(Json(text).dump(-1, ' ', false, Json::error_handler_t::replace))
      .get<std::string>();
}

// value with every invalid string replaced as json_text describes.
Json with_valid_utf8(const Json &value) {
  if (value.is_string()) return replaced_utf8(value.get_ref<const std::string &>());
  if (value.is_array()) {
    Json out = Json::array();
    for (const Json &element : value) out.push_back(with_valid_utf8(element));
    return out;
  }
  if (!value.is_object()) return value;
  Json out = Json::object();
  for (const auto &[key, member] : value.items()) {
    const std::string safe_key = replaced_utf8(key);
    out[safe_key] = with_valid_utf8(member);
    if (member.is_string() && !is_valid_utf8(member.get_ref<const std::string &>()))
      out[safe_key + "_bytes"] = hex_bytes(member.get_ref<const std::string &>());
  }
  return out;
}

}  // namespace

std::string json_text(const nlohmann::ordered_json &value) {
  return with_valid_utf8(value).dump(2);
}

}  // namespace racecheck
