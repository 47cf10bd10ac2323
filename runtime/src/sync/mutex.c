/* sync/mutex.c — the mutex model: pthread mutexes (normal, recursive,
 * errorcheck; adaptive is normal) and spinlocks, under the scheduler.
 * Nothing here blocks in a real lock: a thread that cannot get the lock is
 * BLOCKED and the scheduler runs others.
 *
 * Happens-before: unlock releases into the lock's clock, lock acquires it.
 * Unlock is not a scheduling point: the next visible operation of the
 * unlocking thread is, and blocked waiters become enabled right away. The
 * detectors hear of every request, wait, acquisition and release through
 * sync/lock_events.h. */
#include "sync/lock_events.h"
#include "sync/misuse_checks.h"
#include "sync/models.h"
#include "intercept/memory_effects.h"

#include <errno.h>
#include <pthread.h>

/* The bytes of the program's lock object. Like TSan, init and destroy write
 * them and every other call reads them, so destroying, re-initialising or
 * freeing a lock that another thread still uses unordered is a data race at
 * the two calls. */
#define RC_MUTEX_BYTES(type)                                                   \
  ((type) == RC_MUTEX_SPIN ? sizeof(pthread_spinlock_t)                        \
                           : sizeof(pthread_mutex_t))

static const char *type_name(rc_mutex_type type) {
  switch (type) {
  case RC_MUTEX_RECURSIVE: return "recursive-mutex";
  case RC_MUTEX_ERRORCHECK: return "errorcheck-mutex";
  case RC_MUTEX_SPIN: return "spinlock";
  default: return "mutex";
  }
}

/* The model state of the lock at `addr`, with its identity. */
static rc_mutex *mutex_object(void *addr, rc_mutex_type type,
                              const rc_site *site) {
  rc_mutex *m = rc_mutex_get(addr);
  if (m->hdr.lock_id == UINT32_MAX) {
    m->type = type;
    rc_sync_assign_identity(&m->hdr, type_name(type), site);
  }
  return m;
}

void rc_mutex_init(void *addr, rc_mutex_type type, const rc_site *site) {
  rc_libc_write_range(addr, RC_MUTEX_BYTES(type), site);
  rc_check_not_in_use(addr, true, RC_OP_NONE, site);
  rc_sync_destroy(addr); /* a new lock, even at a reused address */
  mutex_object(addr, type, site);
}

int rc_mutex_destroy(void *addr) {
  rc_mutex *m = rc_mutex_find(addr);
  rc_libc_write_range(addr, sizeof(pthread_mutex_t), rc_caller_site());
  rc_check_not_in_use(addr, false, RC_OP_NONE, 0);
  if (m && m->owner)
    return EBUSY;
  rc_sync_destroy(addr);
  return 0;
}

/* How a request with this deadline may wait. */
rc_lock_wait rc_lock_wait_for(uint64_t deadline) {
  return deadline == 0   ? RC_LOCK_WAIT_BLOCK
         : deadline == 1 ? RC_LOCK_WAIT_TRY
                         : RC_LOCK_WAIT_TIMED;
}

int rc_lock_retry(rc_thread *t, uint32_t lock_id, rc_op_kind op, void *addr,
                  uint64_t deadline, int busy_error, const rc_site *site) {
  if (deadline == 1) {
    rc_lock_try_failed(t);
    return busy_error;
  }
  rc_lock_blocked(t, lock_id, op, site);
  rc_block_current_until(addr, site, deadline);
  rc_schedule(op, addr, site);
  return 0;
}

/* The owner locks again: counted, refused, or a self-deadlock. */
static int relock_by_owner(rc_mutex *m, rc_thread *t, uint64_t deadline,
                           int busy_error, const rc_site *site) {
  if (m->type == RC_MUTEX_RECURSIVE) {
    m->recursion++;
    return 0;
  }
  if (m->type == RC_MUTEX_ERRORCHECK)
    return EDEADLK;
  if (deadline != 0) {
    if (deadline == 1)
      rc_lock_try_failed(t);
    return busy_error;
  }
  /* A normal mutex or spinlock locked again by its owner never returns. */
  rc_block_current((void *)m->hdr.addr, site);
  rc_report_deadlock(RC_RECORD_HEADLINE_RELOCK);
}

int rc_mutex_lock(void *addr, rc_mutex_type type, uint64_t deadline,
                  int busy_error, const rc_site *site) {
  rc_thread *t = rc_self;
  rc_mutex *m = mutex_object(addr, type, site);
  rc_libc_read_range(addr, RC_MUTEX_BYTES(type), site);
  rc_op_kind op = deadline == 1 ? RC_OP_MUTEX_TRYLOCK : RC_OP_MUTEX_LOCK;
  rc_schedule(op, addr, site);
  if (m->owner == t)
    return relock_by_owner(m, t, deadline, busy_error, site);
  uint32_t id = m->hdr.lock_id;
  rc_lock_before(t, id, site, true, rc_lock_wait_for(deadline));
  while (m->owner) {
    int error = rc_lock_retry(t, id, op, addr, deadline, busy_error, site);
    if (error)
      return error;
    if (t->timed_out && m->owner) {
      rc_lock_timed_out(t, id);
      return ETIMEDOUT;
    }
  }
  m->owner = t;
  m->recursion = 1;
  rc_hb_acquire(t, &m->clock);
  rc_lock_after(t, id, op, site, RC_HOLD_WRITE);
  return 0;
}

/* Frees the lock: `t` releases into its clock, waiters may retry. */
static void release(rc_mutex *m, rc_thread *t) {
  rc_lock_before_unlock(m->owner, m->hdr.lock_id);
  m->owner = 0;
  m->recursion = 0;
  rc_hb_release(t, &m->clock);
  rc_unblock_all((void *)m->hdr.addr);
}

int rc_mutex_unlock(void *addr, const rc_site *site) {
  rc_thread *t = rc_self;
  rc_lock_unlock_point(RC_OP_MUTEX_UNLOCK, addr, site);
  rc_mutex *m = rc_mutex_find(addr);
  rc_libc_read_range(addr, RC_MUTEX_BYTES(m ? m->type : 0), site);
  rc_check_unlock(t, RC_OP_MUTEX_UNLOCK, addr, m ? &m->hdr : 0,
                  !m || m->owner != t, site);
  bool checked =
      m && (m->type == RC_MUTEX_RECURSIVE || m->type == RC_MUTEX_ERRORCHECK);
  if (!m || !m->owner)
    return checked ? EPERM : 0;
  if (m->owner != t && checked)
    return EPERM;
  if (m->owner == t && --m->recursion > 0)
    return 0;
  /* glibc lets a non-owner unlock a normal mutex; so do we. */
  release(m, t);
  return 0;
}

rc_mutex *rc_mutex_held_by(void *addr, rc_thread *t) {
  rc_mutex *m = rc_mutex_find(addr);
  return m && m->owner == t ? m : 0;
}

uint32_t rc_mutex_release_for_wait(rc_mutex *m, rc_thread *t) {
  /* Completely, even a recursive one, as glibc does. */
  uint32_t recursion = m->recursion;
  release(m, t);
  return recursion;
}

void rc_mutex_relock_after_wait(rc_mutex *m, rc_thread *t, uint32_t recursion,
                                const rc_site *site) {
  void *addr = (void *)m->hdr.addr;
  uint32_t id = m->hdr.lock_id;
  rc_lock_before(t, id, site, true, RC_LOCK_WAIT_BLOCK);
  while (m->owner) {
    rc_lock_blocked(t, id, RC_OP_MUTEX_LOCK, site);
    rc_block_current(addr, site);
    rc_schedule(RC_OP_MUTEX_LOCK, addr, site);
  }
  m->owner = t;
  m->recursion = recursion;
  rc_hb_acquire(t, &m->clock);
  rc_lock_after(t, id, RC_OP_MUTEX_LOCK, site, RC_HOLD_WRITE);
}
