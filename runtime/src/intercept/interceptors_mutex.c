/* interceptors_mutex.c — mutual exclusion modelled under the scheduler:
 * pthread mutexes (normal, recursive, errorcheck; adaptive = normal),
 * spinlocks and reader-writer locks. Nothing here blocks in a real lock: a
 * thread that cannot get the lock is BLOCKED and the scheduler runs others.
 *
 * The mutex type comes from glibc's own pthread_mutex_t (__data.__kind),
 * which pthread_mutex_init and the static initialisers set, so
 * PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP works without an init call.
 *
 * Happens-before: unlock releases into the lock's clock, lock acquires it.
 * rwlocks: a writer's unlock releases to everyone; readers acquire from the
 * last writer; a writer also acquires from every reader since then.
 * Unlock is not a scheduling point: the next visible operation of the
 * unlocking thread is, and blocked waiters become enabled right away. */
#include "sched/fairness.h"
#include "sched/scheduler.h"
#include "detect/starvation.h"

#include <errno.h>
#include <pthread.h>

enum { KIND_NORMAL = 0, KIND_RECURSIVE = 1, KIND_ERRORCHECK = 2,
       KIND_ADAPTIVE = 3, KIND_SPIN = 4 };

static const char *lock_kind_name(int kind) {
  switch (kind) {
  case KIND_RECURSIVE: return "recursive-mutex";
  case KIND_ERRORCHECK: return "errorcheck-mutex";
  case KIND_SPIN: return "spinlock";
  default: return "mutex";
  }
}

static int (*real_mutex_init)(pthread_mutex_t *, const pthread_mutexattr_t *);
static int (*real_mutex_destroy)(pthread_mutex_t *);
static int (*real_mutex_lock)(pthread_mutex_t *);
static int (*real_mutex_trylock)(pthread_mutex_t *);
static int (*real_mutex_unlock)(pthread_mutex_t *);
static int (*real_mutex_timedlock)(pthread_mutex_t *, const struct timespec *);
static int (*real_mutex_clocklock)(pthread_mutex_t *, clockid_t,
                                   const struct timespec *);

/* The model state of the lock at `addr`, with its identity. */
static rc_sync *lock_sync(void *addr, int kind, const rc_site *site) {
  rc_sync *s = rc_sync_get(addr, RC_SYNC_MUTEX);
  if (s->lock_id == UINT32_MAX) {
    s->subkind = kind;
    rc_sync_assign_identity(s, lock_kind_name(kind), site);
  }
  return s;
}

static int mutex_kind(pthread_mutex_t *m) {
  int kind = m->__data.__kind & 3;
  return kind == KIND_ADAPTIVE ? KIND_NORMAL : kind;
}

/* How a request with this deadline (as lock_common takes it) may wait. */
static rc_lock_wait lock_wait(uint64_t deadline) {
  return deadline == 0 ? RC_LOCK_WAIT_BLOCK
         : deadline == 1 ? RC_LOCK_WAIT_TRY
                         : RC_LOCK_WAIT_TIMED;
}

/* deadline: 0 = wait forever, 1 = do not wait (trylock), else virtual ns. */
static int lock_common(void *addr, int kind, uint64_t deadline, int busy_error) {
  rc_thread *t = rc_self;
  const rc_site *site = rc_caller_site();
  rc_sync *s = lock_sync(addr, kind, site);
  rc_op_kind op = deadline == 1 ? RC_OP_MUTEX_TRYLOCK : RC_OP_MUTEX_LOCK;
  rc_schedule(op, addr, site);
  if (s->owner == t) {
    if (s->subkind == KIND_RECURSIVE) {
      s->recursion++;
      return 0;
    }
    if (s->subkind == KIND_ERRORCHECK)
      return EDEADLK;
    if (deadline != 0) {
      if (deadline == 1)
        rc_fair_yield(t->tid); /* a failed trylock: let others run */
      return busy_error;
    }
    /* A normal mutex or spinlock locked again by its owner never returns. */
    rc_block_current(addr, site);
    rc_report_deadlock(RC_RECORD_HEADLINE_RELOCK);
  }
  rc_lock_order_acquire(t, s->lock_id, site, true, lock_wait(deadline));
  while (s->owner) {
    if (deadline == 1) {
      rc_fair_yield(t->tid); /* a failed trylock: let others run */
      return busy_error;
    }
    rc_starvation_lock_wait(t, s->lock_id, op, site);
    rc_block_current_until(addr, site, deadline);
    rc_schedule(op, addr, site);
    if (t->timed_out && s->owner) {
      rc_starvation_lock_gave_up(t, s->lock_id);
      return ETIMEDOUT;
    }
  }
  rc_starvation_lock_acquired(t, s->lock_id, op, site);
  s->owner = t;
  s->recursion = 1;
  rc_hb_acquire(t, &s->clock);
  rc_held_add(t, s->lock_id, site, true);
  return 0;
}

static int unlock_common(void *addr) {
  rc_thread *t = rc_self;
  if (rc_fair_lockstep_releases())
    rc_schedule(RC_OP_MUTEX_UNLOCK, addr, rc_caller_site());
  rc_sync *s = rc_sync_find(addr);
  if (!s || s->kind != RC_SYNC_MUTEX || !s->owner)
    return s && (s->subkind == KIND_RECURSIVE || s->subkind == KIND_ERRORCHECK)
               ? EPERM
               : 0;
  if (s->owner != t &&
      (s->subkind == KIND_RECURSIVE || s->subkind == KIND_ERRORCHECK))
    return EPERM;
  if (s->owner == t && --s->recursion > 0)
    return 0;
  /* glibc lets a non-owner unlock a normal mutex; so do we. */
  rc_thread *owner = s->owner;
  s->owner = 0;
  s->recursion = 0;
  rc_hb_release(t, &s->clock);
  rc_held_remove(owner, s->lock_id);
  rc_unblock_all(addr);
  return 0;
}

static uint64_t timed_deadline(clockid_t clock, const struct timespec *abstime) {
  uint64_t deadline = rc_vtime_deadline(clock, abstime);
  return deadline == 0 ? 1 : deadline; /* already passed: just try */
}

/* ---- mutexes ---- */
RC_INTERFACE int pthread_mutex_init(pthread_mutex_t *m,
                                    const pthread_mutexattr_t *attr) {
  RC_REAL(real_mutex_init, "pthread_mutex_init");
  int ret = real_mutex_init(m, attr); /* glibc records the type in m */
  if (ret == 0 && rc_active_thread()) {
    rc_sync_destroy(m); /* a new lock, even at a reused address */
    lock_sync(m, mutex_kind(m), rc_caller_site());
  }
  return ret;
}

RC_INTERFACE int pthread_mutex_destroy(pthread_mutex_t *m) {
  RC_REAL(real_mutex_destroy, "pthread_mutex_destroy");
  if (rc_active_thread()) {
    rc_sync *s = rc_sync_find(m);
    if (s && s->kind == RC_SYNC_MUTEX && s->owner)
      return EBUSY;
    rc_sync_destroy(m);
  }
  return real_mutex_destroy(m);
}

RC_INTERFACE int pthread_mutex_lock(pthread_mutex_t *m) {
  RC_REAL(real_mutex_lock, "pthread_mutex_lock");
  if (!rc_active_thread())
    return real_mutex_lock(m);
  return lock_common(m, mutex_kind(m), 0, EBUSY);
}

RC_INTERFACE int pthread_mutex_trylock(pthread_mutex_t *m) {
  RC_REAL(real_mutex_trylock, "pthread_mutex_trylock");
  if (!rc_active_thread())
    return real_mutex_trylock(m);
  return lock_common(m, mutex_kind(m), 1, EBUSY);
}

RC_INTERFACE int pthread_mutex_timedlock(pthread_mutex_t *m,
                                         const struct timespec *abstime) {
  RC_REAL(real_mutex_timedlock, "pthread_mutex_timedlock");
  if (!rc_active_thread())
    return real_mutex_timedlock(m, abstime);
  return lock_common(m, mutex_kind(m), timed_deadline(CLOCK_REALTIME, abstime),
                     ETIMEDOUT);
}

RC_INTERFACE int pthread_mutex_clocklock(pthread_mutex_t *m, clockid_t clock,
                                         const struct timespec *abstime) {
  RC_REAL(real_mutex_clocklock, "pthread_mutex_clocklock");
  if (!rc_active_thread())
    return real_mutex_clocklock(m, clock, abstime);
  return lock_common(m, mutex_kind(m), timed_deadline(clock, abstime),
                     ETIMEDOUT);
}

RC_INTERFACE int pthread_mutex_unlock(pthread_mutex_t *m) {
  RC_REAL(real_mutex_unlock, "pthread_mutex_unlock");
  if (!rc_active_thread())
    return real_mutex_unlock(m);
  return unlock_common(m);
}

/* ---- spinlocks ---- */
static int (*real_spin_init)(pthread_spinlock_t *, int);
static int (*real_spin_lock)(pthread_spinlock_t *);
static int (*real_spin_trylock)(pthread_spinlock_t *);
static int (*real_spin_unlock)(pthread_spinlock_t *);

RC_INTERFACE int pthread_spin_init(pthread_spinlock_t *lock, int pshared) {
  RC_REAL(real_spin_init, "pthread_spin_init");
  int ret = real_spin_init(lock, pshared);
  if (ret == 0 && rc_active_thread()) {
    rc_sync_destroy((void *)lock);
    lock_sync((void *)lock, KIND_SPIN, rc_caller_site());
  }
  return ret;
}

RC_INTERFACE int pthread_spin_destroy(pthread_spinlock_t *lock) {
  if (rc_active_thread())
    rc_sync_destroy((void *)lock);
  return 0;
}

RC_INTERFACE int pthread_spin_lock(pthread_spinlock_t *lock) {
  RC_REAL(real_spin_lock, "pthread_spin_lock");
  if (!rc_active_thread())
    return real_spin_lock(lock);
  return lock_common((void *)lock, KIND_SPIN, 0, EBUSY);
}

RC_INTERFACE int pthread_spin_trylock(pthread_spinlock_t *lock) {
  RC_REAL(real_spin_trylock, "pthread_spin_trylock");
  if (!rc_active_thread())
    return real_spin_trylock(lock);
  return lock_common((void *)lock, KIND_SPIN, 1, EBUSY);
}

RC_INTERFACE int pthread_spin_unlock(pthread_spinlock_t *lock) {
  RC_REAL(real_spin_unlock, "pthread_spin_unlock");
  if (!rc_active_thread())
    return real_spin_unlock(lock);
  return unlock_common((void *)lock);
}

/* ---- reader-writer locks ---- */
static int (*real_rwlock_init)(pthread_rwlock_t *,
                               const pthread_rwlockattr_t *);
static int (*real_rwlock_destroy)(pthread_rwlock_t *);
static int (*real_rwlock_rdlock)(pthread_rwlock_t *);
static int (*real_rwlock_wrlock)(pthread_rwlock_t *);
static int (*real_rwlock_tryrdlock)(pthread_rwlock_t *);
static int (*real_rwlock_trywrlock)(pthread_rwlock_t *);
static int (*real_rwlock_timedrdlock)(pthread_rwlock_t *,
                                      const struct timespec *);
static int (*real_rwlock_timedwrlock)(pthread_rwlock_t *,
                                      const struct timespec *);
static int (*real_rwlock_clockrdlock)(pthread_rwlock_t *, clockid_t,
                                      const struct timespec *);
static int (*real_rwlock_clockwrlock)(pthread_rwlock_t *, clockid_t,
                                      const struct timespec *);
static int (*real_rwlock_unlock)(pthread_rwlock_t *);

static rc_sync *rwlock_sync(pthread_rwlock_t *rw, const rc_site *site) {
  rc_sync *s = rc_sync_get(rw, RC_SYNC_RWLOCK);
  if (s->lock_id == UINT32_MAX) {
    /* glibc keeps the attr kind in __flags */
    s->subkind = rw->__data.__flags;
    /* Readers of a writer-preferring rwlock can wait for each other (behind
     * a waiting writer), so lock-order analysis must tell the two apart. */
    rc_sync_assign_identity(
        s,
        s->subkind == PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP
            ? "writer-preferring-rwlock"
            : "rwlock",
        site);
  }
  return s;
}

static bool holds_read(rc_thread *t, uint32_t lock_id) {
  for (uint32_t i = 0; i < t->n_held; i++)
    if (t->held[i].lock_id == lock_id && !t->held[i].write)
      return true;
  return false;
}

static int rdlock_common(pthread_rwlock_t *rw, uint64_t deadline,
                         int busy_error) {
  rc_thread *t = rc_self;
  const rc_site *site = rc_caller_site();
  rc_sync *s = rwlock_sync(rw, site);
  rc_op_kind op = deadline == 1 ? RC_OP_RWLOCK_TRYRDLOCK : RC_OP_RWLOCK_RDLOCK;
  rc_schedule(op, rw, site);
  if (s->owner == t)
    return EDEADLK;
  rc_lock_order_acquire(t, s->lock_id, site, false, lock_wait(deadline));
  for (;;) {
    bool writer_first = s->subkind == PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP &&
                        s->writers_waiting > 0 && !holds_read(t, s->lock_id);
    if (!s->owner && !writer_first)
      break;
    if (deadline == 1) {
      rc_fair_yield(t->tid); /* a failed trylock: let others run */
      return busy_error;
    }
    rc_starvation_lock_wait(t, s->lock_id, op, site);
    rc_block_current_until(rw, site, deadline);
    rc_schedule(op, rw, site);
    if (t->timed_out) {
      rc_starvation_lock_gave_up(t, s->lock_id);
      return ETIMEDOUT;
    }
  }
  rc_starvation_lock_acquired(t, s->lock_id, op, site);
  s->readers++;
  rc_hb_acquire(t, &s->clock);
  rc_held_add(t, s->lock_id, site, false);
  return 0;
}

static int wrlock_common(pthread_rwlock_t *rw, uint64_t deadline,
                         int busy_error) {
  rc_thread *t = rc_self;
  const rc_site *site = rc_caller_site();
  rc_sync *s = rwlock_sync(rw, site);
  rc_op_kind op = deadline == 1 ? RC_OP_RWLOCK_TRYWRLOCK : RC_OP_RWLOCK_WRLOCK;
  rc_schedule(op, rw, site);
  if (s->owner == t)
    return EDEADLK;
  rc_lock_order_acquire(t, s->lock_id, site, true, lock_wait(deadline));
  while (s->owner || s->readers > 0) {
    if (deadline == 1) {
      rc_fair_yield(t->tid); /* a failed trylock: let others run */
      return busy_error;
    }
    s->writers_waiting++;
    rc_starvation_lock_wait(t, s->lock_id, op, site);
    rc_block_current_until(rw, site, deadline);
    rc_schedule(op, rw, site);
    s->writers_waiting--;
    if (t->timed_out && (s->owner || s->readers > 0)) {
      rc_starvation_lock_gave_up(t, s->lock_id);
      rc_unblock_all(rw); /* readers held back for us may go now */
      return ETIMEDOUT;
    }
  }
  rc_starvation_lock_acquired(t, s->lock_id, op, site);
  s->owner = t;
  rc_hb_acquire(t, &s->clock);
  rc_hb_acquire(t, &s->read_clock);
  rc_vc_clear(&s->read_clock); /* now covered by t's clock */
  rc_held_add(t, s->lock_id, site, true);
  return 0;
}

RC_INTERFACE int pthread_rwlock_init(pthread_rwlock_t *rw,
                                     const pthread_rwlockattr_t *attr) {
  RC_REAL(real_rwlock_init, "pthread_rwlock_init");
  int ret = real_rwlock_init(rw, attr);
  if (ret == 0 && rc_active_thread()) {
    rc_sync_destroy(rw);
    rwlock_sync(rw, rc_caller_site());
  }
  return ret;
}

RC_INTERFACE int pthread_rwlock_destroy(pthread_rwlock_t *rw) {
  RC_REAL(real_rwlock_destroy, "pthread_rwlock_destroy");
  if (rc_active_thread()) {
    rc_sync *s = rc_sync_find(rw);
    if (s && s->kind == RC_SYNC_RWLOCK && (s->owner || s->readers))
      return EBUSY;
    rc_sync_destroy(rw);
  }
  return real_rwlock_destroy(rw);
}

#define RC_RWLOCK_FORWARD(var, name, ...)                                      \
  RC_REAL(var, name);                                                          \
  if (!rc_active_thread())                                                     \
    return var(__VA_ARGS__);

RC_INTERFACE int pthread_rwlock_rdlock(pthread_rwlock_t *rw) {
  RC_RWLOCK_FORWARD(real_rwlock_rdlock, "pthread_rwlock_rdlock", rw);
  return rdlock_common(rw, 0, EBUSY);
}

RC_INTERFACE int pthread_rwlock_tryrdlock(pthread_rwlock_t *rw) {
  RC_RWLOCK_FORWARD(real_rwlock_tryrdlock, "pthread_rwlock_tryrdlock", rw);
  return rdlock_common(rw, 1, EBUSY);
}

RC_INTERFACE int pthread_rwlock_timedrdlock(pthread_rwlock_t *rw,
                                            const struct timespec *abstime) {
  RC_RWLOCK_FORWARD(real_rwlock_timedrdlock, "pthread_rwlock_timedrdlock", rw,
                    abstime);
  return rdlock_common(rw, timed_deadline(CLOCK_REALTIME, abstime), ETIMEDOUT);
}

RC_INTERFACE int pthread_rwlock_clockrdlock(pthread_rwlock_t *rw,
                                            clockid_t clock,
                                            const struct timespec *abstime) {
  RC_RWLOCK_FORWARD(real_rwlock_clockrdlock, "pthread_rwlock_clockrdlock", rw,
                    clock, abstime);
  return rdlock_common(rw, timed_deadline(clock, abstime), ETIMEDOUT);
}

RC_INTERFACE int pthread_rwlock_wrlock(pthread_rwlock_t *rw) {
  RC_RWLOCK_FORWARD(real_rwlock_wrlock, "pthread_rwlock_wrlock", rw);
  return wrlock_common(rw, 0, EBUSY);
}

RC_INTERFACE int pthread_rwlock_trywrlock(pthread_rwlock_t *rw) {
  RC_RWLOCK_FORWARD(real_rwlock_trywrlock, "pthread_rwlock_trywrlock", rw);
  return wrlock_common(rw, 1, EBUSY);
}

RC_INTERFACE int pthread_rwlock_timedwrlock(pthread_rwlock_t *rw,
                                            const struct timespec *abstime) {
  RC_RWLOCK_FORWARD(real_rwlock_timedwrlock, "pthread_rwlock_timedwrlock", rw,
                    abstime);
  return wrlock_common(rw, timed_deadline(CLOCK_REALTIME, abstime), ETIMEDOUT);
}

RC_INTERFACE int pthread_rwlock_clockwrlock(pthread_rwlock_t *rw,
                                            clockid_t clock,
                                            const struct timespec *abstime) {
  RC_RWLOCK_FORWARD(real_rwlock_clockwrlock, "pthread_rwlock_clockwrlock", rw,
                    clock, abstime);
  return wrlock_common(rw, timed_deadline(clock, abstime), ETIMEDOUT);
}

RC_INTERFACE int pthread_rwlock_unlock(pthread_rwlock_t *rw) {
  RC_RWLOCK_FORWARD(real_rwlock_unlock, "pthread_rwlock_unlock", rw);
  rc_thread *t = rc_self;
  if (rc_fair_lockstep_releases())
    rc_schedule(RC_OP_RWLOCK_UNLOCK, rw, rc_caller_site());
  rc_sync *s = rc_sync_find(rw);
  if (!s || s->kind != RC_SYNC_RWLOCK)
    return EPERM;
  if (s->owner == t) {
    s->owner = 0;
    rc_hb_release(t, &s->clock);
  } else if (s->readers > 0 && holds_read(t, s->lock_id)) {
    s->readers--;
    rc_hb_release_join(t, &s->read_clock);
  } else {
    return EPERM;
  }
  rc_held_remove(t, s->lock_id);
  rc_unblock_all(rw);
  return 0;
}
