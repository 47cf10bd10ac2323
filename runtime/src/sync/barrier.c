/* sync/barrier.c — the barrier model under the scheduler: each round's
 * arrivals all happen before every departure of that round. */
#include "sync/misuse_checks.h"
#include "sync/models.h"
#include "intercept/memory_effects.h"

#include <errno.h>
#include <pthread.h>

void rc_barrier_init(void *addr, uint32_t limit, const rc_site *site) {
  if (!rc_check_not_in_use(addr, true, RC_OP_NONE, site))
    rc_libc_write_range(addr, sizeof(pthread_barrier_t), site);
  rc_sync_destroy(addr);
  rc_barrier *b = rc_barrier_get(addr);
  b->limit = limit;
  rc_sync_assign_identity(&b->hdr, "barrier", site);
}

/* glibc's destroy never fails. It waits until the threads a finished
 * round released have left the barrier. With threads blocked in an
 * unfinished round (the misuse reported here) glibc's destroy returns and
 * strands them; the model keeps the barrier instead, so that a later
 * arrival still ends their round rather than block outside the model. */
void rc_barrier_destroy(void *addr) {
  const rc_site *site = rc_caller_site();
  bool misuse = rc_check_not_in_use(addr, false, RC_OP_NONE, 0);
  rc_barrier *b = rc_barrier_find(addr);
  while (b && b->leaving > 0) {
    b->destroying = true;
    rc_block_current(addr, site);
    rc_schedule(RC_OP_BARRIER_WAIT, addr, site);
  }
  /* glibc's destroy ends with an acquire fence: after the waits it saw. */
  if (b) {
    rc_hb_acquire(rc_self, &b->done);
    rc_hb_acquire(rc_self, &b->arrivals);
  }
  if (!misuse)
    rc_libc_write_range(addr, sizeof(pthread_barrier_t), site);
  if (!b || b->arrived == 0)
    rc_sync_destroy(addr);
}

int rc_barrier_wait(rc_barrier *b, const rc_site *site) {
  rc_thread *t = rc_self;
  void *addr = (void *)b->hdr.addr;
  rc_libc_read_range(addr, sizeof(pthread_barrier_t), site);
  rc_schedule(RC_OP_BARRIER_WAIT, addr, site);
  rc_hb_release_join(t, &b->arrivals);
  rc_sync_order_release(t, &b->order_arrivals);
  if (++b->arrived == b->limit) {
    b->leaving += b->arrived - 1;
    b->arrived = 0;
    b->generation++;
    rc_vc_copy(&b->done, &b->arrivals);
    rc_vc_clear(&b->arrivals);
    rc_vc_copy(&b->order_done, &b->order_arrivals);
    rc_vc_clear(&b->order_arrivals);
    rc_hb_acquire(t, &b->done);
    rc_sync_order_acquire(t, &b->order_done, b->hdr.lock_id);
    rc_unblock_all(addr);
    return PTHREAD_BARRIER_SERIAL_THREAD;
  }
  uint64_t round = b->generation;
  while (b->generation == round) {
    rc_block_current(addr, site);
    rc_schedule(RC_OP_BARRIER_WAIT, addr, site);
  }
  rc_hb_acquire(t, &b->done);
  rc_sync_order_acquire(t, &b->order_done, b->hdr.lock_id);
  /* The last to leave lets a waiting destroy go on (and free `b`). */
  if (--b->leaving == 0 && b->destroying)
    rc_unblock_all(addr);
  return 0;
}
