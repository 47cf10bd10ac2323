/* record_writer.c — writes the run record (docs/record-format.md) at exit.
 *
 * Only what the record refers to is written: sites, stacks, locks and lock
 * sets reachable from the threads and the findings. Each gets a dense record
 * id in first-reference order (threads by tid, then findings in order), and
 * everything an entry refers to gets its id before the entry itself, so the
 * "referenced before referring" rule holds and the same run gives the same
 * record byte for byte. Stack 0 and lock set 0 are the empty ones and are not
 * written.
 *
 * Output goes through raw syscalls (never the intercepted write/open) from a
 * fixed buffer with hand-written number formatting, so it also works when
 * called while handling a fatal signal. */
#include "core/runtime.h"
#include "record/raw_writer.h"
#include "racecheck/record_format.h"
#include "sched/strategy.h"

#include <fcntl.h>
#include <string.h>
#include <sys/syscall.h>

/* ---- record fields ---- */

static rc_out g_out;

/* String field: `\` → `\\`, TAB → `\t`, newline → `\n`; nothing else. */
static void rc_out_escaped(rc_out *o, const char *s) {
  if (!s)
    return;
  for (; *s; s++) {
    switch (*s) {
    case '\\': rc_out_bytes(o, "\\\\", 2); break;
    case '\t': rc_out_bytes(o, "\\t", 2); break;
    case '\n': rc_out_bytes(o, "\\n", 2); break;
    default: rc_out_char(o, *s);
    }
  }
}

/* An entry's name, from the one table both writer and reader use. */
static void rc_entry(rc_out *o, enum rc_record_entry entry) {
  rc_out_str(o, rc_record_entry_name(entry));
}

/* Field separators: every field after the entry name starts with a TAB. */
static void rc_field_str(rc_out *o, const char *s) {
  rc_out_char(o, '\t');
  rc_out_escaped(o, s);
}
static void rc_field_i64(rc_out *o, int64_t v) {
  rc_out_char(o, '\t');
  rc_out_i64(o, v);
}
static void rc_field_u64(rc_out *o, uint64_t v) {
  rc_out_char(o, '\t');
  rc_out_u64(o, v);
}
static void rc_end_line(rc_out *o) { rc_out_char(o, '\n'); }

/* ---- dense record ids in first-reference order ---- */

typedef struct rc_id_table {
  rc_map index;   /* runtime key → record id + 1 */
  uint64_t *keys; /* by record id: the runtime key */
  uint32_t count, cap;
} rc_id_table;

typedef struct rc_record_ids {
  rc_id_table sites;    /* key: site pointer */
  rc_id_table stacks;   /* key: trie node id (never 0); record ids from 1 */
  rc_id_table locks;    /* key: lock id + 1 */
  rc_id_table locksets; /* key: lockset id (never 0); record ids from 1 */
} rc_record_ids;

static int64_t rc_id_lookup(rc_id_table *t, uint64_t key) {
  void **slot = rc_map_find(&t->index, key);
  return slot ? (int64_t)((uintptr_t)*slot - 1) : -1;
}

static uint32_t rc_id_assign(rc_id_table *t, uint64_t key, uint32_t first_id) {
  if (t->count == t->cap) {
    uint32_t cap = t->cap ? t->cap * 2 : 64;
    t->keys =
        rc_realloc(t->keys, t->cap * sizeof *t->keys, cap * sizeof *t->keys);
    t->cap = cap;
  }
  uint32_t id = first_id + t->count;
  t->keys[t->count++] = key;
  *rc_map_insert(&t->index, key) = (void *)((uintptr_t)id + 1);
  return id;
}

static int64_t rc_ref_site(rc_record_ids *ids, const rc_site *site) {
  if (!site)
    return -1;
  int64_t id = rc_id_lookup(&ids->sites, (uintptr_t)site);
  if (id >= 0)
    return id;
  rc_ref_site(ids, site->inlined_at); /* referenced site first */
  return rc_id_assign(&ids->sites, (uintptr_t)site, 0);
}

static int64_t rc_ref_stack(rc_record_ids *ids, rc_stack_id stack) {
  if (stack == 0)
    return 0;
  int64_t id = rc_id_lookup(&ids->stacks, stack);
  if (id >= 0)
    return id;
  for (rc_stack_id n = stack; n; n = rc_stack_node_get(n)->parent) {
    const rc_stack_node *node = rc_stack_node_get(n);
    rc_ref_site(ids, node->function);
    rc_ref_site(ids, node->call_site);
  }
  return rc_id_assign(&ids->stacks, stack, 1);
}

static int64_t rc_ref_lock(rc_record_ids *ids, uint32_t lock_id) {
  int64_t id = rc_id_lookup(&ids->locks, (uint64_t)lock_id + 1);
  if (id >= 0)
    return id;
  const rc_lock_info *info = rc_lock_info_get(lock_id);
  if (info) {
    rc_ref_site(ids, info->site);
    rc_ref_stack(ids, info->stack);
  }
  return rc_id_assign(&ids->locks, (uint64_t)lock_id + 1, 0);
}

static int64_t rc_ref_lockset(rc_record_ids *ids, rc_lockset_id set) {
  if (set == 0)
    return 0;
  int64_t id = rc_id_lookup(&ids->locksets, set);
  if (id >= 0)
    return id;
  uint32_t count;
  const rc_held_lock *held = rc_lockset_get_held(set, &count);
  for (uint32_t i = 0; i < count; i++) {
    rc_ref_lock(ids, held[i].lock_id);
    rc_ref_site(ids, held[i].site);
    rc_ref_stack(ids, held[i].stack);
  }
  return rc_id_assign(&ids->locksets, set, 1);
}

static void rc_collect_lock_edges(rc_record_ids *ids) {
  for (uint32_t i = 0; i < rc_lock_edge_count(); i++) {
    const rc_lock_edge *e = rc_lock_edge_get(i);
    rc_ref_lock(ids, e->held_lock);
    rc_ref_site(ids, e->held_site);
    rc_ref_stack(ids, e->held_stack);
    rc_ref_lock(ids, e->lock);
    rc_ref_site(ids, e->site);
    rc_ref_stack(ids, e->stack);
    rc_ref_lockset(ids, e->held_lockset);
  }
}

static void rc_collect(rc_record_ids *ids) {
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    const rc_thread *t = g_rt.threads[i];
    if (t && t->parent != UINT32_MAX) {
      rc_ref_site(ids, t->create_site);
      rc_ref_stack(ids, t->create_stack);
    }
  }
  for (const rc_finding *f = g_rt.findings; f; f = f->next) {
    if (f->kind == RC_FINDING_DATA_RACE) {
      for (int a = 0; a < 2; a++) {
        rc_ref_site(ids, f->accesses[a].site);
        rc_ref_stack(ids, f->accesses[a].stack);
        rc_ref_lockset(ids, f->accesses[a].lockset);
      }
      rc_ref_site(ids, f->variable.site);
      if (f->variable.kind == RC_VAR_FD || f->variable.kind == RC_VAR_MAPPING)
        rc_ref_stack(ids, f->variable.stack);
      if (f->variable.kind == RC_VAR_HEAP) {
        rc_ref_stack(ids, f->variable.stack);
        if (f->variable.freed) {
          rc_ref_site(ids, f->variable.free_site);
          rc_ref_stack(ids, f->variable.free_stack);
        }
      }
    }
    for (uint32_t w = 0; w < f->n_waiters && f->waiters; w++) {
      rc_ref_site(ids, f->waiters[w].site);
      rc_ref_stack(ids, f->waiters[w].stack);
      rc_ref_lockset(ids, f->waiters[w].lockset);
    }
  }
  /* lock-order edges (lock_order.c): the analyzer searches them for cycles */
  rc_collect_lock_edges(ids);
  /* What waiters wait for and the causes refer to comes last, so the ids
   * of everything else are those of records without these references. */
  for (const rc_finding *f = g_rt.findings; f; f = f->next) {
    for (uint32_t w = 0; w < f->n_waiters && f->waiters; w++) {
      const rc_waiter *wt = &f->waiters[w];
      if (wt->object == RC_RECORD_WAIT_LOCK)
        rc_ref_lock(ids, wt->object_id);
      if (f->cause.set && f->cause.kind == RC_RECORD_CAUSE_DEADLOCK &&
          wt->n_held)
        rc_ref_lock(ids, wt->first_held_lock);
    }
    if (f->cause.set)
      rc_ref_site(ids, f->cause.site);
    if (f->cause.set && f->cause.kind == RC_RECORD_CAUSE_MISUSE)
      for (uint32_t v = 1; v < 4; v += 2) /* LOCK and OTHER_LOCK */
        if (f->cause.values[v] != UINT32_MAX)
          rc_ref_lock(ids, (uint32_t)f->cause.values[v]);
  }
  for (uint32_t i = 0; i < rc_sync_order_clock_count(); i++) {
    uint32_t via;
    rc_sync_order_clock_get(i, &via);
    if (via != UINT32_MAX)
      rc_ref_lock(ids, via);
  }
}

/* ---- entries ---- */

/* The record's spelling of a finding kind (racecheck/record_format.h). */
static const char *rc_finding_kind_name(rc_finding_kind kind) {
  enum rc_record_finding_kind name = RC_RECORD_FINDING_CRASH;
  switch (kind) {
  case RC_FINDING_DATA_RACE: name = RC_RECORD_FINDING_DATA_RACE; break;
  case RC_FINDING_DEADLOCK: name = RC_RECORD_FINDING_DEADLOCK; break;
  case RC_FINDING_LOCK_ORDER_CYCLE:
    name = RC_RECORD_FINDING_LOCK_ORDER_CYCLE;
    break;
  case RC_FINDING_LIVELOCK: name = RC_RECORD_FINDING_LIVELOCK; break;
  case RC_FINDING_STARVATION: name = RC_RECORD_FINDING_STARVATION; break;
  case RC_FINDING_CRASH: name = RC_RECORD_FINDING_CRASH; break;
  case RC_FINDING_HANG: name = RC_RECORD_FINDING_HANG; break;
  case RC_FINDING_MISUSE: name = RC_RECORD_FINDING_MISUSE; break;
  }
  return rc_record_finding_kind_name(name);
}

static const char *rc_lock_kind_name(rc_sync_kind kind) {
  switch (kind) {
  case RC_SYNC_MUTEX: return "mutex";
  case RC_SYNC_RWLOCK: return "rwlock";
  case RC_SYNC_COND: return "cond";
  case RC_SYNC_SEM: return "sem";
  case RC_SYNC_BARRIER: return "barrier";
  case RC_SYNC_ONCE: return "once";
  case RC_SYNC_GUARD: return "guard";
  case RC_SYNC_ATOMIC: return "atomic";
  case RC_SYNC_FUTEX: return "futex";
  }
  return "mutex";
}

static void rc_meta_str(rc_out *o, enum rc_record_meta_key key,
                        const char *value) {
  rc_entry(o, RC_RECORD_META);
  rc_field_str(o, rc_record_meta_key_name(key));
  rc_field_str(o, value);
  rc_end_line(o);
}

static void rc_meta_i64(rc_out *o, enum rc_record_meta_key key, int64_t value) {
  rc_entry(o, RC_RECORD_META);
  rc_field_str(o, rc_record_meta_key_name(key));
  rc_field_i64(o, value);
  rc_end_line(o);
}

/* argv[0] from /proc/self/cmdline when init.c did not provide it. */
static const char *rc_program_name(char *buf, size_t size) {
  if (g_rt.program)
    return g_rt.program;
  buf[0] = 0;
  long fd = rc_raw_syscall(SYS_openat, AT_FDCWD, (long)"/proc/self/cmdline",
                           O_RDONLY | O_CLOEXEC, 0, 0, 0);
  if (fd < 0)
    return buf;
  long n = rc_raw_syscall(SYS_read, fd, (long)buf, (long)size - 1, 0, 0, 0);
  rc_raw_syscall(SYS_close, fd, 0, 0, 0, 0, 0);
  buf[n > 0 ? n : 0] = 0; /* argv[0] ends at the first NUL */
  return buf;
}

static void rc_write_meta(rc_out *o, int exit_status, int exit_signal) {
  char program[1024];
  rc_meta_str(o, RC_RECORD_META_PROGRAM,
              rc_program_name(program, sizeof program));
  rc_meta_i64(o, RC_RECORD_META_SEED, (int64_t)g_rt.options.seed);
  const char *strategy = g_rt.strategy && g_rt.strategy->name
                             ? g_rt.strategy->name
                             : g_rt.options.strategy;
  rc_meta_str(o, RC_RECORD_META_STRATEGY, strategy ? strategy : "");
  rc_meta_i64(o, RC_RECORD_META_EXIT_STATUS, exit_status);
  rc_meta_i64(o, RC_RECORD_META_EXIT_SIGNAL, exit_signal);
  rc_meta_i64(o, RC_RECORD_META_THREADS, g_rt.n_threads);
  rc_meta_i64(o, RC_RECORD_META_SCHEDULING_POINTS, (int64_t)g_rt.steps);
  rc_meta_i64(o, RC_RECORD_META_SWITCHES, (int64_t)g_rt.switches);
  rc_meta_i64(o, RC_RECORD_META_IO_LEAVES, (int64_t)g_rt.io_leaves);
  rc_meta_i64(o, RC_RECORD_META_INSTRUMENTED_MODULES,
              g_rt.instrumented_modules);
  rc_meta_i64(o, RC_RECORD_META_ABI_VERSION, RACECHECK_ABI_VERSION);
  if (g_rt.process[0]) /* a forked child's record */
    rc_meta_str(o, RC_RECORD_META_PROCESS, g_rt.process);
}

static int64_t rc_site_id(rc_record_ids *ids, const rc_site *site) {
  return site ? rc_id_lookup(&ids->sites, (uintptr_t)site) : -1;
}

static void rc_write_sites(rc_out *o, rc_record_ids *ids) {
  for (uint32_t i = 0; i < ids->sites.count; i++) {
    const rc_site *s = (const rc_site *)(uintptr_t)ids->sites.keys[i];
    rc_entry(o, RC_RECORD_SITE);
    rc_field_u64(o, i);
    rc_field_str(o, s->file);
    rc_field_str(o, s->function);
    rc_field_u64(o, s->line);
    rc_field_u64(o, s->column);
    rc_field_i64(o, rc_site_id(ids, s->inlined_at));
    rc_end_line(o);
  }
}

static void rc_write_stacks(rc_out *o, rc_record_ids *ids) {
  for (uint32_t i = 0; i < ids->stacks.count; i++) {
    rc_entry(o, RC_RECORD_STACK);
    rc_field_u64(o, i + 1);
    for (rc_stack_id n = (rc_stack_id)ids->stacks.keys[i]; n;
         n = rc_stack_node_get(n)->parent) {
      const rc_stack_node *node = rc_stack_node_get(n);
      rc_out_char(o, '\t');
      rc_out_i64(o, rc_site_id(ids, node->function));
      rc_out_char(o, ':');
      rc_out_i64(o, rc_site_id(ids, node->call_site));
    }
    rc_end_line(o);
  }
}

static void rc_write_threads(rc_out *o, rc_record_ids *ids) {
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    const rc_thread *t = g_rt.threads[i];
    if (!t)
      continue;
    bool root = t->parent == UINT32_MAX;
    rc_entry(o, RC_RECORD_THREAD);
    rc_field_u64(o, t->tid);
    rc_field_i64(o, root ? -1 : (int64_t)t->parent);
    rc_field_i64(o, root ? -1 : rc_site_id(ids, t->create_site));
    rc_field_i64(o, root ? -1 : rc_ref_stack(ids, t->create_stack));
    rc_end_line(o);
  }
}

static void rc_write_locks(rc_out *o, rc_record_ids *ids) {
  for (uint32_t i = 0; i < ids->locks.count; i++) {
    uint32_t lock_id = (uint32_t)(ids->locks.keys[i] - 1);
    const rc_lock_info *info = rc_lock_info_get(lock_id);
    rc_entry(o, RC_RECORD_LOCK);
    rc_field_u64(o, i);
    const char *kind = !info             ? "mutex"
                       : info->kind_name ? info->kind_name
                                         : rc_lock_kind_name(info->kind);
    rc_field_str(o, kind);
    rc_field_str(o, info ? info->name : 0);
    rc_field_i64(o, info ? rc_site_id(ids, info->site) : -1);
    rc_field_i64(o, info ? rc_ref_stack(ids, info->stack) : -1);
    rc_field_i64(o, info ? (int64_t)info->creator : -1);
    rc_field_u64(o, info ? info->ordinal : 0);
    rc_end_line(o);
  }
}

static void rc_write_locksets(rc_out *o, rc_record_ids *ids) {
  for (uint32_t i = 0; i < ids->locksets.count; i++) {
    uint32_t count;
    const rc_held_lock *held =
        rc_lockset_get_held((rc_lockset_id)ids->locksets.keys[i], &count);
    rc_entry(o, RC_RECORD_LOCKSET);
    rc_field_u64(o, i + 1);
    for (uint32_t k = 0; k < count; k++) {
      rc_out_char(o, '\t');
      rc_out_i64(o, rc_ref_lock(ids, held[k].lock_id));
      rc_out_char(o, ':');
      rc_out_i64(o, rc_site_id(ids, held[k].site));
      rc_out_char(o, ':');
      rc_out_i64(o, rc_ref_stack(ids, held[k].stack));
      rc_out_char(o, ':');
      rc_out_char(o, held[k].write ? 'w' : 'r');
    }
    rc_end_line(o);
  }
}

/* By tid, up to the last thread it knows of: an entry is its clock slot's
 * (rc_clock_slots), which orders a thread's own epochs exactly. */
static void rc_write_clock(rc_out *o, const rc_vc *vc) {
  uint32_t n = 0;
  for (uint32_t t = 0; t < g_rt.n_threads || t < vc->n; t++)
    if (rc_vc_get(vc, t))
      n = t + 1;
  for (uint32_t t = 0; t < n; t++)
    rc_field_u64(o, rc_vc_get(vc, t));
  rc_end_line(o);
}

/* `fork-join-clock`, `sync-order-clock` and `lock-edge` entries
 * (docs/record-format.md). */
static void rc_write_lock_order(rc_out *o, rc_record_ids *ids) {
  for (uint32_t i = 0; i < rc_fork_join_clock_count(); i++) {
    rc_entry(o, RC_RECORD_FORK_JOIN_CLOCK);
    rc_field_u64(o, i);
    rc_write_clock(o, rc_fork_join_clock_get(i));
  }
  for (uint32_t i = 0; i < rc_sync_order_clock_count(); i++) {
    uint32_t via;
    const rc_vc *vc = rc_sync_order_clock_get(i, &via);
    rc_entry(o, RC_RECORD_SYNC_ORDER_CLOCK);
    rc_field_u64(o, i);
    rc_field_i64(o, via == UINT32_MAX ? -1 : rc_ref_lock(ids, via));
    rc_write_clock(o, vc);
  }
  static const char *const wait_names[] = {"block", "try", "timed"};
  for (uint32_t i = 0; i < rc_lock_edge_count(); i++) {
    const rc_lock_edge *e = rc_lock_edge_get(i);
    rc_entry(o, RC_RECORD_LOCK_EDGE);
    rc_field_u64(o, e->tid);
    rc_field_i64(o, rc_ref_lock(ids, e->held_lock));
    rc_field_i64(o, rc_site_id(ids, e->held_site));
    rc_field_i64(o, rc_ref_stack(ids, e->held_stack));
    rc_field_str(o, e->held_write ? "w" : "r");
    rc_field_i64(o, rc_ref_lock(ids, e->lock));
    rc_field_i64(o, rc_site_id(ids, e->site));
    rc_field_i64(o, rc_ref_stack(ids, e->stack));
    rc_field_str(o, e->write ? "w" : "r");
    rc_field_str(o, wait_names[e->wait]);
    rc_field_i64(o, rc_ref_lockset(ids, e->held_lockset));
    rc_field_u64(o, e->fork_join_clock);
    rc_field_i64(o, e->sync_order_clock == UINT32_MAX
                        ? -1
                        : (int64_t)e->sync_order_clock);
    rc_end_line(o);
  }
}

static void rc_write_access(rc_out *o, rc_record_ids *ids, const char *role,
                            const rc_access *a) {
  rc_entry(o, RC_RECORD_ACCESS);
  rc_field_str(o, role);
  rc_field_u64(o, a->tid);
  rc_field_str(o, a->write ? "write" : "read");
  rc_field_u64(o, a->atomic ? 1 : 0);
  rc_field_u64(o, a->size);
  rc_field_i64(o, rc_site_id(ids, a->site));
  rc_field_i64(o, rc_ref_stack(ids, a->stack));
  rc_field_i64(o, rc_ref_lockset(ids, a->lockset));
  rc_end_line(o);
}

static void rc_write_variable(rc_out *o, rc_record_ids *ids,
                              const rc_variable *v) {
  rc_entry(o, RC_RECORD_VARIABLE);
  switch (v->kind) {
  case RC_VAR_GLOBAL:
    rc_field_str(o, rc_record_variable_kind_name(RC_RECORD_VARIABLE_GLOBAL));
    rc_field_str(o, v->name);
    rc_field_str(o, v->field);
    rc_field_u64(o, v->offset);
    rc_field_u64(o, v->size);
    rc_field_i64(o, rc_site_id(ids, v->site));
    break;
  case RC_VAR_HEAP:
    rc_field_str(o, rc_record_variable_kind_name(RC_RECORD_VARIABLE_HEAP));
    rc_field_u64(o, v->offset);
    rc_field_u64(o, v->size);
    rc_field_u64(o, v->tid);
    rc_field_i64(o, rc_site_id(ids, v->site));
    rc_field_i64(o, rc_ref_stack(ids, v->stack));
    if (v->freed) { /* optional trailing fields: the block was freed */
      rc_field_u64(o, v->free_tid);
      rc_field_i64(o, rc_site_id(ids, v->free_site));
      rc_field_i64(o, rc_ref_stack(ids, v->free_stack));
    }
    break;
  case RC_VAR_STACK:
    rc_field_str(o, rc_record_variable_kind_name(RC_RECORD_VARIABLE_STACK));
    rc_field_u64(o, v->tid);
    break;
  case RC_VAR_TLS:
    rc_field_str(o, rc_record_variable_kind_name(RC_RECORD_VARIABLE_TLS));
    rc_field_u64(o, v->tid);
    break;
  case RC_VAR_FD:
    rc_field_str(o, rc_record_variable_kind_name(RC_RECORD_VARIABLE_FD));
    rc_field_u64(o, (uint64_t)v->fd);
    rc_field_str(o, rc_record_fd_kind_name(v->fd_kind));
    rc_field_i64(o, v->tid == UINT32_MAX ? -1 : (int64_t)v->tid);
    rc_field_i64(o, rc_site_id(ids, v->site));
    rc_field_i64(o, rc_ref_stack(ids, v->stack));
    break;
  case RC_VAR_MAPPING:
    rc_field_str(o, rc_record_variable_kind_name(RC_RECORD_VARIABLE_MAPPING));
    rc_field_str(o, v->name ? v->name : "");
    rc_field_u64(o, v->offset);
    rc_field_u64(o, v->size);
    rc_field_u64(o, v->tid);
    rc_field_i64(o, rc_site_id(ids, v->site));
    rc_field_i64(o, rc_ref_stack(ids, v->stack));
    break;
  case RC_VAR_UNKNOWN:
  default:
    rc_field_str(o, rc_record_variable_kind_name(RC_RECORD_VARIABLE_UNKNOWN));
    break;
  }
  rc_end_line(o);
}

/* A waiter's OBJECT: "KIND" or "KIND:VALUE" (racecheck/record_format.h). */
static void rc_field_wait_object(rc_out *o, rc_record_ids *ids,
                                 const rc_waiter *w) {
  rc_field_str(o, rc_record_wait_object_name(w->object));
  switch (w->object) {
  case RC_RECORD_WAIT_LOCK:
    rc_out_char(o, ':');
    rc_out_i64(o, rc_ref_lock(ids, w->object_id));
    break;
  case RC_RECORD_WAIT_THREAD:
  case RC_RECORD_WAIT_SIGNAL:
  case RC_RECORD_WAIT_SYSCALL:
    rc_out_char(o, ':');
    rc_out_u64(o, w->object_id);
    break;
  default:
    if (w->object_name) {
      rc_out_char(o, ':');
      rc_out_escaped(o, w->object_name);
    }
  }
}

/* The `cause` entry: its row's fields in racecheck/record_format.h. */
static void rc_write_cause(rc_out *o, rc_record_ids *ids, const rc_finding *f) {
  const rc_cause *c = &f->cause;
  rc_entry(o, RC_RECORD_CAUSE);
  rc_field_str(o, rc_record_cause_name(c->kind));
  switch (c->kind) {
  case RC_RECORD_CAUSE_DEADLOCK:
    rc_field_str(o, rc_record_deadlock_headline_name(c->headline));
    for (uint32_t w = 0; w < f->n_waiters && f->waiters; w++) {
      const rc_waiter *wt = &f->waiters[w];
      rc_field_u64(o, wt->tid);
      rc_out_char(o, ':');
      rc_out_i64(o, wt->has_holder ? (int64_t)wt->holder : -1);
      rc_out_char(o, ':');
      rc_out_i64(o, wt->n_held ? rc_ref_lock(ids, wt->first_held_lock) : -1);
      rc_out_char(o, ':');
      rc_out_u64(o, wt->n_held);
    }
    break;
  case RC_RECORD_CAUSE_MAX_STEPS:
    rc_field_u64(o, c->values[0]);
    if (c->site) {
      rc_field_u64(o, c->values[1]);
      rc_field_i64(o, rc_site_id(ids, c->site));
      rc_field_u64(o, c->values[2]);
    }
    break;
  case RC_RECORD_CAUSE_LIVELOCK:
    rc_field_u64(o, c->values[0]);
    rc_field_u64(o, c->values[1]);
    break;
  case RC_RECORD_CAUSE_SPIN:
    rc_field_u64(o, c->tid);
    rc_field_i64(o, rc_site_id(ids, c->site));
    for (uint32_t v = 0; v < c->n_values; v++)
      rc_field_u64(o, c->values[v]);
    break;
  case RC_RECORD_CAUSE_KERNEL_WAIT: rc_field_u64(o, c->values[0]); break;
  case RC_RECORD_CAUSE_STARVATION:
    rc_field_u64(o, c->tid);
    for (uint32_t v = 0; v < 3; v++)
      rc_field_u64(o, c->values[v]);
    break;
  case RC_RECORD_CAUSE_STACK_OVERFLOW: rc_field_u64(o, c->tid); break;
  case RC_RECORD_CAUSE_TERMINATED:
  case RC_RECORD_CAUSE_WATCHDOG:
  case RC_RECORD_CAUSE_SIGNAL: /* the thread, a number, the reason */
    rc_field_u64(o, c->tid);
    rc_field_u64(o, c->values[0]);
    if (c->kind == RC_RECORD_CAUSE_TERMINATED)
      rc_field_str(o, c->text);
    break;
  case RC_RECORD_CAUSE_MISUSE: /* values: case, lock, holder, other lock */
    rc_field_str(o, rc_record_misuse_case_name(c->values[0]));
    rc_field_u64(o, c->tid);
    for (uint32_t v = 1; v < 4; v++)
      rc_field_i64(o, c->values[v] == UINT32_MAX ? -1
                      : v == 2                   ? (int64_t)c->values[v]
                               : rc_ref_lock(ids, (uint32_t)c->values[v]));
    break;
  case RC_RECORD_CAUSE_COUNT: break;
  }
  rc_end_line(o);
}

static void rc_write_finding(rc_out *o, rc_record_ids *ids,
                             const rc_finding *f) {
  rc_entry(o, RC_RECORD_FINDING);
  rc_field_str(o, rc_finding_kind_name(f->kind));
  rc_end_line(o);
  if (f->kind == RC_FINDING_DATA_RACE) {
    rc_write_access(o, ids, "current", &f->accesses[0]);
    rc_write_access(o, ids, "previous", &f->accesses[1]);
    rc_write_variable(o, ids, &f->variable);
  }
  for (uint32_t w = 0; w < f->n_waiters && f->waiters; w++) {
    const rc_waiter *wt = &f->waiters[w];
    rc_entry(o, RC_RECORD_WAITER);
    rc_field_u64(o, wt->tid);
    rc_field_str(o, rc_op_name(wt->op));
    rc_field_wait_object(o, ids, wt);
    rc_field_i64(o, rc_site_id(ids, wt->site));
    rc_field_i64(o, rc_ref_stack(ids, wt->stack));
    if (wt->lockset) /* optional sixth field: the locks the waiter holds */
      rc_field_i64(o, rc_ref_lockset(ids, wt->lockset));
    rc_end_line(o);
  }
  if (f->cause.set)
    rc_write_cause(o, ids, f);
  /* livelock / starvation evidence: named numbers, then the per-thread
   * table of the starved resource */
  for (uint32_t c = 0; c < f->n_counts && c < RC_FINDING_MAX_COUNTS; c++) {
    rc_entry(o, RC_RECORD_COUNT);
    rc_field_str(o, f->counts[c].name);
    rc_field_u64(o, f->counts[c].value);
    rc_end_line(o);
  }
  for (uint32_t s = 0; s < f->n_thread_stats && f->thread_stats; s++) {
    const rc_thread_stat *st = &f->thread_stats[s];
    rc_entry(o, RC_RECORD_THREAD_STAT);
    rc_field_u64(o, st->tid);
    rc_field_u64(o, st->acquisitions);
    rc_field_u64(o, st->bypasses);
    rc_field_u64(o, st->longest_wait_steps);
    rc_end_line(o);
  }
  if (f->fault_pc && f->fault_module) {
    rc_entry(o, RC_RECORD_FAULT);
    rc_field_u64(o, f->fault_pc);
    rc_field_u64(o, f->fault_module_base);
    rc_field_str(o, f->fault_module);
    rc_end_line(o);
  }
  rc_entry(o, RC_RECORD_END);
  rc_end_line(o);
}

void rc_write_record(int exit_status, int exit_signal) {
  const char *path = g_rt.options.record;
  if (!path || !path[0])
    return;
  rc_out *o = &g_out;
  if (!rc_out_open(o, path, 0)) {
    rc_write_stderr("racecheck: cannot open the run record file\n");
    return;
  }
  rc_record_ids *ids = rc_alloc(sizeof *ids);
  rc_collect(ids);
  rc_out_str(o, RC_RECORD_FORMAT_NAME "\t");
  rc_out_u64(o, RC_RECORD_FORMAT_VERSION);
  rc_end_line(o);
  rc_write_meta(o, exit_status, exit_signal);
  rc_write_sites(o, ids);
  rc_write_stacks(o, ids);
  rc_write_threads(o, ids);
  rc_write_locks(o, ids);
  rc_write_locksets(o, ids);
  rc_write_lock_order(o, ids);
  for (const rc_finding *f = g_rt.findings; f; f = f->next)
    rc_write_finding(o, ids, f);
  rc_entry(o, RC_RECORD_END_RECORD);
  rc_end_line(o);
  if (!rc_out_close(o))
    rc_write_stderr("racecheck: writing the run record failed\n");
}
