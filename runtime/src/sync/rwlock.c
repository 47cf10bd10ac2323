/* sync/rwlock.c — the reader-writer lock model under the scheduler.
 *
 * Happens-before: a writer's unlock releases to everyone; readers acquire
 * from the last writer; a writer also acquires from every reader since
 * then. A writer-preferring lock (glibc's
 * PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP) holds new readers back
 * while a writer waits, unless the reader already holds it for reading.
 *
 * The writer is also kept where glibc keeps it (__cur_writer, a nonzero
 * mark here), and the read holds too (__readers, glibc's count shifted
 * past its three flag bits): a held lock whose field reads 0 was
 * overwritten by its static initialiser, a new and free lock to glibc,
 * and so to the model. */
#include "sync/lock_events.h"
#include "sync/misuse_checks.h"
#include "sync/models.h"
#include "intercept/memory_effects.h"

#include <errno.h>
#include <pthread.h>

static bool prefers_writers(const rc_rwlock *rw) {
  return rw->preference == PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP;
}

static void glibc_writer(rc_rwlock *rw, const rc_thread *t) {
  ((pthread_rwlock_t *)rw->hdr.addr)->__data.__cur_writer =
      t ? (int)t->tid + 1 : 0;
}

static void glibc_readers(rc_rwlock *rw) {
  enum { GLIBC_READER_SHIFT = 3 };
  ((pthread_rwlock_t *)rw->hdr.addr)->__data.__readers = rw->readers
                                                         << GLIBC_READER_SHIFT;
}

static uint64_t tid_bit(const rc_thread *t) {
  return t->tid < 64 ? 1ull << t->tid : 0;
}

/* `t` acquires the writers' releases, unless it holds them already. */
static void acquire_writes(rc_rwlock *rw, rc_thread *t) {
  if (rw->clock_known_by & tid_bit(t))
    return;
  rc_hb_acquire(t, &rw->clock);
  rw->clock_known_by |= tid_bit(t);
}

/* The model's lock at `addr` unless the memory was overwritten under a
 * writer or readers: then that lock ends (no one holds it any more). */
static rc_rwlock *current_rwlock(void *addr) {
  rc_rwlock *rw = rc_rwlock_find(addr);
  const pthread_rwlock_t *g = addr;
  bool overwritten = rw && ((rw->owner && !g->__data.__cur_writer) ||
                            (rw->readers && !g->__data.__readers));
  if (!overwritten)
    return rw;
  uint32_t id = rw->hdr.lock_id;
  if (rw->owner)
    rc_lock_before_unlock(rw->owner, id);
  for (uint32_t i = 0; i < g_rt.n_threads; i++)
    while (rc_held_for_read(g_rt.threads[i], id))
      rc_lock_before_unlock(g_rt.threads[i], id);
  rc_sync_destroy(addr);
  return 0;
}

static rc_rwlock *rwlock_object(void *addr, int preference,
                                const rc_site *site) {
  rc_rwlock *rw = current_rwlock(addr);
  if (!rw) /* one lookup when the lock is known (every call but the first) */
    rw = rc_rwlock_get(addr);
  if (rw->hdr.lock_id == UINT32_MAX) {
    rw->preference = preference;
    /* Readers of a writer-preferring rwlock can wait for each other (behind
     * a waiting writer), so lock-order analysis must tell the two apart. */
    rc_sync_assign_identity(
        &rw->hdr, prefers_writers(rw) ? "writer-preferring-rwlock" : "rwlock",
        site);
  }
  return rw;
}

void rc_rwlock_init(void *addr, int preference, const rc_site *site) {
  if (!rc_check_not_in_use(addr, true, RC_OP_NONE, site))
    rc_libc_write_range(addr, sizeof(pthread_rwlock_t), site);
  rc_sync_destroy(addr);
  rwlock_object(addr, preference, site);
}

void rc_rwlock_destroy(void *addr) {
  rc_rwlock *rw = rc_rwlock_find(addr);
  if (!rc_check_not_in_use(addr, false, RC_OP_NONE, 0))
    rc_libc_write_range(addr, sizeof(pthread_rwlock_t), rc_caller_site());
  /* glibc's destroy changes nothing: a held lock goes on working (the
   * misuse is reported above), so its holders keep it. */
  if (rw && (rw->owner || rw->readers))
    return;
  rc_sync_destroy(addr);
}

/* Waits until `t` may read (a request begun by rc_rwlock_lock). */
static int read_lock(rc_rwlock *rw, rc_thread *t, rc_op_kind op,
                     uint64_t deadline, int busy_error, const rc_site *site) {
  void *addr = (void *)rw->hdr.addr;
  uint32_t id = rw->hdr.lock_id;
  for (;;) {
    bool writer_first = prefers_writers(rw) && rw->writers_waiting > 0 &&
                        !rc_held_for_read(t, id);
    if (!rw->owner && !writer_first)
      break;
    int error = rc_lock_retry(t, id, op, addr, deadline, busy_error, site);
    if (error)
      return error;
    if (t->timed_out) {
      rc_lock_timed_out(t, id);
      return ETIMEDOUT;
    }
  }
  rw->readers++;
  glibc_readers(rw);
  acquire_writes(rw, t);
  rc_lock_after(t, id, op, site, RC_HOLD_READ);
  return 0;
}

/* Waits until `t` may write (a request begun by rc_rwlock_lock). */
static int write_lock(rc_rwlock *rw, rc_thread *t, rc_op_kind op,
                      uint64_t deadline, int busy_error, const rc_site *site) {
  void *addr = (void *)rw->hdr.addr;
  uint32_t id = rw->hdr.lock_id;
  while (rw->owner || rw->readers > 0) {
    if (deadline != 1)
      rw->writers_waiting++;
    int error = rc_lock_retry(t, id, op, addr, deadline, busy_error, site);
    if (error)
      return error;
    rw->writers_waiting--;
    if (t->timed_out && (rw->owner || rw->readers > 0)) {
      rc_lock_timed_out(t, id);
      rc_unblock_all(addr); /* readers held back for us may go now */
      return ETIMEDOUT;
    }
  }
  rw->owner = t;
  glibc_writer(rw, t);
  acquire_writes(rw, t);
  rc_hb_acquire(t, &rw->read_clock);
  rc_vc_clear(&rw->read_clock); /* now covered by t's clock */
  rc_lock_after(t, id, op, site, RC_HOLD_WRITE);
  return 0;
}

int rc_rwlock_lock(void *addr, int preference, bool write, uint64_t deadline,
                   int busy_error, const rc_site *site) {
  static const rc_op_kind ops[2][2] = {
      {RC_OP_RWLOCK_RDLOCK, RC_OP_RWLOCK_TRYRDLOCK},
      {RC_OP_RWLOCK_WRLOCK, RC_OP_RWLOCK_TRYWRLOCK}};
  rc_thread *t = rc_self;
  rc_rwlock *rw = rwlock_object(addr, preference, site);
  rc_libc_sync_object_read(addr, site);
  rc_op_kind op = ops[write][deadline == 1];
  rc_schedule(op, addr, site);
  /* glibc refuses a lock by the writer, except that a try just fails (a
   * try is the only request that must not wait and fails with EBUSY). */
  if (rw->owner == t)
    return deadline == 1 && busy_error == EBUSY ? EBUSY : EDEADLK;
  rc_lock_before(t, rw->hdr.lock_id, site, write, rc_lock_wait_for(deadline));
  return write ? write_lock(rw, t, op, deadline, busy_error, site)
               : read_lock(rw, t, op, deadline, busy_error, site);
}

int rc_rwlock_unlock(void *addr, const rc_site *site) {
  rc_thread *t = rc_self;
  rc_lock_unlock_point(RC_OP_RWLOCK_UNLOCK, addr, site);
  rc_rwlock *rw = current_rwlock(addr);
  rc_libc_sync_object_read(addr, site);
  rc_check_unlock(
      t, RC_OP_RWLOCK_UNLOCK, addr, rw ? &rw->hdr : 0,
      !rw || (rw->owner != t && !rc_held_for_read(t, rw->hdr.lock_id)), site);
  /* glibc's unlock checks nothing: one not held returns 0. */
  if (!rw)
    return 0;
  if (rw->owner == t) {
    rc_lock_before_unlock(t, rw->hdr.lock_id);
    rw->owner = 0;
    glibc_writer(rw, 0);
    rc_hb_release(t, &rw->clock);
    rw->clock_known_by = tid_bit(t);
  } else if (rw->readers > 0 && rc_held_for_read(t, rw->hdr.lock_id)) {
    rc_lock_before_unlock(t, rw->hdr.lock_id);
    rw->readers--;
    glibc_readers(rw);
    rc_hb_release_join(t, &rw->read_clock);
  } else {
    return 0;
  }
  rc_unblock_all(addr);
  return 0;
}
