/* sync/semaphore.c — the counting semaphore model under the scheduler.
 * A wait takes a permit or blocks until a post adds one; every post
 * releases into the semaphore's clock, which a successful wait acquires.
 * Permits are no held locks, but waiting for one is a wait the starvation
 * detector counts (sync/lock_events.h). */
#include "sync/lock_events.h"
#include "sync/misuse_checks.h"
#include "sync/models.h"
#include "intercept/memory_effects.h"

#include <errno.h>
#include <limits.h>
#include <semaphore.h> /* the object's bytes: init and destroy write, others read */

rc_sem *rc_sem_create(void *addr, int64_t value, const rc_site *site) {
  rc_sem *s = rc_sem_get(addr);
  s->value = value < 0 ? 0 : value;
  rc_sync_assign_identity(&s->hdr, "sem", site);
  return s;
}

int rc_sem_wait(rc_sem *s, uint64_t deadline, int busy_errno,
                const rc_site *site) {
  rc_thread *t = rc_self;
  void *addr = (void *)s->hdr.addr;
  uint32_t id = s->hdr.lock_id;
  rc_op_kind op = deadline == 1 ? RC_OP_SEM_TRYWAIT : RC_OP_SEM_WAIT;
  rc_libc_sync_object_read(addr, site);
  rc_schedule(op, addr, site);
  if (deadline != 1)
    rc_cancel_point(t); /* sem_wait and sem_timedwait are cancellation points */
  while (s->value == 0) {
    int error = rc_lock_retry(t, id, op, addr, deadline, busy_errno, site);
    if (error)
      return error;
    if (s->value > 0)
      continue;
    /* glibc: a handler ends the wait with EINTR, SA_RESTART or not. */
    bool interrupted = rc_signals_wait_interrupted(t) != RC_SIG_WAIT_NONE;
    if (t->timed_out || interrupted || rc_cancel_due(t)) {
      rc_lock_timed_out(t, id); /* the request ends unsatisfied */
      rc_cancel_point(t);
      return t->timed_out ? ETIMEDOUT : EINTR;
    }
  }
  s->value--;
  rc_hb_acquire(t, &s->clock);
  rc_sync_order_acquire(t, &s->order_clock, id);
  rc_lock_after(t, id, op, site, RC_HOLD_NONE);
  return 0;
}

int rc_sem_post(rc_sem *s, const rc_site *site) {
  rc_thread *t = rc_self;
  rc_libc_sync_object_read((void *)s->hdr.addr, site);
  rc_schedule(RC_OP_SEM_POST, (void *)s->hdr.addr, site);
  rc_check_sem_post(t, s, site);
  if (s->value >= INT_MAX) /* glibc's SEM_VALUE_MAX */
    return EOVERFLOW;
  rc_hb_release_join(t, &s->clock);
  rc_sync_order_release(t, &s->order_clock);
  s->value++;
  rc_unblock_all((void *)s->hdr.addr);
  return 0;
}
