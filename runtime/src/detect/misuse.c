/* detect/misuse.c — the `misuse` finding (detect/misuse.h). A finding
 * carries the misuse case and the objects as data (cause `misuse`), the
 * offending call as its first waiter entry (thread, operation, object,
 * site, stack, locks held) and, when a thread holds the object, that
 * thread's acquisition as the second; the object's creation site is its
 * lock identity's. Reported once per case and site: a misuse in a loop is
 * one bug, and a replay reports it alike. */
#include "detect/misuse.h"

#define RC_MISUSE_SEEN_MAX 256

static struct {
  uint32_t n;
  struct {
    enum rc_record_misuse_case misuse;
    const rc_site *site;
  } seen[RC_MISUSE_SEEN_MAX];
} ms;

/* Whether this case at this site was reported already (else notes it). */
static bool seen_before(enum rc_record_misuse_case misuse,
                        const rc_site *site) {
  for (uint32_t i = 0; i < ms.n; i++)
    if (ms.seen[i].misuse == misuse && ms.seen[i].site == site)
      return true;
  if (ms.n < RC_MISUSE_SEEN_MAX) {
    ms.seen[ms.n].misuse = misuse;
    ms.seen[ms.n].site = site;
    ms.n++;
  }
  return false;
}

/* The variable at `addr`, rc_alloc'ed, without glibc's or libstdc++'s
 * private inner fields ("m.__data.__lock" is `m`), or null. */
static const char *object_name(const void *addr) {
  char *name = (char *)rc_global_name_copy(addr);
  for (char *p = name; p && *p; p++)
    if (p[0] == '.' && p[1] == '_' && (p[2] == '_' || p[2] == 'M')) {
      *p = 0;
      break;
    }
  return name;
}

static void waiter_on(rc_waiter *w, uint32_t lock_id) {
  w->object = lock_id == UINT32_MAX ? RC_RECORD_WAIT_NONE : RC_RECORD_WAIT_LOCK;
  w->object_id = lock_id;
}

/* The holder's acquisition of `lock_id` as a waiter entry; false if it
 * does not hold it. */
static bool holder_entry(rc_waiter *w, const rc_thread *holder,
                         uint32_t lock_id) {
  for (uint32_t i = 0; i < holder->n_held; i++) {
    const rc_held_lock *h = &holder->held[i];
    if (h->lock_id != lock_id)
      continue;
    w->tid = holder->tid;
    w->op = h->write ? RC_OP_MUTEX_LOCK : RC_OP_RWLOCK_RDLOCK;
    w->site = h->site;
    w->stack = h->stack;
    waiter_on(w, lock_id);
    return true;
  }
  return false;
}

void rc_misuse(enum rc_record_misuse_case misuse, rc_thread *self,
               rc_op_kind op, uint32_t lock_id, const rc_thread *holder,
               uint32_t other_lock, const void *addr, const rc_site *site) {
  if (!self || seen_before(misuse, site))
    return;
  rc_finding *f = rc_alloc(sizeof *f);
  f->kind = RC_FINDING_MISUSE;
  f->cause.set = true;
  f->cause.kind = RC_RECORD_CAUSE_MISUSE;
  f->cause.tid = self->tid;
  f->cause.n_values = 4;
  f->cause.values[0] = misuse;
  f->cause.values[1] = lock_id;
  f->cause.values[2] = holder ? holder->tid : UINT32_MAX;
  f->cause.values[3] = other_lock;
  f->waiters = rc_alloc(2 * sizeof *f->waiters);
  rc_waiter *w = &f->waiters[0];
  w->tid = self->tid;
  w->op = op;
  w->site = site;
  w->stack = self->current_stack;
  w->lockset = self->lockset;
  waiter_on(w, lock_id);
  if (lock_id == UINT32_MAX && addr) { /* named by its variable, if any */
    w->object = RC_RECORD_WAIT_OBJECT;
    w->object_name = object_name(addr);
  }
  f->n_waiters = 1;
  if (holder && lock_id != UINT32_MAX &&
      holder_entry(&f->waiters[1], holder, lock_id))
    f->n_waiters = 2;
  rc_add_finding(f);
}

void rc_misuse_exit_holding(rc_thread *t, uint32_t lock_id,
                            const rc_site *site) {
  if (t && lock_id != UINT32_MAX)
    rc_misuse(RC_RECORD_MISUSE_EXIT_HOLDING, t, RC_OP_THREAD_EXIT, lock_id, t,
              UINT32_MAX, 0, site);
}
