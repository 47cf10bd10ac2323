/* sync/futex.c — the futex model under the scheduler (futexes reached
 * through syscall(2), as libstdc++'s atomic wait/notify does). A waiter
 * whose word still holds the expected value blocks until a wake picks it
 * (oldest first, among those whose bitset matches) or its deadline passes;
 * every wake releases into the word's clock, which the woken acquire. */
#include "sync/models.h"

#include <errno.h>

static uint64_t futex_tickets; /* FIFO order among waiters */

long rc_futex_model_wait(uint32_t *addr, uint32_t expected,
                         const struct timespec *timeout, bool absolute,
                         clockid_t clock, uint32_t bitset,
                         const rc_site *site) {
  rc_thread *t = rc_self;
  rc_thread_ext *ext = rc_ext(t);
  rc_schedule(RC_OP_FUTEX_WAIT, addr, site);
  if (__atomic_load_n(addr, __ATOMIC_RELAXED) != expected)
    return -EAGAIN;
  rc_futex *f = rc_futex_get(addr);
  uint64_t deadline = 0;
  if (timeout) {
    deadline =
        absolute ? rc_vtime_deadline(clock, timeout) : rc_vtime_after(timeout);
    if (deadline == 0)
      return -ETIMEDOUT;
  }
  /* A spurious wake-up (option spurious_wakeups): returns 0 unwoken. */
  if (rc_spurious_wakeup()) {
    rc_schedule(RC_OP_SPURIOUS_WAKEUP, addr, site);
    return 0;
  }
  ext->signalled = false;
  ext->futex_bitset = bitset;
  ext->wait_ticket = ++futex_tickets;
  while (!ext->signalled) {
    rc_block_current_until(addr, site, deadline);
    rc_schedule(RC_OP_FUTEX_WAIT, addr, site);
    if (t->timed_out && !ext->signalled)
      return -ETIMEDOUT;
    /* The kernel's wait ends with EINTR when a handler ran. */
    if (rc_signals_wait_interrupted(t) != RC_SIG_WAIT_NONE && !ext->signalled)
      return -EINTR;
  }
  ext->signalled = false;
  rc_hb_acquire(t, &f->clock);
  rc_sync_order_acquire(t, &f->order_clock, f->hdr.lock_id);
  return 0;
}

/* The longest-waiting unsignalled waiter on `addr` whose bitset matches. */
static rc_thread *oldest_matching_waiter(const uint32_t *addr,
                                         uint32_t bitset) {
  rc_thread *best = 0;
  for (uint32_t i = 0; i < g_rt.n_threads; i++) {
    rc_thread *w = g_rt.threads[i];
    if (w->status != RC_THREAD_BLOCKED || w->wait_object != addr ||
        rc_ext(w)->signalled || !(rc_ext(w)->futex_bitset & bitset))
      continue;
    if (!best || rc_ext(w)->wait_ticket < rc_ext(best)->wait_ticket)
      best = w;
  }
  return best;
}

long rc_futex_model_wake(uint32_t *addr, int count, uint32_t bitset,
                         const rc_site *site) {
  rc_thread *t = rc_self;
  rc_schedule(RC_OP_FUTEX_WAKE, addr, site);
  rc_futex *f = rc_futex_get(addr);
  rc_hb_release_join(t, &f->clock);
  rc_sync_order_release(t, &f->order_clock);
  long woken = 0;
  while (woken < count) {
    rc_thread *best = oldest_matching_waiter(addr, bitset);
    if (!best)
      break;
    rc_ext(best)->signalled = true;
    rc_unblock(best);
    woken++;
  }
  return woken;
}
