/* sync/once.c — run-once models under the scheduler: pthread_once
 * (std::call_once reaches it in libstdc++ 12) and function-local statics
 * (Itanium C++ ABI guard variables, __cxa_guard_*). One thread runs the
 * initialiser; the others block until it is done, then acquire what it
 * released. An initialiser that waits for itself is a deadlock. */
#include "sync/models.h"

typedef struct once_run {
  rc_once *once;
  bool finished;
} once_run;

/* Runs also when the initialiser throws: the once is not done then, and
 * one of the waiters runs it next (as pthread_once specifies). */
static void once_end(once_run *run) {
  if (run->finished || !rc_self)
    return;
  run->once->state = RC_ONCE_NOT_RUN;
  run->once->owner = 0;
  /* The next runner sees what the failed attempt did (glibc's once is a
   * lock for the initialiser's duration). */
  rc_hb_release(rc_self, &run->once->clock);
  rc_unblock_all((void *)run->once->hdr.addr);
}

bool rc_once_run(void *control, bool done_before, void (*init)(void),
                 const rc_site *site) {
  rc_thread *t = rc_self;
  rc_once *o = rc_once_find(control);
  if (!o) {
    o = rc_once_get(control);
    o->state = done_before ? RC_ONCE_DONE : RC_ONCE_NOT_RUN;
    rc_sync_assign_identity(&o->hdr, "once", site);
  }
  rc_schedule(RC_OP_ONCE, control, site);
  while (o->state != RC_ONCE_NOT_RUN) {
    if (o->state == RC_ONCE_DONE) {
      rc_hb_acquire(t, &o->clock);
      return false;
    }
    rc_block_current(control, site);
    if (o->owner == t)
      rc_report_deadlock(RC_RECORD_HEADLINE_ONCE_SELF);
    rc_schedule(RC_OP_ONCE, control, site);
  }
  o->state = RC_ONCE_RUNNING;
  o->owner = t;
  rc_hb_acquire(t, &o->clock); /* from an earlier attempt that threw */
  {
    __attribute__((cleanup(once_end))) once_run run = {o, false};
    init();
    run.finished = true;
  }
  o->state = RC_ONCE_DONE;
  o->owner = 0;
  rc_hb_release(t, &o->clock);
  rc_unblock_all(control);
  return true;
}

/* ---- guards ----
 * The inline fast path is an (instrumented) acquire load of the guard's
 * first byte; so release stores 1 there and publishes on that address's
 * atomic clock. */
static bool guard_done(const void *guard) {
  return __atomic_load_n((volatile const char *)guard, __ATOMIC_ACQUIRE);
}

bool rc_guard_acquire(void *guard, const rc_site *site) {
  rc_thread *t = rc_self;
  rc_once *g = rc_guard_get(guard);
  if (g->hdr.lock_id == UINT32_MAX)
    rc_sync_assign_identity(&g->hdr, "guard", site);
  rc_schedule(RC_OP_GUARD_ACQUIRE, guard, site);
  for (;;) {
    if (guard_done(guard)) {
      rc_hb_acquire(t, rc_atomic_clock(guard));
      return false;
    }
    if (!g->owner)
      break;
    rc_block_current(guard, site);
    if (g->owner == t)
      rc_report_deadlock(RC_RECORD_HEADLINE_GUARD_SELF);
    rc_schedule(RC_OP_GUARD_ACQUIRE, guard, site);
  }
  g->owner = t;
  rc_hb_acquire(t, &g->clock); /* from an earlier attempt that aborted */
  return true;
}

void rc_guard_release(rc_once *g) {
  void *guard = (void *)g->hdr.addr;
  rc_hb_release(rc_self, rc_atomic_clock(guard));
  __atomic_store_n((volatile char *)guard, 1, __ATOMIC_RELEASE);
  g->owner = 0;
  rc_unblock_all(guard);
}

void rc_guard_abort(rc_once *g) {
  rc_hb_release(rc_self, &g->clock);
  g->owner = 0;
  rc_unblock_all((void *)g->hdr.addr);
}
