/* interceptors_rlimit.c — RLIMIT_AS set by the program bounds the
 * program's own mappings, not the runtime's: the kernel gets the limit plus
 * the runtime's share (core/reservations.c), and the program reads back
 * what it set. Without this, a program lowering RLIMIT_AS to what it needs
 * natively could no longer create a thread under racecheck. */
#include "core/reservations.h"
#include "core/runtime.h"
#include "detect/shadow.h"
#include "sched/scheduler.h"

#include <errno.h>
#include <sys/resource.h>
#include <unistd.h>

static int (*real_setrlimit)(int, const struct rlimit *);
static int (*real_getrlimit)(int, struct rlimit *);
static int (*real_prlimit)(pid_t, int, const struct rlimit *, struct rlimit *);

/* Shadow bytes per MiB of program memory (a chunk covers one MiB). */
#define RC_SHADOW_PER_MIB (RC_CHUNK_SHADOW_BYTES >> (RC_CHUNK_SHIFT - 20))

static int set_address_limit(pid_t pid, const struct rlimit *wanted,
                             struct rlimit *old) {
  struct rlimit current;
  int r = real_prlimit(pid, RLIMIT_AS, 0, &current);
  if (r != 0)
    return r;
  struct rlimit kernel =
      rc_address_limit_for(wanted, &current, RC_SHADOW_PER_MIB);
  r = real_prlimit(pid, RLIMIT_AS, &kernel, 0);
  if (r != 0)
    return r;
  if (old && !rc_address_limit_recall(old))
    *old = current;
  rc_address_limit_remember(wanted);
  return 0;
}

static int own_process(pid_t pid) { return pid == 0 || pid == getpid(); }

RC_INTERCEPT int setrlimit(__rlimit_resource_t resource,
                           const struct rlimit *limit) {
  RC_REAL(real_setrlimit, "setrlimit");
  RC_REAL(real_prlimit, "prlimit");
  if (resource != RLIMIT_AS || !limit)
    return real_setrlimit(resource, limit);
  return set_address_limit(0, limit, 0);
}

RC_INTERCEPT int getrlimit(__rlimit_resource_t resource, struct rlimit *limit) {
  RC_REAL(real_getrlimit, "getrlimit");
  if (resource == RLIMIT_AS && limit && rc_address_limit_recall(limit))
    return 0;
  return real_getrlimit(resource, limit);
}

RC_INTERCEPT int prlimit(pid_t pid, __rlimit_resource_t resource,
                         const struct rlimit *limit, struct rlimit *old) {
  RC_REAL(real_prlimit, "prlimit");
  if (resource != RLIMIT_AS || !own_process(pid))
    return real_prlimit(pid, resource, limit, old);
  if (!limit) {
    if (old && rc_address_limit_recall(old))
      return 0;
    return real_prlimit(pid, resource, 0, old);
  }
  return set_address_limit(pid, limit, old);
}

/* The large-file names are the same calls on 64-bit targets. */
RC_INTERCEPT int setrlimit64(__rlimit_resource_t resource,
                             const struct rlimit64 *limit) {
  return setrlimit(resource, (const struct rlimit *)limit);
}

RC_INTERCEPT int getrlimit64(__rlimit_resource_t resource,
                             struct rlimit64 *limit) {
  return getrlimit(resource, (struct rlimit *)limit);
}

RC_INTERCEPT int prlimit64(pid_t pid, __rlimit_resource_t resource,
                           const struct rlimit64 *limit, struct rlimit64 *old) {
  return prlimit(pid, resource, (const struct rlimit *)limit,
                 (struct rlimit *)old);
}
