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
#include <limits.h>
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

/* glibc's own fields of a pthread mutex (null for a spinlock), which the
 * model keeps as glibc's lock and unlock would: glibc's destroy then counts
 * the same users (and refuses or not as glibc does), and memory overwritten
 * while the model holds the lock shows as unlocked (see mutex_object). The
 * owner field holds a nonzero mark, not the kernel thread id. */
/* glibc's marks in a robust mutex's __owner: its owner ended holding it
 * (the next locker gets it with EOWNERDEAD; glibc's own
 * pthread_mutex_consistent clears the mark), and unlocked while so marked:
 * never to be locked again. */
enum {
  GLIBC_OWNER_INCONSISTENT = INT_MAX,
  GLIBC_OWNER_NOTRECOVERABLE = INT_MAX - 1
};

static pthread_mutex_t *glibc_view(const rc_mutex *m) {
  return m->type == RC_MUTEX_SPIN ? 0 : (pthread_mutex_t *)m->hdr.addr;
}

static void glibc_locked(const rc_mutex *m, rc_thread *t, bool new_user) {
  pthread_mutex_t *g = glibc_view(m);
  if (!g)
    return;
  g->__data.__lock = 1;
  if (g->__data.__owner != GLIBC_OWNER_INCONSISTENT)
    g->__data.__owner = (int)t->tid + 1;
  g->__data.__count = m->type == RC_MUTEX_RECURSIVE ? m->recursion : 0;
  g->__data.__nusers += new_user;
}

static void glibc_unlocked(const rc_mutex *m, bool user_leaves) {
  pthread_mutex_t *g = glibc_view(m);
  if (!g)
    return;
  g->__data.__lock = 0;
  g->__data.__owner = 0;
  g->__data.__count = 0;
  g->__data.__nusers -= user_leaves; /* glibc's wraps too */
}

/* glibc's flags in __kind beside the type: robust, priority-inheritance
 * and priority-protect. A mutex with any of them takes glibc's "full"
 * path, whose trylock refuses an errorcheck owner with EDEADLK. */
enum { GLIBC_MUTEX_ROBUST = 16, GLIBC_MUTEX_PI = 32, GLIBC_MUTEX_PP = 64 };

static int glibc_flags(const rc_mutex *m) {
  pthread_mutex_t *g = glibc_view(m);
  return g ? g->__data.__kind &
                 (GLIBC_MUTEX_ROBUST | GLIBC_MUTEX_PI | GLIBC_MUTEX_PP)
           : 0;
}

static bool robust(const rc_mutex *m) {
  return glibc_flags(m) & GLIBC_MUTEX_ROBUST;
}

/* A robust or priority-inheritance mutex checks its owner at every
 * unlock, whatever its type (the kernel owns a PI mutex's word). */
static bool unlock_checked(const rc_mutex *m) {
  return m->type == RC_MUTEX_RECURSIVE || m->type == RC_MUTEX_ERRORCHECK ||
         (glibc_flags(m) & (GLIBC_MUTEX_ROBUST | GLIBC_MUTEX_PI));
}

/* glibc's owner field of a robust mutex, else 0. */
static int robust_owner(const rc_mutex *m) {
  return robust(m) ? glibc_view(m)->__data.__owner : 0;
}

/* A robust mutex whose owner ended holding it is the next locker's (the
 * kernel's robust list does that for glibc, after the owner's last step:
 * the locker acquires everything the owner did); whether it was so. */
static bool take_from_dead_owner(rc_mutex *m) {
  if (!robust(m) || !m->owner || m->owner->status != RC_THREAD_FINISHED)
    return false;
  rc_lock_before_unlock(m->owner, m->hdr.lock_id);
  rc_vc_join(&m->clock, &m->owner->vc);
  m->clock_copied_from = 0;
  m->owner = 0;
  return true;
}

/* `t` acquires what the lock's releases released. */
static void acquire(rc_mutex *m, rc_thread *t) {
  if (m->clock_copied_from != t)
    rc_hb_acquire(t, &m->clock);
}

/* Ends the model's lock at `addr`: its holder no longer holds it. */
static void forget(rc_mutex *m) {
  if (m->owner)
    rc_lock_before_unlock(m->owner, m->hdr.lock_id);
  rc_sync_destroy((void *)m->hdr.addr);
}

/* The model state of the lock at `addr`, with its identity. A lock the
 * model holds whose glibc fields say "unlocked" was overwritten (a static
 * initialiser assigned over it, memset): to glibc that is a new, free
 * mutex, so the model starts a new one too. */
static rc_mutex *mutex_object(void *addr, rc_mutex_type type,
                              const rc_site *site) {
  rc_mutex *m = rc_mutex_find(addr);
  pthread_mutex_t *g = m ? glibc_view(m) : 0;
  if (g && m->owner && g->__data.__lock == 0 && g->__data.__owner == 0) {
    forget(m);
    m = 0;
  }
  if (!m) /* one lookup when the lock is known (every call but the first) */
    m = rc_mutex_get(addr);
  if (m->hdr.lock_id == UINT32_MAX) {
    m->type = type;
    rc_sync_assign_identity(&m->hdr, type_name(type), site);
  } else if (!m->owner && type != RC_MUTEX_SPIN) {
    m->type = type; /* glibc reads the kind at every call */
  }
  return m;
}

rc_mutex_type rc_mutex_glibc_type(const void *addr) {
  enum { GLIBC_MUTEX_ADAPTIVE = 3 };
  int kind = ((const pthread_mutex_t *)addr)->__data.__kind & 3;
  return kind == GLIBC_MUTEX_ADAPTIVE ? RC_MUTEX_NORMAL : (rc_mutex_type)kind;
}

bool rc_mutex_glibc_kind_valid(const void *addr) {
  /* The type (0-3) with the robust (16), priority-inheritance (32) and
   * priority-protect (64) flags glibc knows; the process-shared (128) and
   * elision bits do not matter. A destroyed mutex has kind -1. */
  int flags = ((const pthread_mutex_t *)addr)->__data.__kind & 127 & ~3;
  return flags == 0 || flags == 16 || flags == 32 || flags == 48 || flags == 64;
}

void rc_mutex_init(void *addr, rc_mutex_type type, const rc_site *site) {
  if (!rc_check_not_in_use(addr, true, RC_OP_NONE, site))
    rc_libc_write_range(addr, RC_MUTEX_BYTES(type), site);
  rc_mutex *old = rc_mutex_find(addr);
  if (old)
    forget(old);
  rc_sync_destroy(addr); /* a new lock, even at a reused address */
  mutex_object(addr, type, site);
}

void rc_mutex_destroy(void *addr, bool destroyed) {
  rc_mutex *m = rc_mutex_find(addr);
  if (!rc_check_not_in_use(addr, false, RC_OP_NONE, 0))
    rc_libc_write_range(addr, sizeof(pthread_mutex_t), rc_caller_site());
  if (m && destroyed)
    forget(m);
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
    if (m->recursion == UINT_MAX)
      return EAGAIN; /* glibc's count would wrap */
    m->recursion++;
    glibc_locked(m, t, false);
    return 0;
  }
  /* glibc's trylock of an errorcheck mutex says EBUSY, unless "full". */
  if (m->type == RC_MUTEX_ERRORCHECK &&
      (deadline != 1 || glibc_flags(m) || busy_error != EBUSY))
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
  rc_libc_sync_object_read(addr, site);
  rc_op_kind op = deadline == 1 ? RC_OP_MUTEX_TRYLOCK : RC_OP_MUTEX_LOCK;
  rc_schedule(op, addr, site);
  if (robust_owner(m) == GLIBC_OWNER_NOTRECOVERABLE)
    return ENOTRECOVERABLE;
  bool owner_died = take_from_dead_owner(m);
  if (m->owner == t)
    return relock_by_owner(m, t, deadline, busy_error, site);
  uint32_t id = m->hdr.lock_id;
  rc_lock_before(t, id, site, true, rc_lock_wait_for(deadline));
  while (m->owner) {
    int error = rc_lock_retry(t, id, op, addr, deadline, busy_error, site);
    if (error)
      return error;
    /* Woken because the owner ended (rc_mutex_owner_ended)? */
    owner_died = take_from_dead_owner(m);
    if (t->timed_out && m->owner) {
      rc_lock_timed_out(t, id);
      return ETIMEDOUT;
    }
  }
  /* The one who took it from a dead owner unlocked it inconsistent. */
  if (robust_owner(m) == GLIBC_OWNER_NOTRECOVERABLE) {
    rc_lock_timed_out(t, id); /* the request ends unsatisfied */
    return ENOTRECOVERABLE;
  }
  m->owner = t;
  m->recursion = 1;
  glibc_locked(m, t, true);
  if (owner_died)
    glibc_view(m)->__data.__owner = GLIBC_OWNER_INCONSISTENT;
  acquire(m, t);
  rc_lock_after(t, id, op, site, RC_HOLD_WRITE);
  return owner_died ? EOWNERDEAD : 0;
}

/* Frees the lock: `t` releases into its clock, waiters may retry. */
static void release(rc_mutex *m, rc_thread *t) {
  if (m->owner)
    rc_lock_before_unlock(m->owner, m->hdr.lock_id);
  m->owner = 0;
  m->recursion = 0;
  rc_hb_release(t, &m->clock);
  m->clock_copied_from = t;
  rc_unblock_all((void *)m->hdr.addr);
}

int rc_mutex_unlock(void *addr, rc_mutex_type type, const rc_site *site) {
  rc_thread *t = rc_self;
  rc_lock_unlock_point(RC_OP_MUTEX_UNLOCK, addr, site);
  rc_mutex *m = mutex_object(addr, type, site);
  rc_libc_sync_object_read(addr, site);
  rc_check_unlock(t, RC_OP_MUTEX_UNLOCK, addr, &m->hdr, m->owner != t, site);
  if (m->owner != t && unlock_checked(m))
    return EPERM;
  if (m->owner == t && --m->recursion > 0) {
    glibc_locked(m, t, false);
    return 0;
  }
  /* glibc lets anyone unlock a normal mutex, even a free one. */
  bool inconsistent = robust_owner(m) == GLIBC_OWNER_INCONSISTENT;
  glibc_unlocked(m, true);
  if (inconsistent)
    glibc_view(m)->__data.__owner = GLIBC_OWNER_NOTRECOVERABLE;
  if (m->owner)
    release(m, t);
  return 0;
}

rc_mutex *rc_mutex_held_by(void *addr, rc_thread *t) {
  rc_mutex *m = rc_mutex_find(addr);
  return m && m->owner == t ? m : 0;
}

rc_mutex *rc_mutex_for_wait(void *addr, rc_thread *t, const rc_site *site) {
  rc_mutex *m = rc_mutex_held_by(addr, t);
  if (m)
    return m;
  m = mutex_object(addr, rc_mutex_glibc_type(addr), site);
  if (unlock_checked(m))
    return 0;
  /* glibc's wait unlocks a normal mutex whoever holds it and locks it
   * after the wait: the wait goes on as if `t` had held it. */
  if (m->owner)
    release(m, t);
  m->owner = t;
  m->recursion = 1;
  return m;
}

uint32_t rc_mutex_release_for_wait(rc_mutex *m, rc_thread *t) {
  /* Completely, even a recursive one, as glibc does. */
  uint32_t recursion = m->recursion;
  glibc_unlocked(m, false); /* a waiter stays one of glibc's users */
  release(m, t);
  return recursion;
}

int rc_mutex_relock_after_wait(rc_mutex *m, rc_thread *t, uint32_t recursion,
                               const rc_site *site) {
  void *addr = (void *)m->hdr.addr;
  uint32_t id = m->hdr.lock_id;
  rc_lock_before(t, id, site, true, RC_LOCK_WAIT_BLOCK);
  bool owner_died = take_from_dead_owner(m);
  while (m->owner) {
    rc_lock_blocked(t, id, RC_OP_MUTEX_LOCK, site);
    rc_block_current(addr, site);
    rc_schedule(RC_OP_MUTEX_LOCK, addr, site);
    owner_died = take_from_dead_owner(m);
  }
  m->owner = t;
  m->recursion = recursion;
  glibc_locked(m, t, false);
  if (owner_died)
    glibc_view(m)->__data.__owner = GLIBC_OWNER_INCONSISTENT;
  acquire(m, t);
  rc_lock_after(t, id, RC_OP_MUTEX_LOCK, site, RC_HOLD_WRITE);
  return owner_died ? EOWNERDEAD : 0;
}

/* The robust mutex with identity `lock_id` that `t` holds, or null. */
static rc_mutex *robust_held(const rc_thread *t, uint32_t lock_id) {
  const rc_lock_info *info = rc_lock_info_get(lock_id);
  rc_mutex *m = info ? rc_mutex_find((void *)info->addr) : 0;
  return m && m->hdr.lock_id == lock_id && m->owner == t && robust(m) ? m : 0;
}

uint32_t rc_mutex_abandoned_lock(const rc_thread *t) {
  for (uint32_t i = 0; i < t->n_held; i++)
    if (!robust_held(t, t->held[i].lock_id))
      return t->held[i].lock_id;
  return UINT32_MAX;
}

void rc_mutex_owner_ended(rc_thread *t) {
  for (uint32_t i = 0; i < t->n_held; i++) {
    rc_mutex *m = robust_held(t, t->held[i].lock_id);
    if (m)
      rc_unblock_all((void *)m->hdr.addr);
  }
}
