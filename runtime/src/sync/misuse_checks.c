/* sync/misuse_checks.c — the misuse questions of the sync models
 * (sync/misuse_checks.h), kept out of the models so that each is one call
 * at the place of the call it judges. */
#include "sync/misuse_checks.h"
#include "sched/scheduler.h"

#include <limits.h>

static uint32_t identity(const rc_sync *s) {
  return s ? s->lock_id : UINT32_MAX;
}

void rc_check_unlock(rc_thread *t, rc_op_kind op, const void *addr,
                     const rc_sync *s, bool not_held, const rc_site *site) {
  if (!not_held)
    return;
  rc_thread *holder = s ? rc_sync_owner(s) : 0;
  bool held = holder || (s && rc_sync_readers(s) > 0);
  rc_misuse(held ? RC_RECORD_MISUSE_UNLOCK_OTHER
                 : RC_RECORD_MISUSE_UNLOCK_NOT_HELD,
            t, op, identity(s), holder, UINT32_MAX, addr, site);
}

bool rc_check_not_in_use(const void *addr, bool reinit, rc_op_kind op,
                         const rc_site *site) {
  const rc_sync *s = rc_sync_find(addr);
  if (!s)
    return false;
  rc_thread *holder = rc_sync_owner(s);
  bool held = s->kind != RC_SYNC_ONCE && s->kind != RC_SYNC_GUARD &&
              (holder || rc_sync_readers(s) > 0);
  bool waited = false;
  if (s->kind == RC_SYNC_COND)
    waited = rc_oldest_waiter(addr) != 0;
  else if (s->kind == RC_SYNC_BARRIER)
    waited = rc_sync_count(s) > 0;
  if (!held && !waited)
    return false;
  if (!site) /* destroy: the model is not told the site */
    site = rc_caller_site();
  enum rc_record_misuse_case misuse = reinit ? RC_RECORD_MISUSE_REINIT_IN_USE
                                      : held ? RC_RECORD_MISUSE_DESTROY_HELD
                                             : RC_RECORD_MISUSE_DESTROY_WAITED;
  rc_misuse(misuse, rc_self, op, s->lock_id, holder, UINT32_MAX, addr, site);
  if (reinit && held)
    for (uint32_t i = 0; i < g_rt.n_threads; i++)
      rc_held_remove(g_rt.threads[i], s->lock_id);
  return true;
}

void rc_check_cond_wait(rc_thread *t, rc_cond *c, const void *mutex,
                        const rc_mutex *held, const rc_site *site) {
  if (!held) {
    const rc_mutex *m = rc_mutex_find(mutex);
    rc_misuse(RC_RECORD_MISUSE_WAIT_NOT_HELD, t, RC_OP_COND_WAIT,
              identity(m ? &m->hdr : 0), m ? m->owner : 0, c->hdr.lock_id,
              mutex, site);
    /* glibc waits anyway on a normal mutex: counted like any waiter */
  }
  if (c->n_waiting > 0 && c->wait_mutex != mutex) {
    const rc_mutex *other = rc_mutex_find(c->wait_mutex);
    rc_misuse(RC_RECORD_MISUSE_WAIT_TWO_MUTEXES, t, RC_OP_COND_WAIT,
              c->hdr.lock_id, 0, identity(other ? &other->hdr : 0), 0, site);
  }
  c->wait_mutex = mutex;
  c->n_waiting++;
}

void rc_check_sem_post(rc_thread *t, const rc_sem *s, const rc_site *site) {
  if (s->value >= SEM_VALUE_MAX)
    rc_misuse(RC_RECORD_MISUSE_SEM_OVERFLOW, t, RC_OP_SEM_POST, s->hdr.lock_id,
              0, UINT32_MAX, (const void *)s->hdr.addr, site);
}

void rc_check_barrier_count(const void *addr, unsigned count,
                            const rc_site *site) {
  if (count == 0)
    rc_misuse(RC_RECORD_MISUSE_BARRIER_ZERO, rc_self, RC_OP_NONE, UINT32_MAX, 0,
              UINT32_MAX, addr, site);
}

void rc_check_cond_wait_end(rc_cond *c) {
  if (c->n_waiting > 0)
    c->n_waiting--;
  if (c->n_waiting == 0 && c->destroying)
    rc_unblock_all((void *)c->hdr.addr); /* the destroy goes on */
}
