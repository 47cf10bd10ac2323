/* runtime_fakes.c — minimal stand-ins for the scheduling half of the runtime
 * (owned elsewhere: init.c, scheduler.c, sync.c, raw_syscall.c), just enough
 * for the memory half to run inside the unit tests. The tests drive g_rt and
 * the rc_thread structs directly. */
#include "record/schedule.h"
#include "sched/strategy.h"
#include "test_fakes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* Every finding kept (the real sink, finding_sink.c, drops those beyond
 * max_findings). */
rc_runtime g_rt = {.options = {.max_findings = UINT64_MAX}};
__thread rc_thread *rc_self __attribute__((tls_model("initial-exec")));

uint64_t rc_fake_preempt_points;
rc_lock_info rc_fake_locks[RC_FAKE_MAX_LOCKS];
uint32_t rc_fake_n_locks;

void rc_fatal(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fputs("racecheck (fake): fatal: ", stderr);
  vfprintf(stderr, fmt, ap);
  fputc('\n', stderr);
  va_end(ap);
  abort();
}

void rc_preempt_point(void) {
  rc_fake_preempt_points++;
  if (g_rt.current) g_rt.current->budget = RC_FAKE_BUDGET;
}

/* No watchdog takes tokens in the memory-half tests. */
rc_thread *rc_token_not_held(void) { return 0; }

long rc_raw_syscall(long number, long a1, long a2, long a3, long a4, long a5, long a6) {
  long r = syscall(number, a1, a2, a3, a4, a5, a6);
  return r == -1 ? -(long)errno : r; /* kernel convention, like the real one */
}

void rc_write_stderr(const char *s) { fputs(s, stderr); }

uintptr_t rc_fake_freed_sync_ranges[RC_FAKE_MAX_FREED_RANGES][2];
uint32_t rc_fake_n_freed_sync_ranges;

/* The sync registry's functions, unless the test binary links the real
 * sync/sync.c (RC_TEST_REAL_SYNC). */
#ifndef RC_TEST_REAL_SYNC
void rc_sync_free_range(uintptr_t addr, size_t size) {
  if (rc_fake_n_freed_sync_ranges < RC_FAKE_MAX_FREED_RANGES) {
    rc_fake_freed_sync_ranges[rc_fake_n_freed_sync_ranges][0] = addr;
    rc_fake_freed_sync_ranges[rc_fake_n_freed_sync_ranges][1] = size;
  }
  rc_fake_n_freed_sync_ranges++;
}

const rc_lock_info *rc_lock_info_get(uint32_t lock_id) {
  return lock_id < rc_fake_n_locks ? &rc_fake_locks[lock_id] : 0;
}

/* sync.c's naming of a lock identity, for starvation.c: "mutex `m`" for a
 * named fake lock, as the real one writes it. */
void rc_sync_describe_lock(uint32_t lock_id, char *buf, size_t size) {
  const rc_lock_info *info = rc_lock_info_get(lock_id);
  if (info && info->name)
    snprintf(buf, size, "%s `%s`", info->kind_name, info->name);
  else
    snprintf(buf, size, "an unknown object");
}

#endif

const char *rc_op_name(rc_op_kind kind) {
  switch (kind) {
    case RC_OP_MUTEX_LOCK: return "mutex_lock";
    case RC_OP_THREAD_JOIN: return "thread_join";
    default: return "op";
  }
}

/* strategy_race_directed.c: no race-directed phase in the unit tests. */
bool rc_race_points_active;
void rc_race_access_point(rc_thread *t, const void *addr, const rc_site *site) {
  (void)t;
  (void)addr;
  (void)site;
}

/* race_points.c: a test that sets rc_access_points_active counts the
 * shared-access points instead of scheduling. */
bool rc_access_points_active;
uint64_t rc_fake_shared_access_points;
void rc_shared_access_point(rc_thread *t, const void *addr, const rc_site *site, bool write) {
  (void)t;
  (void)addr;
  (void)site;
  (void)write;
  rc_fake_shared_access_points++;
}

/* plain_spin.c: no lone spinner is ever watched in the unit tests. */
rc_thread *rc_plain_spin_watched;
void rc_plain_spin_access(rc_thread *t, const void *addr, uint32_t size, bool write,
                          const rc_site *site) {
  (void)t;
  (void)addr;
  (void)size;
  (void)write;
  (void)site;
}

/* schedule_switches.c's rule (it is not linked here), for the random walk's
 * tests: the thread that reached the point is enabled, does not give the
 * processor up on its own and is offered. */
bool rc_point_current_may_go_on(const rc_sched_point *point) {
  const rc_thread *t = point->threads[point->current];
  return t->status == RC_THREAD_ENABLED && !rc_op_is_voluntary_switch(t->pending.kind) &&
         rc_point_offers(point, point->current);
}
