// record_reader.cpp — line-by-line parser of the run record. Each entry is
// checked where it appears so errors name the offending line. Entry names,
// field counts and the version come from racecheck/record_format.h, the
// table the runtime's writer uses too.
#include "record_reader.h"

#include "fault_symbolizer.h"
#include "finding_text.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <limits>
#include <regex>
#include <string_view>
#include <vector>

#include "untrusted_input.h"

namespace racecheck {

const char kTruncatedRecordMessage[] =
    "record is truncated: the program died before racecheck could finish writing it";

namespace {

// The model's kind of each kind of record_format.h (a kind missing here
// is a -Wswitch warning and an empty kind).
VariableKind variable_kind(rc_record_variable_kind kind) {
  switch (kind) {
    case RC_RECORD_VARIABLE_GLOBAL: return VariableKind::Global;
    case RC_RECORD_VARIABLE_HEAP: return VariableKind::Heap;
    case RC_RECORD_VARIABLE_STACK: return VariableKind::Stack;
    case RC_RECORD_VARIABLE_TLS: return VariableKind::Tls;
    case RC_RECORD_VARIABLE_FD: return VariableKind::Fd;
    case RC_RECORD_VARIABLE_MAPPING: return VariableKind::Mapping;
    case RC_RECORD_VARIABLE_UNKNOWN:
    case RC_RECORD_VARIABLE_KIND_COUNT: break;
  }
  return VariableKind::Unknown;
}

// The meta key of that name, RC_RECORD_META_KEY_COUNT for another key.
rc_record_meta_key meta_key(const std::string &name) {
  for (int k = 0; k < RC_RECORD_META_KEY_COUNT; ++k)
    if (name == rc_record_meta_key_name(rc_record_meta_key(k))) return rc_record_meta_key(k);
  return RC_RECORD_META_KEY_COUNT;
}

// "1", "1.2": fork orders from 1, dot-separated (meta process).
bool fork_path(const std::string &s) {
  static const std::regex pattern("[1-9][0-9]{0,8}(\\.[1-9][0-9]{0,8})*");
  return std::regex_match(s, pattern);
}

// Messages quote the file's own bytes: escaped, so a record cannot drive the
// terminal that shows the error.
std::string format_error(const std::string &source, int line, const std::string &message) {
  if (line > 0) return terminal_safe(source + ":" + std::to_string(line) + ": " + message);
  return terminal_safe(source + ": " + message);
}

// Far above what the runtime writes (its findings are capped); a bound for
// a stream that never ends.
constexpr uint64_t kMaxRecordBytes = uint64_t{1} << 30;

class Parser {
 public:
  Parser(std::istream &in, std::string source) : in_(in), source_(std::move(source)) {}

  Record parse() {
    std::string raw;
    bool saw_end = false;
    for (LineRead read; (read = read_bounded_line(in_, raw)) != LineRead::End;) {
      ++line_;
      if (read == LineRead::TooLong)
        fail("the line is longer than " + std::to_string(kMaxInputLine) + " bytes");
      bytes_ += raw.size() + 1;
      if (bytes_ > kMaxRecordBytes)
        fail("the record is larger than " + std::to_string(kMaxRecordBytes) + " bytes");
      if (saw_end) {
        if (raw.empty()) continue;
        fail("unexpected content after `end-record`");
      }
      split(raw);
      if (line_ == 1) {
        parse_header();
        continue;
      }
      saw_end = parse_entry();
    }
    if (in_.bad()) fail_at(0, "read error");
    if (line_ == 0) fail_at(0, "the record is empty");
    if (!saw_end) {
      // Only the truncation is reported: an open finding is a symptom of it.
      fail_at(0, kTruncatedRecordMessage);
    }
    return std::move(record_);
  }

 private:
  [[noreturn]] void fail(const std::string &message) { throw RecordError(source_, line_, message); }
  [[noreturn]] void fail_at(int line, const std::string &message) {
    throw RecordError(source_, line, message);
  }

  // Splits on TAB and undoes the escapes of string fields (\\, \t, \n).
  void split(const std::string &raw) {
    fields_.clear();
    std::string current;
    for (size_t i = 0; i < raw.size(); ++i) {
      char c = raw[i];
      if (c == '\t') {
        fields_.push_back(std::move(current));
        current.clear();
      } else if (c == '\\') {
        if (i + 1 == raw.size()) fail("a backslash ends the line (escapes are \\\\, \\t, \\n)");
        char e = raw[++i];
        if (e == '\\')
          current += '\\';
        else if (e == 't')
          current += '\t';
        else if (e == 'n')
          current += '\n';
        else
          fail(std::string("invalid escape '\\") + e + "' (escapes are \\\\, \\t, \\n)");
      } else if (c == '\r' && i + 1 == raw.size()) {
        // tolerate CRLF line ends
      } else {
        current += c;
      }
    }
    fields_.push_back(std::move(current));
  }

  void parse_header() {
    const std::string header =
        std::string(RC_RECORD_FORMAT_NAME "<TAB>") + std::to_string(RC_RECORD_FORMAT_VERSION);
    if (fields_[0] != RC_RECORD_FORMAT_NAME)
      fail("not a racecheck run record (the first line must be '" + header + "')");
    if (fields_.size() != 2) fail("the header must be '" + header + "'");
    std::string_view version = fields_[1];
    std::string_view major = version.substr(0, version.find('.'));
    int v = 0;
    auto [ptr, ec] = std::from_chars(major.data(), major.data() + major.size(), v);
    if (ec != std::errc() || ptr != major.data() + major.size())
      fail("invalid record format version '" + fields_[1] + "'");
    if (v < RC_RECORD_FORMAT_OLDEST_VERSION || v > kRecordFormatVersion)
      fail("unsupported record format version " + fields_[1] + " (this racecheck reads versions " +
           std::to_string(RC_RECORD_FORMAT_OLDEST_VERSION) + " to " +
           std::to_string(kRecordFormatVersion) + ")");
    record_.format_version = v;
  }

  template <typename T> T number(std::string_view text, const char *what) {
    T value{};
    auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc() || ptr != text.data() + text.size())
      fail(std::string("invalid ") + what + " '" + std::string(text) + "'");
    return value;
  }
  uint64_t u64(size_t field, const char *what) { return number<uint64_t>(fields_[field], what); }
  uint32_t u32(size_t field, const char *what) { return number<uint32_t>(fields_[field], what); }
  // An id field: a non-negative integer, or -1 when `optional`.
  int id(std::string_view text, const char *what, bool optional) {
    int value = number<int>(text, what);
    if (value < -1 || (value == -1 && !optional))
      fail(std::string("invalid ") + what + " '" + std::string(text) + "'");
    return value;
  }

  int site_ref(std::string_view text, const char *what = "site id") {
    int value = id(text, what, true);
    if (value != kNoId && !record_.sites.count(value))
      fail(std::string("dangling ") + what + " " + std::to_string(value) +
           " (no `site` entry with that id before this line)");
    return value;
  }
  int stack_ref(std::string_view text, const char *what = "stack id") {
    int value = id(text, what, true);
    if (value > 0 && !record_.stacks.count(value))
      fail(std::string("dangling ") + what + " " + std::to_string(value) +
           " (no `stack` entry with that id before this line)");
    return value;
  }
  int thread_ref(std::string_view text, const char *what = "thread id", bool optional = false) {
    int value = id(text, what, optional);
    if (value != kNoId && !record_.threads.count(value))
      fail(std::string("dangling ") + what + " " + std::to_string(value) +
           " (no `thread` entry with that id before this line)");
    return value;
  }
  int lockset_ref(std::string_view text) {
    int value = id(text, "lockset id", false);
    if (value != 0 && !record_.locksets.count(value))
      fail("dangling lockset id " + std::to_string(value) +
           " (no `lockset` entry with that id before this line)");
    return value;
  }

  int lock_ref(std::string_view text) {
    int value = id(text, "lock id", false);
    if (!record_.locks.count(value))
      fail("dangling lock id " + std::to_string(value) +
           " (no `lock` entry with that id before this line)");
    return value;
  }
  bool lock_mode(std::string_view text) {
    if (text == "w") return true;
    if (text != "r") fail("invalid lock mode '" + std::string(text) + "' (expected w or r)");
    return false;
  }

  template <typename Map> int new_id(const Map &map, const char *entry) {
    int value = id(fields_[1], "id", false);
    if (map.count(value))
      fail(std::string("duplicate `") + entry + "` id " + std::to_string(value));
    return value;
  }

  Finding &open_finding() {
    if (!in_finding_) fail("`" + fields_[0] + "` outside a finding (no open `finding` entry)");
    return record_.findings.back();
  }

  // The field counts of record_format.h: "needs N", "needs N or M" or
  // "needs at least N" field(s), naming `label`.
  void expect_count(const std::string &label, unsigned min, unsigned max) {
    size_t got = fields_.size() - 1;
    if (got == min || got == max || (max == RC_RECORD_FIELDS_ANY && got > min)) return;
    std::string needs = std::to_string(min);
    if (max == RC_RECORD_FIELDS_ANY)
      needs = "at least " + needs;
    else if (max != min)
      needs += " or " + std::to_string(max);
    fail("`" + label + "` needs " + needs + " field(s), got " + std::to_string(got));
  }

  // Returns true on `end-record`. Entries and their field counts come from
  // the one table of racecheck/record_format.h; each has its read_ID below
  // (a table entry without one does not compile).
  bool parse_entry() {
    const std::string &name = fields_[0];
    if (name == RC_RECORD_FORMAT_NAME) fail("a second record header");
#define RC_READ_ENTRY(id, entry_name, min, max, order)                                             \
  if (name == entry_name) {                                                                        \
    expect_count(name, min, max);                                                                  \
    read_##id();                                                                                   \
    return saw_end_record_;                                                                        \
  }
    RC_RECORD_ENTRIES(RC_READ_ENTRY)
    RC_RECORD_ENTRIES_V1(RC_READ_ENTRY)
#undef RC_READ_ENTRY
    // Unknown entries are skipped: forward compatible within a major version.
    return false;
  }

  void read_META() { parse_meta(); }
  void read_SITE() {
    Site s;
    s.id = new_id(record_.sites, "site");
    s.file = fields_[2];
    s.function = fields_[3];
    s.line = u32(4, "line");
    s.column = u32(5, "column");
    s.inlined_at = site_ref(fields_[6], "inlined_at site id");
    record_.sites.emplace(s.id, std::move(s));
  }
  void read_STACK() {
    Stack st;
    st.id = new_id(record_.stacks, "stack");
    for (size_t i = 2; i < fields_.size(); ++i) {
      std::string_view frame = fields_[i];
      size_t colon = frame.find(':');
      if (colon == std::string_view::npos)
        fail("invalid stack frame '" + std::string(frame) +
             "' (expected function_site_id:call_site_id)");
      StackFrame f;
      f.function_site = site_ref(frame.substr(0, colon), "function site id");
      if (f.function_site == kNoId) fail("a stack frame needs a function site");
      f.call_site = site_ref(frame.substr(colon + 1), "call site id");
      st.frames.push_back(f);
    }
    record_.stacks.emplace(st.id, std::move(st));
  }
  void read_THREAD() {
    Thread t;
    t.tid = new_id(record_.threads, "thread");
    t.parent = thread_ref(fields_[2], "parent thread id", true);
    t.create_site = site_ref(fields_[3], "create site id");
    t.create_stack = stack_ref(fields_[4], "create stack id");
    record_.threads.emplace(t.tid, std::move(t));
  }
  void read_LOCK() {
    Lock l;
    l.id = new_id(record_.locks, "lock");
    l.kind = fields_[2];
    if (l.kind.empty()) fail("a lock needs a kind");
    l.name = fields_[3];
    l.site = site_ref(fields_[4]);
    l.stack = stack_ref(fields_[5]);
    l.creator = thread_ref(fields_[6], "creator thread id", true);
    l.ordinal = u32(7, "ordinal");
    record_.locks.emplace(l.id, std::move(l));
  }
  void read_LOCKSET() {
    Lockset ls;
    ls.id = new_id(record_.locksets, "lockset");
    if (ls.id == 0) fail("lockset 0 is the empty set and must not be written");
    for (size_t i = 2; i < fields_.size(); ++i) ls.locks.push_back(parse_held_lock(fields_[i]));
    record_.locksets.emplace(ls.id, std::move(ls));
  }
  void read_FORK_JOIN_CLOCK() {
    ForkJoinClock c;
    c.id = new_id(record_.fork_join_clocks, "fork-join-clock");
    for (size_t i = 2; i < fields_.size(); ++i) c.clock.push_back(u64(i, "clock value"));
    record_.fork_join_clocks.emplace(c.id, std::move(c));
  }
  void read_SYNC_ORDER_CLOCK() {
    ForkJoinClock c;
    c.id = new_id(record_.sync_order_clocks, "sync-order-clock");
    c.via = id(fields_[2], "via lock id", true);
    if (c.via != kNoId) c.via = lock_ref(fields_[2]);
    for (size_t i = 3; i < fields_.size(); ++i) c.clock.push_back(u64(i, "clock value"));
    record_.sync_order_clocks.emplace(c.id, std::move(c));
  }
  void read_LOCK_EDGE() {
    if (in_finding_) fail("`lock-edge` inside a finding");
    LockEdge e;
    e.tid = thread_ref(fields_[1]);
    e.held.lock = lock_ref(fields_[2]);
    e.held.acquire_site = site_ref(fields_[3], "held acquire site id");
    e.held.acquire_stack = stack_ref(fields_[4], "held acquire stack id");
    e.held.exclusive = lock_mode(fields_[5]);
    e.lock = lock_ref(fields_[6]);
    e.site = site_ref(fields_[7]);
    e.stack = stack_ref(fields_[8]);
    e.exclusive = lock_mode(fields_[9]);
    if (fields_[10] == "block")
      e.wait = LockWait::Block;
    else if (fields_[10] == "try")
      e.wait = LockWait::Try;
    else if (fields_[10] == "timed")
      e.wait = LockWait::Timed;
    else
      fail("invalid lock wait '" + fields_[10] + "' (expected block, try or timed)");
    e.held_lockset = lockset_ref(fields_[11]);
    e.fork_join_clock = id(fields_[12], "fork-join clock id", false);
    if (!record_.fork_join_clocks.count(e.fork_join_clock))
      fail("dangling fork-join clock id " + fields_[12] +
           " (no `fork-join-clock` entry with that id before this line)");
    if (fields_.size() > 13) {
      e.sync_order_clock = id(fields_[13], "sync-order clock id", true);
      if (e.sync_order_clock != kNoId && !record_.sync_order_clocks.count(e.sync_order_clock))
        fail("dangling sync-order clock id " + fields_[13] +
             " (no `sync-order-clock` entry with that id before this line)");
    }
    record_.lock_edges.push_back(e);
  }
  void read_FINDING() {
    if (in_finding_)
      fail("`finding` before the previous finding (line " +
           std::to_string(record_.findings.back().line) + ") was closed with `end`");
    auto kind = parse_finding_kind(fields_[1]);
    if (!kind) fail("unknown finding kind '" + fields_[1] + "'");
    Finding f;
    f.kind = *kind;
    f.line = line_;
    record_.findings.push_back(std::move(f));
    in_finding_ = true;
  }
  void read_ACCESS() {
    Finding &f = open_finding();
    Access a;
    if (fields_[1] == "current")
      a.role = AccessRole::Current;
    else if (fields_[1] == "previous")
      a.role = AccessRole::Previous;
    else
      fail("invalid access role '" + fields_[1] + "' (expected current or previous)");
    a.tid = thread_ref(fields_[2]);
    if (fields_[3] == "write")
      a.write = true;
    else if (fields_[3] != "read")
      fail("invalid access type '" + fields_[3] + "' (expected read or write)");
    if (fields_[4] != "0" && fields_[4] != "1")
      fail("invalid atomic flag '" + fields_[4] + "' (expected 0 or 1)");
    a.atomic = fields_[4] == "1";
    a.size = u64(5, "access size");
    a.site = site_ref(fields_[6]);
    a.stack = stack_ref(fields_[7]);
    a.lockset = lockset_ref(fields_[8]);
    f.accesses.push_back(a);
  }
  void read_VARIABLE() {
    Finding &f = open_finding();
    if (f.variable) fail("a finding has at most one `variable`");
    f.variable = parse_variable();
  }
  void read_WAITER() {
    Finding &f = open_finding();
    Waiter w;
    w.tid = thread_ref(fields_[1]);
    w.operation = fields_[2];
    // Version 1 wrote the object's English, later versions a reference.
    w.object = record_.format_version == 1
                   ? fields_[3]
                   : english([&] { return wait_object_text(record_, w.operation, fields_[3]); });
    if (record_.format_version > 1) w.object_kind = fields_[3].substr(0, fields_[3].find(':'));
    w.site = site_ref(fields_[4]);
    w.stack = stack_ref(fields_[5]);
    if (fields_.size() == 7) w.lockset = lockset_ref(fields_[6]);
    f.waiters.push_back(std::move(w));
  }
  void read_DETAIL() { open_finding().details.push_back(fields_[1]); }
  // The cause's English is the finding's first detail (version 1 wrote it
  // as a `detail`); its fields counted as RC_RECORD_CAUSES says.
  void read_CAUSE() {
    Finding &f = open_finding();
    const std::string &cause = fields_[1];
    bool known = false;
#define RC_CHECK_CAUSE(id, cause_name, min, max, order)                                            \
  if (cause == cause_name) {                                                                       \
    expect_count(std::string("cause ") + cause_name, min, max);                                    \
    known = true;                                                                                  \
  }
    RC_RECORD_CAUSES(RC_CHECK_CAUSE)
#undef RC_CHECK_CAUSE
    if (!known) fail("unknown cause '" + cause + "'");
    std::vector<std::string> fields(fields_.begin() + 1, fields_.end());
    if (cause == rc_record_cause_name(RC_RECORD_CAUSE_MISUSE)) f.misuse_case = fields[1];
    f.details.push_back(english([&] { return cause_text(record_, f, fields); }));
  }
  template <typename Compose> std::string english(Compose compose) {
    try {
      return compose();
    } catch (const FindingTextError &e) {
      fail(e.what());
    }
  }
  void read_COUNT() {
    Finding &f = open_finding();
    const std::string &name = fields_[1];
    if (name.empty() || name.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos)
      fail("invalid count name '" + name + "' (expected [a-z_]+)");
    if (f.count(name)) fail("duplicate count '" + name + "' in the finding");
    f.counts.push_back({name, u64(2, "count value")});
  }
  void read_THREAD_STAT() {
    Finding &f = open_finding();
    ThreadStat st;
    st.tid = thread_ref(fields_[1]);
    for (const ThreadStat &other : f.thread_stats)
      if (other.tid == st.tid)
        fail("duplicate `thread-stat` for thread " + std::to_string(st.tid) + " in the finding");
    st.acquisitions = u64(2, "acquisition count");
    st.bypasses = u64(3, "bypass count");
    st.longest_wait_steps = u64(4, "longest wait");
    f.thread_stats.push_back(st);
  }
  void read_FAULT() {
    Finding &f = open_finding();
    if (f.fault) fail("a finding has at most one `fault`");
    Fault fault;
    fault.pc = u64(1, "fault address");
    fault.module_base = u64(2, "module base");
    fault.module = fields_[3];
    fault.address = module_address(fault.module, fault.pc, fault.module_base);
    fault.frames = symbolize_address(fault.module, fault.address);
    f.fault = std::move(fault);
  }
  void read_END() {
    validate_finding(open_finding());
    in_finding_ = false;
  }
  void read_END_RECORD() {
    if (in_finding_)
      fail("`end-record` inside the finding opened at line " +
           std::to_string(record_.findings.back().line) + " (missing `end`)");
    saw_end_record_ = true;
  }

  void validate_finding(const Finding &f) {
    if (f.kind != FindingKind::DataRace) return;
    if (f.accesses.size() != 2 || f.accesses[0].role != AccessRole::Current ||
        f.accesses[1].role != AccessRole::Previous)
      fail("the data race opened at line " + std::to_string(f.line) +
           " needs exactly one `current` then one `previous` access");
  }

  HeldLock parse_held_lock(std::string_view text) {
    std::vector<std::string_view> parts;
    size_t start = 0;
    for (;;) {
      size_t colon = text.find(':', start);
      parts.push_back(text.substr(start, colon == std::string_view::npos ? std::string_view::npos
                                                                         : colon - start));
      if (colon == std::string_view::npos) break;
      start = colon + 1;
    }
    if (parts.size() != 4)
      fail("invalid held lock '" + std::string(text) +
           "' (expected lock_id:acquire_site_id:acquire_stack_id:mode)");
    HeldLock h;
    h.lock = id(parts[0], "lock id", false);
    if (!record_.locks.count(h.lock))
      fail("dangling lock id " + std::to_string(h.lock) +
           " (no `lock` entry with that id before this line)");
    h.acquire_site = site_ref(parts[1], "acquire site id");
    h.acquire_stack = stack_ref(parts[2], "acquire stack id");
    if (parts[3] == "w")
      h.exclusive = true;
    else if (parts[3] == "r")
      h.exclusive = false;
    else
      fail("invalid lock mode '" + std::string(parts[3]) + "' (expected w or r)");
    return h;
  }

  // A kind with optional fields names itself in the count message
  // ("`variable heap` needs 6 or 9 field(s)").
  Variable parse_variable() {
    Variable v;
    const std::string &kind = fields_[1];
#define RC_CHECK_KIND(id, kind_name, min, max, order)                                              \
  if (kind == kind_name) {                                                                         \
    expect_count(min == max ? std::string("variable") : "variable " + kind, min, max);             \
    v.kind = variable_kind(RC_RECORD_VARIABLE_##id);                                               \
  } else
    RC_RECORD_VARIABLE_KINDS(RC_CHECK_KIND)
#undef RC_CHECK_KIND
    fail("unknown variable kind '" + kind +
         "' (expected global, heap, stack, tls, fd, mapping or unknown)");
    switch (v.kind) {
      case VariableKind::Global:
        v.name = fields_[2];
        v.field = fields_[3];
        v.offset = u64(4, "offset");
        v.size = u64(5, "size");
        v.site = site_ref(fields_[6], "declaration site id");
        break;
      case VariableKind::Heap:
        v.offset = u64(2, "offset");
        v.size = u64(3, "size");
        v.tid = thread_ref(fields_[4], "allocating thread id", true);
        v.site = site_ref(fields_[5], "allocation site id");
        v.stack = stack_ref(fields_[6], "allocation stack id");
        if (fields_.size() == 10) {  // the block had already been freed
          v.freed = true;
          v.free_tid = thread_ref(fields_[7], "freeing thread id", true);
          v.free_site = site_ref(fields_[8], "free site id");
          v.free_stack = stack_ref(fields_[9], "free stack id");
        }
        break;
      case VariableKind::Stack:
      case VariableKind::Tls: v.tid = thread_ref(fields_[2]); break;
      case VariableKind::Fd: {
        v.fd = static_cast<int>(u32(2, "descriptor"));
        bool known = false;
        for (int k = 0; k < RC_RECORD_FD_KIND_COUNT; ++k)
          known = known || fields_[3] == rc_record_fd_kind_name(rc_record_fd_kind(k));
        if (!known) fail("unknown descriptor kind '" + fields_[3] + "'");
        v.fd_kind = fields_[3];
        v.tid = thread_ref(fields_[4], "creating thread id", true);
        v.site = site_ref(fields_[5], "creation site id");
        v.stack = stack_ref(fields_[6], "creation stack id");
        break;
      }
      case VariableKind::Mapping:
        v.name = fields_[2];
        v.offset = u64(3, "offset");
        v.size = u64(4, "size");
        v.tid = thread_ref(fields_[5], "mapping thread id", true);
        v.site = site_ref(fields_[6], "mmap site id");
        v.stack = stack_ref(fields_[7], "mmap stack id");
        break;
      case VariableKind::Unknown: break;
    }
    return v;
  }

  // Keys of racecheck/record_format.h; others are kept as they are.
  void parse_meta() {
    const std::string &key = fields_[1];
    const std::string &value = fields_[2];
    auto sval = [&] { return number<int64_t>(value, ("meta " + key).c_str()); };
    auto uval = [&] { return number<uint64_t>(value, ("meta " + key).c_str()); };
    Meta &m = record_.meta;
    switch (meta_key(key)) {
      case RC_RECORD_META_PROGRAM: m.program = value; break;
      case RC_RECORD_META_SEED: m.seed = uval(); break;
      case RC_RECORD_META_STRATEGY: m.strategy = value; break;
      case RC_RECORD_META_EXIT_STATUS: m.exit_status = sval(); break;
      case RC_RECORD_META_EXIT_SIGNAL: m.exit_signal = sval(); break;
      case RC_RECORD_META_THREADS: m.threads = uval(); break;
      case RC_RECORD_META_SCHEDULING_POINTS: m.scheduling_points = uval(); break;
      case RC_RECORD_META_SWITCHES: m.switches = uval(); break;
      case RC_RECORD_META_IO_LEAVES: m.io_leaves = uval(); break;
      case RC_RECORD_META_INSTRUMENTED_MODULES: m.instrumented_modules = uval(); break;
      case RC_RECORD_META_ABI_VERSION: m.abi_version = uval(); break;
      case RC_RECORD_META_PROCESS:
        if (!fork_path(value)) fail("meta process is not a fork path");
        m.process = value;
        break;
      case RC_RECORD_META_KEY_COUNT: m.other[key] = value; break;
    }
  }

  std::istream &in_;
  std::string source_;
  int line_ = 0;
  uint64_t bytes_ = 0;
  std::vector<std::string> fields_;
  Record record_;
  bool in_finding_ = false;
  bool saw_end_record_ = false;
};

}  // namespace

RecordError::RecordError(const std::string &source, int line, const std::string &message)
    : std::runtime_error(format_error(source, line, message)), line_(line), message_(message) {}

Record read_record(std::istream &in, const std::string &source_name) {
  return Parser(in, source_name).parse();
}

Record read_record_file(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw RecordError(path, 0, std::string("cannot open the record: ") + std::strerror(errno));
  return read_record(in, path);
}

}  // namespace racecheck
