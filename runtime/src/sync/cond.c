/* sync/cond.c — the condition variable model under the scheduler.
 *
 * wait = release the mutex, block until signalled (or until the virtual
 * deadline passes, or — for a timed wait — until nothing else can run), then
 * re-acquire the mutex as an ordinary acquisition. signal wakes the
 * longest-waiting thread, broadcast all of them; each carries a
 * happens-before edge from the signaller. A wait that nobody will ever
 * signal ends in a deadlock finding (lost wake-up) instead of a hang. */
#include "sync/misuse_checks.h"
#include "sync/models.h"
#include "intercept/memory_effects.h"

#include <errno.h>
#include <pthread.h> /* the object's bytes: init and destroy write, others read */

static uint64_t next_ticket; /* FIFO order among waiters */

static rc_cond *cond_object(void *addr, const rc_site *site) {
  rc_cond *c = rc_cond_get(addr);
  if (c->hdr.lock_id == UINT32_MAX)
    rc_sync_assign_identity(&c->hdr, "cond", site);
  return c;
}

void rc_cond_init(void *addr, const rc_site *site) {
  if (!rc_check_not_in_use(addr, true, RC_OP_NONE, site))
    rc_libc_write_range(addr, sizeof(pthread_cond_t), site);
  rc_sync_destroy(addr);
  cond_object(addr, site);
}

/* glibc's destroy (2.25 on) never fails: it waits until every waiter has
 * left, woken ones and any that nobody will wake (then forever: a
 * deadlock). The destroyer waits on the variable itself, marked signalled
 * so that no signal picks it (rc_oldest_waiter). */
void rc_cond_destroy(void *addr) {
  const rc_site *site = rc_caller_site();
  if (!rc_check_not_in_use(addr, false, RC_OP_NONE, 0))
    rc_libc_write_range(addr, sizeof(pthread_cond_t), site);
  rc_cond *c = rc_cond_find(addr);
  rc_thread *t = rc_self;
  while (c && c->n_waiting > 0) {
    c->destroying = true;
    rc_ext(t)->signalled = true;
    rc_block_current(addr, site);
    rc_schedule(RC_OP_COND_WAIT, addr, site);
    rc_ext(t)->signalled = false;
  }
  rc_sync_destroy(addr);
}

/* Blocks `t` until a signal, the deadline or a cancellation request: 0,
 * ETIMEDOUT or ECANCELED. A signal handler does not end the wait (glibc's
 * waiter goes on waiting, still registered). */
static int wait_for_signal(rc_cond *c, rc_thread *t, uint64_t deadline,
                           const rc_site *site) {
  void *addr = (void *)c->hdr.addr;
  rc_thread_ext *ext = rc_ext(t);
  bool timed_out = deadline == 1;
  ext->signalled = false;
  ext->wait_ticket = ++next_ticket;
  /* A spurious wake-up (option spurious_wakeups): others may run while the
   * mutex is free, then the wait returns 0 with no signal and no
   * happens-before edge. */
  bool spurious = !timed_out && rc_spurious_wakeup();
  if (spurious)
    rc_schedule(RC_OP_SPURIOUS_WAKEUP, addr, site);
  while (!spurious && !timed_out && !ext->signalled && !rc_cancel_due(t)) {
    rc_block_current_until(addr, site, deadline);
    rc_schedule(RC_OP_COND_WAIT, addr, site);
    if (t->timed_out && !ext->signalled)
      timed_out = true;
  }
  /* A signalled waiter consumes the signal: its cancellation waits for the
   * next cancellation point (POSIX). */
  bool canceled = !ext->signalled && !timed_out && rc_cancel_due(t);
  if (ext->signalled) {
    rc_hb_acquire(t, &c->clock);
    rc_sync_order_acquire(t, &c->order_clock, c->hdr.lock_id);
  }
  ext->signalled = false;
  return canceled ? ECANCELED : timed_out ? ETIMEDOUT : 0;
}

int rc_cond_wait(void *addr, void *mutex, uint64_t deadline,
                 const rc_site *site) {
  rc_thread *t = rc_self;
  rc_cond *c = cond_object(addr, site);
  rc_libc_sync_object_read(addr, site);
  rc_schedule(RC_OP_COND_WAIT, addr, site);
  rc_mutex *held = rc_mutex_held_by(mutex, t);
  rc_check_cond_wait(t, c, mutex, held, site);
  rc_mutex *m = held ? held : rc_mutex_for_wait(mutex, t, site);
  if (!m) {
    rc_check_cond_wait_end(c);
    return EPERM;
  }
  rc_cancel_point(t); /* a cancellation point, acted on holding the mutex */
  uint32_t recursion = rc_mutex_release_for_wait(m, t);
  int result = wait_for_signal(c, t, deadline, site);
  rc_check_cond_wait_end(c);
  int relocked = rc_mutex_relock_after_wait(m, t, recursion, site);
  if (result == ECANCELED)
    rc_cancel_point(t); /* with the mutex re-acquired, as POSIX requires */
  return relocked ? relocked : result; /* glibc's: the relock's error first */
}

void rc_cond_wake(void *addr, bool all, const rc_site *site) {
  rc_thread *t = rc_self;
  rc_cond *c = cond_object(addr, site);
  rc_libc_sync_object_read(addr, site);
  rc_schedule(all ? RC_OP_COND_BROADCAST : RC_OP_COND_SIGNAL, addr, site);
  rc_hb_release_join(t, &c->clock);
  rc_sync_order_release(t, &c->order_clock);
  rc_thread *w;
  while ((w = rc_oldest_waiter(addr))) {
    rc_ext(w)->signalled = true;
    rc_unblock(w);
    if (!all)
      break;
  }
}
