/* detect/misuse.h — the `misuse` finding: a call the threads API forbids
 * (unlock of a lock the caller does not hold, destroy of an object in use,
 * a condition wait without its mutex, a thread ending with locks held...),
 * Helgrind's set. The sync models call it where they see the misuse; the
 * call itself goes on and returns what glibc returns, and so does the run:
 * the finding is reported at its end, once per case and site. */
#ifndef RACECHECK_DETECT_MISUSE_H
#define RACECHECK_DETECT_MISUSE_H

#include "core/runtime.h"

/* `self` made a `misuse` call `op` at `site` on the object `lock_id`
 * (UINT32_MAX: one racecheck has no identity for, then named by the
 * variable at `addr` if any). `holder`, if not null,
 * holds that object: its acquisition is shown. `other_lock`: a second
 * object involved, or UINT32_MAX. */
void rc_misuse(enum rc_record_misuse_case misuse, rc_thread *self,
               rc_op_kind op, uint32_t lock_id, const rc_thread *holder,
               uint32_t other_lock, const void *addr, const rc_site *site);

/* `t` ends (thread exit, or the program's exit by `t`) still holding the
 * lock `lock_id` (UINT32_MAX: none that counts): a misuse. */
void rc_misuse_exit_holding(rc_thread *t, uint32_t lock_id,
                            const rc_site *site);

#endif /* RACECHECK_DETECT_MISUSE_H */
