/* schedule_switches.c — the thread switches of a run, identified so that
 * they survive changes elsewhere in the schedule (schedule.h): by the
 * thread that reached the point, its operation, the operation's site text
 * and the occurrence of that (thread, operation, site) — never by global
 * step numbers, which shift as soon as an earlier switch is removed. This
 * is what makes schedule shrinking (explore/schedule_shrinker.cpp) work: a
 * preemption kept in the guide still fires at "T1's 3rd mutex_lock at
 * a.c:12:5" after the ones before it were dropped.
 *
 * Occurrences are counted in a map keyed by a 64-bit hash of (thread,
 * operation, site text); a collision would merge two counters, which only
 * makes a guided run depart from the guide (the shrinker then rejects the
 * candidate), never a wrong report. */
#include "sched/strategy.h"
#include "sched/kept_point.h"
#include "sched/scheduler.h"
#include "record/schedule.h"
#include "record/raw_writer.h"
#include "racecheck/text_encoding.h"

#include <string.h>

static rc_map occurrence_counts; /* point key (occurrence 0) -> counter */
static rc_map site_hashes;       /* site pointer -> text hash */
static uint64_t point_occurrence;
static uint64_t preemptions;
static uint64_t n_log; /* switches spooled (schedule_writer.c) */

/* FNV-1a (racecheck/text_encoding.h), as the analyzer's fingerprints. */
static uint64_t fnv1a_u32(uint64_t hash, uint32_t v) {
  char digits[RC_DECIMAL_U64_MAX];
  return rc_fnv1a64(hash, digits, rc_decimal_u64(digits, v));
}

uint64_t rc_site_text_hash(const char *file, uint32_t line, uint32_t column) {
  uint64_t hash = RC_FNV1A64_OFFSET_BASIS;
  if (!file || !*file)
    return rc_fnv1a64(hash, "-", 1);
  hash = rc_fnv1a64(hash, file, strlen(file));
  hash = rc_fnv1a64(hash, ":", 1);
  hash = fnv1a_u32(hash, line);
  hash = rc_fnv1a64(hash, ":", 1);
  return fnv1a_u32(hash, column);
}

uint64_t rc_site_pointer_hash(const rc_site *site) {
  if (!site || !site->file || !site->file[0])
    return rc_site_text_hash(0, 0, 0);
  void **slot = rc_map_find(&site_hashes, (uint64_t)(uintptr_t)site);
  if (slot)
    return (uint64_t)(uintptr_t)*slot;
  uint64_t hash = rc_site_text_hash(site->file, site->line, site->column);
  *rc_map_insert(&site_hashes, (uint64_t)(uintptr_t)site) =
      (void *)(uintptr_t)hash;
  return hash;
}

uint64_t rc_point_key(rc_tid tid, rc_op_kind op, uint64_t site_hash,
                      uint64_t occurrence) {
  uint64_t key = rc_hash64(site_hash ^ rc_hash64(((uint64_t)tid << 8) | op));
  key = rc_hash64(key ^ occurrence);
  return key ? key : 1; /* 0 marks empty map slots */
}

/* The counters live in blocks that never move (the map's slots do when it
 * grows), so that each thread can keep pointers to the counters of the
 * points it reaches most: a loop reaches the same few (operation, site)
 * points over and over, and a kept point then costs two compares and an
 * increment instead of two hashes and a map probe. */
#define RC_COUNT_BLOCK 512
static uint64_t *count_block;
static uint32_t count_block_used = RC_COUNT_BLOCK;

static uint64_t *new_counter(void) {
  if (count_block_used == RC_COUNT_BLOCK) {
    count_block = rc_alloc(RC_COUNT_BLOCK * sizeof *count_block);
    count_block_used = 0;
  }
  uint64_t *counter = &count_block[count_block_used++];
  *counter = 0;
  return counter;
}

/* The counter of (thread, operation, site) through the map. */
static uint64_t *point_counter(rc_tid tid, rc_op_kind op, const rc_site *site) {
  uint64_t key = rc_point_key(tid, op, rc_site_pointer_hash(site), 0);
  void **slot = rc_map_find(&occurrence_counts, key);
  if (!slot) {
    slot = rc_map_insert(&occurrence_counts, key);
    *slot = new_counter();
  }
  return *slot;
}

void rc_switches_note_point(rc_thread *current) {
  /* The cache is per thread, so (site pointer, operation) is its whole key:
   * the map's key is (tid, operation, text hash of the site), and the text
   * hash is a function of the site pointer. */
  rc_op_kind op = rc_point_op(current->pending.kind);
  const rc_site *site = current->pending.site;
  uint64_t *count = rc_point_counter_cached(current, op, site);
  if (RC_UNLIKELY(!count)) {
    rc_point_count_entry *e = rc_point_counter_slot(current, op, site);
    e->site = site;
    e->op = op;
    e->count = count = point_counter(current->tid, op, site);
  }
  point_occurrence = ++*count;
}

uint64_t rc_switches_point_occurrence(void) { return point_occurrence; }

bool rc_point_current_may_go_on(const rc_sched_point *point) {
  const rc_thread *t = point->threads[point->current];
  return t->status == RC_THREAD_ENABLED &&
         !rc_op_is_voluntary_switch(t->pending.kind) &&
         rc_point_offers(point, point->current);
}

void rc_switches_note_choice(rc_thread *current, rc_tid chosen,
                             bool could_go_on) {
  if (chosen == current->tid)
    return;
  rc_switch_kind kind = could_go_on ? RC_SWITCH_PREEMPT : RC_SWITCH_HANDOFF;
  if (kind == RC_SWITCH_PREEMPT)
    preemptions++;
  n_log++;
  rc_out *o = rc_schedule_spool(RC_SCHEDULE_SECTION_SWITCHES);
  if (!o)
    return;
  char op[48];
  rc_out_str(o, kind == RC_SWITCH_PREEMPT ? RC_GUIDE_PREEMPT " T"
                                          : RC_GUIDE_HANDOFF " T");
  rc_out_u64(o, current->tid);
  rc_out_str(o, " ");
  rc_out_str(o, rc_op_token(rc_point_op(current->pending.kind), op, sizeof op));
  rc_out_str(o, " ");
  rc_schedule_write_site(o, current->pending.site, true);
  rc_out_str(o, " ");
  rc_out_u64(o, point_occurrence);
  rc_out_str(o, " T");
  rc_out_u64(o, chosen);
  rc_out_str(o, "\n");
}

uint64_t rc_switches_preemptions(void) { return preemptions; }

void rc_switches_write(rc_out *o) {
  rc_out_str(o, RC_SCHEDULE_KEY_SWITCHES " ");
  rc_out_u64(o, n_log);
  rc_out_str(o, "\n# kind thread operation site occurrence switched-to\n");
}
